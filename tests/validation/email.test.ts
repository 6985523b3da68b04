import { describe, it, expect } from '@jest/globals';
import {
  COMMON_EMAIL_DOMAINS,
  editDistance,
  isValidEmail,
  maskEmail,
  normalizeEmail,
  suggestEmailFix,
} from '../../src/validation/email.js';

describe('normalizeEmail', () => {
  it('trims, lowercases and drops mailto:', () => {
    expect(normalizeEmail('  Carlos.Silva@Gmail.COM ')).toBe('carlos.silva@gmail.com');
    expect(normalizeEmail('mailto:ana@uol.com.br')).toBe('ana@uol.com.br');
  });
});

describe('isValidEmail', () => {
  it.each([
    'carlos@gmail.com',
    'Carlos.Silva@Gmail.com',
    'ana+pix@empresa.com.br',
    'j_o-a.o@sub.dominio.org',
    '  maria@ig.com.br  ',
    'x@y.io',
  ])('accepts %p', (email) => expect(isValidEmail(email)).toBe(true));

  it.each([
    'carlos',
    'carlos@',
    '@gmail.com',
    'carlos@gmail',
    'carlos@gmail.c',
    'carlos@gmail.c0m',
    'car los@gmail.com',
    'carlos@gm ail.com',
    'carlos@@gmail.com',
    '.carlos@gmail.com',
    'carlos.@gmail.com',
    'car..los@gmail.com',
    'carlos@-gmail.com',
    'carlos@gmail..com',
    '',
  ])('rejects %p', (email) => expect(isValidEmail(email)).toBe(false));
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('gmail', 'gmail')).toBe(0);
    expect(editDistance('gmial', 'gmail')).toBe(1);
    expect(editDistance('gmal', 'gmail')).toBe(1);
    expect(editDistance('gmaill', 'gmail')).toBe(1);
    expect(editDistance('hotmart', 'hotmail')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('suggestEmailFix', () => {
  it.each([
    ['carlos@gmial.com', 'carlos@gmail.com'],
    ['carlos@gmal.com', 'carlos@gmail.com'],
    ['carlos@gmai.com', 'carlos@gmail.com'],
    ['carlos@gmail.con', 'carlos@gmail.com'],
    ['carlos@gmail.co', 'carlos@gmail.com'],
    ['carlos@gmail.cm', 'carlos@gmail.com'],
    ['carlos@gmail.om', 'carlos@gmail.com'],
    ['carlos@gmail.com.br', 'carlos@gmail.com'],
    ['carlos@gmial.con', 'carlos@gmail.com'],
    ['carlos@gmailcom', 'carlos@gmail.com'],
    ['carlos@gmail', 'carlos@gmail.com'],
    ['carlos@gmail..com', 'carlos@gmail.com'],
    ['Carlos@GMIAL.com', 'carlos@gmail.com'],
    ['ana@hotmial.com', 'ana@hotmail.com'],
    ['ana@hotmal.com', 'ana@hotmail.com'],
    ['ana@hotmail.con', 'ana@hotmail.com'],
    ['ana@outlok.com', 'ana@outlook.com'],
    ['ana@outloo.com', 'ana@outlook.com'],
    ['ana@yahoo.con', 'ana@yahoo.com'],
    ['ana@yaho.com', 'ana@yahoo.com'],
    ['ana@yaho.com.br', 'ana@yahoo.com.br'],
    ['ana@yahoo.con.br', 'ana@yahoo.com.br'],
    ['ana@uol.com', 'ana@uol.com.br'],
    ['ana@bol.com', 'ana@bol.com.br'],
    ['ana@terra.com', 'ana@terra.com.br'],
    ['ana@icloud.con', 'ana@icloud.com'],
    ['ana@live.con', 'ana@live.com'],
    ['ana@empresa.con', 'ana@empresa.com'],
    ['ana@empresa.con.br', 'ana@empresa.com.br'],
  ])('%p -> %p', (typo, fixed) => expect(suggestEmailFix(typo)).toBe(fixed));

  it('never "fixes" an exact known domain', () => {
    for (const domain of COMMON_EMAIL_DOMAINS) expect(suggestEmailFix(`ana@${domain}`)).toBeNull();
  });

  it.each([
    'ana@empresa.com.br',
    'ana@interbank.com.br',
    'ana@hotmart.com',
    'ana@mail.com',
    'ana@email.com',
    'ana@ymail.com',
    'ana@me.com',
    'ana@hotmail.com.br',
    'ana@outlook.com.br',
    'ana@yahoo.com.ar',
    'ana@hotmail.ca',
    'ana@gov.br',
    'ana@empresa.co',
    'sem-arroba',
    '@gmial.com',
  ])('does not suggest anything for %p', (email) => expect(suggestEmailFix(email)).toBeNull());
});

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('carlos@gmail.com')).toBe('c***@gmail.com');
    expect(maskEmail(' Ana.Souza@Empresa.com.br ')).toBe('a***@empresa.com.br');
    expect(maskEmail('x@uol.com.br')).toBe('x***@uol.com.br');
  });

  it('fully masks input that is not an e-mail', () => {
    expect(maskEmail('carlos')).toBe('***');
    expect(maskEmail('@gmail.com')).toBe('***');
  });
});
