import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, Team, Ticket, TicketEvent, TicketStatus, TicketType } from '../db/schema.js';
import { insertOutbound, lastInboundChannel } from '../db/conversations.js';
import { indexTicket, searchTerms } from './search.js';
import { metrics } from '../metrics.js';
import { ticketChanges } from './changes.js';

const PREFIX: Record<Team, string> = { finance: 'FIN', support: 'SUP' };
export const OPEN_STATUSES: TicketStatus[] = ['open', 'in_progress'];

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'aberto, aguardando a equipe',
  in_progress: 'em andamento',
  resolved: 'resolvido',
  rejected: 'encerrado sem atendimento',
};
export const TEAM_LABEL: Record<Team, string> = { finance: 'setor financeiro', support: 'setor de suporte' };
export interface NewTicket {
  type: TicketType;
  /** The request type's team (a hand-over from a finance request goes to finance). */
  team: Team;
  chatId: string;
  phone: string | null;
  contactName: string | null;
  orderNumber?: string | null;
  document?: string | null;
  email?: string | null;
  data: Record<string, unknown>;
  excerpt: Array<{ from: string; text: string; at: string }>;
  /** Extra values the staff search finds the ticket by (declared by the request type). */
  searchTerms?: string[];
  now: string;
}

/** Next protocol of a team, e.g. FIN-000124; call inside the transaction that inserts the ticket. */
function nextProtocol(db: Db, team: Team): string {
  const prefix = PREFIX[team];
  db.run(
    db.kysely
      .insertInto('protocol_counters')
      .values({ prefix, value: 1 })
      .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ value: eb('protocol_counters.value', '+', 1) }))),
  );
  const row = db.first(db.kysely.selectFrom('protocol_counters').select('value').where('prefix', '=', prefix))!;
  return `${prefix}-${String(row.value).padStart(6, '0')}`;
}

export function createTicket(db: Db, t: NewTicket): Ticket {
  return db.transaction(() => {
    const team = t.team;
    const protocol = nextProtocol(db, team);
    const { lastInsertRowid } = db.run(
      db.kysely.insertInto('tickets').values({
        protocol,
        type: t.type,
        team,
        status: 'open',
        chat_id: t.chatId,
        phone: t.phone,
        contact_name: t.contactName,
        order_number: t.orderNumber ?? null,
        document: t.document ?? null,
        email: t.email ?? null,
        data: JSON.stringify(t.data),
        excerpt: JSON.stringify(t.excerpt),
        assignee_id: null,
        created_at: t.now,
        updated_at: t.now,
        closed_at: null,
      }),
    );
    indexTicket(db, lastInsertRowid, searchTerms([t.document, t.email, t.orderNumber, ...(t.searchTerms ?? [])]));
    addEvent(db, { ticketId: lastInsertRowid, actor: 'bot', kind: 'created', detail: { protocol, team, type: t.type }, at: t.now });
    metrics.ticketsOpened.inc({ type: t.type });
    return getTicketById(db, lastInsertRowid)!;
  });
}

export function addEvent(
  db: Db,
  e: { ticketId: number; actor: string; kind: string; detail: Record<string, unknown>; at: string; outboundMessageId?: number | null },
): void {
  db.run(
    db.kysely.insertInto('ticket_events').values({
      ticket_id: e.ticketId,
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      detail: JSON.stringify(e.detail),
      outbound_message_id: e.outboundMessageId ?? null,
    }),
  );
  ticketChanges(db).touch(e.ticketId, e.kind);
}

export function getTicketById(db: Db, id: number): Ticket | undefined {
  return db.first(db.kysely.selectFrom('tickets').selectAll().where('id', '=', id));
}

export function getTicketByProtocol(db: Db, protocol: string): Ticket | undefined {
  return db.first(db.kysely.selectFrom('tickets').selectAll().where('protocol', '=', protocol.toUpperCase()));
}

// Read by the conversation side while it answers (prepared once, see Db.prepared).
type OpenForOrder = { type: TicketType; orderNumber: string };
const qOpenForOrder = (k: Kysely<Database>, p: OpenForOrder) =>
  k.selectFrom('tickets').selectAll().where('type', '=', p.type).where('order_number', '=', p.orderNumber).where('status', 'in', OPEN_STATUSES).orderBy('id', 'desc');

/** An open ticket of this type for this order (idempotency of the flows). */
export function findOpenTicketForOrder(db: Db, type: TicketType, orderNumber: string): Ticket | undefined {
  return db.prepared(qOpenForOrder).first({ type, orderNumber });
}

