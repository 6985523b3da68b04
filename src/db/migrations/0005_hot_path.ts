import { sql, type Kysely, type Migration } from 'kysely';

// Fewer pages written per message: the idle timer and the daily greeting move next to the
// snapshot (one row updated instead of two), and the inbound journal's unique key, now led by
// chat_id, also serves the per-chat lookups its separate index did (one index instead of two).
export const m0005_hot_path: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('conversations').addColumn('last_message_at', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('greeted_on', 'text').execute();
    await sql`update conversations set last_message_at = (select last_message_at from contacts where contacts.chat_id = conversations.chat_id),
                                       greeted_on = (select greeted_on from contacts where contacts.chat_id = conversations.chat_id)`.execute(db);

    await db.schema
      .createTable('inbound_messages_new')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('participant', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('processed_at', 'text')
      .addUniqueConstraint('inbound_messages_chat_key', ['chat_id', 'channel', 'participant', 'message_id'])
      .execute();
    await sql`insert into inbound_messages_new select id, channel, chat_id, participant, message_id, text, received_at, processed_at from inbound_messages`.execute(db);
    await db.schema.dropTable('inbound_messages').execute();
    await db.schema.alterTable('inbound_messages_new').renameTo('inbound_messages').execute();
  },
};
