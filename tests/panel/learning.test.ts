import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { listLearned } from '../../src/db/learning.js';
import { recordUnanswered } from '../../src/learning/unanswered.js';
import { csrfOf, login, startPanel, type Panel } from './support.js';

// "Perguntas não respondidas" over a real port: admins only, what customers wrote (masked) in
// groups with the bot's guesses, and the decisions that teach the running bot.

let p: Panel;
let seq = 0;
const customer = (text: string, from = `55119${String(++seq).padStart(8, '0')}`) =>
  p.h.app.engine.handle({ channel: 'whatsapp', chatId: from, phone: from, text, id: `l${seq}`, timestamp: Date.now() }).replies.map((r) => r.text).join('\n');

beforeAll(async () => {
  p = await startPanel();
});
afterAll(() => p.close());

const idsOn = (page: string, text: string): string => {
  const card = page.split('<section class="card group"').find((c) => c.includes(text));
  return /name="ids" value="([\d,]+)"/.exec(card ?? '')?.[1] ?? '';
};

describe('Perguntas não respondidas', () => {
  it('is for admins only: the link and the page', async () => {
    const finance = (await login(p, 'finance@example.com')).agent;
    await finance.get('/perguntas').expect(404);
    expect((await finance.get('/fila')).text).not.toContain('href="/perguntas"');
    const admin = (await login(p, 'admin@example.com')).agent;
    expect((await admin.get('/fila')).text).toContain('<a href="/perguntas">Perguntas não respondidas</a>');
    await request(p.url).get('/perguntas').expect(303);
  });

  it('shows what the bot declined, grouped, masked, with its guesses', async () => {
    // Two messages as the conversation side records them, one through the engine itself.
    const guesses = ['fora-do-escopo/conta-do-parceiro', 'beneficios-comissao-quando'];
    recordUnanswered(p.h.app.db, { chatId: '5511911110001', text: 'quero sacar meus ganhos de indicação, meu cpf é 529.982.247-25', kind: 'declined', guesses, at: Date.now() });
    recordUnanswered(p.h.app.db, { chatId: '5511911110002', text: 'preciso sacar meus ganhos de indicação', kind: 'clarify-unresolved', guesses, at: Date.now() });
    customer('vcs tem integração com o meu erp?');
    const admin = (await login(p, 'admin@example.com')).agent;
    const page = (await admin.get('/perguntas').expect(200)).text;
    expect(page).toContain('<h1>Perguntas não respondidas</h1>');
    expect(page).toContain('2 mensagens de 2 pessoas');
    expect(page).toContain('<q>quero sacar meus ganhos de indicação, meu cpf é [cpf]</q>');
    expect(page).not.toContain('529.982.247-25');
    expect(page).toMatch(/O bot pensou em:<\/strong> fora do escopo: Cadastro e conta do parceiro[^·]*· Quando recebo a comissão/);
    expect(page).toContain('&quot;Você quis dizer&quot; e a pessoa não escolheu');
    expect(page).toContain('vcs tem integração com o meu erp?');
    expect(page).toMatch(/<optgroup label="Benefícios">.*Quando recebo a comissão/s);
  });

  it('"Ensinar o bot" makes the running bot answer the next similar question', async () => {
    const probe = 'posso sacar os ganhos das minhas indicações quando?';
    expect(customer(probe)).not.toContain('15º dia útil');
    const admin = (await login(p, 'admin@example.com')).agent;
    const page = (await admin.get('/perguntas')).text;
    const ids = idsOn(page, 'sacar meus ganhos');
    expect(ids).toMatch(/^\d+(,\d+)+$/);
    const csrf = await csrfOf(admin, '/perguntas');
    const res = await admin.post('/perguntas/ensinar').type('form').send({ _csrf: csrf, ids, entry: 'beneficios-comissao-quando' }).expect(303);
    expect(res.headers.location).toMatch(/^\/perguntas\?ok=taught/);
    const after = (await admin.get(res.headers.location)).text;
    expect(after).toContain('o bot aprendeu');
    expect(after).not.toContain('sacar meus ganhos');
    expect(listLearned(p.h.app.db).some((e) => e.label === 'beneficios-comissao-quando' && e.text.includes('[cpf]') === false)).toBe(true);
    expect(customer('da pra sacar os ganhos das indicações que dia?')).toContain('15º dia útil');
  });

  it('"Marcar como fora do escopo" and "Anotar pergunta nova" close the group; a bad form is refused', async () => {
    const admin = (await login(p, 'admin@example.com')).agent;
    const csrf = await csrfOf(admin, '/perguntas');
    const ids = idsOn((await admin.get('/perguntas')).text, 'integração com o meu erp');
    await admin.post('/perguntas/fora-do-escopo').type('form').send({ _csrf: csrf, ids, topic: 'outros-produtos' }).expect(303);
    expect((await admin.get('/perguntas')).text).not.toContain('integração com o meu erp');
    customer('vcs tem aplicativo pra celular?');
    const appIds = idsOn((await admin.get('/perguntas')).text, 'aplicativo pra celular');
    await admin.post('/perguntas/anotar').type('form').send({ _csrf: csrf, ids: appIds, question: 'O Indique Certo tem aplicativo?' }).expect(303);
    const page = (await admin.get('/perguntas')).text;
    expect(page).toMatch(/Perguntas anotadas para acrescentar ao FAQ.*O Indique Certo tem aplicativo\?.*aplicativo pra celular/s);
    await admin.post('/perguntas/ensinar').type('form').send({ _csrf: csrf, ids: 'x;drop', entry: 'beneficios-comissao-quando' }).expect(400);
    await admin.post('/perguntas/ensinar').type('form').send({ ids: appIds, entry: 'beneficios-comissao-quando' }).expect(403);
  });
});
