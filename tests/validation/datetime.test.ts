import { describe, it, expect } from '@jest/globals';
import {
  addDays,
  compareLocalDate,
  findDatesPtBr,
  formatDatePtBr,
  fromSaoPauloLocal,
  isValidLocalDate,
  localDateOf,
  makeLocalDate,
  parseDatePtBr,
  parseIsoDate,
  parsePeriod,
  parseTimePtBr,
  toIsoDate,
  toSaoPauloIso,
  weekdayNamePtBr,
  weekdayOf,
} from '../../src/validation/datetime.js';

// Saturday 28/11/2026, 12:00 in São Paulo.
const SATURDAY_NOON = new Date('2026-11-28T15:00:00Z');
// Already Sunday 29/11 in UTC, but still Saturday 28/11 22:30 in São Paulo.
const SATURDAY_LATE = new Date('2026-11-29T01:30:00Z');
// Monday 30/11/2026, 09:00 in São Paulo.
const MONDAY = new Date('2026-11-30T12:00:00Z');

const d = (year: number, month: number, day: number) => ({ year, month, day });

describe('calendar helpers', () => {
  it('localDateOf uses the São Paulo calendar day, not UTC', () => {
    expect(localDateOf(SATURDAY_NOON)).toEqual(d(2026, 11, 28));
    expect(SATURDAY_LATE.getUTCDate()).toBe(29);
    expect(localDateOf(SATURDAY_LATE)).toEqual(d(2026, 11, 28));
    expect(localDateOf(new Date('2026-11-29T03:00:00Z'))).toEqual(d(2026, 11, 29));
  });

  it('addDays crosses month and year boundaries', () => {
    expect(addDays(d(2026, 11, 28), 3)).toEqual(d(2026, 12, 1));
    expect(addDays(d(2026, 12, 31), 1)).toEqual(d(2027, 1, 1));
    expect(addDays(d(2028, 3, 1), -1)).toEqual(d(2028, 2, 29));
    expect(addDays(d(2026, 3, 1), -1)).toEqual(d(2026, 2, 28));
  });

  it('compareLocalDate orders dates', () => {
    expect(compareLocalDate(d(2026, 3, 12), d(2026, 3, 12))).toBe(0);
    expect(compareLocalDate(d(2026, 3, 12), d(2026, 3, 13))).toBeLessThan(0);
    expect(compareLocalDate(d(2027, 1, 1), d(2026, 12, 31))).toBeGreaterThan(0);
    expect([d(2026, 12, 1), d(2026, 1, 5), d(2026, 11, 30)].sort(compareLocalDate)).toEqual([
      d(2026, 1, 5),
      d(2026, 11, 30),
      d(2026, 12, 1),
    ]);
  });

  it('validates and builds dates', () => {
    expect(isValidLocalDate(2026, 2, 28)).toBe(true);
    expect(isValidLocalDate(2026, 2, 29)).toBe(false);
    expect(isValidLocalDate(2028, 2, 29)).toBe(true);
    expect(isValidLocalDate(2026, 13, 1)).toBe(false);
    expect(makeLocalDate(2026, 2, 31)).toBeNull();
    expect(makeLocalDate(2026, 4, 30)).toEqual(d(2026, 4, 30));
  });

  it('formats and names dates in pt-BR', () => {
    expect(formatDatePtBr(d(2026, 3, 12))).toBe('12/03/2026');
    expect(toIsoDate(d(2026, 3, 2))).toBe('2026-03-02');
    expect(parseIsoDate('2026-03-12')).toEqual(d(2026, 3, 12));
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(weekdayOf(d(2026, 11, 28))).toBe(6);
    expect(weekdayNamePtBr(d(2026, 11, 28))).toBe('sábado');
    expect(weekdayNamePtBr(d(2026, 11, 29))).toBe('domingo');
    expect(weekdayNamePtBr(d(2026, 11, 30))).toBe('segunda-feira');
    expect(weekdayNamePtBr(d(2026, 12, 1))).toBe('terça-feira');
  });

  it('toSaoPauloIso renders the wall-clock time with the -03:00 offset', () => {
    expect(toSaoPauloIso(SATURDAY_NOON)).toBe('2026-11-28T12:00:00-03:00');
    expect(toSaoPauloIso(SATURDAY_LATE)).toBe('2026-11-28T22:30:00-03:00');
  });

  it('fromSaoPauloLocal converts a chosen slot back to an instant', () => {
    expect(fromSaoPauloLocal(d(2026, 11, 28), { hour: 12, minute: 0 }).toISOString()).toBe('2026-11-28T15:00:00.000Z');
    expect(fromSaoPauloLocal(d(2026, 12, 31), { hour: 22, minute: 30 }).toISOString()).toBe('2027-01-01T01:30:00.000Z');
  });
});

