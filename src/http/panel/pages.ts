import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Ticket, TicketStatus } from '../../db/schema.js';
import * as actions from '../../staff/actions.js';
import { liveConversation, ticketHistory } from '../../staff/detail.js';
import { partnerOf, partnersByPhone } from '../../staff/partners.js';
import { verifyPassword } from '../../staff/passwords.js';
import { askSurvey } from '../../staff/survey.js';
import { encodeCursor, findVisibleTicket, otherTickets, queueCount, queuePage } from '../../staff/queue.js';
import {
  assignableUsers, createApiToken, findSession, createUser, listApiTokens, listUsers, revokeApiToken, setPassword, setUserActive, StaffError, userNames, visibleTeams,
} from '../../staff/users.js';
import { getTicketById, ticketAttachmentFile, ticketAttachments } from '../../tickets/tickets.js';
import { ratingOf, ratingsReport } from '../../tickets/ratings.js';
import { loginRoutes, parseCookies, requireCsrf, requireSession, SESSION_COOKIE } from './auth.js';
import { parseQueueQuery, staffOf, type PanelContext, type StaffLocals } from './context.js';
import { sendCsv } from './export.js';
import { accountPage } from './views/account.js';
import { chatLines } from './views/chat.js';
import { errorPage } from './views/error.js';
import type { ViewContext } from './views/layout.js';
import { queuePage as renderQueue, queueResultsFragment as renderQueueResults, type QueueView } from './views/queue.js';
import { ratingsPage, type Period } from './views/ratings.js';
import { repliesPage } from './views/replies.js';
import { whatsappDisabledPage, whatsappPage } from './views/whatsapp.js';
import { deleteReply, fillReply, listReplies, saveReply } from '../../staff/replies.js';
import { ticketPage } from './views/ticket.js';
import { usersPage } from './views/users.js';
import { overviewPage } from './views/overview.js';
import { overview } from '../../staff/overview.js';
import { learningRoutes } from './learning.js';
import { dictionary } from '../../dictionary.js';

// The panel's pages: queue, ticket, account (API tokens), users (admins). Plain forms that POST
// and redirect (303) with a fixed flash code; the CSRF token rides in every form.

const FLASH: Readonly<Record<string, string>> = dictionary({
  assigned: 'Responsável atualizado.',
  status: 'Status atualizado.',
  note: 'Nota adicionada.',
  resolved: 'Ticket resolvido e mensagem enviada para a fila do WhatsApp.',
  resolved_silent: 'Ticket resolvido (sem mensagem ao cliente).',
  rejected: 'Ticket recusado e mensagem enviada para a fila do WhatsApp.',
  rejected_silent: 'Ticket recusado (sem mensagem ao cliente).',
  replied: 'Mensagem enviada para a fila do WhatsApp.',
  handover: 'Atendimento encerrado: a conversa voltou para o bot.',
  token_revoked: 'Token revogado.',
  password: 'Senha trocada. Entre novamente nos outros dispositivos.',
  user_added: 'Usuário criado.',
  user_changed: 'Usuário atualizado.',
  reply_added: 'Resposta salva adicionada.',
  reply_saved: 'Resposta salva atualizada.',
  reply_removed: 'Resposta salva removida.',
});

/** The WhatsApp admin page in the panel: panel admins get in with their session, the page has the panel's layout. */
export function whatsappHooks(ctx: PanelContext): { allow(req: Request): boolean; page(req: Request): string } {
  const sessionOf = (req: Request) => {
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return cookie ? findSession(ctx.db, cookie, ctx.clock(), ctx.panel.sessionIdleMs) : undefined;
  };
  return {
    allow: (req) => sessionOf(req)?.user.role === 'admin',
    page: (req) => {
      const s = sessionOf(req);
      const user = s?.user.role === 'admin' ? s.user : undefined;
      return whatsappPage({
        user, csrf: user ? s?.session.csrf_token : undefined, timeZone: ctx.config.timezone, now: ctx.clock(), slaHours: ctx.panel.slaHours, sla: ctx.sla, requests: ctx.requests,
        waiting: user ? ctx.live.waiting(visibleTeams(user)) : undefined,
      });
    },
  };
}

