import type { Kysely, Migration } from 'kysely';

// Saved replies: a small library of answers per team (title + WhatsApp-formatted text) that
// staff insert into a message with a picker; admins manage them.
export const m0033_saved_replies: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('saved_replies')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('saved_replies_team').on('saved_replies').columns(['team', 'title']).execute();
  },
};
