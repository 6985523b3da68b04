import { z } from 'zod';
import { ConfigError, parseEnv } from './config.js';

// Business hours per team, with Brazilian national holidays, and the pt-BR phrase that tells a
// customer when the team will pick a ticket up. Pure: no database, no transport; flows use it.

export type TeamName = 'finance' | 'support';

/** Minutes since local midnight, [open, close). */
interface Interval {
  open: number;
  close: number;
}

export interface BusinessHoursOptions {
  timezone: string;
  /** Per team, per weekday (0 = Sunday), the open intervals. */
  teams: Record<TeamName, Interval[][]>;
  /** Movable optional closings: 'carnaval' (Monday and Tuesday), 'corpus-christi'. */
  optional: Array<'carnaval' | 'corpus-christi'>;
  /** Extra closed dates (YYYY-MM-DD), e.g. a state or city holiday. */
  extraClosed: string[];
}

const DAYS = ['dom', 'seg', 'ter', 'qua', 'qui', 'sex', 'sab'];
const WEEKDAY_NAMES = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'];

export const DEFAULT_HOURS = 'seg-sex 08:00-18:00';

/**
 * Parses "seg-sex 08:00-18:00; sab 08:00-12:00" into intervals per weekday.
 * Days: dom seg ter qua qui sex sab (accents ignored), single or ranges; several intervals per day
 * with commas ("seg-sex 08:00-12:00,13:00-18:00").
 */
export function parseHours(spec: string): Interval[][] {
  const week: Interval[][] = [[], [], [], [], [], [], []];
  const norm = spec.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
  if (norm === '' || norm === 'fechado') return week;
  for (const part of norm.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(.+)$/.exec(part);
    if (!m) throw new Error(`horário inválido: "${part}" (use p.ex. "seg-sex 08:00-18:00")`);
    const from = DAYS.indexOf(m[1]!);
    const to = m[2] ? DAYS.indexOf(m[2]) : from;
    if (from < 0 || to < 0) throw new Error(`dia inválido em "${part}" (dom seg ter qua qui sex sab)`);
    const intervals = m[3]!.split(',').map((r) => {
      const t = /^(\d{1,2}):?(\d{2})?\s*-\s*(\d{1,2}):?(\d{2})?$/.exec(r.trim());
      if (!t) throw new Error(`intervalo inválido: "${r.trim()}" (use 08:00-18:00)`);
      const open = Number(t[1]) * 60 + Number(t[2] ?? 0);
      const close = Number(t[3]) * 60 + Number(t[4] ?? 0);
      if (open >= close || close > 24 * 60) throw new Error(`intervalo inválido: "${r.trim()}"`);
      return { open, close };
    });
    for (let d = from; ; d = (d + 1) % 7) {
      week[d]!.push(...intervals);
      if (d === to) break;
    }
  }
  for (const day of week) day.sort((a, b) => a.open - b.open);
  return week;
}

/** Easter Sunday (Gregorian, anonymous algorithm) as [month, day]. */
export function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const shift = (y: number, m: number, d: number, days: number) => {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
};

/** Brazilian national holidays of a year (YYYY-MM-DD → name), plus the optional movable closings asked for. */
export function holidays(year: number, optional: BusinessHoursOptions['optional'] = []): Map<string, string> {
  const out = new Map<string, string>([
    [iso(year, 1, 1), 'Confraternização Universal'],
    [iso(year, 4, 21), 'Tiradentes'],
    [iso(year, 5, 1), 'Dia do Trabalho'],
    [iso(year, 9, 7), 'Independência do Brasil'],
    [iso(year, 10, 12), 'Nossa Senhora Aparecida'],
    [iso(year, 11, 2), 'Finados'],
    [iso(year, 11, 15), 'Proclamação da República'],
    [iso(year, 12, 25), 'Natal'],
  ]);
  if (year >= 2024) out.set(iso(year, 11, 20), 'Dia Nacional de Zumbi e da Consciência Negra');
  const [em, ed] = easter(year);
  out.set(shift(year, em, ed, -2), 'Sexta-feira Santa');
  if (optional.includes('carnaval')) {
    out.set(shift(year, em, ed, -48), 'Carnaval');
    out.set(shift(year, em, ed, -47), 'Carnaval');
  }
  if (optional.includes('corpus-christi')) out.set(shift(year, em, ed, 60), 'Corpus Christi');
  return out;
}

interface LocalParts {
  y: number;
  m: number;
  d: number;
  weekday: number;
  minutes: number;
}

export class BusinessHours {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly holidayCache = new Map<number, Map<string, string>>();

