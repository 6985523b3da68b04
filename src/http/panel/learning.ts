import type { Request, RequestHandler, Response, Router } from 'express';
import { OUT_OF_SCOPE_LABEL, requestOfLabel } from '../../faq/knowledge.js';
import type { LearningService } from '../../learning/service.js';
import { MARKED_TOPIC, MARKED_TOPIC_TITLE } from '../../learning/service.js';
import { staffOf, type PanelContext } from './context.js';
import { errorPage } from './views/error.js';
import type { ViewContext } from './views/layout.js';
import { learningPage } from './views/learning.js';
import { dictionary } from '../../dictionary.js';

// "Perguntas não respondidas" (admins): GET the page, POST one of four decisions on a group;
// each POST redirects (303) with a fixed flash code, like the other pages.

export const LEARNING_FLASH: Readonly<Record<string, string>> = dictionary({
  taught: 'Pronto: o bot aprendeu com essas mensagens e já responde perguntas parecidas.',
  taught_partly: 'O bot aprendeu com parte das mensagens; as outras já eram exemplos de outra pergunta.',
  taught_nothing: 'Nada a ensinar: essas mensagens já eram exemplos de outra pergunta do FAQ.',
  out_of_scope: 'Marcado como fora do escopo: em perguntas parecidas o bot oferece uma pessoa.',
  written: 'Pergunta anotada para acrescentar ao FAQ.',
  dismissed: 'Mensagens descartadas.',
});

/** The row ids a form sends ("3,5,8"), at most 1000. */
function idsOf(req: Request): number[] | null {
  const raw = String(req.body.ids ?? '');
  if (!/^\d{1,9}(,\d{1,9}){0,999}$/.test(raw)) return null;
  return raw.split(',').map(Number);
}

export function learningRoutes(
  r: Router,
  ctx: PanelContext & { learning?: LearningService },
  page: { viewOf: (req: Request) => ViewContext; flashOf: (req: Request) => string | undefined; adminOnly: RequestHandler },
): void {
  const { viewOf, adminOnly } = page;
  const learning = ctx.learning;
  if (!learning) return;
  const labelOf = (label: string): string => {
    const entry = learning.kb.entries.get(label);
    if (entry) return entry.short;
    const request = requestOfLabel(label);
    if (request) return ctx.requests.has(request) ? `solicitação: ${ctx.requests.title(request)}` : label;
    if (label.startsWith(`${OUT_OF_SCOPE_LABEL}/`)) {
      const id = label.slice(OUT_OF_SCOPE_LABEL.length + 1);
      const title = learning.kb.outOfScope.find((t) => t.id === id)?.title ?? (id === MARKED_TOPIC ? MARKED_TOPIC_TITLE : id);
      return `fora do escopo: ${title}`;
    }
    if (label === OUT_OF_SCOPE_LABEL) return 'fora do escopo';
    if (label === 'atendente') return 'falar com uma pessoa';
    if (label === 'status-protocolo') return 'andamento de solicitação';
    return label;
  };
  const render = (req: Request, res: Response, status = 200, error?: string) =>
    res
      .status(status)
      .type('html')
      .send(learningPage(viewOf(req), { groups: learning.groups(), open: learning.openCount(), writtenDown: learning.writtenDown(), kb: learning.kb, labelOf }, page.flashOf(req) ?? LEARNING_FLASH[String(req.query.ok)], error));
  const act = (handler: (req: Request, ids: number[], by: number) => string): RequestHandler => (req, res) => {
    const ids = idsOf(req);
    if (!ids) return res.status(400).type('html').send(errorPage(viewOf(req), 400, 'Grupo inválido.'));
    try {
      const code = handler(req, ids, staffOf(req).user.id);
      ctx.logger.info({ userId: staffOf(req).user.id, action: req.path, messages: ids.length }, 'unanswered questions handled');
      res.redirect(303, `/perguntas?ok=${code}`);
    } catch (err) {
      render(req, res, 400, (err as Error).message);
    }
  };

  r.get('/perguntas', adminOnly, (req, res) => render(req, res));
  r.post(
    '/perguntas/ensinar',
    adminOnly,
    act((req, ids, by) => {
      const entry = String(req.body.entry ?? '');
      if (!learning.kb.entries.has(entry)) throw new Error('Escolha uma pergunta do FAQ.');
      const result = learning.assign(ids, entry, by);
      return result.learned === 0 ? 'taught_nothing' : result.skipped.length ? 'taught_partly' : 'taught';
    }),
  );
  r.post(
    '/perguntas/fora-do-escopo',
    adminOnly,
    act((req, ids, by) => {
      learning.markOutOfScope(ids, String(req.body.topic ?? '') || null, by);
      return 'out_of_scope';
    }),
  );
  r.post(
    '/perguntas/anotar',
    adminOnly,
    act((req, ids, by) => {
      learning.writeDown(ids, String(req.body.question ?? ''), by);
      return 'written';
    }),
  );
  r.post(
    '/perguntas/descartar',
    adminOnly,
    act((_req, ids, by) => {
      learning.dismiss(ids, by);
      return 'dismissed';
    }),
  );
}
