import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { StaffUser, Ticket, TicketStatus } from '../../db/schema.js';
import * as actions from '../../staff/actions.js';
import { liveConversation, ticketHistory } from '../../staff/detail.js';
import { sha256 } from '../../staff/passwords.js';
import { askSurvey } from '../../staff/survey.js';
import { encodeCursor, findVisibleTicket, otherTickets, queuePage, type QueueRow } from '../../staff/queue.js';
import { elapsedHours, slaLevel } from '../../staff/sla.js';
import { authenticateToken, userNames, visibleTeams } from '../../staff/users.js';
import { getTicketById } from '../../tickets/tickets.js';
import { parseQueueQuery, setStaff, staffOf, type PanelContext } from './context.js';
import { sendCsv } from './export.js';
import { STORAGE_MESSAGE, storageProblem } from '../../db/errors.js';

// The JSON API under /api: the panel's operations for other tools, authenticated with per-user
// bearer tokens (no cookies, so no CSRF), rate limited per token, same team isolation.

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function apiRouter(ctx: PanelContext): express.Router {
  const r = express.Router();
  const { db } = ctx;
  const nowIso = () => new Date(ctx.clock()).toISOString();
  const survey = { db, engine: ctx.engine, logger: ctx.logger, survey: ctx.panel.survey, clock: ctx.clock };

  r.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  r.use(
    rateLimit({
      windowMs: 60_000,
      limit: ctx.panel.apiRateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => {
        const auth = req.get('authorization');
        return auth ? `t:${sha256(auth)}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
      },
      handler: (_req, res) => {
        res.status(429).json({ error: 'rate_limited', message: 'Muitas requisições: aguarde um minuto.' });
      },
    }),
  );
  r.use((req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const found = m ? authenticateToken(db, m[1], ctx.clock()) : undefined;
    if (!found) {
      res.set('WWW-Authenticate', 'Bearer');
      return res.status(401).json({ error: 'unauthorized', message: 'Token de API ausente ou inválido.' });
    }
    setStaff(req, { user: found.user });
    next();
  });
  r.use(express.json({ limit: '64kb' }));

  const item = (t: QueueRow | Ticket, assigneeName: string | null) => ({
    protocol: t.protocol,
    type: t.type,
    team: t.team,
    status: t.status,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    closedAt: t.closed_at,
    assignee: t.assignee_id ? { id: t.assignee_id, name: assigneeName } : null,
    customer: { name: t.contact_name, phone: t.phone, chatId: t.chat_id, document: t.document, email: t.email },
    orderNumber: t.order_number,
    sla: {
      level: slaLevel(t, ctx.panel.slaHours, ctx.clock(), ctx.sla),
      targetHours: ctx.panel.slaHours[t.type],
      clock: ctx.panel.slaClock,
      ageHours: Math.round(elapsedHours(t.created_at, ctx.clock()) * 10) / 10,
    },
  });

  r.get('/me', (req, res) => {
    const { user } = staffOf(req);
    res.json({ id: user.id, name: user.name, email: user.email, role: user.role, teams: visibleTeams(user) });
  });

  r.get('/tickets', (req, res) => {
    const { user } = staffOf(req);
    const { filter } = parseQueueQuery(req.query as Record<string, unknown>, user, ctx.config.timezone, ctx.requests);
    const limit = Math.min(Math.max(Number(req.query.limit) || 50, 1), 200);
    const page = queuePage(db, { ...filter, limit });
    res.json({ tickets: page.rows.map((t) => item(t, t.assignee_name)), next: page.next ? encodeCursor(page.next) : null });
  });

  r.get('/tickets.csv', (req, res) => {
    const { user } = staffOf(req);
    const { filter } = parseQueueQuery(req.query as Record<string, unknown>, user, ctx.config.timezone, ctx.requests);
    sendCsv(res, db, ctx.requests, user, { ...filter, after: undefined }, ctx.config.timezone, ctx.clock());
  });

  const withTicket =
    (handler: (req: Request, res: Response, t: Ticket, user: StaffUser) => void): RequestHandler =>
    (req, res, next) => {
      try {
        const { user } = staffOf(req);
        const t = findVisibleTicket(db, String(req.params.protocol), visibleTeams(user));
        if (!t) throw new HttpError(404, 'not_found', 'Ticket não encontrado.');
        handler(req, res, t, user);
      } catch (err) {
        next(err);
      }
    };

  const show = (t: Ticket) => {
    const names = userNames(db);
    return {
      ...item(t, t.assignee_id ? (names.get(t.assignee_id) ?? null) : null),
      data: JSON.parse(t.data) as unknown,
      excerpt: JSON.parse(t.excerpt) as unknown,
      history: ticketHistory(db, t.id, names).map((e) => ({ at: e.at, actor: e.actor, actorName: e.actorName, kind: e.kind, detail: e.detail, delivery: e.delivery })),
      conversation: t.type === 'human_handoff' ? liveConversation(db, t) : undefined,
      templates: { resolved: ctx.requests.template(t, 'resolved'), rejected: ctx.requests.template(t, 'rejected') },
    };
  };

  r.get('/tickets/:protocol', withTicket((req, res, t, user) => res.json({ ...show(t), otherTickets: otherTickets(db, t, visibleTeams(user)).map((o) => ({ protocol: o.protocol, type: o.type, status: o.status, createdAt: o.created_at })) })));

  const body = (req: Request): Record<string, unknown> => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
  const after = (res: Response, t: Ticket, status = 200, extra: Record<string, unknown> = {}) => res.status(status).json({ ...show(getTicketById(db, t.id)!), ...extra });

  r.post(
    '/tickets/:protocol/assign',
    withTicket((req, res, t, user) => {
      const v = body(req).assignee;
      const to = v === 'me' ? user.id : v === null || v === undefined || v === 'none' ? null : Number.isInteger(v) ? (v as number) : NaN;
      if (Number.isNaN(to)) throw new HttpError(400, 'invalid', 'assignee: "me", um id de usuário ou null.');
      actions.assign(db, t, user, to, nowIso());
      after(res, t);
    }),
  );
  r.post(
    '/tickets/:protocol/status',
    withTicket((req, res, t, user) => {
      actions.changeStatus(db, t, user, String(body(req).status ?? '') as TicketStatus, nowIso());
      after(res, t);
    }),
  );
  r.post(
    '/tickets/:protocol/notes',
    withTicket((req, res, t, user) => {
      actions.note(db, t, user, body(req).text, nowIso());
      after(res, t, 201);
    }),
  );
  for (const outcome of ['resolved', 'rejected'] as const) {
    r.post(
      `/tickets/:protocol/${outcome === 'resolved' ? 'resolve' : 'reject'}`,
      withTicket((req, res, t, user) => {
        const { outboundId } = actions.close(db, t, user, outcome, body(req).message, nowIso());
        if (outcome === 'resolved') askSurvey(survey, t.id);
        after(res, t, 200, { messageId: outboundId });
      }),
    );
  }
  r.post(
    '/tickets/:protocol/messages',
    withTicket((req, res, t, user) => {
      const id = actions.reply(db, t, user, body(req).text, nowIso());
      after(res, t, 201, { messageId: id });
    }),
  );
  r.post(
    '/tickets/:protocol/handover/close',
    withTicket((req, res, t, user) => {
      const { outboundId, botReplies } = actions.closeHandover(db, ctx.engine, t, user, body(req).message, nowIso());
      askSurvey(survey, t.id);
      after(res, t, 200, { messageId: outboundId, botReplies });
    }),
  );

  r.use((_req, res) => res.status(404).json({ error: 'not_found', message: 'Rota não encontrada.' }));
  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) return res.status(err.status).json({ error: err.code, message: err.message });
    if (err instanceof actions.ActionError) return res.status(err.status).json({ error: err.status === 409 ? 'conflict' : 'invalid', message: err.message });
    const storage = storageProblem(err);
    if (storage) {
      if (storage === 'busy') ctx.logger.warn({ err }, 'api: database busy');
      else ctx.logger.error({ err, database: ctx.config.databasePath }, `api: could not write to the database (${storage})`);
      return res.status(503).set('Retry-After', '5').json({ error: storage === 'busy' ? 'busy' : 'storage_unavailable', message: STORAGE_MESSAGE[storage] });
    }
    const e = err as { status?: number; type?: string };
    if (e.status === 413) return res.status(413).json({ error: 'too_large', message: 'Corpo da requisição grande demais.' });
    if (e.status && e.status >= 400 && e.status < 500) return res.status(e.status).json({ error: 'bad_request', message: 'Requisição inválida.' });
    ctx.logger.error({ err }, 'api error');
    res.status(500).json({ error: 'internal', message: 'Erro interno.' });
  });
  return r;
}
