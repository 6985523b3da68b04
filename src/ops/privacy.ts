import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { maskPii } from '../pii.js';
import { maskPhone } from '../staff/format.js';
import type { Task } from './maintenance.js';
import { audit } from './audit.js';

// LGPD: retention of personal data (a daily purge) and a person's rights over theirs: a copy of
// everything stored about them (contact export) and its erasure (contact erase), which keeps the
// tickets' statistics (type, team, status, dates) without anything that identifies the person.

const DAY = 86_400_000;
const BATCH = 1000;

export interface RetentionPolicy {
  messagesDays: number;
  closedTicketsDays: number;
  attachmentsDays: number;
}

export interface PurgeReport {
  inbound: number;
  outbound: number;
  conversations: number;
  attachments: number;
  tickets: number;
}

/** Deletes in batches of ids (each its own short write transaction: the bot keeps answering). */
function inBatches(db: Db, pick: () => number[], remove: (ids: number[]) => void): number {
  let total = 0;
  for (;;) {
    const n = db.transaction(() => {
      const ids = pick();
      if (ids.length) remove(ids);
      return ids.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * The retention purge: message texts (journal, outbox, conversation state) after
 * `messagesDays`, customer files after `attachmentsDays`, closed tickets with their history after
 * `closedTicketsDays`. Queued messages and open tickets are never purged.
 */
export function purgeExpired(db: Db, policy: RetentionPolicy, now = Date.now()): PurgeReport {
  const before = (days: number) => new Date(now - days * DAY).toISOString();
  const messages = before(policy.messagesDays);
  const k = db.kysely;
  // Oldest rows first by id: the scan stops at the first batch of recent ones.
  const inbound = inBatches(
    db,
    () => db.all(k.selectFrom('inbound_messages').select('id').where('received_at', '<', messages).orderBy('id').limit(BATCH)).map((r) => r.id),
    (ids) => void db.run(k.deleteFrom('inbound_messages').where('id', 'in', ids)),
  );
  const outbound = inBatches(
    db,
    () => db.all(k.selectFrom('outbound_messages').select('id').where('created_at', '<', messages).where('status', '!=', 'queued').orderBy('id').limit(BATCH)).map((r) => r.id),
    (ids) => {
      db.run(k.deleteFrom('whatsapp_sends').where('outbound_id', 'in', ids));
      db.run(k.deleteFrom('outbound_messages').where('id', 'in', ids));
    },
  );
  const conversations = db.transaction(() => db.run(k.deleteFrom('conversations').where('updated_at', '<', messages)).changes);
  const attachments = inBatches(
    db,
    () => db.all(k.selectFrom('attachments').select('id').where('created_at', '<', before(policy.attachmentsDays)).orderBy('id').limit(BATCH)).map((r) => r.id),
    (ids) => void db.run(k.deleteFrom('attachments').where('id', 'in', ids)),
  );
  const tickets = inBatches(
    db,
    () =>
      db
        .all(k.selectFrom('tickets').select('id').where('status', 'in', ['resolved', 'rejected']).where('closed_at', '<', before(policy.closedTicketsDays)).orderBy('id').limit(BATCH))
        .map((r) => r.id),
    (ids) => {
      db.run(k.deleteFrom('ticket_events').where('ticket_id', 'in', ids));
      db.run(k.deleteFrom('ticket_search').where('ticket_id', 'in', ids));
      db.run(k.deleteFrom('tickets').where('id', 'in', ids));
    },
  );
  return { inbound, outbound, conversations, attachments, tickets };
}

/** The daily purge (first run a few minutes after start). */
export function retentionTask(db: Db, logger: Logger, policy: RetentionPolicy, clock: () => number = Date.now): Task {
  return {
    name: 'retention',
    everyMs: DAY,
    firstInMs: 5 * 60_000,
    run() {
      const report = purgeExpired(db, policy, clock());
      const total = Object.values(report).reduce((a, b) => a + b, 0);
      if (total > 0) audit(db, { actor: 'system', action: 'retention.purge', subject: 'retention', detail: { ...report, policy } });
      logger.info({ ...report }, 'retention purge done');
    },
  };
}

// ---- a person's data ------------------------------------------------------------------------

/** Phone digits as stored (55 + area code + number); a number without country code gets 55. */
export function normalizePhone(input: string): string {
  const d = input.replace(/\D/g, '');
  return d.length === 10 || d.length === 11 ? `55${d}` : d;
}

/** A phone as the audit log and the CLI show it: enough to recognise, not to dial. */
export function maskedSubject(phone: string): string {
  return maskPhone(phone) || '****';
}

/** Every conversation key of a phone: its digits, and the LID chats tied to it. */
export function chatsOf(db: Db, phone: string): string[] {
  const k = db.kysely;
  const ids = new Set<string>();
  for (const r of db.all(k.selectFrom('contacts').select('chat_id').where((eb) => eb.or([eb('chat_id', '=', phone), eb('phone', '=', phone)])))) ids.add(r.chat_id);
  for (const r of db.all(k.selectFrom('whatsapp_chats').select('chat_id').where((eb) => eb.or([eb('chat_id', '=', phone), eb('phone', '=', phone)])))) ids.add(r.chat_id);
  for (const r of db.all(k.selectFrom('tickets').select('chat_id').where((eb) => eb.or([eb('chat_id', '=', phone), eb('phone', '=', phone)])).groupBy('chat_id'))) ids.add(r.chat_id);
  return [...ids];
}

export interface ContactExport {
  phone: string;
  exportedAt: string;
  contacts: unknown[];
  whatsappChats: unknown[];
  conversations: unknown[];
  messagesReceived: unknown[];
  messagesSent: unknown[];
  tickets: unknown[];
  attachments: unknown[];
  orders: unknown[];
}

/**
 * Everything stored about a phone, as JSON: contact rows, conversation state, both directions of
 * the chat, tickets with their history (staff's internal notes left out), files (base64), and the
 * orders with the documents given in those tickets.
 */
export function exportContact(db: Db, phone: string, now = Date.now()): ContactExport {
  const k = db.kysely;
  const chats = chatsOf(db, phone);
  const none = chats.length === 0;
  const inChats = <T>(q: () => T[]): T[] => (none ? [] : q());
  const tickets = inChats(() => db.all(k.selectFrom('tickets').selectAll().where('chat_id', 'in', chats).orderBy('id')));
  const documents = [...new Set(tickets.map((t) => t.document).filter((d): d is string => !!d))];
  return {
    phone,
    exportedAt: new Date(now).toISOString(),
    contacts: inChats(() => db.all(k.selectFrom('contacts').selectAll().where('chat_id', 'in', chats))),
    whatsappChats: inChats(() => db.all(k.selectFrom('whatsapp_chats').selectAll().where('chat_id', 'in', chats))),
    conversations: inChats(() => db.all(k.selectFrom('conversations').selectAll().where('chat_id', 'in', chats))).map((c) => ({ ...c, snapshot: safeJson(c.snapshot) })),
    messagesReceived: inChats(() => db.all(k.selectFrom('inbound_messages').select(['channel', 'chat_id', 'message_id', 'text', 'received_at']).where('chat_id', 'in', chats).orderBy('id'))),
    messagesSent: inChats(() => db.all(k.selectFrom('outbound_messages').select(['channel', 'chat_id', 'text', 'status', 'created_at', 'sent_at']).where('chat_id', 'in', chats).orderBy('id'))),
    tickets: tickets.map((t) => ({
      ...t,
      data: safeJson(t.data),
      excerpt: safeJson(t.excerpt),
      history: db
        .all(k.selectFrom('ticket_events').select(['at', 'kind', 'detail']).where('ticket_id', '=', t.id).where('kind', '!=', 'note').orderBy('id'))
        .map((e) => ({ at: e.at, kind: e.kind, detail: safeJson(e.detail) })),
    })),
    attachments: inChats(() => db.all(k.selectFrom('attachments').selectAll().where('chat_id', 'in', chats).orderBy('id'))).map((a) => ({ ...a, data: a.data.toString('base64') })),
    orders: documents.length ? db.all(k.selectFrom('orders').selectAll().where('document', 'in', documents)) : [],
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const NAME_KEYS = new Set(['name', 'contact_name', 'customerName']);

/** The export as the CLI prints it without --reveal: documents, e-mails, phones and names masked. */
export function maskExport(e: ContactExport): unknown {
  const hideNames = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(hideNames);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, NAME_KEYS.has(key) && typeof x === 'string' && x ? `${x[0]}***` : key === 'data' && typeof x === 'string' && x.length > 64 ? `[${x.length} caracteres base64]` : hideNames(x)]));
    }
    return v;
  };
  const mask = (v: unknown): unknown =>
    typeof v === 'string' ? maskPii(v) : Array.isArray(v) ? v.map(mask) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([key, x]) => [key, mask(x)])) : v;
  return mask(hideNames(e));
}