describe('parseDatePtBr', () => {
  it.each([
    ['12/03', d(2026, 3, 12)],
    ['12/03/2026', d(2026, 3, 12)],
    ['12/3/26', d(2026, 3, 12)],
    ['1/2/2027', d(2027, 2, 1)],
    ['12-03-2026', d(2026, 3, 12)],
    ['12.03.2026', d(2026, 3, 12)],
    ['2026-03-12', d(2026, 3, 12)],
    ['12 de março', d(2026, 3, 12)],
    ['12 de marco de 2026', d(2026, 3, 12)],
    ['dia 12 de março de 2027', d(2027, 3, 12)],
    ['1º de maio', d(2026, 5, 1)],
    ['5 de dez', d(2026, 12, 5)],
    ['pode ser no dia 03/12?', d(2026, 12, 3)],
  ])('absolute %p', (text, expected) => expect(parseDatePtBr(text, SATURDAY_NOON)).toEqual(expected));

  it.each([
    ['hoje', d(2026, 11, 28)],
    ['Hoje', d(2026, 11, 28)],
    ['amanhã', d(2026, 11, 29)],
    ['amanha', d(2026, 11, 29)],
    ['AMANHÃ de manhã', d(2026, 11, 29)],
    ['depois de amanhã', d(2026, 11, 30)],
    ['depois de amanha', d(2026, 11, 30)],
    ['dps de amanha a tarde', d(2026, 11, 30)],
    ['ontem', d(2026, 11, 27)],
    ['anteontem', d(2026, 11, 26)],
  ])('relative %p from Saturday 28/11', (text, expected) => expect(parseDatePtBr(text, SATURDAY_NOON)).toEqual(expected));

  it('resolves relative words against the São Paulo day near midnight UTC', () => {
    expect(parseDatePtBr('hoje', SATURDAY_LATE)).toEqual(d(2026, 11, 28));
    expect(parseDatePtBr('amanhã', SATURDAY_LATE)).toEqual(d(2026, 11, 29));
    expect(parseDatePtBr('domingo', SATURDAY_LATE)).toEqual(d(2026, 11, 29));
    expect(parseDatePtBr('dia 28', SATURDAY_LATE)).toEqual(d(2026, 11, 28));
  });

  it.each([
    ['domingo', d(2026, 11, 29)],
    ['segunda', d(2026, 11, 30)],
    ['segunda-feira', d(2026, 11, 30)],
    ['Segunda Feira', d(2026, 11, 30)],
    ['terça', d(2026, 12, 1)],
    ['terca-feira', d(2026, 12, 1)],
    ['quarta', d(2026, 12, 2)],
    ['quinta-feira', d(2026, 12, 3)],
    ['na sexta', d(2026, 12, 4)],
    ['sábado', d(2026, 12, 5)],
    ['sabado', d(2026, 12, 5)],
  ])('weekday %p is the next one after Saturday 28/11 (today excluded)', (text, expected) =>
    expect(parseDatePtBr(text, SATURDAY_NOON)).toEqual(expected),
  );

  it('a weekday named on that same weekday means next week', () => {
    expect(parseDatePtBr('segunda', MONDAY)).toEqual(d(2026, 12, 7));
    expect(parseDatePtBr('terça', MONDAY)).toEqual(d(2026, 12, 1));
  });

  it('does not read ordinals as weekdays', () => {
    expect(parseDatePtBr('quero a segunda via do boleto', SATURDAY_NOON)).toBeNull();
    expect(parseDatePtBr('é a quinta parcela', SATURDAY_NOON)).toBeNull();
    expect(parseDatePtBr('pela segunda vez', SATURDAY_NOON)).toBeNull();
  });

  it('"dia N" is this month unless already past, then next month', () => {
    expect(parseDatePtBr('dia 30', SATURDAY_NOON)).toEqual(d(2026, 11, 30));
    expect(parseDatePtBr('dia 28', SATURDAY_NOON)).toEqual(d(2026, 11, 28));
    expect(parseDatePtBr('dia 15', SATURDAY_NOON)).toEqual(d(2026, 12, 15));
    expect(parseDatePtBr('dia 5', new Date('2026-12-20T15:00:00Z'))).toEqual(d(2027, 1, 5));
    // November has no 31st: the next month that has one.
    expect(parseDatePtBr('dia 31', SATURDAY_NOON)).toEqual(d(2026, 12, 31));
    expect(parseDatePtBr('dia 32', SATURDAY_NOON)).toBeNull();
  });

  it('keeps the current year for day/month without a year, even if past', () => {
    expect(parseDatePtBr('12/03', SATURDAY_NOON)).toEqual(d(2026, 3, 12));
    expect(parseDatePtBr('12/03', new Date('2027-01-10T15:00:00Z'))).toEqual(d(2027, 3, 12));
  });

  it.each(['31/02', '31/02/2026', '29/02/2026', '2026-02-30', '30 de fevereiro', '12/13', '00/05'])(
    'rejects the impossible date %p',
    (text) => expect(parseDatePtBr(text, SATURDAY_NOON)).toBeNull(),
  );

  it.each(['', 'oi, tudo bem?', 'custa 12.50', '14:30', 'pedido 48213', 'segundo'])('finds no date in %p', (text) =>
    expect(parseDatePtBr(text, SATURDAY_NOON)).toBeNull(),
  );

  it('returns the first date mentioned; findDatesPtBr returns all of them in order', () => {
    expect(parseDatePtBr('pode ser sexta ou 10/12', SATURDAY_NOON)).toEqual(d(2026, 12, 4));
    const found = findDatesPtBr('hoje não, amanhã ou dia 3 de dezembro', SATURDAY_NOON);
    expect(found.map((f) => f.date)).toEqual([d(2026, 11, 28), d(2026, 11, 29), d(2026, 12, 3)]);
    expect(found[1]).toEqual({ date: d(2026, 11, 29), index: 10, length: 6 });
  });

  it('a weekday and its day of the month are one date, with "agora" or "passada" between them', () => {
    expect(findDatesPtBr('comprei quarta agora, dia 2', SATURDAY_NOON).map((f) => f.date)).toEqual([d(2026, 12, 2)]);
    expect(findDatesPtBr('foi segunda passada dia 23', SATURDAY_NOON)).toHaveLength(1);
  });
});

