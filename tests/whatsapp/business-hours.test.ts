import { describe, expect, it } from '@jest/globals';
import { easter, holidays, loadBusinessHours, parseHours } from '../../src/business-hours.js';
import { ConfigError } from '../../src/config.js';

const at = (s: string) => new Date(s); // with -03:00 offsets, São Paulo time
const hours = loadBusinessHours({});

describe('business hours', () => {
  it('parses day ranges and several intervals', () => {
    const w = parseHours('seg-sex 08:00-12:00,13:00-18:00; sáb 9-12');
    expect(w[1]).toEqual([{ open: 480, close: 720 }, { open: 780, close: 1080 }]);
    expect(w[6]).toEqual([{ open: 540, close: 720 }]);
    expect(w[0]).toEqual([]);
    expect(() => parseHours('todo dia')).toThrow();
  });

  it('knows Easter and the national holidays, with Carnaval and Corpus Christi optional', () => {
    expect(easter(2026)).toEqual([4, 5]);
    expect(easter(2027)).toEqual([3, 28]);
    const h = holidays(2026, ['carnaval', 'corpus-christi']);
    expect(h.get('2026-04-03')).toBe('Sexta-feira Santa');
    expect(h.get('2026-02-16')).toBe('Carnaval');
    expect(h.get('2026-02-17')).toBe('Carnaval');
    expect(h.get('2026-06-04')).toBe('Corpus Christi');
    expect(h.get('2026-11-20')).toMatch(/Consciência Negra/);
    expect(holidays(2026).has('2026-02-16')).toBe(false);
  });

  it('is open on weekdays 08:00-18:00 in São Paulo, closed on weekends and holidays', () => {
    expect(hours.isOpen('finance', at('2026-11-30T08:00:00-03:00'))).toBe(true);
    expect(hours.isOpen('finance', at('2026-11-30T17:59:00-03:00'))).toBe(true);
    expect(hours.isOpen('finance', at('2026-11-30T18:00:00-03:00'))).toBe(false);
    expect(hours.isOpen('support', at('2026-11-28T12:00:00-03:00'))).toBe(false); // Saturday
    expect(hours.isOpen('support', at('2026-12-25T10:00:00-03:00'))).toBe(false); // Natal
  });

  it('says when the team will pick the ticket up, in Portuguese', () => {
    expect(hours.nextBusinessOpening('finance', at('2026-11-28T12:00:00-03:00'))).toBe('na segunda-feira, 30/11, a partir das 8h');
    expect(hours.nextBusinessOpening('finance', at('2026-11-30T06:30:00-03:00'))).toBe('hoje, a partir das 8h');
    expect(hours.nextBusinessOpening('finance', at('2026-11-30T19:00:00-03:00'))).toBe('amanhã, 01/12, a partir das 8h');
    // Thursday 24/12 evening: Friday is Christmas, so Monday.
    expect(hours.nextBusinessOpening('support', at('2026-12-24T19:00:00-03:00'))).toBe('na segunda-feira, 28/12, a partir das 8h');
    // Carnaval (16-17/02/2026) by default closed: Friday evening → Wednesday.
    expect(hours.nextBusinessOpening('support', at('2026-02-13T19:00:00-03:00'))).toBe('na quarta-feira, 18/02, a partir das 8h');
    expect(hours.pickup('finance', at('2026-11-30T10:00:00-03:00'))).toBeNull();
    expect(hours.pickup('finance', at('2026-11-28T10:00:00-03:00'))).toBe('na segunda-feira, 30/11, a partir das 8h');
  });

  it('is configurable per team, with Saturday mornings and half hours', () => {
    const h = loadBusinessHours({ BUSINESS_HOURS_SUPPORT: 'seg-sex 08:30-18:00; sab 09:00-12:00', BUSINESS_OPTIONAL_HOLIDAYS: '' });
    expect(h.nextBusinessOpening('support', at('2026-11-27T19:00:00-03:00'))).toBe('amanhã, 28/11, a partir das 9h');
    expect(h.nextBusinessOpening('support', at('2026-11-28T13:00:00-03:00'))).toBe('na segunda-feira, 30/11, a partir das 8h30');
    expect(h.nextBusinessOpening('finance', at('2026-11-28T13:00:00-03:00'))).toBe('na segunda-feira, 30/11, a partir das 8h');
  });

  it('names the bad variable', () => {
    expect(() => loadBusinessHours({ BUSINESS_HOURS_FINANCE: 'sempre' })).toThrow(ConfigError);
    expect(() => loadBusinessHours({ BUSINESS_HOURS_FINANCE: 'sempre' })).toThrow(/BUSINESS_HOURS_FINANCE/);
    expect(() => loadBusinessHours({ BUSINESS_EXTRA_HOLIDAYS: '25/01' })).toThrow(/BUSINESS_EXTRA_HOLIDAYS/);
  });
});
