import { describe, it, expect } from '@jest/globals';
import { formatBrPhone, isValidDdd, maskPhone, normalizeBrPhone, parseBrPhone } from '../../src/validation/phone.js';

describe('normalizeBrPhone', () => {
  it.each([
    ['+55 (11) 99999-0001', '5511999990001'],
    ['11 99999-0001', '5511999990001'],
    ['11999990001', '5511999990001'],
    ['5511999990001', '5511999990001'],
    ['55 11 99999 0001', '5511999990001'],
    ['011999990001', '5511999990001'],
    ['0 21 11 99999-0001', '5511999990001'],
    ['(11)3333-4444', '551133334444'],
    ['1133334444', '551133334444'],
    ['+55 11 3333.4444', '551133334444'],
    ['01133334444', '551133334444'],
    ['(21) 98765-4321', '5521987654321'],
    ['(55) 99999-0001', '5555999990001'],
    ['(99) 2222-3333', '559922223333'],
  ])('%p -> %p', (input, expected) => expect(normalizeBrPhone(input)).toBe(expected));

  it.each([
    ['no DDD', '99999-0001'],
    ['DDD with a zero', '(10) 99999-0001'],
    ['DDD starting with zero', '(01) 99999-0001'],
    ['unassigned DDD', '(20) 99999-0001'],
    ['unassigned DDD (23)', '(23) 3333-4444'],
    ['9-digit number not starting with 9', '(11) 89999-0001'],
    ['8-digit mobile without the 9', '(11) 9999-0001'],
    ['landline starting with 1', '(11) 1333-4444'],
    ['too long', '11 99999-00011'],
    ['too short', '11 9999-001'],
    ['foreign country code', '+1 415 555 0100'],
    ['+ with trunk zero', '+011999990001'],
    ['letters', '11 99999-000a'],
    ['extension text', '11 99999-0001 ramal 2'],
    ['empty', ''],
  ])('rejects %s (%p)', (_label, input) => expect(normalizeBrPhone(input)).toBeNull());
});

describe('parseBrPhone', () => {
  it('splits DDD and number and tells mobile from landline', () => {
    expect(parseBrPhone('+55 (11) 99999-0001')).toEqual({
      e164: '5511999990001',
      ddd: '11',
      number: '999990001',
      kind: 'mobile',
    });
    expect(parseBrPhone('(31) 3333-4444')).toEqual({ e164: '553133334444', ddd: '31', number: '33334444', kind: 'landline' });
  });
});

describe('isValidDdd', () => {
  it('follows the Anatel list', () => {
    expect(['11', '21', '31', '55', '61', '99'].every(isValidDdd)).toBe(true);
    expect(['10', '20', '23', '56', '00', '1', '111'].some(isValidDdd)).toBe(false);
  });
});

describe('formatBrPhone', () => {
  it('formats for display', () => {
    expect(formatBrPhone('5511999990001')).toBe('+55 (11) 99999-0001');
    expect(formatBrPhone('1133334444')).toBe('+55 (11) 3333-4444');
    expect(formatBrPhone('123')).toBeNull();
  });
});

describe('maskPhone', () => {
  it('shows DDD, the leading 9 of mobiles and the last four digits', () => {
    expect(maskPhone('5511999990001')).toBe('+55 11 9****-0001');
    expect(maskPhone('(21) 98765-4321')).toBe('+55 21 9****-4321');
    expect(maskPhone('551133334444')).toBe('+55 11 ****-4444');
  });

  it('fully masks what is not a phone', () => {
    expect(maskPhone('99999-0001')).toBe('***');
  });
});
