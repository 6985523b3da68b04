import type { Db } from './database.js';
import type { Contact, Conversation } from './schema.js';

// Queries as plain functions taking db first (built by kysely, run synchronously).

export function findContact(db: Db, chatId: string): Contact | undefined {
  return db.first(db.kysely.selectFrom('contacts').selectAll().where('chat_id', '=', chatId));
}

export function upsertContact(db: Db, c: { chatId: string; phone?: string | null; lid?: string | null; name?: string | null; now: string }): Contact {
  db.run(
    db.kysely
      .insertInto('contacts')
      .values({ chat_id: c.chatId, phone: c.phone ?? null, lid: c.lid ?? null, name: c.name ?? null, created_at: c.now })
      .onConflict((oc) =>
        oc.column('chat_id').doUpdateSet((eb) => ({
          phone: eb.fn.coalesce(eb.val(c.phone ?? null), eb.ref('contacts.phone')),
          lid: eb.fn.coalesce(eb.val(c.lid ?? null), eb.ref('contacts.lid')),
          name: eb.fn.coalesce(eb.val(c.name ?? null), eb.ref('contacts.name')),
        })),
      ),
  );
  return findContact(db, c.chatId)!;
}

export function touchContact(db: Db, chatId: string, lastMessageAt: string, greetedOn: string | null): void {
  db.run(db.kysely.updateTable('contacts').set({ last_message_at: lastMessageAt, greeted_on: greetedOn }).where('chat_id', '=', chatId));
}

export function findConversation(db: Db, chatId: string): Conversation | undefined {
  return db.first(db.kysely.selectFrom('conversations').selectAll().where('chat_id', '=', chatId));
}

export function saveConversation(db: Db, row: Conversation): void {
  db.run(
    db.kysely
      .insertInto('conversations')
      .values(row)
      .onConflict((oc) =>
        oc.column('chat_id').doUpdateSet({ machine_id: row.machine_id, machine_version: row.machine_version, snapshot: row.snapshot, updated_at: row.updated_at }),
      ),
  );
}

export function deleteConversation(db: Db, chatId: string): void {
  db.run(db.kysely.deleteFrom('conversations').where('chat_id', '=', chatId));
}

export function inboundExists(db: Db, key: { channel: string; chatId: string; participant: string; messageId: string }): boolean {
  return !!db.first(
    db.kysely
      .selectFrom('inbound_messages')
      .select('id')
      .where('channel', '=', key.channel)
      .where('chat_id', '=', key.chatId)
      .where('participant', '=', key.participant)
      .where('message_id', '=', key.messageId),
  );
}

export function insertInbound(db: Db, m: { channel: string; chatId: string; participant: string; messageId: string; text: string; now: string }): void {
  db.run(
    db.kysely.insertInto('inbound_messages').values({
      channel: m.channel,
      chat_id: m.chatId,
      participant: m.participant,
      message_id: m.messageId,
      text: m.text,
      received_at: m.now,
      processed_at: m.now,
    }),
  );
}

export function insertOutbound(db: Db, m: { channel: string; chatId: string; text: string; inReplyTo: string | null; now: string }): number {
  return db.run(
    db.kysely.insertInto('outbound_messages').values({
      channel: m.channel,
      chat_id: m.chatId,
      text: m.text,
      in_reply_to: m.inReplyTo,
      status: 'queued',
      attempts: 0,
      created_at: m.now,
    }),
  ).lastInsertRowid;
}

export function markOutboundSent(db: Db, id: number, channelMessageId: string | null, now: string): void {
  db.run(
    db.kysely
      .updateTable('outbound_messages')
      .set({ status: 'sent', channel_message_id: channelMessageId, sent_at: now })
      .where('id', '=', id),
  );
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

/** The channel a chat last wrote from: staff messages and notifications go back that way. */
export function lastInboundChannel(db: Db, chatId: string): string | undefined {
  return db.first(db.kysely.selectFrom('inbound_messages').select('channel').where('chat_id', '=', chatId).orderBy('id', 'desc').limit(1))?.channel;
}
