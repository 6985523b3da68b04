import { describe, it, expect } from '@jest/globals';
import { maskPixKey, parsePixKey } from '../../src/validation/pix.js';
import { isValidCpf } from '../../src/validation/document.js';
import { normalizeBrPhone } from '../../src/validation/phone.js';

// 11 digits that are both a valid CPF and a valid São Paulo mobile number.
const CPF_AND_PHONE = '11987654374';

describe('parsePixKey', () => {
  it.each([
    ['529.982.247-25', { kind: 'cpf', value: '52998224725' }],
    ['52998224725', { kind: 'cpf', value: '52998224725' }],
    ['111.444.777-35', { kind: 'cpf', value: '11144477735' }],
    ['11.222.333/0001-81', { kind: 'cnpj', value: '11222333000181' }],
    ['11444777000161', { kind: 'cnpj', value: '11444777000161' }],
    ['12.ABC.345/01DE-35', { kind: 'cnpj', value: '12ABC34501DE35' }],
    ['Carlos.Silva@Gmail.com', { kind: 'email', value: 'carlos.silva@gmail.com' }],
    ['+55 11 99999-0001', { kind: 'phone', value: '+5511999990001' }],
    ['(11) 99999-0001', { kind: 'phone', value: '+5511999990001' }],
    ['11999990001', { kind: 'phone', value: '+5511999990001' }],
    ['5511999990001', { kind: 'phone', value: '+5511999990001' }],
    ['(11) 3333-4444', { kind: 'phone', value: '+551133334444' }],
    ['123e4567-e89b-42d3-a456-426614174000', { kind: 'random', value: '123e4567-e89b-42d3-a456-426614174000' }],
    ['  123E4567-E89B-42D3-A456-426614174000 ', { kind: 'random', value: '123e4567-e89b-42d3-a456-426614174000' }],
  ])('%p', (input, expected) => expect(parsePixKey(input)).toEqual(expected));

  it('resolves 11 ambiguous digits as CPF when the check digits are valid', () => {
    expect(isValidCpf(CPF_AND_PHONE)).toBe(true);
    expect(normalizeBrPhone(CPF_AND_PHONE)).toBe('5511987654374');
    expect(parsePixKey(CPF_AND_PHONE)).toEqual({ kind: 'cpf', value: CPF_AND_PHONE });
  });

  it('treats the same digits as a phone when written like one', () => {
    expect(parsePixKey('(11) 98765-4374')).toEqual({ kind: 'phone', value: '+5511987654374' });
    expect(parsePixKey('+55 11 98765-4374')).toEqual({ kind: 'phone', value: '+5511987654374' });
  });

  it.each([
    ['CPF with bad check digits', '529.982.247-24'],
    ['CNPJ with bad check digits', '11.222.333/0001-80'],
    ['all-same-digit CPF', '111.111.111-11'],
    ['short number', '12345'],
    ['phone with invalid DDD', '(20) 99999-0001'],
    ['foreign phone', '+1 415 555 0100'],
    ['broken e-mail', 'carlos@gmail'],
    ['UUID too short', '123e4567-e89b-42d3-a456-42661417400'],
    ['UUID with non-hex', '123e4567-e89b-42d3-a456-42661417400g'],
    ['free text', 'minha chave é o cpf'],
    ['empty', '   '],
  ])('rejects %s (%p)', (_label, input) => expect(parsePixKey(input)).toBeNull());
});

describe('maskPixKey', () => {
  it('masks each kind of key', () => {
    expect(maskPixKey({ kind: 'cpf', value: '52998224725' })).toBe('***.982.247-**');
    expect(maskPixKey({ kind: 'cnpj', value: '11222333000181' })).toBe('**.222.333/0001-**');
    expect(maskPixKey({ kind: 'email', value: 'carlos@gmail.com' })).toBe('c***@gmail.com');
    expect(maskPixKey({ kind: 'phone', value: '+5511999990001' })).toBe('+55 11 9****-0001');
    expect(maskPixKey({ kind: 'random', value: '123e4567-e89b-42d3-a456-426614174000' })).toBe(
      '123e****-****-****-****-********4000',
    );
  });

  it('parses raw strings first and fully masks unrecognised ones', () => {
    expect(maskPixKey('529.982.247-25')).toBe('***.982.247-**');
    expect(maskPixKey('(11) 99999-0001')).toBe('+55 11 9****-0001');
    expect(maskPixKey('não sei')).toBe('***');
  });
});
