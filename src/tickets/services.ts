import type { Db } from '../db/database.js';
import { conversationSince, findContact } from '../db/conversations.js';
import type { Order, Partner, Team, Ticket, TicketType } from '../db/schema.js';
import type { RequestRegistry } from '../requests.js';
import { recordRating } from './ratings.js';
import { addNote, createTicket, findOpenTicketForChat, findOpenTicketForOrder, listTicketsOfChat, setTicketStatus, ticketEvents, ticketOpenedText } from './tickets.js';

/** What the flows may read and do; injected, so flows never touch the database or a transport. */
export interface FlowServices {
  contact(chatId: string): { phone: string | null; name: string | null };
  order(number: string): Order | undefined;
  ordersOf(filter: { document?: string; email?: string }): Order[];
  partnerByPhone(phone: string | null): Partner | undefined;
  openTicketForOrder(type: TicketType, orderNumber: string): Ticket | undefined;
  openTicketForChat(type: TicketType, chatId: string): Ticket | undefined;
  openTicketForDocument(type: TicketType, document: string): Ticket | undefined;
  ticketsOfChat(chatId: string): Ticket[];
  /** When the chat's latest message arrived (epoch ms, the engine's clock), or null. */
  lastMessageAt(chatId: string): number | null;
  openTicket(t: {
    type: TicketType;
    /** Defaults to the request type's team. */
    team?: Team;
    chatId: string;
    orderNumber?: string | null;
    document?: string | null;
    email?: string | null;
    searchTerms?: string[];
    data: Record<string, unknown>;
    now: Date;
  }): Ticket;
  /** The reply for a new ticket: protocol, team, the type's expected time, and when the team picks it up. */
  ticketOpenedText(t: Ticket, now: Date): string;
  /** When the team will pick a ticket up, outside business hours ("na segunda-feira, às 8h"); null when open now. */
  pickup(team: Team, now: Date): string | null;
  /** Milliseconds of the team's business hours between two instants (a night or a weekend counts nothing). */
  workingMs(team: Team, fromMs: number, toMs: number): number;
  /**
   * The person left a hand-over for the menu: closed with the reason when nobody from the
   * team had answered or taken it, else kept open with a note. True when kept open.
   */
  leaveHandoff(protocol: string, at: Date): boolean;
  /** Stores the customer's satisfaction rating (1–5) and comment for a resolved ticket (the panel shows it). */
  recordRating?(r: { ticketId: number; rating: number; comment: string | null; at: Date }): void;
}

/** Longest excerpt kept with a ticket (a request is a few dozen messages; more is not one request). */
const EXCERPT_MAX = 120;

export function createFlowServices(
  db: Db,
  requests: RequestRegistry,
  opts: {
    pickup?: (team: Team, now: Date) => string | null;
    workingMs?: (team: Team, fromMs: number, toMs: number) => number;
    /** The bot's silence that starts a conversation afresh. */
    idleTimeoutMs?: number;
  } = {},
): FlowServices {
  const pickup = opts.pickup ?? (() => null);
  const workingMs = opts.workingMs ?? ((_team: Team, fromMs: number, toMs: number) => Math.max(0, toMs - fromMs));
  const idleMs = opts.idleTimeoutMs ?? 30 * 60_000;
  return {
    workingMs,
    contact: (chatId) => {
      const c = findContact(db, chatId);
      return { phone: c?.phone ?? null, name: c?.name ?? null };
    },
    order: (number) => db.first(db.kysely.selectFrom('orders').selectAll().where('number', '=', number)),
    ordersOf: ({ document, email }) => {
      let q = db.kysely.selectFrom('orders').selectAll();
      if (document) q = q.where('document', '=', document);
      if (email) q = q.where('email', '=', email.toLowerCase());
      return document || email ? db.all(q.orderBy('purchased_at', 'desc').limit(20)) : [];
    },
    partnerByPhone: (phone) => {
      if (!phone) return undefined;
      return db.first(
        db.kysely
          .selectFrom('partner_phones')
          .innerJoin('partners', 'partners.id', 'partner_phones.partner_id')
          .selectAll('partners')
          .where('partner_phones.phone', '=', phone.replace(/\D/g, '')),
      );
    },
    openTicketForOrder: (type, orderNumber) => findOpenTicketForOrder(db, type, orderNumber),
    openTicketForChat: (type, chatId) => findOpenTicketForChat(db, type, chatId),
    openTicketForDocument: (type, document) =>
      db.first(
        db.kysely
          .selectFrom('tickets')
          .selectAll()
          .where('type', '=', type)
          .where('document', '=', document)
          .where('status', 'in', ['open', 'in_progress'])
          .orderBy('id', 'desc'),
      ),
    ticketsOfChat: (chatId) => listTicketsOfChat(db, chatId),
    lastMessageAt: (chatId) => {
      const row = db.first(db.kysely.selectFrom('inbound_messages').select('received_at').where('chat_id', '=', chatId).orderBy('id', 'desc'));
      return row ? Date.parse(row.received_at) : null;
    },
    openTicket: (t) => {
      const contact = findContact(db, t.chatId);
      // The excerpt starts where this conversation did: after the last long silence or the chat's previous ticket.
      const previous = db.first(db.kysely.selectFrom('tickets').select('created_at').where('chat_id', '=', t.chatId).orderBy('created_at', 'desc').limit(1));
      return createTicket(db, {
        type: t.type,
        team: t.team ?? requests.team(t.type),
        searchTerms: t.searchTerms,
        chatId: t.chatId,
        phone: contact?.phone ?? null,
        contactName: contact?.name ?? null,
        orderNumber: t.orderNumber ?? null,
        document: t.document ?? null,
        email: t.email ?? null,
        data: t.data,
        excerpt: conversationSince(db, t.chatId, { idleMs, after: previous?.created_at, max: EXCERPT_MAX }),
        now: t.now.toISOString(),
      });
    },
    recordRating: (r) => recordRating(db, r),
    ticketOpenedText: (t, now) => ticketOpenedText(t, requests.get(t.type)?.expectedTime ?? 'assim que possível', pickup(t.team, now)),
    pickup,
    leaveHandoff: (protocol, at) => {
      const t = db.first(db.kysely.selectFrom('tickets').selectAll().where('protocol', '=', protocol));
      if (!t || (t.status !== 'open' && t.status !== 'in_progress')) return false;
      const staffAnswered = t.assignee_id !== null || t.status === 'in_progress' || ticketEvents(db, t.id).some((e) => e.actor.startsWith('staff:'));
      if (staffAnswered) {
        addNote(db, t.id, 'Cliente saiu do atendimento: voltou ao menu do bot. O ticket continua aberto.', 'bot', at.toISOString());
        return true;
      }
      setTicketStatus(db, t.id, 'rejected', 'bot', at.toISOString(), { reason: 'cliente saiu do atendimento antes de ser atendido' });
      return false;
    },
  };
}