type OpenForChat = { type: TicketType; chatId: string };
const qOpenForChat = (k: Kysely<Database>, p: OpenForChat) =>
  k.selectFrom('tickets').selectAll().where('type', '=', p.type).where('chat_id', '=', p.chatId).where('status', 'in', OPEN_STATUSES).orderBy('id', 'desc');

/** An open ticket of this type from this chat (for requests without an order number). */
export function findOpenTicketForChat(db: Db, type: TicketType, chatId: string): Ticket | undefined {
  return db.prepared(qOpenForChat).first({ type, chatId });
}

type OfChat = { chatId: string; limit: number };
const qOfChat = (k: Kysely<Database>, p: OfChat) => k.selectFrom('tickets').selectAll().where('chat_id', '=', p.chatId).orderBy('id', 'desc').limit(p.limit);

/** The requester's own tickets, newest first. */
export function listTicketsOfChat(db: Db, chatId: string, limit = 10): Ticket[] {
  return db.prepared(qOfChat).all({ chatId, limit });
}

export interface TicketFilter {
  team?: Team;
  status?: TicketStatus[];
  type?: TicketType;
  limit?: number;
}

export function listTickets(db: Db, f: TicketFilter = {}): Ticket[] {
  let q = db.kysely.selectFrom('tickets').selectAll();
  if (f.team) q = q.where('team', '=', f.team);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.type) q = q.where('type', '=', f.type);
  return db.all(q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(f.limit ?? 1000));
}

export function ticketEvents(db: Db, ticketId: number): TicketEvent[] {
  return db.all(db.kysely.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id', 'asc'));
}

export function setTicketStatus(db: Db, ticketId: number, status: TicketStatus, actor: string, at: string, detail: Record<string, unknown> = {}): void {
  db.transaction(() => {
    const before = getTicketById(db, ticketId);
    if (!before) throw new Error(`ticket ${ticketId} not found`);
    db.run(
      db.kysely
        .updateTable('tickets')
        .set({ status, updated_at: at, closed_at: OPEN_STATUSES.includes(status) ? null : at })
        .where('id', '=', ticketId),
    );
    addEvent(db, { ticketId, actor, kind: 'status', detail: { from: before.status, to: status, ...detail }, at });
    if ((status === 'resolved' || status === 'rejected') && OPEN_STATUSES.includes(before.status)) metrics.ticketsClosed.inc({ type: before.type, outcome: status });
  });
}

/** A ticket as the CLI and API show it (personal data included: callers decide who sees it). */
export function ticketView(t: Ticket) {
  return {
    protocol: t.protocol,
    type: t.type,
    team: t.team,
    status: t.status,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    contact: { chatId: t.chat_id, phone: t.phone, name: t.contact_name },
    orderNumber: t.order_number,
    data: JSON.parse(t.data) as Record<string, unknown>,
    excerpt: JSON.parse(t.excerpt) as Array<{ from: string; text: string; at: string }>,
  };
}

/** The reply that tells the person their protocol, who handles it, when, and where the answer comes. */
export function ticketOpenedText(t: Ticket, expectedTime: string, pickup: string | null): string {
  const when = pickup ? `Nosso horário de atendimento já encerrou: a equipe começa a tratar ${pickup}, com prazo de ${expectedTime}.` : `Prazo de resposta: *${expectedTime}*.`;
  return [
    `✅ Solicitação registrada! Protocolo *${t.protocol}*.`,
    `Quem vai cuidar: nosso *${TEAM_LABEL[t.team]}*. ${when}`,
    'A resposta chega aqui mesmo, neste WhatsApp. Para acompanhar, é só perguntar pelo *status do protocolo*.',
  ].join('\n');
}

/** An open ticket found again: its protocol and status instead of a duplicate. */
export function ticketAlreadyOpenText(t: Ticket): string {
  return `Já existe uma solicitação aberta para isso: protocolo *${t.protocol}*, status *${STATUS_LABEL[t.status]}*. Não precisa abrir outra: a resposta chega aqui mesmo, neste WhatsApp.`;
}

/** A person's own tickets, for "qual o status do meu protocolo" / "meus chamados"; `title` names a ticket type. */
export function ticketsStatusText(tickets: Ticket[], title: (type: string) => string, protocol?: string): string {
  const when = (t: Ticket) => new Date(t.created_at).toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' });
  if (protocol) {
    const t = tickets.find((x) => x.protocol === protocol);
    if (!t) return `Não encontrei o protocolo *${protocol}* entre as solicitações deste WhatsApp. Confira o número; se foi aberto por outro telefone, pergunte por lá.`;
    return `Protocolo *${t.protocol}* (${title(t.type)}): *${STATUS_LABEL[t.status]}*. Aberto em ${when(t)}.`;
  }
  if (tickets.length === 0) return 'Você não tem solicitações abertas por este WhatsApp. Para abrir uma, digite *menu* e escolha *Solicitações*.';
  const lines = tickets.slice(0, 5).map((t) => `• *${t.protocol}* — ${title(t.type)}: ${STATUS_LABEL[t.status]} (aberto em ${when(t)})`);
  return `Suas solicitações:\n${lines.join('\n')}`;
}

/**
 * Sends a staff message to the customer: an outbox row (on the channel the person last wrote
 * from) and a 'message' event linked to it, in one transaction. Returns the outbox row id, whose
 * status (queued, sent, failed) is the message's delivery status.
 */
export function messageCustomer(
  db: Db,
  m: { ticketId: number; text: string; actor: string; at: string; detail?: Record<string, unknown> },
): number {
  return db.transaction(() => {
    const ticket = getTicketById(db, m.ticketId);
    if (!ticket) throw new Error(`ticket ${m.ticketId} not found`);
    const channel = lastInboundChannel(db, ticket.chat_id) ?? 'whatsapp';
    const outboundId = insertOutbound(db, { channel, chatId: ticket.chat_id, text: m.text, inReplyTo: null, now: m.at });
    addEvent(db, { ticketId: m.ticketId, actor: m.actor, kind: 'message', detail: { text: m.text, channel, ...m.detail }, at: m.at, outboundMessageId: outboundId });
    db.run(db.kysely.updateTable('tickets').set({ updated_at: m.at }).where('id', '=', m.ticketId));
    return outboundId;
  });
}

/** Assigns a ticket (null: unassigns), with its audit event. */
export function assignTicket(db: Db, ticketId: number, assigneeId: number | null, actor: string, at: string, detail: Record<string, unknown> = {}): void {
  db.transaction(() => {
    const before = getTicketById(db, ticketId);
    if (!before) throw new Error(`ticket ${ticketId} not found`);
    db.run(db.kysely.updateTable('tickets').set({ assignee_id: assigneeId, updated_at: at }).where('id', '=', ticketId));
    addEvent(db, { ticketId, actor, kind: 'assigned', detail: { from: before.assignee_id, to: assigneeId, ...detail }, at });
  });
}

/** An internal note (never sent to the customer). */
export function addNote(db: Db, ticketId: number, text: string, actor: string, at: string): void {
  db.transaction(() => {
    addEvent(db, { ticketId, actor, kind: 'note', detail: { text }, at });
    db.run(db.kysely.updateTable('tickets').set({ updated_at: at }).where('id', '=', ticketId));
  });
}

export interface TicketAttachment {
  id: number;
  kind: string;
  mimetype: string | null;
  fileName: string | null;
  size: number;
  createdAt: string;
}

/** Ids the flow collected into `data.attachments`. */
function attachmentIds(t: Ticket): number[] {
  const ids = (JSON.parse(t.data) as { attachments?: unknown }).attachments;
  return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x)) : [];
}

