import type { Engine } from '../conversation/engine.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { markSurveyAsked, startSurvey } from '../tickets/ratings.js';
import { getTicketById } from '../tickets/tickets.js';

// After staff resolve a ticket (page or API), the customer is asked once on WhatsApp how it went.
// The conversation side (src/conversation/router.ts, 'survey.start') asks only when the person is
// not in the middle of something, reads the rating and calls FlowServices.recordRating.

export interface SurveyDeps {
  db: Db;
  engine: Engine;
  logger: Logger;
  survey: { enabled: boolean; text: string };
  clock: () => number;
}

/** Call after the resolve transaction committed. Never throws: the ticket is resolved either way. */
export function askSurvey(d: SurveyDeps, ticketId: number): void {
  if (!d.survey.enabled) return;
  try {
    const t = getTicketById(d.db, ticketId);
    if (!t || t.status !== 'resolved') return;
    const at = new Date(d.clock()).toISOString();
    if (!startSurvey(d.db, t.id, at)) return; // reopened and resolved again: asked once only
    const replies = d.engine.notify(t.chat_id, { type: 'survey.start', protocol: t.protocol, ticketId: t.id, question: d.survey.text.replace(/\{protocolo\}/g, t.protocol) });
    if (replies.length) markSurveyAsked(d.db, t.id, at);
  } catch (err) {
    d.logger.warn({ err, ticketId }, 'survey: could not ask');
  }
}
