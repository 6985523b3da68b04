import { describe, expect, it } from '@jest/globals';
import { BusinessHours, parseHours } from '../../src/business-hours.js';
import { escapeHtml, html } from '../../src/http/html.js';
import { parseSlaHours } from '../../src/staff/config.js';
import { defaultRequests } from '../../src/understanding.js';
import { formatDateTime, maskDocument, maskPhone, zonedMidnight } from '../../src/staff/format.js';
import { slaBadge } from '../../src/http/panel/views/layout.js';
import { hashPassword, verifyPassword } from '../../src/staff/passwords.js';
import { classifySearch, decodeCursor, encodeCursor } from '../../src/staff/queue.js';
import { BusinessClock, calendarClock, slaDeadlines, slaLevel } from '../../src/staff/sla.js';
import { createSession, createUser, findSession } from '../../src/staff/users.js';
import { startHarness } from '../support/harness.js';

const TZ = 'America/Sao_Paulo';
const hours = new BusinessHours({ timezone: TZ, teams: { finance: parseHours('seg-sex 08:00-18:00'), support: parseHours('seg-sab 08:00-20:00') }, optional: [], extraClosed: [] });
const clock = new BusinessClock(hours, TZ);
const at = (local: string) => Date.parse(`${local}-03:00`);

describe('SLA in business hours', () => {
  it('counts only open hours: Friday 17:00 to Monday 09:00 is 2 h for finance', () => {
    expect(clock.elapsedHours('finance', at('2026-11-27T17:00:00'), at('2026-11-30T09:00:00'), 100)).toBeCloseTo(2);
    expect(calendarClock.elapsedHours('finance', at('2026-11-27T17:00:00'), at('2026-11-30T09:00:00'), 100)).toBeCloseTo(64);
  });

  it('skips national holidays (Christmas) and uses each team’s hours', () => {
    expect(clock.elapsedHours('finance', at('2026-12-24T17:00:00'), at('2026-12-26T09:00:00'), 100)).toBeCloseTo(1);
    expect(clock.elapsedHours('support', at('2026-11-28T19:00:00'), at('2026-11-30T09:00:00'), 100)).toBeCloseTo(2);
  });

  it('colours a 4 h boleto target: ok, warn at 75 %, late past it; closed tickets are done', () => {
    const targets = parseSlaHours('', defaultRequests().slaHours());
    const t = (created: string, status = 'open') => ({ type: 'boleto_renewal' as const, team: 'finance' as const, status, created_at: new Date(at(created)).toISOString() });
    const now = at('2026-11-30T12:00:00'); // Monday noon
    expect(slaLevel(t('2026-11-30T10:00:00'), targets, now, clock)).toBe('ok');
    expect(slaLevel(t('2026-11-30T09:00:00'), targets, now, clock)).toBe('warn');
    expect(slaLevel(t('2026-11-27T17:00:00'), targets, now, clock)).toBe('late'); // 1 h Friday + 4 h Monday
    expect(slaLevel(t('2026-11-27T17:00:00', 'resolved'), targets, now, clock)).toBe('done');
    expect(slaLevel(t('2026-11-28T10:00:00'), targets, at('2026-11-30T11:00:00'), clock)).toBe('warn'); // Saturday: 3 h from Monday 08:00
  });

  it('knows the instant a ticket turns amber and red, so pages can turn it without asking the server', () => {
    const targets = parseSlaHours('', defaultRequests().slaHours());
    const t = { type: 'boleto_renewal' as const, team: 'finance' as const, status: 'open', created_at: new Date(at('2026-11-27T17:00:00')).toISOString() };
    // Friday 17:00 + 4 business hours: 1 h on Friday, 3 h on Monday from 08:00 -> Monday 11:00 (amber at 10:00).
    expect(slaDeadlines(t, targets, clock)).toEqual({ warnAt: at('2026-11-30T10:00:00'), lateAt: at('2026-11-30T11:00:00') });
    const { lateAt } = slaDeadlines(t, targets, clock)!;
    expect(slaLevel(t, targets, lateAt - 60_000, clock)).toBe('warn');
    expect(slaLevel(t, targets, lateAt + 60_000, clock)).toBe('late');
    expect(slaDeadlines({ ...t, created_at: new Date(at('2026-12-24T17:00:00')).toISOString() }, targets, clock)!.lateAt).toBe(at('2026-12-28T11:00:00')); // Christmas
    expect(slaDeadlines(t, targets, calendarClock)!.lateAt).toBe(at('2026-11-27T21:00:00'));
    expect(slaDeadlines({ ...t, status: 'resolved' }, targets, clock)).toBeNull();
  });

  it('the badge a page shows has the colour slaLevel gives, minute by minute through amber and red', () => {
    const targets = parseSlaHours('', defaultRequests().slaHours());
    const requests = defaultRequests();
    for (const created of ['2026-11-27T17:00:00', '2026-11-28T10:00:00', '2026-11-30T07:30:00']) {
      const t = { type: 'boleto_renewal' as const, team: 'finance' as const, status: 'open' as const, protocol: 'FIN-000001', created_at: new Date(at(created)).toISOString() };
      const seen = new Set<string>();
      for (let now = at(created); now < at(created) + 4 * 86_400_000; now += 10 * 60_000) {
        const badge = slaBadge({ timeZone: TZ, now, slaHours: targets, sla: clock, requests }, t).value;
        const level = /class="sla sla-(\w+)"/.exec(badge)![1];
        expect([new Date(now).toISOString(), level]).toEqual([new Date(now).toISOString(), slaLevel(t, targets, now, clock)]);
        seen.add(level);
        // A row that can still turn carries its instants; a late one carries none.
        expect(badge.includes('data-late-at')).toBe(level !== 'late');
      }
      expect([...seen]).toEqual(['ok', 'warn', 'late']);
    }
    const closed = { type: 'refund' as const, team: 'finance' as const, status: 'resolved' as const, protocol: 'FIN-000002', created_at: new Date(at('2026-11-20T10:00:00')).toISOString() };
    expect(slaBadge({ timeZone: TZ, now: at('2026-11-30T12:00:00'), slaHours: targets, sla: clock, requests }, closed).value).toBe('<span class="sla sla-done" title="Meta: 24 h úteis">encerrado</span>');
  });

  it('parses SLA targets and rejects bad ones', () => {
    expect(parseSlaHours('refund=48, human_handoff=0.5', defaultRequests().slaHours())).toMatchObject({ refund: 48, human_handoff: 0.5, boleto_renewal: 4 });
    expect(() => parseSlaHours('refund=0', defaultRequests().slaHours())).toThrow();
    expect(() => parseSlaHours('nope=3', defaultRequests().slaHours())).toThrow();
  });
});

