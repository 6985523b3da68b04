import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
});
afterEach(() => h.close());

describe('main menu and submenus', () => {
  it('greets with the main menu: nine FAQ categories in the seed order, then Solicitações and atendente', () => {
    const reply = h.ask('oi');
    const items = [...reply.matchAll(/\*(\d+)\* - ([^\n]+)/g)].map((m) => [Number(m[1]), m[2]]);
    expect(items.map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(items.slice(0, 9).map(([, t]) => t)).toEqual([
      'Certificado Digital', 'Portal do Parceiro', 'Documentação', 'Agendamento', 'Benefícios', 'Financeiro', 'Emissão', 'Compra', 'Sobre',
    ]);
    expect(String(items[9][1])).toMatch(/^Solicitações/);
    expect(items[10][1]).toBe('Falar com um atendente');
  });

  it('opens a category submenu by number and answers its questions by number', () => {
    h.say('menu');
    const sub = h.ask('5');
    expect(sub).toContain('*Benefícios*');
    expect(sub).toContain('*2* - Quando recebo minha comissão?');
    const answer = h.ask('2');
    expect(answer).toContain('15º dia útil do mês subsequente');
    // One short line on how to continue, not the whole menu again.
    expect(answer).not.toContain('*1* - Certificado Digital');
    expect(answer).toMatch(/voltar|menu/);
    // Still in the submenu: another number answers another question of the same category.
    expect(h.ask('3')).toContain('25%');
  });

  it('"voltar" goes from a submenu back to the main menu', () => {
    h.say('menu');
    h.say('3');
    expect(h.ask('voltar')).toContain('*1* - Certificado Digital');
  });

  it('a number out of range gets a clear hint, not a crash or a random answer', () => {
    h.say('menu');
    expect(h.ask('42')).toMatch(/Não encontrei essa opção\. Digite um número de 1 a 11/);
    h.say('2');
    expect(h.ask('9')).toMatch(/de 1 a 2\b/);
  });
});

describe('free text from any state', () => {
  it('answers an informal question with the FAQ fact and one continuation line', () => {
    const reply = h.ask('qdo eu recebo minha comissao??');
    expect(reply).toContain('15º dia útil');
    expect(reply).toContain('Posso ajudar em algo mais? Digite *menu* para ver as opções.');
  });

  it('answers free text even inside a submenu', () => {
    h.say('menu');
    h.say('1');
    expect(h.ask('qual o link pra consultar o cpf do cliente')).toContain('https://arlccertificacaodigital.acsoluti.com.br/site/emissao-online');
  });

  it('says honestly when it does not know, and shows the menu', () => {
    const reply = h.ask('quanto custa o e-cnpj a1?');
    expect(reply).toMatch(/não tenho/);
    expect(reply).toContain('*11* - Falar com um atendente');
  });

  it('asks "Você quis dizer" when unsure and answers the chosen option', () => {
    const reply = h.ask('senha');
    expect(reply).toMatch(/Você quis dizer/);
    const options = [...reply.matchAll(/\*(\d)\*\) ([^\n]+)/g)];
    expect(options.length).toBeGreaterThanOrEqual(2);
    const answer = h.ask('1');
    expect(answer).toMatch(/senha/i);
    expect(answer).not.toMatch(/Você quis dizer/);
  });
});

describe('global commands', () => {
  it('"sair" ends the conversation politely and the next message starts again', () => {
    h.say('menu');
    h.say('4');
    expect(h.ask('sair')).toMatch(/Atendimento encerrado/);
    expect(h.app.engine.stateOf('5511999990001')).toBe('ended');
    expect(h.ask('oi')).toContain('*1* - Certificado Digital');
  });

  it('"atendente" and option 11 are understood anywhere', () => {
    h.say('menu');
    h.say('2');
    expect(h.ask('atendente')).toMatch(/atend|pessoa/i);
    // During the hand-over the bot is silent (only "menu" brings it back).
    expect(h.ask('11')).toBe('');
    h.say('menu');
    expect(h.ask('11')).toMatch(/atend|pessoa|fila/i);
  });

  it('thanks and goodbyes get a short friendly line', () => {
    expect(h.ask('obrigado!')).toMatch(/Por nada/);
    expect(h.ask('tchau')).toMatch(/encerrado/);
  });
});
