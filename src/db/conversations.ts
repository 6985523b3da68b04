import type { Kysely } from 'kysely';
import type { Db } from './database.js';
import type { Contact, Conversation, Database } from './schema.js';

// Queries as plain functions taking db first (built by kysely, run synchronously).

// The per-message queries are prepared once (Db.prepared): kysely builds them, the compiled
// SQL is reused with fresh values. Their build functions live at module level on purpose.

type ContactKey = { chatId: string };
const qFindContact = (k: Kysely<Database>, p: ContactKey) => k.selectFrom('contacts').selectAll().where('chat_id', '=', p.chatId);

export function findContact(db: Db, chatId: string): Contact | undefined {
  return db.prepared(qFindContact).first({ chatId });
}

type UpsertContact = { chatId: string; phone: string | null; lid: string | null; name: string | null; now: string };
const qUpsertContact = (k: Kysely<Database>, p: UpsertContact) =>
  k
    .insertInto('contacts')
    .values({ chat_id: p.chatId, phone: p.phone, lid: p.lid, name: p.name, created_at: p.now })
    .onConflict((oc) =>
      oc.column('chat_id').doUpdateSet((eb) => ({
        phone: eb.fn.coalesce(eb.val(p.phone), eb.ref('contacts.phone')),
        lid: eb.fn.coalesce(eb.val(p.lid), eb.ref('contacts.lid')),
        name: eb.fn.coalesce(eb.val(p.name), eb.ref('contacts.name')),
      })),
    )
    .returningAll();

/**
 * Creates the contact or records what is new about it. `known` is the contact as just read
 * (null: read, and there is none); left out, it is read here.
 */
export function upsertContact(
  db: Db,
  c: { chatId: string; phone?: string | null; lid?: string | null; name?: string | null; now: string },
  known: Contact | null | undefined = findContact(db, c.chatId) ?? null,
): Contact {
  // Known contact with nothing new: no write (and no index pages dirtied) on the hot path.
  if (known && (c.phone ?? known.phone) === known.phone && (c.lid ?? known.lid) === known.lid && (c.name ?? known.name) === known.name) return known;
  return db.prepared(qUpsertContact).first({ chatId: c.chatId, phone: c.phone ?? null, lid: c.lid ?? null, name: c.name ?? null, now: c.now }) as Contact;
}

type ChatRow = {
  [K in keyof Contact as `c_${K & string}`]: Contact[K];
} & { [K in keyof Conversation as `v_${K & string}`]: Conversation[K] | null };
const qFindChat = (k: Kysely<Database>, p: ContactKey) =>
  k
    .selectFrom('contacts')
    .leftJoin('conversations', 'conversations.chat_id', 'contacts.chat_id')
    .select([
      'contacts.id as c_id',
      'contacts.chat_id as c_chat_id',
      'contacts.phone as c_phone',
      'contacts.lid as c_lid',
      'contacts.name as c_name',
      'contacts.created_at as c_created_at',
      'contacts.last_message_at as c_last_message_at',
      'contacts.greeted_on as c_greeted_on',
      'conversations.chat_id as v_chat_id',
      'conversations.machine_id as v_machine_id',
      'conversations.machine_version as v_machine_version',
      'conversations.snapshot as v_snapshot',
      'conversations.updated_at as v_updated_at',
      'conversations.last_message_at as v_last_message_at',
      'conversations.greeted_on as v_greeted_on',
    ])
    .where('contacts.chat_id', '=', p.chatId);

/**
 * A chat's contact and conversation in one read (every message needs both); undefined when
 * there is no contact (the conversation, if any, is then read on its own).
 */
export function findChat(db: Db, chatId: string): { contact: Contact; conversation: Conversation | undefined } | undefined {
  const r = db.prepared(qFindChat).first({ chatId }) as ChatRow | undefined;
  if (!r) return undefined;
  const contact: Contact = { id: r.c_id, chat_id: r.c_chat_id, phone: r.c_phone, lid: r.c_lid, name: r.c_name, created_at: r.c_created_at, last_message_at: r.c_last_message_at, greeted_on: r.c_greeted_on };
  const conversation: Conversation | undefined =
    r.v_chat_id === null
      ? undefined
      : { chat_id: r.v_chat_id, machine_id: r.v_machine_id!, machine_version: r.v_machine_version!, snapshot: r.v_snapshot!, updated_at: r.v_updated_at!, last_message_at: r.v_last_message_at, greeted_on: r.v_greeted_on };
  return { contact, conversation };
}

const qFindConversation = (k: Kysely<Database>, p: ContactKey) => k.selectFrom('conversations').selectAll().where('chat_id', '=', p.chatId);

export function findConversation(db: Db, chatId: string): Conversation | undefined {
  return db.prepared(qFindConversation).first({ chatId });
}

const qSaveConversation = (k: Kysely<Database>, p: Conversation) =>
  k
    .insertInto('conversations')
    .values({
      chat_id: p.chat_id,
      machine_id: p.machine_id,
      machine_version: p.machine_version,
      snapshot: p.snapshot,
      updated_at: p.updated_at,
      last_message_at: p.last_message_at,
      greeted_on: p.greeted_on,
    })
    .onConflict((oc) =>
      oc.column('chat_id').doUpdateSet((eb) => ({
        machine_id: eb.ref('excluded.machine_id'),
        machine_version: eb.ref('excluded.machine_version'),
        snapshot: eb.ref('excluded.snapshot'),
        updated_at: eb.ref('excluded.updated_at'),
        last_message_at: eb.ref('excluded.last_message_at'),
        greeted_on: eb.ref('excluded.greeted_on'),
      })),
    );

