import { describe, expect, it } from '@jest/globals';
import { fold } from '../../src/nlu/spelling.js';

describe('fold', () => {
  it('reads "o papel do banco" as the boleto it is, and keeps other papers', () => {
    expect(fold('saiu um papel do banco pra eu pagar, so que o papel venceu')).toBe('saiu um boleto pra eu pagar so que o boleto venceu');
    expect(fold('mandar outro papel pra eu pagar')).toBe('mandar outro boleto');
    expect(fold('o papel da empresa, contrato social')).toBe('o papel da empresa contrato social');
  });
  it('joins an accent typed as its own mark (decomposed text) to its letter', () => {
    expect(fold('na\u0303o sei o nu\u0301mero')).toBe('nao sei o numero');
  });
  it('reads the chat shorthand once for every rule, but "nº 48213" stays a number', () => {
    expect(fold('n ta no spam, q pena')).toBe('nao ta no spam que pena');
    expect(fold('pedido nº 48213')).toBe('pedido numero 48213');
    expect(fold('o n. 48213')).toBe('o numero 48213');
  });
  it('reads "on-line" and "on line" as one word (not "on" and a misspelt "link")', () => {
    expect(fold('Como fazer certificado digital on-line?')).toBe('como fazer certificado digital online');
    expect(fold('tudo on line mesmo')).toBe('tudo online mesmo');
    expect(fold('ficou online')).toBe('ficou online');
  });
});