describe('helpers', () => {
  it('escapes every interpolation but nested html', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    const name = '<b>x</b>';
    expect(html`<p>${name}${html`<i>${name}</i>`}${[1, '<2>']}${null}</p>`.value).toBe('<p>&lt;b&gt;x&lt;/b&gt;<i>&lt;b&gt;x&lt;/b&gt;</i>1&lt;2&gt;</p>');
  });

  it('classifies searches', () => {
    expect(classifySearch('fin 12')).toEqual({ kind: 'protocol', value: 'FIN-000012' });
    expect(classifySearch('SUP-000045')).toEqual({ kind: 'protocol', value: 'SUP-000045' });
    expect(classifySearch('a@b.com')).toMatchObject({ kind: 'email' });
    expect(classifySearch('11.222.333/0001-81')).toMatchObject({ kind: 'document', digits: '11222333000181' });
    expect(classifySearch('48213')).toMatchObject({ kind: 'order' });
    expect(classifySearch('   ')).toBeUndefined();
  });

  it('round-trips cursors and rejects junk', () => {
    const c = { createdAt: '2026-11-28T10:00:00.000Z', id: 42 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
    expect(decodeCursor('x'.repeat(500))).toBeUndefined();
  });

  it('writes an instant in each time zone asked for (the same instant twice, two zones)', () => {
    const instant = '2026-12-01T02:30:00.000Z';
    expect(formatDateTime(instant, TZ)).toBe('30/11/2026, 23:30');
    expect(formatDateTime(instant, 'Europe/Lisbon')).toBe('01/12/2026, 02:30');
    expect(formatDateTime(instant, TZ)).toBe('30/11/2026, 23:30');
    expect(formatDateTime('não é data', TZ)).toBe('');
  });

  it('masks phones and documents, finds local midnight', () => {
    expect(maskPhone('5511999990001')).toBe('+55 11 9****-0001');
    expect(maskDocument('52998224725')).toBe('***.982.***-**');
    expect(zonedMidnight('2026-11-28', TZ)).toBe('2026-11-28T03:00:00.000Z');
    expect(zonedMidnight('2026-11-28', TZ, 1)).toBe('2026-11-29T03:00:00.000Z');
    expect(zonedMidnight('28/11/2026', TZ)).toBeUndefined();
  });

  it('hashes passwords with scrypt and a salt', async () => {
    const a = await hashPassword('senha-muito-boa');
    const b = await hashPassword('senha-muito-boa');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('senha-muito-boa', a)).toBe(true);
    expect(await verifyPassword('senha-muito-ruim', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('staff sessions', () => {
  it('a new log-in clears the sessions that have expired, and keeps the live ones', async () => {
    const h = await startHarness();
    try {
      const db = h.app.db;
      const user = await createUser(db, { name: 'Ana', email: 'ana@example.com', role: 'finance', password: 'senha-de-teste-123', now: new Date().toISOString() });
      const t0 = Date.parse('2026-11-28T12:00:00Z');
      const old = createSession(db, user.id, t0, 60_000); // expires a minute later
      const live = createSession(db, user.id, t0 + 30 * 60_000, 12 * 3_600_000);
      const rows = () => db.all(db.kysely.selectFrom('staff_sessions').select('id'));
      expect(rows()).toHaveLength(1);
      expect(findSession(db, live.cookie, t0 + 31 * 60_000, 2 * 3_600_000)).toBeDefined();
      expect(old.cookie).not.toBe(live.cookie);
    } finally {
      await h.close();
    }
  });
});
