import type { Db } from '../db/database.js';

// Search terms of a ticket (table ticket_search): the queue finds a CPF/CNPJ, an e-mail or an
// order number through an index instead of reading the whole team. The same normalisation on
// both sides: e-mails lower case; documents and order numbers without punctuation or spaces,
// letters upper case (the alphanumeric CNPJ, e.g. 12ABC34501DE35).

export const MAX_TERM = 100;

/** A value as stored and searched; '' when nothing is left. */
export function searchTerm(value: string | null | undefined): string {
  const s = (value ?? '').trim();
  if (!s) return '';
  return (s.includes('@') ? s.toLowerCase() : s.replace(/[^0-9A-Za-z]/g, '').toUpperCase()).slice(0, MAX_TERM);
}

/** Distinct non-empty terms of these values. */
export function searchTerms(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.map(searchTerm).filter(Boolean))];
}

/** Indexes a ticket under these terms (inside the caller's transaction). */
export function indexTicket(db: Db, ticketId: number, terms: string[]): void {
  if (terms.length === 0) return;
  db.run(db.kysely.insertInto('ticket_search').values(terms.map((term) => ({ term, ticket_id: ticketId }))).onConflict((oc) => oc.doNothing()));
}
