import { sql, type Kysely, type Migration } from 'kysely';

// Queue search by CPF/CNPJ, e-mail or order number through a lookup table instead of a scan of
// the team's tickets: one row per (term, ticket). Terms are normalised: e-mails lower case;
// documents and order numbers without punctuation or spaces, letters upper case (alphanumeric
// CNPJ). Existing tickets are indexed here.
// Frozen in time: takes Kysely<any> and imports nothing from the app (the normalisation is copied).
const term = (v: string | null): string => {
  const s = (v ?? '').trim();
  if (!s) return '';
  return (s.includes('@') ? s.toLowerCase() : s.replace(/[^0-9A-Za-z]/g, '').toUpperCase()).slice(0, 100);
};

export const m0006_ticket_search: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table ticket_search (
      term text not null,
      ticket_id integer not null references tickets (id),
      primary key (term, ticket_id)
    ) without rowid`.execute(db);
    await db.schema.createIndex('ticket_search_ticket').on('ticket_search').column('ticket_id').execute();

    let after = 0;
    for (;;) {
      const rows = (await db.selectFrom('tickets').select(['id', 'document', 'email', 'order_number']).where('id', '>', after).orderBy('id').limit(5000).execute()) as Array<{
        id: number; document: string | null; email: string | null; order_number: string | null;
      }>;
      if (rows.length === 0) break;
      const values = rows.flatMap((r) => [...new Set([term(r.document), term(r.email), term(r.order_number)].filter(Boolean))].map((t) => ({ term: t, ticket_id: r.id })));
      for (let i = 0; i < values.length; i += 300) await db.insertInto('ticket_search').values(values.slice(i, i + 300)).onConflict((oc) => oc.doNothing()).execute();
      after = rows[rows.length - 1].id;
    }
  },
};
