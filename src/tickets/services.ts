import type { Db } from '../db/database.js';
import { findContact, recentMessages } from '../db/conversations.js';
import type { Order, Partner, Team, Ticket, TicketType } from '../db/schema.js';
import { createTicket, findOpenTicketForChat, findOpenTicketForOrder, listTicketsOfChat } from './tickets.js';

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
    team?: Team;
    chatId: string;
    orderNumber?: string | null;
    document?: string | null;
    email?: string | null;
    data: Record<string, unknown>;
    now: Date;
  }): Ticket;
  /** When the team will pick a ticket up, outside business hours ("na segunda-feira, às 8h"); null when open now. */
  pickup(team: Team, now: Date): string | null;
}

const EXCERPT_MESSAGES = 20;

export function createFlowServices(db: Db, opts: { pickup?: (team: Team, now: Date) => string | null } = {}): FlowServices {
  return {
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
      return createTicket(db, {
        type: t.type,
        team: t.team,
        chatId: t.chatId,
        phone: contact?.phone ?? null,
        contactName: contact?.name ?? null,
        orderNumber: t.orderNumber ?? null,
        document: t.document ?? null,
        email: t.email ?? null,
        data: t.data,
        excerpt: recentMessages(db, t.chatId, EXCERPT_MESSAGES),
        now: t.now.toISOString(),
      });
    },
    pickup: opts.pickup ?? (() => null),
  };
}
