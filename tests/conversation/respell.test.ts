import { describe, expect, it } from '@jest/globals';
import { respellEmail } from '../../src/conversation/form.js';
import { fold } from '../../src/nlu/spelling.js';
import { readSignals } from '../../src/conversation/signals.js';

describe('respellEmail (an address put right in words)', () => {
  it('changes the one letter a spelled word says ("souza com z")', () => {
    expect(respellEmail('mari.sousa22@gmail.com', fold('meu email é souza com z, o resto é igual'))).toBe('mari.souza22@gmail.com');
  });
  it('joins the letters said "tudo junto" or "sem o ponto"', () => {
    expect(respellEmail('henrique.rocha@hrcomercio.com.br', fold('o meu e-mail não tem ponto, é henriquerocha, tudo junto'))).toBe('henriquerocha@hrcomercio.com.br');
    expect(respellEmail('joao.pedro22@gmail.com', fold('o email é sem o ponto'))).toBe('joaopedro22@gmail.com');
  });
  it('leaves the address alone when nothing said fits it', () => {
    expect(respellEmail('ana@gmail.com', fold('souza com z'))).toBeNull();
    expect(respellEmail('ana.lima@gmail.com', fold('tudo certo, pode mandar'))).toBeNull();
  });
});

describe('signals read like a person would', () => {
  it('"ah esqueci, o horário é 9h30" forgot to say it; "esqueci o número" does not know it', () => {
    expect(readSignals('ah esqueci, o horario é 9h30').dontKnow).toBe(false);
    expect(readSignals('esqueci o numero do pedido').dontKnow).toBe(true);
  });
  it('"oi?? to com pressa" is urgency; "a resposta vem por aqui mesmo né?" asks where the answer comes', () => {
    expect(readSignals('oi?? to com pressa').smallTalk).toBe('urgency');
    expect(readSignals('obrigada! a resposta vem por aqui mesmo ne?').smallTalk).toBe('replyHere');
    expect(readSignals('me confundi, ela pagou no cartao').correction).toBe(true);
  });
});
