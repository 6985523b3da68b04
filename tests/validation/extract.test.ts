import { describe, it, expect } from '@jest/globals';
import { extractFields, normalizeProtocol } from '../../src/validation/extract.js';

const NOW = new Date('2026-11-28T15:00:00Z'); // Saturday 28/11/2026 12:00 in São Paulo

describe('extractFields', () => {
  it('pulls an order number and a CPF', () => {
    expect(extractFields('quero estorno do pedido 48213, cpf 529.982.247-25', NOW)).toEqual({
      documents: [{ kind: 'cpf', value: '52998224725' }],
      orderNumber: '48213',
      dates: [],
    });
  });

  it('pulls e-mail, protocol, CNPJ, dates and time from one message', () => {
    const text =
      'Oi! Meu e-mail é Carlos@Gmail.com, protocolo fin 123, CNPJ 11.222.333/0001-81. ' +
      'Pode ser amanhã às 14h30 ou dia 3/12?';
    expect(extractFields(text, NOW)).toEqual({
      documents: [{ kind: 'cnpj', value: '11222333000181' }],
      email: 'carlos@gmail.com',
      protocol: 'FIN-000123',
      dates: [
        { year: 2026, month: 11, day: 29 },
        { year: 2026, month: 12, day: 3 },
      ],
      time: { hour: 14, minute: 30 },
    });
  });

  it('finds an alphanumeric CNPJ in a sentence, formatted or not, in any letter case', () => {
    for (const text of ['cnpj da empresa: 12.ABC.345/01DE-35, obrigado', 'é o 12abc34501de35', 'CNPJ 12.abc.345/01DE-35']) {
      expect(extractFields(text, NOW).documents).toEqual([{ kind: 'cnpj', value: '12ABC34501DE35' }]);
    }
    // The same shape with wrong check digits, or ordinary words, is no document.
    expect(extractFields('cnpj 12.ABC.345/01DE-36', NOW).documents).toEqual([]);
    expect(extractFields('certificadodigital10', NOW).documents).toEqual([]);
  });

  it.each([
    ['pedido 48213', '48213'],
    ['pedido nº 48213', '48213'],
    ['Pedido Nº48213', '48213'],
    ['pedido n. 48213', '48213'],
    ['pedido número 48213', '48213'],
    ['pedido: 48213', '48213'],
    ['o número do pedido é 48213', '48213'],
    ['ordem 1234', '1234'],
    ['compra 9876543210', '9876543210'],
    ['meu pedido #48213 não chegou', '48213'],
    ['#48213', '48213'],
  ])('order number in %p', (text, expected) => expect(extractFields(text, NOW).orderNumber).toBe(expected));

  it.each([
    ['a bare number', 'meu número é 48213'],
    ['too short', 'pedido 123'],
    ['too long', 'pedido 12345678901'],
    ['a CPF', 'pedido 529.982.247-25'],
    ['a bare CPF', 'pedido 52998224725'],
    ['a date', 'pedido 12/03/2026'],
    ['an ISO date', 'pedido 2026-03-12'],
    ['a landline', 'pedido 1133334444'],
    ['an amount', 'compra 1500 reais'],
    ['an amount after "de"', 'uma compra de 1500'],
  ])('no order number from %s (%p)', (_label, text) => expect(extractFields(text, NOW).orderNumber).toBeUndefined());

  it('finds a CPF next to an order but never mistakes one for the other', () => {
    const r = extractFields('pedido 48213 cpf 11144477735', NOW);
    expect(r.orderNumber).toBe('48213');
    expect(r.documents).toEqual([{ kind: 'cpf', value: '11144477735' }]);
  });

  it('keeps only documents with valid check digits, in order, without duplicates', () => {
    const r = extractFields('cnpj 11444777000161, cpf 529.982.247-24, cpf 111.444.777-35 e 11144477735', NOW);
    expect(r.documents).toEqual([
      { kind: 'cnpj', value: '11444777000161' },
      { kind: 'cpf', value: '11144477735' },
    ]);
    expect(r.dates).toEqual([]);
    expect(r.orderNumber).toBeUndefined();
  });

  it('rejects all-same-digit documents', () => {
    expect(extractFields('cpf 111.111.111-11', NOW).documents).toEqual([]);
  });

  it.each([
    ['FIN-000123', 'FIN-000123'],
    ['sup-45', 'SUP-000045'],
    ['protocolo SUP 000045', 'SUP-000045'],
    ['o protocolo é fin - 7', 'FIN-000007'],
  ])('protocol in %p', (text, expected) => expect(extractFields(text, NOW).protocol).toBe(expected));

  it.each(['FIN000123', 'FIN-1234567', 'fintech 123', 'ABC-000123'])('no protocol in %p', (text) =>
    expect(extractFields(text, NOW).protocol).toBeUndefined(),
  );

  it('does not read protocol or phone digits as dates or orders', () => {
    const r = extractFields('protocolo SUP-000045, meu zap é (11) 99999-0001', NOW);
    expect(r).toEqual({ documents: [], dates: [], protocol: 'SUP-000045' });
  });

  it('ignores invalid e-mails and trailing punctuation', () => {
    expect(extractFields('email: ana@uol.com.br.', NOW).email).toBe('ana@uol.com.br');
    expect(extractFields('email ana@gmail', NOW).email).toBeUndefined();
  });

  it('uses the São Paulo day near midnight UTC', () => {
    const r = extractFields('pode ser hoje ou amanhã?', new Date('2026-11-29T01:30:00Z'));
    expect(r.dates).toEqual([
      { year: 2026, month: 11, day: 28 },
      { year: 2026, month: 11, day: 29 },
    ]);
  });

  it('returns empty collections for plain chatter', () => {
    expect(extractFields('oi, bom dia! tudo bem?', NOW)).toEqual({ documents: [], dates: [] });
  });
});

describe('normalizeProtocol', () => {
  it('normalises case, separator and zero padding', () => {
    expect(normalizeProtocol('fin 123')).toBe('FIN-000123');
    expect(normalizeProtocol(' Sup-000045 ')).toBe('SUP-000045');
    expect(normalizeProtocol('FIN-000123')).toBe('FIN-000123');
  });

  it('rejects anything else', () => {
    expect(normalizeProtocol('FIN123')).toBeNull();
    expect(normalizeProtocol('FIN-1234567')).toBeNull();
    expect(normalizeProtocol('protocolo FIN-123')).toBeNull();
    expect(normalizeProtocol('XYZ-000123')).toBeNull();
  });
});

describe('order numbers as people name them', () => {
  it('"o pedido dele é o 50230", "o código que veio no email é 50101"; a boleto\'s bar code is not one', async () => {
    const { scanMessage } = await import('../../src/validation/extract.js');
    const orders = (t: string) => scanMessage(t, new Date('2026-11-27T15:00:00Z')).orders.map((o) => o.value);
    expect(orders('o pedido dele é o 50230. o cpf eu to pegando')).toEqual(['50230']);
    expect(orders('o codigo que veio no email é 50101')).toEqual(['50101']);
    expect(orders('código de barras 23790000000000000000')).toEqual([]);
  });
});
