import type { BusinessHours } from '../business-hours.js';
import type { Team, TicketType } from '../db/schema.js';
import { localDate, zonedMidnight } from './format.js';

// SLA colour of a ticket: green while under 75 % of its type's target, amber up to the target,
// red past it. The elapsed time counts the owning team's business hours (src/business-hours.ts:
// weekly hours and holidays), or every hour with PANEL_SLA_CLOCK=calendar.

export type SlaLevel = 'ok' | 'warn' | 'late' | 'done';

export const SLA_LABEL: Record<SlaLevel, string> = { ok: 'no prazo', warn: 'perto do prazo', late: 'atrasado', done: 'encerrado' };

export interface SlaClock {
  /** Hours counted against the SLA between two instants, stopping early past `capHours`. */
  elapsedHours(team: Team, fromMs: number, toMs: number, capHours: number): number;
  /** The instant at which `hours` counted hours have passed since `fromMs` (pages turn a row amber or red then). */
  deadline(team: Team, fromMs: number, hours: number): number;
}

export const calendarClock: SlaClock = {
  elapsedHours: (_team, fromMs, toMs) => Math.max(0, (toMs - fromMs) / 3_600_000),
  deadline: (_team, fromMs, hours) => fromMs + hours * 3_600_000,
};

const DAY = 86_400_000;

/** Business hours between two instants, from the team's weekly intervals minus holidays. */
export class BusinessClock implements SlaClock {
  private readonly days = new Map<string, Array<[number, number]>>();

  constructor(
    private readonly hours: BusinessHours,
    private readonly timeZone: string,
  ) {}

  /** The team's open intervals of a local date, as epoch ms (cached per team and date). */
  private intervals(team: Team, date: string): Array<[number, number]> {
    const key = `${team}|${date}`;
    let out = this.days.get(key);
    if (!out) {
      out = [];
      if (!this.hours.holidayOn(date)) {
        const midnight = Date.parse(zonedMidnight(date, this.timeZone)!);
        const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
        for (const iv of this.hours.options.teams[team][weekday] ?? []) out.push([midnight + iv.open * 60_000, midnight + iv.close * 60_000]);
      }
      if (this.days.size > 5000) this.days.clear();
      this.days.set(key, out);
    }
    return out;
  }

  private readonly memo = new Map<string, number>();

  /** Memoised per minute: a queue page shows the same rows again and again. */
  elapsedHours(team: Team, fromMs: number, toMs: number, capHours: number): number {
    if (toMs <= fromMs) return 0;
    const key = `${team}|${Math.floor(fromMs / 60_000)}|${Math.floor(toMs / 60_000)}|${capHours}`;
    let hours = this.memo.get(key);
    if (hours === undefined) {
      hours = this.compute(team, fromMs, toMs, capHours);
      if (this.memo.size > 20_000) this.memo.clear();
      this.memo.set(key, hours);
    }
    return hours;
  }

  /** Per team and target, by start instant (numbers as keys: no key string per lookup, a queue page asks twice per row). */
  private readonly deadlines = new Map<string, Map<number, number>>();
  private deadlineCount = 0;

  deadline(team: Team, fromMs: number, hours: number): number {
    let byStart = this.deadlines.get(team + hours);
    if (!byStart) this.deadlines.set(team + hours, (byStart = new Map()));
    let at = byStart.get(fromMs);
    if (at === undefined) {
      at = this.computeDeadline(team, fromMs, hours);
      if (++this.deadlineCount > 20_000) {
        for (const m of this.deadlines.values()) m.clear();
        this.deadlineCount = 1;
      }
      byStart.set(fromMs, at);
    }
    return at;
  }

  private computeDeadline(team: Team, fromMs: number, hours: number): number {
    let left = hours * 3_600_000;
    let date = localDate(fromMs, this.timeZone);
    for (let i = 0; i < 400; i++) {
      for (const [open, close] of this.intervals(team, date)) {
        const a = Math.max(open, fromMs);
        if (close <= a) continue;
        if (close - a >= left) return a + left;
        left -= close - a;
      }
      date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    }
    return Number.POSITIVE_INFINITY; // a team that never opens
  }

  private compute(team: Team, fromMs: number, toMs: number, capHours: number): number {
    const capMs = capHours * 3_600_000;
    let total = 0;
    let date = localDate(fromMs, this.timeZone);
    const last = localDate(toMs, this.timeZone);
    for (let i = 0; i < 400; i++) {
      for (const [open, close] of this.intervals(team, date)) {
        const a = Math.max(open, fromMs);
        const b = Math.min(close, toMs);
        if (b > a) total += b - a;
      }
      if (date >= last || total > capMs) break;
      date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    }
    return total / 3_600_000;
  }
}

export function elapsedHours(createdAt: string, now: number): number {
  return Math.max(0, (now - Date.parse(createdAt)) / 3_600_000);
}

export function slaLevel(
  t: { type: TicketType; team: Team; status: string; created_at: string },
  targets: Record<TicketType, number>,
  now: number,
  clock: SlaClock = calendarClock,
): SlaLevel {
  if (t.status === 'resolved' || t.status === 'rejected') return 'done';
  const target = targets[t.type];
  const created = Date.parse(t.created_at);
  if (now - created < target * 0.75 * 3_600_000) return 'ok'; // business time never exceeds calendar time
  const ratio = clock.elapsedHours(t.team, created, now, target * 1.01) / target;
  return ratio >= 1 ? 'late' : ratio >= 0.75 ? 'warn' : 'ok';
}

/** When an open ticket turns amber (75 % of its target) and red (100 %), as epoch ms; null once closed. */
export function slaDeadlines(
  t: { type: TicketType; team: Team; status: string; created_at: string },
  targets: Record<TicketType, number>,
  clock: SlaClock = calendarClock,
  created = Date.parse(t.created_at),
): { warnAt: number; lateAt: number } | null {
  if (t.status === 'resolved' || t.status === 'rejected') return null;
  const target = targets[t.type];
  return { warnAt: clock.deadline(t.team, created, target * 0.75), lateAt: clock.deadline(t.team, created, target) };
}

/** "12 min", "3 h", "2 d 4 h" (`createdAt`: an ISO instant, or already parsed). */
export function formatAge(createdAt: string | number, now: number): string {
  const minutes = Math.floor((now - (typeof createdAt === 'number' ? createdAt : Date.parse(createdAt))) / 60_000);
  if (minutes < 60) return `${Math.max(0, minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
