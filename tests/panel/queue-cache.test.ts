import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Db } from '../../src/db/database.js';
import { LIST_MAX_AGE_MS } from '../../src/http/panel/live.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { login, refundConversation, startPanel, type Panel } from './support.js';

// The queue's lists are rendered once and shared until something changes: never a stale list
// after a ticket event of this process or a commit of another one, and never older than the
// cache's age limit for writes that are no ticket event. Real port, real temp database.

let p: Panel;
beforeAll(async () => {
  p = await startPanel();
});
afterAll(() => p.close());

const protocols = (page: string) => [...page.matchAll(/<tr data-protocol="([A-Z]{3}-\d{6})">/g)].map((m) => m[1]);
const countOf = (page: string) => /<p class="count" role="status">([^<]+)</.exec(page)?.[1];

describe('shared queue lists', () => {
  it('a ticket the bot opens is in the very next queue page and fragment, count included', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const before = await agent.get('/fila').expect(200);
    expect(protocols(before.text)).toEqual([]);
    await agent.get('/fila?parcial=1').expect(200); // both forms cached now
    const t = refundConversation(p, '5511955550001', 'Ana Cache');
    const page = await agent.get('/fila').expect(200);
    expect(protocols(page.text)).toEqual([t.protocol]);
    expect(countOf(page.text)).toBe('1 ticket');
    expect(protocols((await agent.get('/fila?parcial=1').expect(200)).text)).toEqual([t.protocol]);
  });

  it('a ticket written by another connection on the same database is in the next page at once', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const shown = protocols((await agent.get('/fila').expect(200)).text);
    const other = await Db.open(p.h.dbPath);
    try {
      const t = createTicket(other, { type: 'boleto_renewal', team: 'finance', chatId: '5511955550002', phone: '5511955550002', contactName: 'Outro Processo', data: {}, excerpt: [], now: new Date().toISOString() });
      expect(protocols((await agent.get('/fila').expect(200)).text)).toEqual([...shown, t.protocol]);
    } finally {
      await other.close();
    }
  });

  it('a write that is no ticket event shows within the age limit; a team never gets another team’s list', async () => {
    const finance = (await login(p, 'finance@example.com')).agent;
    const support = (await login(p, 'support@example.com')).agent;
    const shown = protocols((await finance.get('/fila').expect(200)).text);
    expect(shown.length).toBeGreaterThan(0);
    expect(protocols((await support.get('/fila').expect(200)).text).some((x) => x.startsWith('FIN-'))).toBe(false);
    // Closed behind the panel's back (no ticket event, same connection): not seen for at most the limit.
    p.h.app.db.run(p.h.app.db.kysely.updateTable('tickets').set({ status: 'resolved', closed_at: new Date().toISOString() }).where('protocol', '=', shown[0]));
    await new Promise((r) => setTimeout(r, LIST_MAX_AGE_MS + 100));
    const after = await finance.get('/fila').expect(200);
    expect(protocols(after.text)).toEqual(shown.slice(1));
    expect(countOf(after.text)).toBe(`${shown.length - 1} ${shown.length - 1 === 1 ? 'ticket' : 'tickets'}`);
  });
});
