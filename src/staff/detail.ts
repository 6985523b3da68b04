import type { Db } from '../db/database.js';
import type { Ticket } from '../db/schema.js';

// What the ticket page shows besides the ticket row: its audit history (with the delivery status
// of each message to the customer) and, for hand-overs, the live conversation.

export type Delivery = 'queued' | 'sent' | 'failed';
export const DELIVERY_LABEL: Record<Delivery, string> = { queued: 'na fila de envio', sent: 'enviada', failed: 'falhou' };

export interface HistoryItem {
  id: number;
  at: string;
  actor: string;
  actorName: string;
  kind: string;
  detail: Record<string, unknown>;
  delivery: Delivery | null;
  deliveryError: string | null;
  sentAt: string | null;
}

export function ticketHistory(db: Db, ticketId: number, names: Map<number, string>): HistoryItem[] {
  const rows = db.all(
    db.kysely
      .selectFrom('ticket_events')
      .leftJoin('outbound_messages', 'outbound_messages.id', 'ticket_events.outbound_message_id')
      .select([
        'ticket_events.id', 'ticket_events.at', 'ticket_events.actor', 'ticket_events.kind', 'ticket_events.detail',
        'outbound_messages.status as delivery', 'outbound_messages.error as delivery_error', 'outbound_messages.sent_at',
      ])
      .where('ticket_events.ticket_id', '=', ticketId)
      .orderBy('ticket_events.id', 'asc'),
  );
  return rows.map((r) => {
    let detail: Record<string, unknown> = {};
    try {
      detail = JSON.parse(r.detail) as Record<string, unknown>;
    } catch {
      detail = { raw: r.detail };
    }
    return {
      id: r.id,
      at: r.at,
      actor: r.actor,
      actorName: actorName(r.actor, names),
      kind: r.kind,
      detail,
      delivery: (r.delivery as Delivery | null) ?? null,
      deliveryError: r.delivery_error ?? null,
      sentAt: r.sent_at ?? null,
    };
  });
}

export function actorName(actor: string, names: Map<number, string>): string {
  if (actor === 'bot') return 'Bot';
  if (actor === 'customer') return 'Cliente';
  const m = /^staff:(\d+)$/.exec(actor);
  if (m) return names.get(Number(m[1])) ?? `Usuário ${m[1]}`;
  return actor;
}

export interface ChatLine {
  from: 'customer' | 'bot';
  text: string;
  at: string;
  delivery?: Delivery;
  /** A photo or PDF the customer sent (downloadable from the ticket). */
  attachmentId?: number;
}

/** The chat since shortly before the ticket opened, both directions, oldest first. */
export function liveConversation(db: Db, t: Ticket, limit = 200): ChatLine[] {
  const since = new Date(Date.parse(t.created_at) - 10 * 60_000).toISOString();
  const inbound = db.all(
    db.kysely
      .selectFrom('inbound_messages')
      .leftJoin('attachments', (j) => j.onRef('attachments.chat_id', '=', 'inbound_messages.chat_id').onRef('attachments.message_id', '=', 'inbound_messages.message_id'))
      .select(['inbound_messages.id as id', 'inbound_messages.text as text', 'inbound_messages.received_at as at', 'attachments.id as attachmentId'])
      .where('inbound_messages.chat_id', '=', t.chat_id)
      .where('inbound_messages.received_at', '>=', since)
      .orderBy('inbound_messages.id', 'desc')
      .limit(limit),
  );
  const outbound = db.all(
    db.kysely.selectFrom('outbound_messages').select(['id', 'text', 'created_at as at', 'status']).where('chat_id', '=', t.chat_id).where('created_at', '>=', since).orderBy('id', 'desc').limit(limit),
  );
  return [
    ...inbound
      .filter((m) => m.text !== '')
      .map((m) => ({ from: 'customer' as const, text: m.text, at: m.at, k: m.id * 2, ...(m.attachmentId ? { attachmentId: m.attachmentId } : {}) })),
    ...outbound.map((m) => ({ from: 'bot' as const, text: m.text, at: m.at, delivery: m.status as Delivery, k: m.id * 2 + 1 })),
  ]
    .sort((a, b) => (a.at === b.at ? a.k - b.k : a.at < b.at ? -1 : 1))
    .slice(-limit)
    .map(({ k: _k, ...line }) => line);
}
