import { sql, type Kysely, type Migration } from 'kysely';

// Frozen in time: takes Kysely<any> and imports nothing from the app.
export const m0001_core: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('contacts')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('chat_id', 'text', (c) => c.notNull().unique())
      .addColumn('phone', 'text')
      .addColumn('lid', 'text')
      .addColumn('name', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_message_at', 'text')
      .addColumn('greeted_on', 'text')
      .execute();
    await db.schema.createIndex('contacts_phone').on('contacts').column('phone').execute();
    await db.schema.createIndex('contacts_lid').on('contacts').column('lid').execute();

    await db.schema
      .createTable('conversations')
      .addColumn('chat_id', 'text', (c) => c.primaryKey())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn('machine_version', 'integer', (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('inbound_messages')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('participant', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('processed_at', 'text')
      .addUniqueConstraint('inbound_messages_key', ['channel', 'chat_id', 'participant', 'message_id'])
      .execute();
    await db.schema.createIndex('inbound_messages_chat').on('inbound_messages').columns(['chat_id', 'id']).execute();

    await db.schema
      .createTable('outbound_messages')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('in_reply_to', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('channel_message_id', 'text', (c) => c.unique())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('outbound_messages_chat').on('outbound_messages').columns(['chat_id', 'id']).execute();
    await db.schema.createIndex('outbound_messages_status').on('outbound_messages').columns(['status', 'id']).execute();
    await sql`select 1`.execute(db);
  },
};
