import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { importPartners } from '../../src/tickets/import.js';
import { getTicketByProtocol } from '../../src/tickets/tickets.js';
import { csrfOf, login, refundConversation, startPanel, type Panel } from './support.js';

// What a clerk reads on the queue and the ticket: a closed ticket's age, the excerpt from the
// start of the request, partners by name, the account page in the order people use it.

let p: Panel;
beforeAll(async () => {
  p = await startPanel();
});
afterAll(() => p.close());

const say = (chat: string, text: string, at: number, name?: string) =>
  p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, name, text, id: `d-${chat}-${at}`, timestamp: at }).replies.map((r) => r.text).join('\n');

describe('ticket details', () => {
  it('a resolved ticket says when it was resolved and how long it took, not "Aberto há"', async () => {
    const t = refundConversation(p, '5511955550001', 'Ana');
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    await agent.post(`/tickets/${t.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message: '' }).expect(303);
    const page = (await agent.get(`/tickets/${t.protocol}`)).text;
    expect(page).toMatch(/Resolvido em \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} \(levou \d+ min\)/);
    expect(page).not.toContain('Aberto há');
    const queue = (await agent.get('/fila?status=resolved')).text;
    expect(queue).toMatch(/>levou \d+ min<\/time>/);
  });

  it('the excerpt starts where the conversation did, however long the request; not yesterday’s chat nor the previous request', async () => {
    const chat = '5511955550002';
    const t0 = Date.now() - 3_600_000;
    say(chat, 'bom dia, ontem eu perguntei outra coisa', t0 - 86_400_000, 'Bruno');
    // Today: a few questions, then a refund with corrections: far more than 20 messages.
    const turns = ['oi', 'quando recebo minha comissao?', 'e como vejo meus ganhos?', 'quero o estorno da minha compra', '1', '529.982.247-25', '48213', 'ops, errei o pedido, o certo é 48214', '1', 'ontem', 'nao', '1', 'isso'];
    let last = '';
    turns.forEach((text, i) => (last = say(chat, text, t0 + i * 60_000)));
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(last)![1];
    const excerpt = JSON.parse(getTicketByProtocol(p.h.app.db, protocol)!.excerpt) as Array<{ from: string; text: string }>;
    expect(excerpt.length).toBeGreaterThan(20);
    expect(excerpt[0]).toMatchObject({ from: 'customer', text: 'oi' });
    expect(excerpt.map((m) => m.text)).not.toContain('bom dia, ontem eu perguntei outra coisa');
    // A second request later the same day starts after the first one's ticket.
    const next = ['quero um boleto atualizado', '529.982.247-25', '48216', 'isso'];
    next.forEach((text, i) => (last = say(chat, text, t0 + (30 + i) * 60_000)));
    const second = /Protocolo \*(FIN-\d{6})\*/.exec(last)![1];
    const excerpt2 = JSON.parse(getTicketByProtocol(p.h.app.db, second)!.excerpt) as Array<{ text: string }>;
    expect(excerpt2[0].text).toBe('quero um boleto atualizado');
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${protocol}`)).text;
    expect(page.indexOf('quando recebo minha comissao?')).toBeLessThan(page.indexOf('quero o estorno da minha compra'));
    // The bot's WhatsApp formatting reads as the customer saw it, not as raw asterisks.
    expect(page).toContain('Vamos registrar o pedido de <strong>estorno</strong>');
    expect(page).not.toContain('pedido de *estorno*');
  });

  it('a partner shows by name on the queue and the ticket, not as a masked phone', async () => {
    importPartners(p.h.app.db, 'id,nome,documento,whatsapp,pagina_vendas\nP7,Contabilidade Silva,,+55 11 95555-0003,\n');
    const t = refundConversation(p, '5511955550003', undefined, '48299');
    const { agent } = await login(p, 'finance@example.com');
    const queue = (await agent.get('/fila')).text;
    const row = queue.split('<tr>').find((r) => r.includes(t.protocol))!;
    expect(row).toContain('Contabilidade Silva <span class="tag">parceiro</span>');
    expect(row).not.toContain('9****-0003');
    const page = (await agent.get(`/tickets/${t.protocol}`)).text;
    expect(page).toMatch(/<dt>Parceiro<\/dt><dd>Contabilidade Silva <span class="tag">parceiro Indique Certo, P7<\/span><\/dd>/);
  });

  it('the account page opens with the person’s data and password; API tokens come last', async () => {
    const { agent } = await login(p, 'support@example.com');
    const page = (await agent.get('/conta')).text;
    expect(page).toContain('support@example.com');
    const order = ['Seus dados', 'Trocar senha', 'Tokens de API'].map((h) => page.indexOf(`>${h}</h2>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
