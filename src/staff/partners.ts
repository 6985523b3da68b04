import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';

// Partners (imported with `import partners`) are recognised by their registered WhatsApp numbers:
// the panel names them instead of showing a masked phone.

export interface KnownPartner {
  id: string;
  name: string;
}

// One statement whatever the number of phones (a JSON array bound as one value), prepared once.
const qPartners = (k: Kysely<Database>, p: { phones: string }) =>
  k
    .selectFrom('partner_phones')
    .innerJoin('partners', 'partners.id', 'partner_phones.partner_id')
    .select(['partner_phones.phone', 'partners.id', 'partners.name'])
    .where(sql<boolean>`partner_phones.phone in (select value from json_each(${p.phones}))`);

/** The partner behind each of these phone numbers (digits), in one query. */
export function partnersByPhone(db: Db, phones: Array<string | null | undefined>): Map<string, KnownPartner> {
  const digits = [...new Set(phones.map((p) => (p ?? '').replace(/\D/g, '')).filter((p) => p.length >= 8))];
  if (!digits.length) return new Map();
  const rows = db.prepared(qPartners).all({ phones: JSON.stringify(digits) });
  return new Map(rows.map((r) => [r.phone, { id: r.id, name: r.name }]));
}

export function partnerOf(map: Map<string, KnownPartner>, phone: string | null | undefined): KnownPartner | undefined {
  return map.get((phone ?? '').replace(/\D/g, ''));
}
