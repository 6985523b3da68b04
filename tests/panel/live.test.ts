import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Db } from '../../src/db/database.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { csrfOf, login, refundConversation, handoffConversation, startPanel, type Panel } from './support.js';

// The live queue's stream over a real port: what a page open on /fila hears when tickets change
// in this process (the bot's conversations) or in another process on the same database.

let p: Panel;
beforeAll(async () => {
  p = await startPanel({ liveCheckMs: 200 });
});
afterAll(() => p.close());

interface Stream {
  events: Array<{ event: string; data: Record<string, unknown> }>;
  next(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

async function cookieOf(email: string): Promise<string> {
  const { res } = await login(p, email);
  const cookies = res.headers['set-cookie'] as unknown as string[];
  return cookies.find((c) => c.startsWith('ic_session='))!.split(';')[0];
}

function open(cookie: string, query = ''): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${p.url}/fila/eventos${query}`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      const events: Stream['events'] = [];
      const waiters: Array<() => void> = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          waiters.splice(0).forEach((w) => w());
        }
      });
      let seen = 0;
      resolve({
        events,
        next: (event, timeoutMs = 3000) =>
          new Promise((ok, fail) => {
            const t = setTimeout(() => fail(new Error(`no "${event}" event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(seen))}`)), timeoutMs);
            const look = () => {
              const i = events.findIndex((e, k) => k >= seen && e.event === event);
              if (i >= 0) {
                seen = i + 1;
                clearTimeout(t);
                ok(events[i].data);
              } else waiters.push(look);
            };
            look();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('live queue stream', () => {
  it('refuses without a session', async () => {
    await expect(open('ic_session=nope')).rejects.toThrow(/HTTP 303/);
  });

  it('a ticket the bot opens reaches the team’s open pages at once, with the waiting counts; the other team hears nothing', async () => {
    const finance = await open(await cookieOf('finance@example.com'));
    const support = await open(await cookieOf('support@example.com'));
    expect(await finance.next('hello')).toEqual({ waiting: { open: 0, in_progress: 0 } });
    await support.next('hello');
    const t = refundConversation(p, '5511944440001', 'Joana');
    const m = await finance.next('queue');
    expect(m).toMatchObject({ waiting: { open: 1, in_progress: 0 }, changed: [t.protocol], created: [{ protocol: t.protocol, title: 'Estorno', handoff: false }] });
    // A hand-over is support's: finance hears nothing of it, support is told a person waits.
    const h = handoffConversation(p, '5511944440002', 'Carlos');
    expect(await support.next('queue')).toMatchObject({ changed: [h.protocol], created: [{ protocol: h.protocol, handoff: true }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(finance.events.filter((e) => e.event === 'queue')).toHaveLength(1);
    // Staff actions are changes too: the count moves to "em andamento".
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    await agent.post(`/tickets/${t.protocol}/status`).type('form').send({ _csrf: csrf, status: 'in_progress' }).expect(303);
    expect(await finance.next('queue')).toMatchObject({ waiting: { open: 0, in_progress: 1 }, changed: [t.protocol], created: [] });
    finance.close();
    support.close();
  });

  it('a queue page’s stream brings its own list’s new rows with the change; a page that names no list gets none', async () => {
    const cookie = await cookieOf('finance@example.com');
    const all = await open(cookie, '?parcial=1');
    const boletos = await open(cookie, '?type=boleto_renewal&parcial=1');
    const other = await open(cookie);
    await Promise.all([all.next('hello'), boletos.next('hello'), other.next('hello')]);
    const t = refundConversation(p, '5511944440007', 'Lia', '48777');
    const [a, b, o] = await Promise.all([all.next('queue'), boletos.next('queue'), other.next('queue')]);
    expect(a.rows).toEqual(expect.stringContaining(`<tr data-protocol="${t.protocol}">`));
    expect(a.rows).not.toContain('<html');
    // The same rows a fetch of that list gives.
    const { agent } = await login(p, 'finance@example.com');
    expect((await agent.get('/fila?parcial=1').expect(200)).text).toBe(a.rows);
    // Another list, its own rows (a refund is not a boleto); no list, no rows.
    expect(typeof b.rows).toBe('string');
    expect(b.rows).not.toContain(t.protocol);
    expect(o.rows).toBeUndefined();
    all.close();
    boletos.close();
    other.close();
  });

  it('a ticket written by another process on the same database is noticed by the periodic check', async () => {
    const stream = await open(await cookieOf('finance@example.com'));
    await stream.next('hello');
    const other = await Db.open(p.h.dbPath); // another connection: its writes never pass through this process's bus
    try {
      createTicket(other, { type: 'boleto_renewal', team: 'finance', chatId: '5511944440003', phone: '5511944440003', contactName: 'Outro Processo', data: {}, excerpt: [], now: new Date().toISOString() });
      const m = await stream.next('queue', 2000);
      expect(m).toMatchObject({ changed: null });
      expect((m.waiting as { open: number }).open).toBeGreaterThanOrEqual(1);
    } finally {
      await other.close();
      stream.close();
    }
  });

  it('the queue page’s rows come as a fragment; the count always agrees with the rows', async () => {
    const { agent } = await login(p, 'support@example.com');
    const page = await agent.get('/fila').expect(200);
    const href = /id="queue-live" data-fragment="([^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const fragment = await agent.get(href).expect(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('1 ticket');
    expect(fragment.text).toMatch(/<tr data-protocol="SUP-\d{6}">/);
    expect(page.text).toMatch(/<title>\(1\) Fila do Suporte/);
    expect(page.text).toMatch(/id="waiting"[^>]*><span class="w-open"><span data-n>1<\/span> aberto<\/span>/);
    // Resolve the only ticket: the queue says it is empty, not "1 ticket" beside "Nenhum ticket".
    const protocol = /data-protocol="(SUP-\d{6})"/.exec(fragment.text)![1];
    const csrf = await csrfOf(agent);
    await agent.post(`/tickets/${protocol}/handover/close`).type('form').send({ _csrf: csrf }).expect(303);
    const after = await agent.get('/fila');
    expect(after.text).toContain('Nenhum ticket encontrado');
    expect(after.text).toContain('0 tickets');
  });
});
