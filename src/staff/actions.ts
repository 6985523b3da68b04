import type { Engine } from '../conversation/engine.js';
import type { Db } from '../db/database.js';
import type { StaffUser, Ticket, TicketStatus } from '../db/schema.js';
import { addEvent, addNote, assignTicket, getTicketById, messageCustomer, OPEN_STATUSES, setTicketStatus } from '../tickets/tickets.js';
import { findUserById } from './users.js';

// What staff do to a ticket, shared by the panel pages and the JSON API. Each action is one
// SQLite transaction with its audit event; access (team) was checked by the caller.

export class ActionError extends Error {
  override name = 'ActionError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_MESSAGE = 4000;

/** Allowed status changes: open → in progress → resolved | rejected; reopen from a closed ticket. */
export const TRANSITIONS: Record<TicketStatus, TicketStatus[]> = {
  open: ['in_progress', 'resolved', 'rejected'],
  in_progress: ['open', 'resolved', 'rejected'],
  resolved: ['open'],
  rejected: ['open'],
};

export const actorOf = (user: Pick<StaffUser, 'id'>): string => `staff:${user.id}`;

function cleanText(text: unknown, what: string, required = true): string {
  const s = typeof text === 'string' ? text.replace(/\r\n/g, '\n').trim() : '';
  if (required && !s) throw new ActionError(400, `Escreva ${what}.`);
  if (s.length > MAX_MESSAGE) throw new ActionError(400, `Texto longo demais (máximo de ${MAX_MESSAGE} caracteres).`);
  return s;
}

export function assign(db: Db, ticket: Ticket, by: StaffUser, assignee: number | null, at: string): void {
  if (assignee !== null) {
    const u = findUserById(db, assignee);
    if (!u || !u.active || (u.role !== 'admin' && u.role !== ticket.team)) throw new ActionError(400, 'Responsável inválido para esta equipe.');
  }
  if (ticket.assignee_id === assignee) return;
  assignTicket(db, ticket.id, assignee, actorOf(by), at);
}

export function changeStatus(db: Db, ticket: Ticket, by: StaffUser, to: TicketStatus, at: string): void {
  if (!TRANSITIONS[ticket.status]?.includes(to)) throw new ActionError(409, `Não é possível mudar de "${ticket.status}" para "${to}".`);
  db.transaction(() => {
    setTicketStatus(db, ticket.id, to, actorOf(by), at);
    // Starting work on an unassigned ticket takes it.
    if (to === 'in_progress' && ticket.assignee_id === null) assignTicket(db, ticket.id, by.id, actorOf(by), at, { auto: true });
  });
}

export function note(db: Db, ticket: Ticket, by: StaffUser, text: unknown, at: string): void {
  addNote(db, ticket.id, cleanText(text, 'a nota'), actorOf(by), at);
}

/** Resolves or rejects, sending the (optional) message to the customer in the same transaction. */
export function close(db: Db, ticket: Ticket, by: StaffUser, outcome: 'resolved' | 'rejected', message: unknown, at: string): { outboundId: number | null } {
  if (!TRANSITIONS[ticket.status].includes(outcome)) throw new ActionError(409, 'Este ticket já está encerrado.');
  const text = cleanText(message, 'a mensagem', false);
  return db.transaction(() => {
    const outboundId = text ? messageCustomer(db, { ticketId: ticket.id, text, actor: actorOf(by), at, detail: { outcome } }) : null;
    setTicketStatus(db, ticket.id, outcome, actorOf(by), at);
    if (ticket.assignee_id === null) assignTicket(db, ticket.id, by.id, actorOf(by), at, { auto: true });
    return { outboundId };
  });
}

/** A message to the customer while the ticket stays open (hand-over replies). */
export function reply(db: Db, ticket: Ticket, by: StaffUser, text: unknown, at: string): number {
  if (!OPEN_STATUSES.includes(ticket.status)) throw new ActionError(409, 'Reabra o ticket para escrever ao cliente.');
  const body = cleanText(text, 'a mensagem');
  return db.transaction(() => {
    const id = messageCustomer(db, { ticketId: ticket.id, text: body, actor: actorOf(by), at });
    if (ticket.status === 'open') changeStatus(db, ticket, by, 'in_progress', at);
    return id;
  });
}

/**
 * Ends a hand-over: the ticket is resolved and the chat goes back to the bot (engine.notify
 * queues the bot's own closing message). An optional staff message is sent before it.
 */
export function closeHandover(db: Db, engine: Engine, ticket: Ticket, by: StaffUser, message: unknown, at: string): { outboundId: number | null; botReplies: number } {
  if (ticket.type !== 'human_handoff') throw new ActionError(400, 'Este ticket não é um atendimento humano.');
  return db.transaction(() => {
    let outboundId: number | null = null;
    if (OPEN_STATUSES.includes(ticket.status)) outboundId = close(db, ticket, by, 'resolved', message, at).outboundId;
    const replies = engine.notify(ticket.chat_id, { type: 'handoff.closed' });
    addEvent(db, { ticketId: ticket.id, actor: actorOf(by), kind: 'handoff_closed', detail: { botReplies: replies.length }, at });
    return { outboundId, botReplies: replies.length };
  });
}

export function reload(db: Db, ticket: Ticket): Ticket {
  return getTicketById(db, ticket.id)!;
}