export function pagesRouter(ctx: PanelContext): express.Router {
  const r = express.Router();
  const { db } = ctx;
  const body = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  const viewOf = (req: Request): ViewContext => {
    const s = staffOf(req);
    return {
      user: s?.user, csrf: s?.session?.csrf_token, timeZone: ctx.config.timezone, now: ctx.clock(), slaHours: ctx.panel.slaHours, sla: ctx.sla, requests: ctx.requests,
      waiting: s?.user ? ctx.live.waiting(visibleTeams(s.user)) : undefined,
    };
  };
  const survey = { db, engine: ctx.engine, logger: ctx.logger, survey: ctx.panel.survey, clock: ctx.clock };
  const flashOf = (req: Request) => (typeof req.query.ok === 'string' ? FLASH[req.query.ok] : undefined);
  const nowIso = () => new Date(ctx.clock()).toISOString();
  const notFound = (req: Request, res: Response) => res.status(404).type('html').send(errorPage(viewOf(req), 404, 'Ticket não encontrado.'));

  const login = loginRoutes(ctx);
  r.get('/login', login.get);
  r.post('/login', body, login.post);

  r.use(requireSession(ctx));
  r.post('/logout', body, requireCsrf, login.logout);
  r.use(body, requireCsrf);

  r.get('/', (_req, res) => res.redirect(303, '/fila'));

  // The live stream of every open page: waiting counts and what changed (Server-Sent Events).
  /**
   * The queue list a request asks for (its user's teams, filters and page): one key for everyone
   * who sees the same list, its data and its rendered results (count, rows, pager), both shared
   * until the list changes (or two seconds: ages and SLA colours move on).
   */
  const queueList = (req: Request, user: StaffLocals['user']) => {
    const { filter, echo } = parseQueueQuery(req.query as Record<string, unknown>, user, ctx.config.timezone, ctx.requests);
    const teams = visibleTeams(user);
    const qs = (extra: Record<string, string>) => new URLSearchParams({ ...echo, ...extra }).toString();
    const title = teams.length > 1 ? 'Fila de todas as equipes' : `Fila do ${teams[0] === 'finance' ? 'Financeiro' : 'Suporte'}`;
    const key = JSON.stringify([teams, filter.assignee === user.id ? `me:${user.id}` : '', echo, filter.after ?? null]);
    const view = (): QueueView => ctx.live.list(key, (): QueueView => {
      const page = queuePage(db, { ...filter, limit: ctx.panel.pageSize }, 'list');
      // A first page that is not full is the whole list: its count is exact, never a cached one.
      const count = !filter.after && !page.next ? { count: page.rows.length, capped: false } : queueCount(db, { ...filter, after: undefined });
      return {
        rows: page.rows,
        partners: partnersByPhone(db, page.rows.map((row) => row.phone)),
        count,
        filters: echo,
        teams,
        types: ctx.requests.ids().filter((t) => teams.includes(ctx.requests.team(t))),
        assignees: teams.flatMap((t) => assignableUsers(db, t)).filter((u, i, a) => a.findIndex((x) => x.id === u.id) === i),
        nextHref: page.next ? `/fila?${qs({ after: encodeCursor(page.next) })}` : undefined,
        firstHref: filter.after ? `/fila?${qs({})}` : undefined,
        exportHref: `/fila.csv?${qs({})}`,
        fragmentHref: `/fila?${qs({ ...(filter.after ? { after: encodeCursor(filter.after) } : {}), parcial: '1' })}`,
        title,
      };
    });
    const results = () => ctx.live.list(`${key}|html`, () => renderQueueResults(viewOf(req), view()));
    return { key, view, results };
  };

  // The live stream of every open page: waiting counts and what changed (Server-Sent Events).
  // A queue page opens it with its list's query (?parcial=1&...): its new rows come in the stream.
  r.get('/fila/eventos', (req, res) => {
    const s = staffOf(req);
    const list = req.query.parcial === '1' ? queueList(req, s.user) : undefined;
    ctx.live.stream(req, res, visibleTeams(s.user), s.session, list ? { key: list.key, rows: list.results } : undefined);
  });

  r.get('/fila', (req, res) => {
    const { user } = staffOf(req);
    const list = queueList(req, user);
    if (req.query.parcial === '1') {
      res.type('html').send(list.results());
      return;
    }
    res.type('html').send(renderQueue(viewOf(req), list.view(), flashOf(req), list.results()));
  });

  r.get('/fila.csv', (req, res) => {
    const { user } = staffOf(req);
    const { filter } = parseQueueQuery(req.query as Record<string, unknown>, user, ctx.config.timezone, ctx.requests);
    ctx.logger.info({ userId: user.id }, 'queue exported');
    sendCsv(res, db, ctx.requests, user, { ...filter, after: undefined }, ctx.config.timezone, ctx.clock());
  });

  /** Loads the ticket named in the URL if the user's team may see it. */
  const withTicket = (handler: (req: Request, res: Response, t: Ticket) => void | Promise<void>): RequestHandler => async (req, res, next) => {
    try {
      const t = findVisibleTicket(db, String(req.params.protocol), visibleTeams(staffOf(req).user));
      if (!t) return notFound(req, res);
      await handler(req, res, t);
    } catch (err) {
      if (err instanceof actions.ActionError) {
        res.status(err.status).type('html').send(errorPage(viewOf(req), err.status, err.message));
        return;
      }
      next(err);
    }
  };

  const renderTicket = (req: Request, res: Response, t: Ticket, status = 200, error?: string) => {
    const names = userNames(db);
    res.status(status).type('html').send(
      ticketPage(
        viewOf(req),
        {
          ticket: t,
          partner: partnerOf(partnersByPhone(db, [t.phone]), t.phone) ?? null,
          rating: ratingOf(db, t.id) ?? null,
          replies: listReplies(db, [t.team]).map((r) => ({ id: r.id, title: r.title, text: fillReply(r.text, t) })),
          attachments: ticketAttachments(db, t),
          assigneeName: t.assignee_id ? (names.get(t.assignee_id) ?? null) : null,
          assignees: assignableUsers(db, t.team),
          history: ticketHistory(db, t.id, names),
          others: otherTickets(db, t, visibleTeams(staffOf(req).user)),
          conversation: t.type === 'human_handoff' ? liveConversation(db, t) : null,
          templates: { resolved: ctx.requests.template(t, 'resolved'), rejected: ctx.requests.template(t, 'rejected') },
        },
        names,
        flashOf(req),
        error,
      ),
    );
  };

  r.get('/tickets/:protocol', withTicket((req, res, t) => renderTicket(req, res, t)));

  // A file the customer sent with the request: only to the team that owns the ticket, always
  // as a download (never rendered inline), images and PDFs with their own type.
  r.get(
    '/tickets/:protocol/anexos/:id',
    withTicket((req, res, t) => {
      const file = ticketAttachmentFile(db, t, Number(req.params.id));
      if (!file) {
        notFound(req, res);
        return;
      }
      const type = file.mimetype && /^(image\/(jpeg|png|webp|gif)|application\/pdf)$/.test(file.mimetype) ? file.mimetype : 'application/octet-stream';
      const name = (file.fileName ?? `anexo-${file.id}`).replace(/[^\w.\- ]+/g, '_');
      res.set('Cache-Control', 'private, no-store').attachment(name).type(type).send(file.data);
    }),
  );

  r.get(
    '/tickets/:protocol/conversa',
    withTicket((req, res, t) => {
      if (t.type !== 'human_handoff') {
        notFound(req, res);
        return;
      }
      res.set('Cache-Control', 'no-store').type('html').send(chatLines(viewOf(req), liveConversation(db, t), `/tickets/${t.protocol}`).value);
    }),
  );

  const done = (res: Response, t: Ticket, code: string) => res.redirect(303, `/tickets/${t.protocol}?ok=${code}#main`);
  const log = (req: Request, t: Ticket, action: string) => ctx.logger.info({ userId: staffOf(req).user.id, protocol: t.protocol, action }, 'ticket action');

  r.post(
    '/tickets/:protocol/assign',
    withTicket((req, res, t) => {
      const { user } = staffOf(req);
      const v = String(req.body.assignee ?? '');
      const to = v === 'me' ? user.id : v === 'none' || v === '' ? null : /^\d{1,9}$/.test(v) ? Number(v) : NaN;
      if (Number.isNaN(to)) throw new actions.ActionError(400, 'Responsável inválido.');
      actions.assign(db, t, user, to, nowIso());
      log(req, t, 'assign');
      done(res, t, 'assigned');
    }),
  );

  r.post(
    '/tickets/:protocol/status',
    withTicket((req, res, t) => {
      actions.changeStatus(db, t, staffOf(req).user, String(req.body.status ?? '') as TicketStatus, nowIso());
      log(req, t, 'status');
      done(res, t, 'status');
    }),
  );

  r.post(
    '/tickets/:protocol/notes',
    withTicket((req, res, t) => {
      actions.note(db, t, staffOf(req).user, req.body.text, nowIso());
      log(req, t, 'note');
      done(res, t, 'note');
    }),
  );

  r.post(
    '/tickets/:protocol/close',
    withTicket((req, res, t) => {
      const outcome = req.body.outcome === 'rejected' ? 'rejected' : req.body.outcome === 'resolved' ? 'resolved' : null;
      if (!outcome) throw new actions.ActionError(400, 'Escolha resolver ou recusar.');
      const { outboundId } = actions.close(db, t, staffOf(req).user, outcome, req.body.message, nowIso());
      log(req, t, outcome);
      if (outcome === 'resolved') askSurvey(survey, t.id);
      done(res, t, outboundId ? outcome : `${outcome}_silent`);
    }),
  );

  r.post(
    '/tickets/:protocol/reply',
    withTicket((req, res, t) => {
      actions.reply(db, t, staffOf(req).user, req.body.text, nowIso());
      log(req, t, 'reply');
      done(res, t, 'replied');
    }),
  );

  r.post(
    '/tickets/:protocol/handover/close',
    withTicket((req, res, t) => {
      actions.closeHandover(db, ctx.engine, t, staffOf(req).user, req.body.message, nowIso());
      log(req, t, 'handoff_closed');
      askSurvey(survey, t.id);
      done(res, getTicketById(db, t.id)!, 'handover');
    }),
  );

  // ---- account: API tokens and password ----
  const account = (req: Request, res: Response, extra: { newToken?: string; status?: number; error?: string } = {}) => {
    const { user } = staffOf(req);
    res.status(extra.status ?? 200).type('html').send(accountPage(viewOf(req), { tokens: listApiTokens(db, user.id), newToken: extra.newToken }, flashOf(req), extra.error));
  };
  r.get('/conta', (req, res) => account(req, res));
  r.post('/conta/tokens', (req, res) => {
    const { user } = staffOf(req);
    const { token } = createApiToken(db, user.id, String(req.body.name ?? ''), nowIso());
    ctx.logger.info({ userId: user.id }, 'api token created');
    account(req, res, { newToken: token });
  });
  r.post('/conta/tokens/:id/revoke', (req, res) => {
    const { user } = staffOf(req);
    const ok = revokeApiToken(db, Number(req.params.id), user.role === 'admin' ? undefined : user.id, nowIso());
    if (!ok) return res.status(404).type('html').send(errorPage(viewOf(req), 404, 'Token não encontrado.'));
    res.redirect(303, '/conta?ok=token_revoked');
  });
  r.post('/conta/senha', async (req, res, next) => {
    try {
      const { user } = staffOf(req);
      if (!(await verifyPassword(String(req.body.current ?? ''), user.password_hash))) return account(req, res, { status: 400, error: 'Senha atual incorreta.' });
      await setPassword(db, user.id, String(req.body.password ?? ''), nowIso());
      res.redirect(303, '/login');
    } catch (err) {
      if (err instanceof StaffError) return account(req, res, { status: 400, error: err.message });
      next(err);
    }
  });

  // ---- users (admins) ----
  const adminOnly: RequestHandler = (req, res, next) => {
    if (staffOf(req).user.role !== 'admin') return res.status(404).type('html').send(errorPage(viewOf(req), 404, 'Página não encontrada.'));
    next();
  };
  r.get('/visao-geral', adminOnly, (req, res) => {
    const period = req.query.periodo === '30d' ? '30d' : '24h';
    // The counts of this process's last second are still in memory: written first.
    ctx.engine.flushStats();
    const data = overview(db, { period, now: ctx.clock(), timeZone: ctx.config.timezone, sla: ctx.sla, slaHours: ctx.panel.slaHours });
    const entryLabel = (entry: string) =>
      entry.startsWith('request:') ? `Pedido: ${ctx.requests.title(entry.slice(8))}` : (ctx.kb?.entries.get(entry)?.short ?? entry);
    res.type('html').send(overviewPage(viewOf(req), { data, entryLabel }));
  });
  // ---- saved replies (admins) ----
  const replies = (req: Request, res: Response, status = 200, error?: string) =>
    res.status(status).type('html').send(repliesPage(viewOf(req), listReplies(db, ['finance', 'support']), flashOf(req), error));
  const replyAction = (fn: (req: Request) => void, code: string): RequestHandler => (req, res, next) => {
    try {
      fn(req);
      res.redirect(303, `/respostas?ok=${code}`);
    } catch (err) {
      if (err instanceof actions.ActionError) return replies(req, res, err.status, err.message);
      next(err);
    }
  };
  const replyId = (req: Request) => (/^\d{1,9}$/.test(String(req.params.id)) ? Number(req.params.id) : -1);
  r.get('/respostas', adminOnly, (req, res) => replies(req, res));
  r.post('/respostas', adminOnly, replyAction((req) => saveReply(db, { ...req.body, by: staffOf(req).user.id, at: nowIso() }), 'reply_added'));
  r.post('/respostas/:id', adminOnly, replyAction((req) => saveReply(db, { ...req.body, id: replyId(req), by: staffOf(req).user.id, at: nowIso() }), 'reply_saved'));
  r.post('/respostas/:id/remover', adminOnly, replyAction((req) => deleteReply(db, replyId(req)), 'reply_removed'));

  // Reached only when the WhatsApp channel is off (otherwise its own router answers /whatsapp in front).
  r.get(['/whatsapp', '/whatsapp/'], adminOnly, (req, res) => res.type('html').send(whatsappDisabledPage(viewOf(req))));

  r.get('/avaliacoes', adminOnly, (req, res) => {
    const period: Period = req.query.periodo === '90d' || req.query.periodo === 'tudo' ? req.query.periodo : '30d';
    const days = period === '30d' ? 30 : period === '90d' ? 90 : null;
    const from = days ? new Date(ctx.clock() - days * 86_400_000).toISOString() : null;
    res.type('html').send(ratingsPage(viewOf(req), ratingsReport(db, from, userNames(db)), period));
  });
  r.get('/usuarios', adminOnly, (req, res) => res.type('html').send(usersPage(viewOf(req), listUsers(db), flashOf(req))));
  r.post('/usuarios', adminOnly, async (req, res, next) => {
    try {
      await createUser(db, { name: String(req.body.name ?? ''), email: String(req.body.email ?? ''), role: String(req.body.role ?? ''), password: String(req.body.password ?? ''), now: nowIso() });
      ctx.logger.info({ by: staffOf(req).user.id }, 'staff user created');
      res.redirect(303, '/usuarios?ok=user_added');
    } catch (err) {
      if (err instanceof StaffError) return res.status(400).type('html').send(usersPage(viewOf(req), listUsers(db), undefined, err.message));
      next(err);
    }
  });
  r.post('/usuarios/:id/:action', adminOnly, (req, res) => {
    const id = Number(req.params.id);
    const action = req.params.action;
    if (!Number.isInteger(id) || (action !== 'disable' && action !== 'enable') || id === staffOf(req).user.id) {
      return res.status(400).type('html').send(errorPage(viewOf(req), 400, 'Operação inválida.'));
    }
    setUserActive(db, id, action === 'enable', nowIso());
    res.redirect(303, '/usuarios?ok=user_changed');
  });

  // ---- unanswered questions (admins) ----
  learningRoutes(r, ctx, { viewOf, flashOf, adminOnly });

  r.use((req, res) => res.status(404).type('html').send(errorPage(viewOf(req), 404, 'Página não encontrada.')));
  return r;
}
