import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Ticket } from '../../src/db/schema.js';
import { csrfOf, login, refundConversation, startPanel, type Panel } from './support.js';

// Security: escaping, headers, CSRF, SQL-ish input, body limits, log-in lockout, rate limits.

const XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
let p: Panel;
let ticket: Ticket;

beforeAll(async () => {
  p = await startPanel({ apiRateLimitPerMinute: 20, loginMaxFailuresAccount: 3, loginMaxFailuresIp: 8, loginRateLimitPerMinute: 1000 });
  ticket = refundConversation(p, '5511988887777', XSS);
});
afterAll(() => p.close());

describe('escaping', () => {
  it('a script in the customer name is shown as text on the queue and ticket pages', async () => {
    const { agent } = await login(p, 'finance@example.com');
    for (const path of ['/fila', `/tickets/${ticket.protocol}`]) {
      const page = await agent.get(path).expect(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    }
  });

  it('a script in a note and in a search string is escaped too', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    await agent.post(`/tickets/${ticket.protocol}/notes`).type('form').send({ _csrf: csrf, text: XSS }).expect(303);
    const page = await agent.get(`/tickets/${ticket.protocol}`);
    expect(page.text).not.toContain('<script>alert');
    const search = await agent.get('/fila').query({ q: '"><script>alert(1)</script>' }).expect(200);
    expect(search.text).not.toContain('<script>alert(1)');
    expect(search.text).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('headers', () => {
  it('sends a CSP without inline scripts, frame-ancestors none, and the other helmet headers', async () => {
    const res = await request(p.url).get('/login').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.text).not.toMatch(/\son[a-z]+="/);
  });

  it('the session cookie is HttpOnly and SameSite=Lax; Secure behind an HTTPS proxy', async () => {
    const { res } = await login(p, 'finance@example.com');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ic_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const proxied = await startPanel({ trustProxy: true });
    try {
      const agent = request.agent(proxied.url);
      const page = await agent.get('/login').set('X-Forwarded-Proto', 'https');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const ok = await agent.post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', `ic_login_csrf=${csrf}`).type('form').send({ _csrf: csrf, email: 'finance@example.com', password: 'senha-de-teste-123' }).expect(303);
      const secure = (ok.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ic_session='))!;
      expect(secure).toMatch(/Secure/);
      expect(ok.headers['strict-transport-security']).toBeDefined();
    } finally {
      await proxied.close();
    }
  });
});

describe('CSRF', () => {
  it('rejects a state change without the token, with a wrong token, or from another origin', async () => {
    const { agent } = await login(p, 'finance@example.com');
    await agent.post(`/tickets/${ticket.protocol}/assign`).type('form').send({ assignee: 'me' }).expect(403);
    await agent.post(`/tickets/${ticket.protocol}/assign`).type('form').send({ assignee: 'me', _csrf: 'wrong' }).expect(403);
    const csrf = await csrfOf(agent);
    await agent.post(`/tickets/${ticket.protocol}/assign`).set('Origin', 'https://evil.example').type('form').send({ assignee: 'me', _csrf: csrf }).expect(403);
    await agent.post('/logout').type('form').send({}).expect(403);
    const t = p.h.app.db.first(p.h.app.db.kysely.selectFrom('tickets').select('assignee_id').where('id', '=', ticket.id))!;
    expect(t.assignee_id).toBeNull();
    await agent.post(`/tickets/${ticket.protocol}/assign`).set('Origin', p.url).type('form').send({ assignee: 'me', _csrf: csrf }).expect(303);
  });

  it('the log-in form needs its own token', async () => {
    await request(p.url).post('/login').type('form').send({ email: 'finance@example.com', password: 'senha-de-teste-123' }).expect(403);
  });

  it('a session token of one user is useless in another session', async () => {
    const a = await login(p, 'finance@example.com');
    const b = await login(p, 'admin@example.com');
    const csrfA = await csrfOf(a.agent);
    await b.agent.post(`/tickets/${ticket.protocol}/notes`).type('form').send({ _csrf: csrfA, text: 'x' }).expect(403);
  });
});

describe('input', () => {
  it('SQL-looking search strings are plain values', async () => {
    const { agent } = await login(p, 'finance@example.com');
    for (const q of ["' OR 1=1 --", '"; DROP TABLE tickets; --', "FIN-000001' OR '1'='1", '%', '_', "x') UNION SELECT password_hash FROM staff_users --"]) {
      const res = await agent.get('/fila').query({ q, status: 'all' }).expect(200);
      expect(res.text).toContain('Nenhum ticket encontrado');
      const api = await request(p.url).get('/api/tickets').query({ q, assignee: "1 OR 1=1", from: "2020-01-01' --" }).set('Authorization', `Bearer ${p.users.admin.token}`);
      if (api.status === 429) continue;
      expect(api.body.tickets).toEqual([]);
    }
    expect(p.h.app.db.first(p.h.app.db.kysely.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')))!.n).toBe(1);
  });

  it('unknown or malformed protocols are 404', async () => {
    const { agent } = await login(p, 'finance@example.com');
    await agent.get('/tickets/FIN-999999').expect(404);
    await agent.get("/tickets/FIN-1' OR '1'='1").expect(404);
  });

  it('an oversized body is refused with 413 (form and JSON)', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    const big = 'a'.repeat(200 * 1024);
    const res = await agent.post(`/tickets/${ticket.protocol}/notes`).type('form').send({ _csrf: csrf, text: big });
    expect(res.status).toBe(413);
    const api = await request(p.url).post(`/api/tickets/${ticket.protocol}/notes`).set('Authorization', `Bearer ${p.users.support.token}`).send({ text: big });
    expect(api.status).toBe(413);
  });
});

describe('log-in throttling', () => {
  it('wrong passwords lock the account for a while, even for the right password; other accounts still work', async () => {
    for (let i = 0; i < 2; i++) expect((await login(p, 'support@example.com', 'errada-123456')).res.status).toBe(401);
    expect((await login(p, 'support@example.com', 'errada-123456')).res.status).toBe(429);
    const locked = await login(p, 'support@example.com');
    expect(locked.res.status).toBe(429);
    expect(locked.res.text).toContain('bloqueado');
    expect((await login(p, 'finance@example.com')).res.status).toBe(303);
  });

  it('an IP that keeps failing on many accounts is locked too', async () => {
    let last = 0;
    for (let i = 0; i < 8; i++) last = (await login(p, `nobody${i}@example.com`, 'errada-123456')).res.status;
    expect(last).toBe(429);
    expect((await login(p, 'admin@example.com')).res.status).toBe(429);
  });
});

describe('API rate limit', () => {
  it('answers 429 past the per-token limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await request(p.url).get('/api/me').set('Authorization', `Bearer ${p.users.finance.token}`)).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
  });
});

describe('log-in throttling under parallel guesses', () => {
  it('25 wrong passwords at once check at most 5 of them (the limit), and the account is locked', async () => {
    const q = await startPanel({ loginMaxFailuresAccount: 5, loginMaxFailuresIp: 20, loginRateLimitPerMinute: 1000 });
    try {
      // One log-in page per guess (each guess needs its own CSRF cookie), then all POSTs at once.
      const agents = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const agent = request.agent(q.url);
          const page = await agent.get('/login');
          return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
        }),
      );
      const statuses = await Promise.all(
        agents.map(({ agent, csrf }, i) => agent.post('/login').type('form').send({ _csrf: csrf, email: 'support@example.com', password: `errada-${i}-123456`, next: '/fila' }).then((r) => r.status)),
      );
      const checked = (q.h.app.db.sqlite.prepare("select failures from login_attempts where key = 'email:support@example.com'").get() as { failures: number }).failures;
      expect({ checked, wrongAnswers: statuses.filter((s) => s === 401).length }).toEqual({ checked: 5, wrongAnswers: 4 });
      expect(statuses.filter((s) => s === 429)).toHaveLength(21);
      // Locked now, even for the right password.
      expect((await login(q, 'support@example.com')).res.status).toBe(429);
      // A successful log-in from the same address does not count against the address.
      expect((await login(q, 'finance@example.com')).res.status).toBe(303);
      const ip = (q.h.app.db.sqlite.prepare("select failures from login_attempts where key like 'ip:%'").get() as { failures: number }).failures;
      expect(ip).toBe(5);
    } finally {
      await q.close();
    }
  });
});