export interface EraseReport {
  chats: number;
  messages: number;
  attachments: number;
  tickets: number;
  closedOnErase: number;
}

/**
 * Erases a person: messages, files, conversation state, contact and chat rows are deleted;
 * tickets stay for the statistics (type, team, status, dates, who handled them) with every
 * personal field emptied, their messages and notes blanked, and no search term left. Open tickets
 * are closed as rejected (nothing left to work on). One transaction: all or nothing.
 */
export function eraseContact(db: Db, phone: string, now = Date.now()): EraseReport {
  const k = db.kysely;
  const at = new Date(now).toISOString();
  return db.transaction(() => {
    const chats = chatsOf(db, phone);
    if (chats.length === 0) return { chats: 0, messages: 0, attachments: 0, tickets: 0, closedOnErase: 0 };
    const tickets = db.all(k.selectFrom('tickets').select(['id', 'status']).where('chat_id', 'in', chats));
    const ids = tickets.map((t) => t.id);
    let closedOnErase = 0;
    if (ids.length) {
      for (const t of tickets.filter((x) => x.status === 'open' || x.status === 'in_progress')) {
        db.run(k.insertInto('ticket_events').values({ ticket_id: t.id, at, actor: 'system', kind: 'status', detail: JSON.stringify({ from: t.status, to: 'rejected', reason: 'dados apagados a pedido do titular (LGPD)' }), outbound_message_id: null }));
        db.run(k.updateTable('tickets').set({ status: 'rejected', closed_at: at }).where('id', '=', t.id));
        closedOnErase++;
      }
      db.run(k.updateTable('ticket_events').set({ detail: JSON.stringify({ erased: true }) }).where('ticket_id', 'in', ids).where('kind', 'in', ['note', 'message']));
      db.run(k.deleteFrom('ticket_search').where('ticket_id', 'in', ids));
      // A random key: the tickets stay apart per person for counting, but lead to nobody.
      const anon = `apagado-${randomUUID()}`;
      db.run(
        k.updateTable('tickets').set({ chat_id: anon, phone: null, contact_name: null, order_number: null, document: null, email: null, data: '{}', excerpt: '[]', updated_at: at }).where('id', 'in', ids),
      );
    }
    const outboundIds = db.all(k.selectFrom('outbound_messages').select('id').where('chat_id', 'in', chats)).map((r) => r.id);
    for (let i = 0; i < outboundIds.length; i += 500) db.run(k.deleteFrom('whatsapp_sends').where('outbound_id', 'in', outboundIds.slice(i, i + 500)));
    const messages = db.run(k.deleteFrom('inbound_messages').where('chat_id', 'in', chats)).changes + db.run(k.deleteFrom('outbound_messages').where('chat_id', 'in', chats)).changes;
    const attachments = db.run(k.deleteFrom('attachments').where('chat_id', 'in', chats)).changes;
    db.run(k.deleteFrom('conversations').where('chat_id', 'in', chats));
    db.run(k.deleteFrom('contacts').where('chat_id', 'in', chats));
    db.run(k.deleteFrom('whatsapp_chats').where('chat_id', 'in', chats));
    return { chats: chats.length, messages, attachments, tickets: ids.length, closedOnErase };
  });
}
