import { sql, type Kysely, type Migration } from 'kysely';

// Running it: per-hour counts of what the bot decided for each message (the overview charts and
// the unanswered rate; no text is stored), the audit log of operations on personal data
// (exports, erasures, purges), an index for the tickets closed in a period, and the row the readiness check writes to prove a write works.
// Frozen in time: takes Kysely<any> and imports nothing from the app.
export const m0007_operations: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table message_stats (
      hour text not null,
      kind text not null,
      entry text not null default '',
      n integer not null,
      primary key (hour, kind, entry)
    ) without rowid`.execute(db);

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();

    // The overview counts tickets closed in a period.
    await sql`create index tickets_closed on tickets (closed_at) where closed_at is not null`.execute(db);

    await sql`create table health_checks (id integer primary key check (id = 1), at text not null)`.execute(db);
  },
};