const qUpdateConversation = (k: Kysely<Database>, p: Conversation) =>
  k
    .updateTable('conversations')
    .set({ machine_id: p.machine_id, machine_version: p.machine_version, snapshot: p.snapshot, updated_at: p.updated_at, last_message_at: p.last_message_at, greeted_on: p.greeted_on })
    .where('chat_id', '=', p.chat_id);

/** Stores a conversation; `exists` (it was just read) makes it a plain update, the common case. */
export function saveConversation(db: Db, row: Conversation, exists = false): void {
  if (exists && db.prepared(qUpdateConversation).run(row).changes > 0) return;
  db.prepared(qSaveConversation).run(row);
}

type Timers = { chatId: string; lastMessageAt: string | null; greetedOn: string | null };
const qConversationTimers = (k: Kysely<Database>, p: Timers) =>
  k.updateTable('conversations').set({ last_message_at: p.lastMessageAt, greeted_on: p.greetedOn }).where('chat_id', '=', p.chatId);

/** Idle timer and greeting day of a chat whose snapshot did not change. */
export function updateConversationTimers(db: Db, chatId: string, lastMessageAt: string | null, greetedOn: string | null): void {
  db.prepared(qConversationTimers).run({ chatId, lastMessageAt, greetedOn });
}

export function deleteConversation(db: Db, chatId: string): void {
  db.run(db.kysely.deleteFrom('conversations').where('chat_id', '=', chatId));
}

type InboundKey = { channel: string; chatId: string; participant: string; messageId: string };

type NewInbound = InboundKey & { text: string; now: string };
const qInsertInbound = (k: Kysely<Database>, p: NewInbound) =>
  k
    .insertInto('inbound_messages')
    .values({ channel: p.channel, chat_id: p.chatId, participant: p.participant, message_id: p.messageId, text: p.text, received_at: p.now, processed_at: p.now })
    .onConflict((oc) => oc.columns(['chat_id', 'channel', 'participant', 'message_id']).doNothing());

/** Journals a message; false when that id was already journaled (a redelivery). */
export function insertInboundIfNew(db: Db, m: NewInbound): boolean {
  return db.prepared(qInsertInbound).run(m).changes > 0;
}

type NewOutbound = { channel: string; chatId: string; text: string; inReplyTo: string | null; now: string };
const qInsertOutbound = (k: Kysely<Database>, p: NewOutbound) =>
  k.insertInto('outbound_messages').values({
    channel: p.channel,
    chat_id: p.chatId,
    text: p.text,
    in_reply_to: p.inReplyTo,
    status: 'queued',
    attempts: 0,
    created_at: p.now,
  });

export function insertOutbound(db: Db, m: NewOutbound): number {
  return db.prepared(qInsertOutbound).run(m).lastInsertRowid;
}

type MarkSent = { id: number; channelMessageId: string | null; now: string };
const qMarkSent = (k: Kysely<Database>, p: MarkSent) =>
  k.updateTable('outbound_messages').set({ status: 'sent', channel_message_id: p.channelMessageId, sent_at: p.now }).where('id', '=', p.id);

/** Prepared once: local channels mark a row right after writing it out, the shorter the gap the better. */
export function markOutboundSent(db: Db, id: number, channelMessageId: string | null, now: string): void {
  db.prepared(qMarkSent).run({ id, channelMessageId, now });
}

/** The last messages of a chat, both directions, oldest first (conversation excerpts). */
export function recentMessages(db: Db, chatId: string, limit: number): Array<{ from: 'customer' | 'bot'; text: string; at: string }> {
  const inbound = db.all(
    db.kysely.selectFrom('inbound_messages').select(['text', 'received_at as at', 'id']).where('chat_id', '=', chatId).orderBy('id', 'desc').limit(limit),
  );
  const outbound = db.all(
    db.kysely.selectFrom('outbound_messages').select(['text', 'created_at as at', 'id']).where('chat_id', '=', chatId).orderBy('id', 'desc').limit(limit),
  );
  return [
    ...inbound.map((m) => ({ from: 'customer' as const, text: m.text, at: m.at, order: m.id * 2 })),
    ...outbound.map((m) => ({ from: 'bot' as const, text: m.text, at: m.at, order: m.id * 2 + 1 })),
  ]
    .sort((a, b) => (a.at === b.at ? a.order - b.order : a.at < b.at ? -1 : 1))
    .slice(-limit)
    .map(({ from, text, at }) => ({ from, text, at }));
}

/**
 * The conversation a request came from, oldest first: the chat's messages back to the first one
 * after a silence longer than `idleMs` (the bot starts fresh then) or after `after` (the previous
 * ticket of this chat), at most `max` messages.
 */
export function conversationSince(db: Db, chatId: string, o: { idleMs: number; after?: string | null; max: number }): Array<{ from: 'customer' | 'bot'; text: string; at: string }> {
  const all = recentMessages(db, chatId, o.max);
  let start = all.length;
  while (start > 0) {
    const m = all[start - 1];
    if (o.after && m.at <= o.after) break;
    if (start < all.length && Date.parse(all[start].at) - Date.parse(m.at) > o.idleMs) break;
    start--;
  }
  return all.slice(start);
}

/** The channel a chat last wrote from: staff messages and notifications go back that way. */
export function lastInboundChannel(db: Db, chatId: string): string | undefined {
  return db.first(db.kysely.selectFrom('inbound_messages').select('channel').where('chat_id', '=', chatId).orderBy('id', 'desc').limit(1))?.channel;
}

/** The person's message before the latest one in this chat (what an answer or a "Você quis dizer" was about). */
export function previousInbound(db: Db, chatId: string): string | undefined {
  const rows = db.all(db.kysely.selectFrom('inbound_messages').select('text').where('chat_id', '=', chatId).orderBy('id', 'desc').limit(2));
  return rows[1]?.text;
}