describe('parseTimePtBr', () => {
  it.each([
    ['14h', { hour: 14, minute: 0 }],
    ['14h30', { hour: 14, minute: 30 }],
    ['14h30min', { hour: 14, minute: 30 }],
    ['14:30', { hour: 14, minute: 30 }],
    ['14 horas', { hour: 14, minute: 0 }],
    ['14 horas e 15', { hour: 14, minute: 15 }],
    ['8h', { hour: 8, minute: 0 }],
    ['08:05', { hour: 8, minute: 5 }],
    ['2 da tarde', { hour: 14, minute: 0 }],
    ['2h da tarde', { hour: 14, minute: 0 }],
    ['2 e meia da tarde', { hour: 14, minute: 30 }],
    ['9 da manhã', { hour: 9, minute: 0 }],
    ['9 da manha', { hour: 9, minute: 0 }],
    ['8 da noite', { hour: 20, minute: 0 }],
    ['meio dia', { hour: 12, minute: 0 }],
    ['meio-dia', { hour: 12, minute: 0 }],
    ['meio-dia e meia', { hour: 12, minute: 30 }],
    ['meia-noite', { hour: 0, minute: 0 }],
    ['às 10', { hour: 10, minute: 0 }],
    ['às 10 pode ser?', { hour: 10, minute: 0 }],
    ['pode ser as 10?', { hour: 10, minute: 0 }],
    ['amanhã às 9h', { hour: 9, minute: 0 }],
    ['dia 12/03 às 14:30', { hour: 14, minute: 30 }],
  ])('%p', (text, expected) => expect(parseTimePtBr(text)).toEqual(expected));

  it.each([
    ['a bare number', '14'],
    ['an order number', 'pedido 48213'],
    ['a date', '12/03'],
    ['an hour out of range', 'atendimento 24h'],
    ['minutes out of range', '14:75'],
    ['the article "as"', 'as 2 parcelas'],
    ['a day of the month with a period', 'dia 2 de manhã'],
    ['only a period', 'de manhã'],
    ['empty', ''],
  ])('rejects %s (%p)', (_label, text) => expect(parseTimePtBr(text)).toBeNull());
});

describe('parsePeriod', () => {
  it.each([
    ['manhã', 'manha'],
    ['de manha', 'manha'],
    ['pela manhã', 'manha'],
    ['amanhã de manhã', 'manha'],
    ['tarde', 'tarde'],
    ['à tarde', 'tarde'],
    ['a tarde', 'tarde'],
    ['qualquer horário', 'qualquer'],
    ['qualquer hora', 'qualquer'],
    ['qualquer', 'qualquer'],
    ['tanto faz', 'qualquer'],
    ['manhã ou tarde', 'qualquer'],
    ['Boa tarde! Prefiro de manhã', 'manha'],
    // One period said as the only one wins over the other mentioned as impossible.
    ['qualquer dia a partir de quarta, mas só de manhã pq de tarde ela tá na lavoura', 'manha'],
    ['só à tarde, de manhã ela trabalha', 'tarde'],
    ['menos de manhã', 'tarde'],
    ['de manha, ela trabalha a tarde', 'manha'],
    ['de preferência de manhã, pq a tarde ela trabalha', 'manha'],
    ['a tarde ela trabalha', 'manha'],
    ['segunda, depois do almoço', 'tarde'],
    ['antes do almoço', 'manha'],
  ] as const)('%p -> %p', (text, expected) => expect(parsePeriod(text)).toBe(expected));

  it.each(['amanhã', 'boa tarde', 'mais tarde eu vejo', 'à noite', ''])('%p -> null', (text) =>
    expect(parsePeriod(text)).toBeNull(),
  );
});
