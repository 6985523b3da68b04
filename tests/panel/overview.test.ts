import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, refundConversation, startPanel, type Panel } from './support.js';

// The admin's "Visão geral": charts drawn on the server from the per-hour decision counts and
// the tickets, for admins only.

let p: Panel;

beforeAll(async () => {
  p = await startPanel();
  const say = (text: string, i: number) => p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511911112222', phone: '5511911112222', text, id: `o${i}`, timestamp: Date.now() });
  say('qdo recebo minha comissao?', 1);
  say('qdo recebo minha comissao?', 2);
  say('xkcd zzz qwerty plim', 3);
  refundConversation(p, '5511988887777', 'Joana');
});
afterAll(() => p.close());

describe('Visão geral', () => {
  it('is for admins only', async () => {
    for (const role of ['finance', 'support'] as const) {
      const { agent } = await login(p, `${role}@example.com`);
      expect((await agent.get('/visao-geral')).status).toBe(404);
      expect((await agent.get('/fila')).text).not.toContain('href="/visao-geral"');
    }
  });

  it('shows messages per hour, top questions, the unanswered rate and tickets per type as SVG, in pt-BR', async () => {
    const { agent } = await login(p, 'admin@example.com');
    expect((await agent.get('/fila')).text).toContain('href="/visao-geral"');
    const page = await agent.get('/visao-geral').expect(200);
    const body = page.text;
    expect(body).toContain('<h1>Visão geral</h1>');
    expect(body).toContain('<svg');
    expect(body).toMatch(/Mensagens recebidas por hora/);
    // 12 messages in this hour (2 questions, 1 gibberish, 9 of the refund request).
    expect(body).toMatch(/<span class="kpi-value">12<\/span> mensagens recebidas/);
    // The commission question is the top one, by its FAQ label.
    expect(body).toMatch(/Perguntas mais respondidas[\s\S]*Quando recebo/);
    // Unanswered: the gibberish among the free-text questions (the request's answers do not count).
    const rate = /<span class="kpi-value">([\d,]+) %<\/span> perguntas sem resposta/.exec(body)?.[1];
    expect(rate).toBeDefined();
    expect(Number(rate!.replace(',', '.'))).toBeGreaterThan(0);
    expect(body).toMatch(/Tickets abertos por tipo[\s\S]*Estorno/);
    // No chart library, no CDN, no inline script or style (the CSP holds).
    expect(body).not.toMatch(/<script(?! src="\/static\/panel\.js")/);
    expect(body).not.toMatch(/ style="/);
    expect(body).not.toMatch(/(src|href)="https?:/);
    const month = await agent.get('/visao-geral?periodo=30d').expect(200);
    expect(month.text).toMatch(/Mensagens recebidas por dia/);
    expect(month.text).toContain('<strong aria-current="page">Últimos 30 dias</strong>');
  });

  it('counts resolution time and deadlines of closed tickets', async () => {
    const t = refundConversation(p, '5511977776666', 'Carlos', '48214');
    const res = await fetch(`${p.url}/api/tickets/${t.protocol}/resolve`, { method: 'POST', headers: { Authorization: `Bearer ${p.users.finance.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    const { agent } = await login(p, 'admin@example.com');
    const body = (await agent.get('/visao-geral')).text;
    const row = /<tr><td data-label="Tipo">Estorno<\/td><td data-label="Abertos">(\d+)<\/td><td data-label="Encerrados">(\d+)<\/td><td data-label="Mediana">([^<]+)<\/td>/.exec(body);
    expect(row?.slice(1, 3)).toEqual(['2', '1']);
    expect(row?.[3]).not.toBe('—');
  });
});
