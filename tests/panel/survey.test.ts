import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Ticket } from '../../src/db/schema.js';
import { DEFAULT_SURVEY_TEXT } from '../../src/staff/config.js';
import { csrfOf, login, refundConversation, startPanel, type Panel } from './support.js';

// Customer satisfaction, panel side: resolving a ticket (page or API) asks the customer once on
// WhatsApp; the rating the conversation reads reaches the ticket page and the admins' figures
// per team and per clerk.

let p: Panel;
beforeAll(async () => {
  p = await startPanel({ survey: { enabled: true, text: 'Como foi o atendimento do protocolo *{protocolo}*? Nota de 1 a 5.' } });
});
afterAll(() => p.close());

const outbox = (chat: string) => p.h.app.db.all(p.h.app.db.kysely.selectFrom('outbound_messages').select('text').where('chat_id', '=', chat).orderBy('id')).map((r) => r.text);
const customer = (chat: string, text: string) => p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, text, id: `s-${chat}-${Math.random()}`, timestamp: Date.now() }).replies.map((r) => r.text).join('\n');

async function resolve(t: Ticket, message = 'Estorno feito.') {
  const { agent } = await login(p, 'finance@example.com');
  const csrf = await csrfOf(agent);
  await agent.post(`/tickets/${t.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message }).expect(303);
  return { agent, csrf };
}

describe('satisfaction survey', () => {
  it('resolving asks once, with the configured words; the rating and comment reach the ticket and its history', async () => {
    const chat = '5511933330001';
    const t = refundConversation(p, chat, 'Joana');
    const { agent, csrf } = await resolve(t);
    const sent = outbox(chat);
    expect(sent.at(-2)).toBe('Estorno feito.');
    expect(sent.at(-1)).toBe(`Como foi o atendimento do protocolo *${t.protocol}*? Nota de 1 a 5.`);
    let page = (await agent.get(`/tickets/${t.protocol}`)).text;
    expect(page).toMatch(/Pesquisa enviada em \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}; o cliente ainda não respondeu/);

    customer(chat, 'nota 4');
    customer(chat, 'foram rápidos, mas demorou pra começar');
    page = (await agent.get(`/tickets/${t.protocol}`)).text;
    expect(page).toContain('<span class="stars" aria-hidden="true">★★★★☆</span> <strong>4/5</strong>');
    expect(page).toContain('<blockquote class="pre">foram rápidos, mas demorou pra começar</blockquote>');
    expect(page).toContain('Avaliação do cliente: <strong>4/5</strong> <span class="pre">“foram rápidos, mas demorou pra começar”</span>');

    // Reopened and resolved again: not asked a second time.
    await agent.post(`/tickets/${t.protocol}/status`).type('form').send({ _csrf: csrf, status: 'open' }).expect(303);
    const before = outbox(chat).length;
    await agent.post(`/tickets/${t.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message: '' }).expect(303);
    expect(outbox(chat).length).toBe(before);
  });

  it('rejecting asks nothing; resolving through the API asks too', async () => {
    const a = refundConversation(p, '5511933330002', 'Bruno', '48214');
    const { agent, csrf } = await resolve(a, '');
    const b = refundConversation(p, '5511933330003', 'Carla', '48215');
    await agent.post(`/tickets/${b.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'rejected', message: 'Fora do prazo.' }).expect(303);
    expect(outbox('5511933330003').at(-1)).toBe('Fora do prazo.');
    const c = refundConversation(p, '5511933330004', 'Davi', '48216');
    await request(p.url).post(`/api/tickets/${c.protocol}/resolve`).set('Authorization', `Bearer ${p.users.finance.token}`).send({ message: 'Feito.' }).expect(200);
    expect(outbox('5511933330004').at(-1)).toContain(`protocolo *${c.protocol}*`);
    customer('5511933330004', '⭐⭐');
    customer('5511933330004', 'não');
    expect(outbox('5511933330002').at(-1)).toContain(a.protocol);
  });

  it('someone in the middle of another request is not interrupted: the ticket says the survey was not sent', async () => {
    const chat = '5511933330005';
    const t = refundConversation(p, chat, 'Eva', '48217');
    customer(chat, 'quero um boleto atualizado');
    const { agent } = await resolve(t, '');
    expect(outbox(chat).at(-1)).not.toContain('Nota de 1 a 5');
    expect((await agent.get(`/tickets/${t.protocol}`)).text).toContain('Pesquisa não enviada: o cliente estava no meio de outra conversa com o bot.');
  });

  it('admins see the figures per team and per clerk and the latest comments; others get 404', async () => {
    const fin = await login(p, 'finance@example.com');
    await fin.agent.get('/avaliacoes').expect(404);
    const { agent } = await login(p, 'admin@example.com');
    const page = (await agent.get('/avaliacoes')).text;
    const team = page.split('<tr>').find((r) => r.includes('data-label="Equipe">Financeiro'))!;
    // Asked: Joana, Bruno, Davi (Eva was not asked); answered: Joana 4, Davi 2.
    expect(team).toContain('data-label="Enviadas">3</td><td data-label="Respostas">2</td><td data-label="Taxa">67 %</td><td data-label="Média">3,0</td>');
    const clerk = page.split('<tr>').find((r) => r.includes('data-label="Atendente">Fernanda Financeiro'))!;
    expect(clerk).toContain('data-label="Respostas">2 de 3</td>');
    expect(page).toContain('foram rápidos, mas demorou pra começar');
    expect(page).toContain('Avaliações</a>');
  });

  it('switched off, nobody is asked', async () => {
    const off = await startPanel({ survey: { enabled: false, text: DEFAULT_SURVEY_TEXT } });
    try {
      const t = refundConversation(off, '5511933330006', 'Fábio');
      const { agent } = await login(off, 'finance@example.com');
      const csrf = await csrfOf(agent);
      await agent.post(`/tickets/${t.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message: 'Ok.' }).expect(303);
      const last = off.h.app.db.first(off.h.app.db.kysely.selectFrom('outbound_messages').select('text').where('chat_id', '=', '5511933330006').orderBy('id', 'desc'));
      expect(last?.text).toBe('Ok.');
      expect((await agent.get(`/tickets/${t.protocol}`)).text).not.toContain('Avaliação do cliente');
    } finally {
      await off.close();
    }
  });
});
