import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fillReply } from '../../src/staff/replies.js';
import { csrfOf, handoffConversation, login, refundConversation, startPanel, type Panel } from './support.js';

// Saved replies: admins keep a small library per team; a ticket page offers its team's only.

let p: Panel;
beforeAll(async () => {
  p = await startPanel();
});
afterAll(() => p.close());

describe('saved replies', () => {
  it('admins add, edit and remove them; everyone else gets 404', async () => {
    const fin = await login(p, 'finance@example.com');
    await fin.agent.get('/respostas').expect(404);
    const finCsrf = await csrfOf(fin.agent);
    await fin.agent.post('/respostas').type('form').send({ _csrf: finCsrf, team: 'finance', title: 'x', text: 'y' }).expect(404);

    const { agent } = await login(p, 'admin@example.com');
    const csrf = await csrfOf(agent, '/respostas');
    const bad = await agent.post('/respostas').type('form').send({ _csrf: csrf, team: 'finance', title: '', text: 'algo' }).expect(400);
    expect(bad.text).toContain('Dê um título');
    await agent.post('/respostas').type('form').send({ _csrf: csrf, team: 'finance', title: 'Estorno no cartão', text: 'Olá, {nome}! O estorno do *{protocolo}* aparece na fatura.' }).expect(303);
    await agent.post('/respostas').type('form').send({ _csrf: csrf, team: 'support', title: 'Token <não> reconhecido', text: 'Reinstale o _driver_ do token.' }).expect(303);
    let page = (await agent.get('/respostas?ok=reply_added')).text;
    expect(page).toContain('Resposta salva adicionada.');
    expect(page).toContain('<summary>Token &lt;não&gt; reconhecido</summary>');
    expect(page).toContain('O estorno do <strong>{protocolo}</strong> aparece na fatura.'); // preview
    const id = /action="\/respostas\/(\d+)"/.exec(page)![1];
    await agent.post(`/respostas/${id}`).type('form').send({ _csrf: csrf, team: 'finance', title: 'Estorno no cartão', text: 'Olá, {nome}! O estorno do pedido do protocolo *{protocolo}* aparece na próxima fatura.' }).expect(303);
    page = (await agent.get('/respostas')).text;
    expect(page).toContain('aparece na próxima fatura');
    await agent.post('/respostas/99999').type('form').send({ _csrf: csrf, team: 'finance', title: 'a', text: 'b' }).expect(404);
  });

  it('a ticket page offers its own team’s replies, filled in for the ticket', async () => {
    const t = refundConversation(p, '5511922220001', 'Joana Prado');
    const h = handoffConversation(p, '5511922220002', 'Carlos');
    const fin = await login(p, 'finance@example.com');
    const page = (await fin.agent.get(`/tickets/${t.protocol}`)).text;
    expect(page).toContain(`data-text="Olá, Joana! O estorno do pedido do protocolo *${t.protocol}* aparece na próxima fatura.">Estorno no cartão</option>`);
    expect(page).not.toContain('Token &lt;não&gt; reconhecido');
    const sup = await login(p, 'support@example.com');
    const hp = (await sup.agent.get(`/tickets/${h.protocol}`)).text;
    expect(hp).toContain('>Token &lt;não&gt; reconhecido</option>');
    expect(hp).not.toContain('Estorno no cartão');
    // Both message boxes of a hand-over have the picker: the reply and the closing message.
    expect(hp.match(/data-insert="(reply-text|close-message)"/g)).toEqual(['data-insert="reply-text"', 'data-insert="close-message"']);
  });

  it('a removed reply is gone from the library and the tickets', async () => {
    const { agent } = await login(p, 'admin@example.com');
    const csrf = await csrfOf(agent, '/respostas');
    await agent.post('/respostas').type('form').send({ _csrf: csrf, team: 'finance', title: 'Temporária', text: 'apagar' }).expect(303);
    const page = (await agent.get('/respostas')).text;
    const id = /action="\/respostas\/(\d+)\/remover" class="inline"><input type="hidden" name="_csrf" value="[^"]+"><button type="submit">Remover “Temporária”/.exec(page)![1];
    await agent.post(`/respostas/${id}/remover`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await agent.get('/respostas')).text).not.toContain('Temporária');
  });

  it('placeholders: a missing name leaves no stray comma', () => {
    expect(fillReply('Olá, {nome}! Protocolo {protocolo}.', { contact_name: null, protocol: 'FIN-000001' })).toBe('Olá! Protocolo FIN-000001.');
    expect(fillReply('Olá, {nome}!', { contact_name: '  Ana Lima ', protocol: 'x' })).toBe('Olá, Ana!');
  });
});
