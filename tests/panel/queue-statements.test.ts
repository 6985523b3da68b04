import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Db } from '../../src/db/database.js';
import { queueCount, queuePage } from '../../src/staff/queue.js';
import { createUser } from '../../src/staff/users.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { tempDir } from '../support/harness.js';

// The queue runs one prepared statement per filter shape (which filters are set), with the
// values bound at each request: filters of the same shape must never get each other's rows or
// counts, and the rows are always the database's current ones.

const dir = tempDir('bot-queue-');
let db: Db;
let ana: number;
let bia: number;
const iso = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 12, minutes)).toISOString();
let n = 0;
const ticket = (o: { type?: 'refund' | 'boleto_renewal'; assignee?: number | null; created?: number; name?: string } = {}) => {
  const t = createTicket(db, { type: o.type ?? 'refund', team: 'finance', chatId: `55119000000${++n}`, phone: `55119000000${n}`, contactName: o.name ?? `Cliente ${n}`, data: {}, excerpt: [], now: iso(o.created ?? n) });
  if (o.assignee) db.run(db.kysely.updateTable('tickets').set({ assignee_id: o.assignee }).where('id', '=', t.id));
  return t.protocol;
};
const page = (f: Parameters<typeof queuePage>[1], columns: 'list' | 'all' = 'list') => queuePage(db, f, columns as 'list').rows;

beforeAll(async () => {
  db = await Db.open(path.join(dir, 'bot.db'));
  const now = new Date().toISOString();
  ana = (await createUser(db, { name: 'Ana Lima', email: 'ana@example.com', role: 'finance', password: 'senha-de-teste-123', now })).id;
  bia = (await createUser(db, { name: 'Bia Souza', email: 'bia@example.com', role: 'finance', password: 'senha-de-teste-123', now })).id;
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('queue statements per filter shape', () => {
  it('the same shape with other values gives other rows: types, assignees, dates, cursors', () => {
    const r1 = ticket({ assignee: ana });
    const b1 = ticket({ type: 'boleto_renewal', assignee: bia });
    const r2 = ticket({ assignee: bia });
    const b2 = ticket({ type: 'boleto_renewal' });
    const teams = ['finance' as const];
    expect(page({ teams, type: 'refund' }).map((r) => r.protocol)).toEqual([r1, r2]);
    expect(page({ teams, type: 'boleto_renewal' }).map((r) => r.protocol)).toEqual([b1, b2]);
    expect(page({ teams, assignee: ana }).map((r) => r.protocol)).toEqual([r1]);
    expect(page({ teams, assignee: bia }).map((r) => [r.protocol, r.assignee_name])).toEqual([[b1, 'Bia Souza'], [r2, 'Bia Souza']]);
    expect(page({ teams, assignee: 'none' }).map((r) => [r.protocol, r.assignee_name])).toEqual([[b2, null]]);
    expect(page({ teams, from: iso(2), to: iso(4) }).map((r) => r.protocol)).toEqual([b1, r2]);
    expect(page({ teams, from: iso(4) }).map((r) => r.protocol)).toEqual([b2]);
    const first = queuePage(db, { teams, limit: 2 }, 'list');
    expect(first.rows.map((r) => r.protocol)).toEqual([r1, b1]);
    expect(page({ teams, limit: 2, after: first.next }).map((r) => r.protocol)).toEqual([r2, b2]);
    expect(page({ teams, limit: 3 }).length).toBe(3);
    expect(page({ teams: [] })).toEqual([]);
    expect(page({ teams: ['support'] })).toEqual([]);
  });

  it('the page reads what it shows; the API and CSV get every column', () => {
    const teams = ['finance' as const];
    const [list] = page({ teams, limit: 1 });
    const [all] = page({ teams, limit: 1 }, 'all');
    expect(Object.keys(list).sort()).toEqual(['assignee_id', 'assignee_name', 'chat_id', 'closed_at', 'contact_name', 'created_at', 'id', 'phone', 'protocol', 'status', 'team', 'type']);
    expect(all).toEqual({ ...list, order_number: null, document: null, email: null, updated_at: expect.any(String) });
  });

  it('rows are always fresh: a change shows at the next request through the same statement', () => {
    const p = ticket({ name: 'Antes', created: 50 });
    const teams = ['finance' as const];
    const row = () => page({ teams, status: 'all', limit: 500 }).find((r) => r.protocol === p)!;
    expect(row().contact_name).toBe('Antes');
    db.run(db.kysely.updateTable('tickets').set({ contact_name: 'Depois', assignee_id: ana, status: 'in_progress' }).where('protocol', '=', p));
    expect(row()).toMatchObject({ contact_name: 'Depois', assignee_name: 'Ana Lima', status: 'in_progress' });
  });

  it('counts of the same shape are kept apart (each its own one-second total)', () => {
    const teams = ['finance' as const];
    const t0 = 1_000_000;
    const refunds = queueCount(db, { teams, type: 'refund' }, 1000, t0).count;
    const boletos = queueCount(db, { teams, type: 'boleto_renewal' }, 1000, t0).count;
    expect([refunds, boletos]).toEqual([page({ teams, type: 'refund', limit: 500 }).length, page({ teams, type: 'boleto_renewal', limit: 500 }).length]);
    expect(refunds).not.toBe(boletos);
    ticket({ type: 'boleto_renewal', created: 60 });
    expect(queueCount(db, { teams, type: 'boleto_renewal' }, 1000, t0 + 500).count).toBe(boletos); // reused within the second
    expect(queueCount(db, { teams, type: 'boleto_renewal' }, 1000, t0 + 1500).count).toBe(boletos + 1);
    expect(queueCount(db, { teams, type: 'boleto_renewal' }, 2, t0 + 1500)).toEqual({ count: 2, capped: true });
  });
});
