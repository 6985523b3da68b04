import { sql, type Kysely, type Migration } from 'kysely';

// The learning loop: messages the bot did not answer (masked: no CPF/CNPJ, e-mail, phone, Pix
// key; the chat as a one-way hash) and the examples staff taught from them.
// Frozen in time: takes Kysely<any> and imports nothing from the app.
export const m0020_learning: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('unanswered_messages')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('chat_key', 'text', (c) => c.notNull()) // hash of the chat id: counts people, names nobody
      .addColumn('text', 'text', (c) => c.notNull()) // masked
      .addColumn('kind', 'text', (c) => c.notNull()) // declined | clarify-unresolved | not-this | handover-after-miss
      .addColumn('guesses', 'text', (c) => c.notNull()) // JSON array of labels, best first
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open')) // open | assigned | out_of_scope | new_question | dismissed
      .addColumn('resolution', 'text') // the entry, the out-of-scope topic, or the question written down
      .addColumn('resolved_by', 'integer')
      .addColumn('resolved_at', 'text')
      .execute();
    await sql`create index unanswered_open on unanswered_messages (at) where status = 'open'`.execute(db);
    await db.schema.createIndex('unanswered_status').on('unanswered_messages').columns(['status', 'resolved_at']).execute();

    await db.schema
      .createTable('learned_examples')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('label', 'text', (c) => c.notNull()) // an FAQ entry id, request:<id> or fora-do-escopo/<topic>
      .addColumn('text', 'text', (c) => c.notNull()) // masked
      .addColumn('unanswered_id', 'integer', (c) => c.references('unanswered_messages.id'))
      .addColumn('created_by', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('exported_at', 'text') // written into faq/ by `faq export-learned`
      .execute();
    await db.schema.createIndex('learned_examples_label_text').on('learned_examples').columns(['label', 'text']).unique().execute();
  },
};
