import type { Db } from '../db/database.js';
import type { TicketType } from '../db/schema.js';
import type { SlaClock } from './sla.js';

// The admin overview: what the bot did and how the teams keep up, over the last 24 hours (by
// hour) or 30 days (by day). Messages and decisions come from message_stats (counts only, no
// text); tickets from the tickets table (created_at and closed_at are indexed by time).

export type Period = '24h' | '30d';

export interface Bucket {
  /** ISO instant the bucket starts at. */
  start: string;
  messages: number;
}

export interface Overview {
  period: Period;
  from: string;
  to: string;
  buckets: Bucket[];
  decisions: { answer: number; clarify: number; none: number; other: number };
  /** Free-text questions nothing answered, out of those answered, asked back or not answered. */
  unansweredRate: number | null;
  askBackRate: number | null;
  topQuestions: Array<{ entry: string; n: number }>;
  tickets: Array<{ type: TicketType; opened: number; closed: number; medianHours: number | null; breaches: number }>;
}

const HOUR = 3_600_000;

/** Start of the bucket containing `ms`: the UTC hour, or the day at midnight in `timeZone`. */
function bucketStart(ms: number, period: Period, timeZone: string): number {
  if (period === '24h') return Math.floor(ms / HOUR) * HOUR;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  return Math.floor(ms / HOUR) * HOUR - hour * HOUR;
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function overview(db: Db, o: { period: Period; now: number; timeZone: string; sla: SlaClock; slaHours: Record<string, number> }): Overview {
  const count = o.period === '24h' ? 24 : 30;
  const step = o.period === '24h' ? HOUR : 24 * HOUR;
  const last = bucketStart(o.now, o.period, o.timeZone);
  const starts = Array.from({ length: count }, (_, i) => last - (count - 1 - i) * step);
  const fromMs = starts[0];
  const from = new Date(fromMs).toISOString();
  const to = new Date(o.now).toISOString();
  const k = db.kysely;

  const stats = db.all(
    k.selectFrom('message_stats').select(['hour', 'kind', 'entry', 'n']).where('hour', '>=', from.slice(0, 13)).where('hour', '<=', to.slice(0, 13)),
  );
  const perBucket = new Map<number, number>(starts.map((s) => [s, 0]));
  const decisions = { answer: 0, clarify: 0, none: 0, other: 0 };
  const entries = new Map<string, number>();
  for (const r of stats) {
    const at = Date.parse(`${r.hour}:00:00.000Z`);
    const b = bucketStart(at, o.period, o.timeZone);
    if (perBucket.has(b)) perBucket.set(b, perBucket.get(b)! + r.n);
    if (r.kind === 'answer') {
      decisions.answer += r.n;
      entries.set(r.entry, (entries.get(r.entry) ?? 0) + r.n);
    } else if (r.kind === 'clarify') decisions.clarify += r.n;
    else if (r.kind === 'none') decisions.none += r.n;
    else decisions.other += r.n;
  }
  const questions = decisions.answer + decisions.clarify + decisions.none;

  // Tickets opened in the period, and those closed in it (with their time to close).
  const opened = db.all(k.selectFrom('tickets').select(['type', 'team', 'status', 'created_at', 'closed_at']).where('created_at', '>=', from));
  const closed = db.all(
    k.selectFrom('tickets').select(['type', 'team', 'created_at', 'closed_at']).where('closed_at', '>=', from).where('status', 'in', ['resolved', 'rejected']),
  );
  const byType = new Map<string, { opened: number; closed: number; hours: number[]; breaches: number }>();
  const row = (t: string) => byType.get(t) ?? (byType.set(t, { opened: 0, closed: 0, hours: [], breaches: 0 }), byType.get(t)!);
  for (const t of opened) {
    row(t.type).opened++;
    // Still open and past its target: a breach now.
    if ((t.status === 'open' || t.status === 'in_progress') && o.slaHours[t.type] !== undefined) {
      const target = o.slaHours[t.type];
      if (o.sla.elapsedHours(t.team, Date.parse(t.created_at), o.now, target * 1.01) >= target) row(t.type).breaches++;
    }
  }
  for (const t of closed) {
    const r = row(t.type);
    r.closed++;
    const target = o.slaHours[t.type] ?? Infinity;
    const hours = o.sla.elapsedHours(t.team, Date.parse(t.created_at), Date.parse(t.closed_at!), Number.isFinite(target) ? Math.max(target * 50, 1000) : 10_000);
    r.hours.push(hours);
    if (hours >= target) r.breaches++;
  }

  return {
    period: o.period,
    from,
    to,
    buckets: starts.map((s) => ({ start: new Date(s).toISOString(), messages: perBucket.get(s) ?? 0 })),
    decisions,
    unansweredRate: questions ? decisions.none / questions : null,
    askBackRate: questions ? decisions.clarify / questions : null,
    topQuestions: [...entries.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([entry, n]) => ({ entry, n })),
    tickets: [...byType.entries()]
      .map(([type, r]) => ({ type: type as TicketType, opened: r.opened, closed: r.closed, medianHours: median(r.hours), breaches: r.breaches }))
      .sort((a, b) => b.opened - a.opened || a.type.localeCompare(b.type)),
  };
}
