import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Db } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { queuePage, queuePageQuery, type QueueFilter } from '../../src/staff/queue.js';
import { searchTerm } from '../../src/tickets/search.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { tempDir } from '../support/harness.js';

// Queue search by CPF/CNPJ, e-mail and order number goes through the ticket_search lookup table:
// normalised terms, extra terms a flow declares, tickets from before the table existed.

const dir = tempDir('bot-search-');
let db: Db;
const both: QueueFilter = { teams: ['finance', 'support'] };
const found = (q: string, f: QueueFilter = both) => queuePage(db, { ...f, q }).rows.map((r) => r.protocol);
const now = new Date().toISOString();
const ticket = (o: Partial<Parameters<typeof createTicket>[1]>) =>
  createTicket(db, { type: 'refund', team: o.type && o.type !== 'refund' ? 'support' : 'finance', chatId: '5511999990001', phone: '5511999990001', contactName: 'Joana', data: {}, excerpt: [], now, ...o }).protocol;

beforeAll(async () => {
  db = await Db.open(path.join(dir, 'bot.db'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('queue search', () => {
  it('normalises like the index: punctuation and spaces out, letters upper case, e-mails lower case', () => {
    expect(searchTerm(' 529.982.247-25 ')).toBe('52998224725');
    expect(searchTerm('12.abc.345/01de-35')).toBe('12ABC34501DE35');
    expect(searchTerm('Joana.Silva@Gmail.COM')).toBe('joana.silva@gmail.com');
    expect(searchTerm('pedido 48 213')).toBe('PEDIDO48213');
    expect(searchTerm('  ')).toBe('');
  });

  it('finds a ticket by CPF, alphanumeric CNPJ, e-mail or order number however they are typed', () => {
    const a = ticket({ document: '52998224725', email: 'Joana.Silva@Gmail.com', orderNumber: '48213' });
    const b = ticket({ type: 'confirmation_resend', document: '12ABC34501DE35', email: 'compras@empresa.com.br', orderNumber: 'A-77/1' });
    expect(found('529.982.247-25')).toEqual([a]);
    expect(found('JOANA.SILVA@gmail.com')).toEqual([a]);
    expect(found('48213')).toEqual([a]);
    expect(found('12.abc.345/01de-35')).toEqual([b]);
    expect(found('a77 1')).toEqual([b]);
    // Team isolation holds: finance does not find the support ticket.
    expect(found('12ABC34501DE35', { teams: ['finance'] })).toEqual([]);
    expect(found('00000000000')).toEqual([]);
  });

  it('finds a ticket by the extra values its flow declared (a second e-mail)', () => {
    const c = ticket({ type: 'confirmation_resend', email: 'primeiro@exemplo.com', searchTerms: ['Segundo@Exemplo.com', ''] });
    expect(found('segundo@exemplo.com')).toEqual([c]);
    expect(found('primeiro@exemplo.com')).toEqual([c]);
  });

  it('never walks the team to search: the lookup table drives the query', () => {
    for (const q of ['529.982.247-25', 'joana.silva@gmail.com', '48213']) {
      for (const teams of [['finance'], ['finance', 'support']] as const) {
        // The page's own query, asked how SQLite runs it.
        const { sql, parameters } = queuePageQuery(db, { teams: [...teams], q }, 50).compile();
        const plan = (db.sqlite.prepare(`explain query plan ${sql}`).all(...(parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
        expect(plan[0]).toMatch(/^SEARCH ticket_search USING (PRIMARY KEY|COVERING INDEX)/);
        expect(plan.join('\n')).not.toMatch(/SCAN tickets|tickets USING (COVERING )?INDEX tickets_(team|created)/);
      }
    }
  });

  it('tickets created before the lookup table existed are found after the upgrade', async () => {
    const f = path.join(dir, 'old.db');
    const old = await Db.open(f, { migrations: Object.fromEntries(Object.entries(migrations).filter(([k]) => k < '0006')) });
    old.sqlite
      .prepare("insert into tickets (protocol, type, team, status, chat_id, document, email, order_number, data, excerpt, created_at, updated_at) values ('FIN-000001', 'refund', 'finance', 'resolved', '5511', '11222333000181', 'Ana@Ex.com', '9001', '{}', '[]', ?, ?)")
      .run(now, now);
    await old.close();
    const upgraded = await Db.open(f);
    try {
      for (const q of ['11.222.333/0001-81', 'ana@ex.com', '9001']) expect(queuePage(upgraded, { ...both, q }).rows.map((r) => r.protocol)).toEqual(['FIN-000001']);
    } finally {
      await upgraded.close();
    }
  });
});
