import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { requestTypes } from '../../flows/index.js';
import { changePhone } from '../fixtures/change-phone.js';
import { login, startPanel, type Panel } from '../panel/support.js';

// Adding a request type is its declaration and one registration line: registered here from a
// fixture, it is started from free text and from the menu, opens a ticket whose fields staff
// read by their labels, with its template and its SLA target, and nothing else was edited.

let p: Panel;
beforeAll(async () => {
  // (Should the company add its own change_phone to flows/, the fixture takes its place here.)
  p = await startPanel({}, { requests: [...requestTypes.filter((r) => r.id !== changePhone.id), changePhone] });
});
afterAll(() => p.close());

describe('a request type registered from one declaration', () => {
  it('starts from free text, checks its rule on every path, and opens a support ticket with its expected time', () => {
    const start = p.h.ask('oi, quero trocar o telefone cadastrado da minha conta');
    expect(start).toContain('alteração do telefone cadastrado');
    expect(start).toContain('CPF ou CNPJ');
    expect(p.h.ask('529.982.247-25')).toContain('telefone cadastrado hoje');
    expect(p.h.ask('11 98888-7777')).toContain('novo telefone');
    // The new phone must differ from the current one, whatever path the value takes.
    expect(p.h.ask('(11) 98888-7777')).toContain('igual ao atual');
    const summary = p.h.ask('o novo é 11 97777-6666');
    expect(summary).toContain('Confira a alteração do telefone');
    expect(summary).not.toContain('97777-6666'); // masked on the summary
    const done = p.h.ask('sim');
    expect(done).toContain('Protocolo *SUP-000001*');
    expect(done).toContain('até 2 dias úteis');
  });

  it('is listed in the Solicitações menu and in the main menu line, and starts from there', () => {
    const menu = p.h.ask('menu', { from: '5511922223333' });
    expect(menu).toMatch(/Solicitações \(.*telefone\)/);
    const list = p.h.ask('10', { from: '5511922223333' });
    const item = /\*(\d+)\* - Alterar o telefone cadastrado/.exec(list);
    expect(item).not.toBeNull();
    expect(p.h.ask(item![1], { from: '5511922223333' })).toContain('alteração do telefone cadastrado');
  });

  it('staff read the ticket with the declared labels, template and SLA target', async () => {
    const { agent } = await login(p, 'support@example.com');
    const page = await agent.get('/tickets/SUP-000001').expect(200);
    expect(page.text).toContain('Alteração do telefone cadastrado');
    expect(page.text).toMatch(/<dt>Telefone atual<\/dt><dd><span class="v">[^<]*98888/);
    expect(page.text).toMatch(/<dt>Novo telefone<\/dt><dd><span class="v">[^<]*97777/);
    expect(page.text).toContain('O telefone do seu cadastro foi atualizado');
    const queue = await agent.get('/fila').expect(200);
    expect(queue.text).toContain('SUP-000001');
    expect(queue.text).toContain('Meta: 6 h');
    // Another team never sees it.
    const finance = await login(p, 'finance@example.com');
    await finance.agent.get('/tickets/SUP-000001').expect(404);
  });
});
