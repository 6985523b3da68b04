import { parse } from 'csv-parse/sync';
import type { Db } from '../db/database.js';
import type { PaymentMethod, PaymentStatus } from '../db/schema.js';
import { fold } from '../nlu/spelling.js';
import { isValidEmail, normalizeEmail } from '../validation/email.js';
import { parseDocument } from '../validation/document.js';
import { parseBrl } from '../validation/money.js';
import { normalizeBrPhone } from '../validation/phone.js';
import { dictionary } from '../dictionary.js';

// `bot import orders|partners FILE.csv`: every row validated, bad rows reported with their line
// numbers, the good ones upserted in one transaction (re-importing updates, never duplicates).

export const ORDER_HEADERS = ['pedido', 'documento', 'email', 'forma_pagamento', 'status_pagamento', 'data_compra', 'data_emissao', 'parceiro'] as const;
/** Optional order columns: the amount paid ("1.234,56", "R$ 89,90") and the buyer's name. */
export const ORDER_OPTIONAL_HEADERS = ['valor', 'nome_comprador'] as const;
export const PARTNER_HEADERS = ['id', 'nome', 'documento', 'whatsapp', 'pagina_vendas'] as const;

export interface ImportReport {
  imported: number;
  errors: Array<{ line: number; message: string }>;
}

export class ImportError extends Error {}

const METHODS: Readonly<Record<string, PaymentMethod>> = dictionary({ cartao: 'cartao', 'cartao de credito': 'cartao', credito: 'cartao', boleto: 'boleto', pix: 'pix' });
const STATUSES: Readonly<Record<string, PaymentStatus>> = dictionary({ pendente: 'pendente', pago: 'pago', vencido: 'vencido', estornado: 'estornado' });