  constructor(readonly options: BusinessHoursOptions) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: options.timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    });
  }

  private local(at: Date): LocalParts {
    const p = Object.fromEntries(this.fmt.formatToParts(at).map((x) => [x.type, x.value]));
    return {
      y: Number(p.year),
      m: Number(p.month),
      d: Number(p.day),
      weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!),
      minutes: Number(p.hour) * 60 + Number(p.minute),
    };
  }

  /** The instant of a local wall-clock time in the configured zone. */
  private instant(y: number, m: number, d: number, minutes: number): Date {
    const guess = Date.UTC(y, m - 1, d, 0, minutes);
    let t = guess;
    for (let i = 0; i < 2; i++) {
      const p = this.local(new Date(t));
      const asUtc = Date.UTC(p.y, p.m - 1, p.d, 0, p.minutes);
      t += guess - asUtc;
    }
    return new Date(t);
  }

  /** The holiday's name when the local date is closed for everyone, else null. */
  holidayOn(date: string): string | null {
    const year = Number(date.slice(0, 4));
    let map = this.holidayCache.get(year);
    if (!map) {
      map = holidays(year, this.options.optional);
      for (const extra of this.options.extraClosed) if (extra.startsWith(`${year}-`)) map.set(extra, 'feriado');
      this.holidayCache.set(year, map);
    }
    return map.get(date) ?? null;
  }

  isOpen(team: TeamName, now: Date): boolean {
    const p = this.local(now);
    if (this.holidayOn(iso(p.y, p.m, p.d))) return false;
    return (this.options.teams[team][p.weekday] ?? []).some((i) => p.minutes >= i.open && p.minutes < i.close);
  }

  /** The next moment the team opens (strictly after now when it is open now). Null if never within 60 days. */
  nextOpening(team: TeamName, now: Date): Date | null {
    const p = this.local(now);
    for (let i = 0; i < 60; i++) {
      const t = new Date(Date.UTC(p.y, p.m - 1, p.d + i));
      const [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
      if (this.holidayOn(iso(y, m, d))) continue;
      for (const interval of this.options.teams[team][t.getUTCDay()] ?? []) {
        if (i === 0 && interval.open <= p.minutes) continue;
        return this.instant(y, m, d, interval.open);
      }
    }
    return null;
  }

  /**
   * When the team will pick a ticket up, as a pt-BR phrase: "hoje, a partir das 13h",
   * "amanhã, 01/12, a partir das 8h", "na segunda-feira, 30/11, a partir das 8h".
   */
  nextBusinessOpening(team: TeamName, now: Date): string {
    const at = this.nextOpening(team, now);
    if (!at) return 'assim que possível';
    const n = this.local(now);
    const o = this.local(at);
    const hour = `${Math.floor(o.minutes / 60)}h${o.minutes % 60 ? String(o.minutes % 60).padStart(2, '0') : ''}`;
    const ddmm = `${String(o.d).padStart(2, '0')}/${String(o.m).padStart(2, '0')}`;
    const dayDiff = Math.round((Date.UTC(o.y, o.m - 1, o.d) - Date.UTC(n.y, n.m - 1, n.d)) / 86_400_000);
    if (dayDiff === 0) return `hoje, a partir das ${hour}`;
    if (dayDiff === 1) return `amanhã, ${ddmm}, a partir das ${hour}`;
    const article = o.weekday === 0 || o.weekday === 6 ? 'no' : 'na';
    return `${article} ${WEEKDAY_NAMES[o.weekday]}, ${ddmm}, a partir das ${hour}`;
  }

  /** For FlowServices.pickup: null while the team is working, else when it will pick the ticket up. */
  pickup(team: TeamName, now: Date): string | null {
    return this.isOpen(team, now) ? null : this.nextBusinessOpening(team, now);
  }
}

const schema = z.object({
  BUSINESS_HOURS_FINANCE: z.string().default(DEFAULT_HOURS),
  BUSINESS_HOURS_SUPPORT: z.string().default(DEFAULT_HOURS),
  BUSINESS_OPTIONAL_HOLIDAYS: z.string().default('carnaval,corpus-christi'),
  BUSINESS_EXTRA_HOLIDAYS: z.string().default(''),
});

/** Reads BUSINESS_HOURS_FINANCE/SUPPORT, BUSINESS_OPTIONAL_HOLIDAYS and BUSINESS_EXTRA_HOLIDAYS. */
export function loadBusinessHours(env: NodeJS.ProcessEnv = process.env, timezone = 'America/Sao_Paulo'): BusinessHours {
  const c = parseEnv(schema, env);
  const parse = (name: string, value: string) => {
    try {
      return parseHours(value);
    } catch (err) {
      throw new ConfigError(`Configuração inválida nas variáveis de ambiente:\n  ${name}: ${(err as Error).message} (valor: ${JSON.stringify(value)})`);
    }
  };
  const optional = c.BUSINESS_OPTIONAL_HOLIDAYS.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of optional) {
    if (o !== 'carnaval' && o !== 'corpus-christi') {
      throw new ConfigError(`Configuração inválida nas variáveis de ambiente:\n  BUSINESS_OPTIONAL_HOLIDAYS: use "carnaval" e/ou "corpus-christi" (valor: ${JSON.stringify(o)})`);
    }
  }
  const extra = c.BUSINESS_EXTRA_HOLIDAYS.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of extra) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e)) {
      throw new ConfigError(`Configuração inválida nas variáveis de ambiente:\n  BUSINESS_EXTRA_HOLIDAYS: datas AAAA-MM-DD separadas por vírgula (valor: ${JSON.stringify(e)})`);
    }
  }
  return new BusinessHours({
    timezone,
    teams: { finance: parse('BUSINESS_HOURS_FINANCE', c.BUSINESS_HOURS_FINANCE), support: parse('BUSINESS_HOURS_SUPPORT', c.BUSINESS_HOURS_SUPPORT) },
    optional: optional as BusinessHoursOptions['optional'],
    extraClosed: extra,
  });
}
