import { describe, it, expect } from '@jest/globals';
import {
  formatCnpj,
  formatCpf,
  isValidCnpj,
  isValidCpf,
  maskCnpj,
  maskCpf,
  maskDocument,
  onlyDigits,
  parseDocument,
} from '../../src/validation/document.js';

describe('onlyDigits', () => {
  it('strips every non-digit', () => {
    expect(onlyDigits('529.982.247-25')).toBe('52998224725');
    expect(onlyDigits('+55 (11) 99999-0001')).toBe('5511999990001');
    expect(onlyDigits('abc')).toBe('');
  });
});

describe('isValidCpf', () => {
  it.each(['529.982.247-25', '52998224725', '111.444.777-35', '11144477735', ' 529 982 247 25 ', '529982247-25'])(
    'accepts %p',
    (cpf) => expect(isValidCpf(cpf)).toBe(true),
  );

  it.each([
    ['wrong first check digit', '529.982.247-15'],
    ['wrong second check digit', '529.982.247-24'],
    ['all same digits', '111.111.111-11'],
    ['all zeros', '00000000000'],
    ['too short', '5299822472'],
    ['too long', '529982247250'],
    ['letters mixed in', '529.982.247-2a'],
    ['empty', ''],
    ['a valid CNPJ', '11.222.333/0001-81'],
  ])('rejects %s (%p)', (_label, cpf) => expect(isValidCpf(cpf)).toBe(false));
});

describe('isValidCnpj', () => {
  it.each(['11.222.333/0001-81', '11222333000181', '11.444.777/0001-61', '11444777000161'])('accepts %p', (cnpj) =>
    expect(isValidCnpj(cnpj)).toBe(true),
  );

  it.each([
    ['wrong check digits', '11.222.333/0001-80'],
    ['wrong first check digit', '11.444.777/0001-71'],
    ['all same digits', '11.111.111/1111-11'],
    ['all zeros', '00.000.000/0000-00'],
    ['too short', '1122233300018'],
    ['a valid CPF', '529.982.247-25'],
    ['alphanumeric with wrong check digits', '12.ABC.345/01DE-36'],
    ['letters in the check digits', '12.ABC.345/01DE-3A'],
    ['a word around it', 'cnpj12ABC34501DE35'],
  ])('rejects %s (%p)', (_label, cnpj) => expect(isValidCnpj(cnpj)).toBe(false));

  // Receita Federal, since July 2026: letters in the first 12 positions, numeric check digits
  // computed on each character's ASCII code minus 48.
  it.each(['12.ABC.345/01DE-35', '12ABC34501DE35', '12abc34501de35', '12.abc.345/01de-35'])('accepts the alphanumeric CNPJ %p', (cnpj) =>
    expect(isValidCnpj(cnpj)).toBe(true),
  );
});

describe('parseDocument', () => {
  it('identifies CPF and CNPJ and returns bare digits', () => {
    expect(parseDocument('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
    expect(parseDocument('11.222.333/0001-81')).toEqual({ kind: 'cnpj', value: '11222333000181' });
    expect(parseDocument('11444777000161')).toEqual({ kind: 'cnpj', value: '11444777000161' });
    expect(parseDocument('12.abc.345/01de-35')).toEqual({ kind: 'cnpj', value: '12ABC34501DE35' });
  });

  it('returns null for invalid documents', () => {
    expect(parseDocument('529.982.247-24')).toBeNull();
    expect(parseDocument('111.111.111-11')).toBeNull();
    expect(parseDocument('11.222.333/0001-80')).toBeNull();
    expect(parseDocument('12345')).toBeNull();
    expect(parseDocument('meu cpf é 529.982.247-25')).toBeNull();
  });
});

describe('formatting', () => {
  it('formats CPF and CNPJ from bare or formatted input', () => {
    expect(formatCpf('52998224725')).toBe('529.982.247-25');
    expect(formatCpf('529.982.247-25')).toBe('529.982.247-25');
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatCnpj('12abc34501de35')).toBe('12.ABC.345/01DE-35');
  });

  it('returns input with the wrong length unchanged', () => {
    expect(formatCpf(' 1234 ')).toBe('1234');
    expect(formatCnpj('52998224725')).toBe('52998224725');
  });
});

describe('masking', () => {
  it('masks CPF keeping the middle six digits', () => {
    expect(maskCpf('52998224725')).toBe('***.982.247-**');
    expect(maskCpf('529.982.247-25')).toBe('***.982.247-**');
  });

  it('masks CNPJ hiding the first two and the check digits', () => {
    expect(maskCnpj('11222333000181')).toBe('**.222.333/0001-**');
    expect(maskCnpj('11.444.777/0001-61')).toBe('**.444.777/0001-**');
    expect(maskCnpj('12ABC34501DE35')).toBe('**.ABC.345/01DE-**');
  });

  it('never echoes digits of malformed input', () => {
    expect(maskCpf('1234')).toBe('****');
    expect(maskCnpj('12.345')).toBe('**.***');
    expect(maskCpf('')).toBe('***');
  });

  it('maskDocument picks the mask by length, even without valid check digits', () => {
    expect(maskDocument('529.982.247-25')).toBe('***.982.247-**');
    expect(maskDocument('11.222.333/0001-81')).toBe('**.222.333/0001-**');
    expect(maskDocument('12345678900')).toBe('***.456.789-**');
    expect(maskDocument('123-45')).toBe('***-**');
  });
});