/** ISO 8601 or dd/mm/aaaa [hh:mm[:ss]]; times without a zone are São Paulo time (UTC-3, no DST since 2019). */
export function parseDateTimeBr(value: string): string | null {
  const v = value.trim();
  const br = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(v);
  if (br || iso) {
    const [y, m, d, hh, mm, ss] = br
      ? [+br[3], +br[2], +br[1], +(br[4] ?? 0), +(br[5] ?? 0), +(br[6] ?? 0)]
      : [+iso![1], +iso![2], +iso![3], +(iso![4] ?? 0), +(iso![5] ?? 0), +(iso![6] ?? 0)];
    const calendar = new Date(Date.UTC(y, m - 1, d));
    if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) return null;
    if (hh > 23 || mm > 59 || ss > 59) return null;
    return new Date(Date.UTC(y, m - 1, d, hh + 3, mm, ss)).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

function readCsv(content: string, expected: readonly string[]): Array<{ line: number; row: Record<string, string> }> & { header: string[] } {
  const text = content.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // The separator is whichever of ; and , the header uses more (Excel in pt-BR writes ;).
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    throw new ImportError(`CSV inválido: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new ImportError('Arquivo vazio.');
  const header = records[0].map((h) => fold(h).replace(/ /g, '_'));
  const missing = expected.filter((h) => !header.includes(h));
  if (missing.length) throw new ImportError(`Cabeçalho sem as colunas: ${missing.join(', ')}. Esperado: ${expected.join(',')}`);
  // Line numbers as a person sees them in the file (header is line 1; blank lines skipped by the parser are rare).
  const rows = records.slice(1).map((cells, i) => ({ line: i + 2, row: Object.fromEntries(header.map((h, k) => [h, cells[k] ?? ''])) }));
  return Object.assign(rows, { header });
}

export function importOrders(db: Db, content: string, now = new Date()): ImportReport {
  const rows = readCsv(content, ORDER_HEADERS);
  const errors: ImportReport['errors'] = [];
  const valid: Array<Parameters<typeof upsertOrder>[1]> = [];
  const seen = new Map<string, number>();
  for (const { line, row } of rows) {
    const problems: string[] = [];
    const number = row.pedido.replace(/\D/g, '');
    if (!/^\d{1,12}$/.test(number)) problems.push('pedido deve ser um número');
    const doc = parseDocument(row.documento);
    if (!doc) problems.push(`documento "${row.documento}" não é CPF/CNPJ válido`);
    const email = row.email ? normalizeEmail(row.email) : null;
    if (email && !isValidEmail(email)) problems.push(`email "${row.email}" inválido`);
    const method = METHODS[fold(row.forma_pagamento)];
    if (!method) problems.push(`forma_pagamento "${row.forma_pagamento}" (use cartao, boleto ou pix)`);
    const status = STATUSES[fold(row.status_pagamento)];
    if (!status) problems.push(`status_pagamento "${row.status_pagamento}" (use pendente, pago, vencido ou estornado)`);
    const purchased = parseDateTimeBr(row.data_compra);
    if (!purchased) problems.push(`data_compra "${row.data_compra}" (use dd/mm/aaaa [hh:mm] ou ISO 8601)`);
    const issued = row.data_emissao ? parseDateTimeBr(row.data_emissao) : null;
    if (row.data_emissao && !issued) problems.push(`data_emissao "${row.data_emissao}" inválida`);
    const amount = row.valor ? parseBrl(row.valor) : null;
    if (row.valor && amount === null) problems.push(`valor "${row.valor}" (use o formato 1.234,56)`);
    const buyer = (row.nome_comprador ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || null;
    if (number && seen.has(number)) problems.push(`pedido ${number} repetido (linha ${seen.get(number)})`);
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    seen.set(number, line);
    valid.push({ number, document: doc!.value, email, payment_method: method, payment_status: status, purchased_at: purchased!, issued_at: issued, partner_id: row.parceiro || null, amount_cents: amount, buyer_name: buyer, updated_at: now.toISOString() });
  }
  // A file without an optional column leaves what an earlier import stored in it.
  const keep = ORDER_OPTIONAL_HEADERS.filter((h) => !rows.header.includes(h)).map((h) => (h === 'valor' ? 'amount_cents' : 'buyer_name'));
  db.transaction(() => valid.forEach((o) => upsertOrder(db, o, keep)));
  return { imported: valid.length, errors };
}

function upsertOrder(
  db: Db,
  o: {
    number: string; document: string; email: string | null; payment_method: PaymentMethod; payment_status: PaymentStatus; purchased_at: string; issued_at: string | null;
    partner_id: string | null; amount_cents: number | null; buyer_name: string | null; updated_at: string;
  },
  keep: Array<'amount_cents' | 'buyer_name'> = [],
): void {
  const { number, ...update } = o;
  const rest = Object.fromEntries(Object.entries(update).filter(([k]) => !keep.includes(k as never))) as Partial<typeof update>;
  db.run(db.kysely.insertInto('orders').values(o).onConflict((oc) => oc.column('number').doUpdateSet(rest)));
}

export function importPartners(db: Db, content: string, now = new Date()): ImportReport {
  const rows = readCsv(content, PARTNER_HEADERS);
  const errors: ImportReport['errors'] = [];
  const valid: Array<{ id: string; name: string; document: string | null; sales_page: string | null; phones: string[] }> = [];
  const phoneOwner = new Map<string, string>();
  for (const { line, row } of rows) {
    const problems: string[] = [];
    const id = row.id.trim();
    if (!id) problems.push('id vazio');
    if (!row.nome.trim()) problems.push('nome vazio');
    const doc = row.documento ? parseDocument(row.documento) : null;
    if (row.documento && !doc) problems.push(`documento "${row.documento}" não é CPF/CNPJ válido`);
    const phones: string[] = [];
    for (const raw of row.whatsapp.split('|').map((p) => p.trim()).filter(Boolean)) {
      const p = normalizeBrPhone(raw);
      if (!p) problems.push(`whatsapp "${raw}" não é um telefone brasileiro válido`);
      else if (phoneOwner.has(p) && phoneOwner.get(p) !== id) problems.push(`whatsapp ${raw} já é do parceiro ${phoneOwner.get(p)}`);
      else phones.push(p);
    }
    if (phones.length === 0 && !problems.length) problems.push('informe ao menos um whatsapp');
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    phones.forEach((p) => phoneOwner.set(p, id));
    valid.push({ id, name: row.nome.trim(), document: doc?.value ?? null, sales_page: row.pagina_vendas || null, phones });
  }
  db.transaction(() => {
    for (const p of valid) {
      const { phones, ...partner } = p;
      const row = { ...partner, updated_at: now.toISOString() };
      db.run(db.kysely.insertInto('partners').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, document: row.document, sales_page: row.sales_page, updated_at: row.updated_at })));
      // The file is the truth for this partner's numbers: replace them.
      db.run(db.kysely.deleteFrom('partner_phones').where('partner_id', '=', p.id));
      for (const phone of phones) {
        db.run(db.kysely.insertInto('partner_phones').values({ phone, partner_id: p.id }).onConflict((oc) => oc.column('phone').doUpdateSet({ partner_id: p.id })));
      }
    }
  });
  return { imported: valid.length, errors };
}
