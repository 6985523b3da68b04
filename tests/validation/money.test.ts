import { describe, expect, it } from '@jest/globals';
import { formatBrl, parseBrl } from '../../src/validation/money.js';

describe('amounts in reais', () => {
  it('reads pt-BR amounts as cents', () => {
    expect(parseBrl('1.234,56')).toBe(123456);
    expect(parseBrl('R$ 1.234,56')).toBe(123456);
    expect(parseBrl('R$89,9')).toBe(8990);
    expect(parseBrl('189')).toBe(18900);
    expect(parseBrl('1.234')).toBe(123400);
    expect(parseBrl('0,05')).toBe(5);
    expect(parseBrl('12.345.678,00')).toBe(1234567800);
  });

  it('refuses what is not a pt-BR amount (the English decimal point is ambiguous)', () => {
    for (const bad of ['12.50', '1,234.56', 'abc', '', '1.23,4', '-5', '1,234', '12,3456']) expect(parseBrl(bad)).toBeNull();
  });

  it('writes cents as reais with dots and two decimals', () => {
    expect(formatBrl(123456)).toBe('R$ 1.234,56');
    expect(formatBrl(8990)).toBe('R$ 89,90');
    expect(formatBrl(5)).toBe('R$ 0,05');
    expect(formatBrl(1234567800)).toBe('R$ 12.345.678,00');
  });
});
