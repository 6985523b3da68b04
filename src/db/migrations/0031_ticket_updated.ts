import type { Kysely, Migration } from 'kysely';

// The live queue notices tickets changed by another process on the same database by
// max(updated_at): with this index that is one B-tree step, not a scan of every ticket.
export const m0031_ticket_updated: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('tickets_updated').on('tickets').column('updated_at').execute();
  },
};
