import type { Kysely, Migration } from 'kysely';

// The WhatsApp channel: Baileys' auth state, the one-process-per-number lock, the reply address
// of each chat, the delivery state of each outbox row, and stored attachments.
// Frozen in time: takes Kysely<any> and imports nothing from the app.
export const m0003_whatsapp: Migration = {
  async up(db: Kysely<any>) {
    // creds (type 'creds', id '') and every signal key, as BufferJSON text; one row per key.
    await db.schema
      .createTable('whatsapp_auth')
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('whatsapp_auth_pk', ['account', 'type', 'id'])
      .execute();

    await db.schema
      .createTable('whatsapp_locks')
      .addColumn('account', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('whatsapp_settings')
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('whatsapp_settings_pk', ['account', 'key'])
      .execute();

    // A chat exists here once the person wrote to us: the address replies go to.
    await db.schema
      .createTable('whatsapp_chats')
      .addColumn('chat_id', 'text', (c) => c.primaryKey())
      .addColumn('jid', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('lid', 'text')
      .addColumn('first_inbound_at', 'text', (c) => c.notNull())
      .addColumn('last_inbound_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('whatsapp_chats_phone').on('whatsapp_chats').column('phone').execute();
    await db.schema.createIndex('whatsapp_chats_lid').on('whatsapp_chats').column('lid').execute();

    // Delivery state of outbox rows on WhatsApp (outbound_messages keeps queued/sent/failed).
    await db.schema
      .createTable('whatsapp_sends')
      .addColumn('outbound_id', 'integer', (c) => c.primaryKey())
      .addColumn('wa_id', 'text', (c) => c.unique())
      .addColumn('jid', 'text')
      .addColumn('state', 'text', (c) => c.notNull()) // retry | sending | sent | failed | unknown
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('started_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('ack', 'integer') // highest WhatsApp status seen: 2 server, 3 delivered, 4 read
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('whatsapp_sends_state').on('whatsapp_sends').column('state').execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('mimetype', 'text')
      .addColumn('file_name', 'text')
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('data', 'blob', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('attachments_message', ['channel', 'chat_id', 'message_id'])
      .execute();
    await db.schema.createIndex('attachments_chat').on('attachments').columns(['chat_id', 'id']).execute();
  },
};
