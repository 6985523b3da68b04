import type { Db } from '../db/database.js';
import type { SavedReply, Team, Ticket } from '../db/schema.js';
import { ActionError } from './actions.js';

// Saved replies per team: admins keep them, staff insert them into a message with a picker.
// {nome} becomes the customer's first name (or nothing), {protocolo} the ticket's protocol.

export const MAX_TITLE = 80;
export const MAX_TEXT = 4000;

export function listReplies(db: Db, teams: Team[]): SavedReply[] {
  if (!teams.length) return [];
  return db.all(db.kysely.selectFrom('saved_replies').selectAll().where('team', 'in', teams).orderBy('team').orderBy('title'));
}

function clean(input: { team: unknown; title: unknown; text: unknown }): { team: Team; title: string; text: string } {
  const team = input.team === 'finance' || input.team === 'support' ? input.team : null;
  const title = typeof input.title === 'string' ? input.title.replace(/\s+/g, ' ').trim() : '';
  const text = typeof input.text === 'string' ? input.text.replace(/\r\n/g, '\n').trim() : '';
  if (!team) throw new ActionError(400, 'Escolha a equipe.');
  if (!title || title.length > MAX_TITLE) throw new ActionError(400, `Dê um título de até ${MAX_TITLE} caracteres.`);
  if (!text || text.length > MAX_TEXT) throw new ActionError(400, `Escreva o texto (até ${MAX_TEXT} caracteres).`);
  return { team, title, text };
}

export function saveReply(db: Db, input: { id?: number; team: unknown; title: unknown; text: unknown; by: number; at: string }): void {
  const v = clean(input);
  if (input.id === undefined) {
    db.run(db.kysely.insertInto('saved_replies').values({ ...v, created_by: input.by, created_at: input.at, updated_at: input.at }));
    return;
  }
  const r = db.run(db.kysely.updateTable('saved_replies').set({ ...v, updated_at: input.at }).where('id', '=', input.id));
  if (!r.changes) throw new ActionError(404, 'Resposta não encontrada.');
}

export function deleteReply(db: Db, id: number): void {
  const r = db.run(db.kysely.deleteFrom('saved_replies').where('id', '=', id));
  if (!r.changes) throw new ActionError(404, 'Resposta não encontrada.');
}

/** The reply's text for this ticket: {nome} and {protocolo} filled in. */
export function fillReply(text: string, t: Pick<Ticket, 'contact_name' | 'protocol'>): string {
  const first = (t.contact_name ?? '').trim().split(/\s+/)[0] ?? '';
  const withProtocol = text.replace(/\{protocolo\}/g, t.protocol);
  return first ? withProtocol.replace(/\{nome\}/g, first) : withProtocol.replace(/,?[ \t]*\{nome\}/g, '');
}