/** The files sent with a ticket (only those of the ticket's own chat). */
export function ticketAttachments(db: Db, t: Ticket): TicketAttachment[] {
  const ids = attachmentIds(t);
  if (!ids.length) return [];
  return db
    .all(
      db.kysely
        .selectFrom('attachments')
        .select(['id', 'kind', 'mimetype', 'file_name', 'size', 'created_at'])
        .where('id', 'in', ids)
        .where('chat_id', '=', t.chat_id)
        .orderBy('id'),
    )
    .map((a) => ({ id: a.id, kind: a.kind, mimetype: a.mimetype, fileName: a.file_name, size: a.size, createdAt: a.created_at }));
}

/**
 * One file of a ticket, with its bytes; undefined when it is not part of that ticket. A
 * hand-over also covers what the customer sent in its chat since it opened (the live chat).
 */
export function ticketAttachmentFile(db: Db, t: Ticket, id: number): (TicketAttachment & { data: Buffer }) | undefined {
  const a = db.first(db.kysely.selectFrom('attachments').selectAll().where('id', '=', id).where('chat_id', '=', t.chat_id));
  if (!a) return undefined;
  const duringHandover = t.type === 'human_handoff' && Date.parse(a.created_at) >= Date.parse(t.created_at) - 10 * 60_000;
  if (!attachmentIds(t).includes(id) && !duringHandover) return undefined;
  return a && { id: a.id, kind: a.kind, mimetype: a.mimetype, fileName: a.file_name, size: a.size, createdAt: a.created_at, data: a.data };
}
