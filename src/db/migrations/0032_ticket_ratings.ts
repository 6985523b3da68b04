import type { Kysely, Migration } from 'kysely';

// Customer satisfaction: one survey per resolved ticket (asked once), with the rating 1-5 and an
// optional comment; the team and the clerk who resolved it are kept for the per-team and
// per-clerk figures.
export const m0032_ticket_ratings: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('ticket_ratings')
      .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('assignee_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('asked_at', 'text')
      .addColumn('rating', 'integer')
      .addColumn('comment', 'text')
      .addColumn('rated_at', 'text')
      .execute();
    await db.schema.createIndex('ticket_ratings_created').on('ticket_ratings').columns(['created_at']).execute();
  },
};
