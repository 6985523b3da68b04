// pt-BR date/time understanding relative to an injected `now`, always on the
// São Paulo calendar (the server may run in UTC, where 22:30 BRT is already "tomorrow").
//
// A calendar date is a plain `LocalDate` object ({ year, month: 1-12, day }) rather
// than a Date, so no time zone can shift it; use toIsoDate() for storage/keys.

import { blankOut, foldText } from './text.js';

export const SAO_PAULO_TIME_ZONE = 'America/Sao_Paulo';

export interface LocalDate {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export type Period = 'manha' | 'tarde' | 'qualquer';

export interface DateMatch {
  date: LocalDate;
  /** Position of the matched words in the input text. */
  index: number;
  length: number;
}

// ---------------------------------------------------------------------------
// Calendar helpers

const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: SAO_PAULO_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

interface WallClock extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

// Every parse asks for "today"; Intl is slow, and the answer only changes every minute.
let wallCache: { minute: number; wall: WallClock } | null = null;

function saoPauloWallClock(instant: Date): WallClock {
  const ms = instant.getTime();
  const minute = Math.floor(ms / 60_000);
  if (wallCache?.minute === minute) return { ...wallCache.wall, second: Math.floor((ms % 60_000) / 1000) };
  const wall = readWallClock(instant);
  if (Number.isFinite(minute)) wallCache = { minute, wall };
  return wall;
}

function readWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const p of dateTimeFormat.formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** São Paulo UTC offset in minutes at `instant` (e.g. -180). Derived, not hard-coded, in case DST returns. */
function saoPauloOffsetMinutes(instant: Date): number {
  const w = saoPauloWallClock(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The São Paulo calendar date at instant `now`. */
export function localDateOf(now: Date): LocalDate {
  const { year, month, day } = saoPauloWallClock(now);
  return { year, month, day };
}

export function isValidLocalDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds a LocalDate, or null for impossible dates such as 31/02. */
export function makeLocalDate(year: number, month: number, day: number): LocalDate | null {
  return isValidLocalDate(year, month, day) ? { year, month, day } : null;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Negative if a < b, 0 if equal, positive if a > b (usable as a sort comparator). */
export function compareLocalDate(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

const WEEKDAY_NAMES = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'];

/** 'segunda-feira', 'sábado', ... */
export function weekdayNamePtBr(date: LocalDate): string {
  return WEEKDAY_NAMES[weekdayOf(date)]!;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** '12/03/2026' */
export function formatDatePtBr(date: LocalDate): string {
  return `${pad2(date.day)}/${pad2(date.month)}/${date.year}`;
}

/** '2026-03-12' */
export function toIsoDate(date: LocalDate): string {
  return `${date.year}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** Parses exactly 'YYYY-MM-DD'; null when malformed or impossible. */
export function parseIsoDate(s: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  return m ? makeLocalDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** '2026-11-28T12:00:00-03:00': the instant as São Paulo wall-clock time with its offset. */
export function toSaoPauloIso(instant: Date): string {
  const w = saoPauloWallClock(instant);
  const offset = saoPauloOffsetMinutes(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${toIsoDate(w)}T${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

/** The instant at which São Paulo clocks show `date` at `time` (e.g. to store an appointment). */
export function fromSaoPauloLocal(date: LocalDate, time: TimeOfDay): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  // Two passes settle the offset even if the first guess lands across an offset change.
  let instant = wall - saoPauloOffsetMinutes(new Date(wall)) * 60000;
  instant = wall - saoPauloOffsetMinutes(new Date(instant)) * 60000;
  return new Date(instant);
}

// ---------------------------------------------------------------------------
// Date parsing

const MONTHS: Record<string, number> = {
  janeiro: 1, fevereiro: 2, marco: 3, abril: 4, maio: 5, junho: 6,
  julho: 7, agosto: 8, setembro: 9, outubro: 10, novembro: 11, dezembro: 12,
  jan: 1, fev: 2, mar: 3, abr: 4, mai: 5, jun: 6, jul: 7, ago: 8, set: 9, out: 10, nov: 11, dez: 12,
};
// Full names first so 'marco' wins over 'mar'.
const MONTH_ALTERNATION = Object.keys(MONTHS).join('|');

const WEEKDAYS: Record<string, number> = {
  domingo: 0, segunda: 1, terca: 2, quarta: 3, quinta: 4, sexta: 5, sabado: 6,
};
// 'segunda via do boleto', 'quinta parcela': ordinals, not weekdays.
const ORDINAL_FOLLOWERS =
  /^\s+(?:via|vez|parcela|opcao|mao|chamada|tentativa|etapa|fase|parte|serie|edicao|classe|instancia|cobranca|fatura|conta|pessoa)\b/;

const RELATIVE_DAYS: Record<string, number> = {
  anteontem: -2, ontem: -1, hoje: 0, amanha: 1, 'depois de amanha': 2,
};

function expandYear(y: string | undefined, today: LocalDate): number {
  if (y === undefined) return today.year;
  // Two-digit years are always this century in a support chat ('26' -> 2026).
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

/** 'dia 15': this month unless already past, else the next month that has that day. */
function nextDayOfMonth(day: number, today: LocalDate): LocalDate | null {
  if (day < 1 || day > 31) return null;
  let { year, month } = today;
  if (day < today.day) month++;
  for (let i = 0; i < 13; i++, month++) {
    if (month > 12) {
      month = 1;
      year++;
    }
    if (isValidLocalDate(year, month, day)) return { year, month, day };
  }
  return null;
}

interface DateRule {
  re: RegExp;
  resolve: (m: RegExpExecArray, today: LocalDate, folded: string) => LocalDate | null | 'skip';
}

// Applied in order; each rule's matches are blanked out before the next rule runs,
// so '12 de março' is not re-read as 'dia 12' and '2026-03-12' not as '03-12'.
const DATE_RULES: readonly DateRule[] = [
  {
    re: /(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])/g,
    resolve: (m) => makeLocalDate(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    re: /(?<![\d/.,:-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?!\d|[/.-]\d)/g,
    resolve: (m, today) => {
      // '12.50' is a price, not a date: dots only count with a year ('12.03.2026').
      if (m[2] === '.' && m[4] === undefined) return 'skip';
      return makeLocalDate(expandYear(m[4], today), Number(m[3]), Number(m[1]));
    },
  },
  {
    re: new RegExp(
      `(?<!\\d)(?:dia\\s+)?(\\d{1,2})º?\\s*(?:de\\s+)?(${MONTH_ALTERNATION})\\b\\.?(?:\\s*(?:de\\s+)?(\\d{4})(?!\\d))?`,
      'g',
    ),
    resolve: (m, today) => makeLocalDate(expandYear(m[3], today), MONTHS[m[2]!]!, Number(m[1])),
  },
  {
    re: /\bdia\s+(\d{1,2})(?![\d/:]|\s*h\b|\s*horas?\b)/g,
    resolve: (m, today) => nextDayOfMonth(Number(m[1]), today),
  },
  {
    // ("dps de amanhã" is how it is typed in a chat.)
    re: /\b((?:depois|dps|dpois|dpss)\s+de\s+amanha|anteontem|amanha|hoje|ontem)\b/g,
    resolve: (m, today, folded) => {
      // "hoje marcada para 15/12", "hoje está agendado pro dia 20": "hoje" says "currently", not which day.
      if (m[1] === 'hoje' && /^\s+(?:(?:ela|ele|a video|o agendamento)\s+)?(?:esta|ta|e|fica)?\s*(?:marcad[oa]|agendad[oa])\s+(?:para|pra|pro|no|na|em)\b/.test(folded.slice(m.index + m[0].length))) return 'skip';
      return addDays(today, RELATIVE_DAYS[m[1]!.replace(/\s+/g, ' ').replace(/^(dps|dpois|dpss) /, 'depois ')]!);
    },
  },
  {
    // 'próxima semana', 'semana que vem': from its Monday.
    re: /\b(?:(?:a\s+)?proxima\s+semana|(?:a\s+)?semana\s+que\s+vem)\b/g,
    resolve: (_m, today) => addDays(today, (8 - weekdayOf(today)) % 7 || 7),
  },
  {
    re: /\b(domingo|segunda|terca|quarta|quinta|sexta|sabado)(?:[\s-]*feira)?\b/g,
    resolve: (m, today, folded) => {
      if (ORDINAL_FOLLOWERS.test(folded.slice(m.index + m[0].length))) return 'skip';
      // Always the NEXT occurrence: 'segunda' said on a Monday means in 7 days.
      const delta = (WEEKDAYS[m[1]!]! - weekdayOf(today) + 7) % 7 || 7;
      return addDays(today, delta);
    },
  },
];

/**
 * Every date mentioned in `text`, in order of appearance, resolved against the
 * São Paulo day of `now`. Impossible dates (31/02) are dropped. See parseDatePtBr.
 */
export function findDatesPtBr(text: string, now: Date): DateMatch[] {
  const today = localDateOf(now);
  let folded = foldText(text);
  const plain = folded; // before the rules blank what they read (same length, same indexes)
  const found: DateMatch[] = [];
  for (const rule of DATE_RULES) {
    const consumed: Array<[number, number]> = [];
    for (const m of folded.matchAll(rule.re)) {
      const match = m as RegExpExecArray;
      const date = rule.resolve(match, today, folded);
      if (date === 'skip') continue;
      consumed.push([match.index, match.index + match[0].length]);
      if (date) found.push({ date, index: match.index, length: match[0].length });
    }
    for (const [start, end] of consumed) folded = blankOut(folded, start, end);
  }
  found.sort((a, b) => a.index - b.index);
  // "segunda dia 14", "sexta, 04/12", "quarta agora, dia 25": the day written out says which weekday; one date, not two.
  for (let i = found.length - 2; i >= 0; i--) {
    const a = found[i]!;
    const b = found[i + 1]!;
    const gap = plain.slice(a.index + a.length, b.index);
    if (WEEKDAY_START.test(plain.slice(a.index, a.index + a.length)) && /^[\s,(-]*(feira)?[\s,(-]*((agora|passad[ao]|que\s+vem|ultim[ao]|retrasad[ao]|dessa\s+semana|desta\s+semana)[\s,(-]*)?(dia\s*)?$/.test(gap) && /^(dia\s*)?\d/.test(plain.slice(b.index))) {
      found.splice(i, 2, { date: b.date, index: a.index, length: b.index + b.length - a.index });
    }
  }
  return found;
}
const WEEKDAY_START = /^(domingo|segunda|terca|quarta|quinta|sexta|sabado)/;

/**
 * The first date in `text`, or null. Understands '12/03', '12/03/2026', '12/3/26',
 * '12-03-2026', '12.03.2026', '2026-03-12', 'hoje', 'amanhã', 'depois de amanhã',
 * 'ontem', 'anteontem', weekdays ('sexta', 'terça-feira', 'sábado'; always the next
 * one, never today), 'dia 15' (this month unless past, else next month) and
 * '12 de março [de 2026]'. Dates without a year use the current São Paulo year,
 * even if already past: the caller decides what a past date means.
 */
export function parseDatePtBr(text: string, now: Date): LocalDate | null {
  return findDatesPtBr(text, now)[0]?.date ?? null;
}

// ---------------------------------------------------------------------------
// Time parsing

const TIME_RE = new RegExp(
  [
    '(?<![\\d/:.,-])',
    '(\\bas\\s+)?', // 1: 'às'/'as' prefix
    '(\\d{1,2})', // 2: hour
    '(?:',
    ':(\\d{2})', // 3: minutes after a colon
    '|',
    '\\s*(h(?=\\d)|(?:h|hs|hrs?|horas?)\\b)', // 4: hour unit
    '(?:\\s*(\\d{2})(?:\\s*(?:min|minutos?)\\b)?', // 5: minutes after the unit ('14h30')
    '|\\s+e\\s+(\\d{1,2})\\s*(?:min|minutos?)?\\b)?', // 6: '14 horas e 15'
    ')?',
    '(\\s+e\\s+meia\\b)?', // 7: '2 e meia'
    '(?:\\s*(?:da|de|a)\\s+(manha|tarde|noite|madrugada)\\b)?', // 8: period
    '(?![\\d/:])',
  ].join(''),
  'g',
);
const NOON_MIDNIGHT_RE = /\b(meio[\s-]?dia|meia[\s-]?noite)(\s+e\s+meia\b)?/g;

interface TimeCandidate {
  time: TimeOfDay;
  index: number;
  length: number;
}

function timeCandidates(text: string): TimeCandidate[] {
  const folded = foldText(text);
  const out: TimeCandidate[] = [];
  for (const m of folded.matchAll(TIME_RE)) {
    const [whole, prefix, h, colonMin, unit, unitMin, andMin, half, period] = m;
    let hour = Number(h);
    let minute = Number(colonMin ?? unitMin ?? andMin ?? (half ? 30 : 0));
    // 'dia 2 de manhã' is a day of the month plus a period, not 02:00.
    if (!colonMin && !unit && !prefix && /\bdia\s+$/.test(folded.slice(0, m.index))) continue;
    if (!colonMin && !unit && !half && !period) {
      // A bare number is only a time after 'às'. Unaccented 'as' is also the article
      // ('as 2 parcelas'), so then it must end the phrase ('pode ser as 10?').
      if (!prefix) continue;
      const accented = /^às/i.test(text.slice(m.index, m.index + 2));
      if (!accented && !/^\s*(?:$|[,.;!?)])/.test(folded.slice(m.index + whole.length))) continue;
    }
    if (period === 'tarde' || period === 'noite') {
      if (hour < 12) hour += 12;
      else if (hour === 12 && period === 'noite') hour = 0;
    }
    if (hour > 23 || minute > 59) continue;
    out.push({ time: { hour, minute }, index: m.index, length: whole.length });
  }
  for (const m of folded.matchAll(NOON_MIDNIGHT_RE)) {
    const hour = m[1]!.startsWith('meio') ? 12 : 0;
    out.push({ time: { hour, minute: m[2] ? 30 : 0 }, index: m.index, length: m[0].length });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Every time of day in `text`, in order of appearance (see parseTimePtBr). */
export function findTimesPtBr(text: string): TimeCandidate[] {
  return timeCandidates(text);
}

/**
 * The first time of day in `text`: '14h', '14h30', '14:30', '14 horas', '8h',
 * '2 da tarde' (14:00), '9 da manhã', '2 e meia da tarde', 'às 10', 'meio-dia',
 * 'meia-noite'. Null when there is none (bare numbers are not times).
 */
export function parseTimePtBr(text: string): TimeOfDay | null {
  return timeCandidates(text)[0]?.time ?? null;
}

/**
 * Preferred period of the day: 'manha', 'tarde' or 'qualquer' (also when both
 * morning and afternoon are mentioned). Greetings ('boa tarde') and 'mais tarde'
 * are ignored. Null when no period is expressed.
 */
export function parsePeriod(text: string): Period | null {
  // 'qualquer dia' is about the date, not the period.
  const folded = foldText(text).replace(/\b(?:bom\s+dia|boa\s+tarde|boa\s+noite|mais\s+tarde|qualquer\s+(?:dia|data|momento))\b/g, ' ');
  // "só de manhã, pq de tarde ela tá na lavoura": one period said as the only one wins.
  const only = /\b(?:so|somente|apenas|exclusivamente|unicamente)\s+(?:de\s+|pela\s+|na\s+|a\s+|no\s+periodo\s+da\s+)?(manha|tarde)\b/.exec(folded);
  if (only) return only[1] === 'manha' ? 'manha' : 'tarde';
  // "de manhã, ela trabalha à tarde": the period taken up elsewhere is not the one wanted.
  const not = /\b(?:nao|menos|trabalha|trabalho|trabalhamos|estuda|estudo|(?:ta|esta|estou|to|fica)\s+ocupad[oa]|nao\s+(?:pode|posso|consegue|da))\s+(?:de\s+|pela\s+|na\s+|a\s+|no\s+periodo\s+da\s+)?(manha|tarde)\b/.exec(folded);
  if (not) return not[1] === 'manha' ? 'tarde' : 'manha';
  // "de preferência de manhã", "a tarde ela trabalha": the preferred one, or the other of a busy one.
  const preferred = /\b(?:de\s+)?preferencia(?:lmente)?\s+(?:de\s+|pela\s+|na\s+|a\s+|no\s+periodo\s+da\s+)?(manha|tarde)\b/.exec(folded);
  if (preferred) return preferred[1] === 'manha' ? 'manha' : 'tarde';
  const busy = /\b(manha|tarde)\s+(?:(?:ela|ele|eu|nos|o cliente|a cliente)\s+)?(?:trabalha|trabalho|trabalhamos|estuda|estudo|nao\s+(?:pode|posso|consegue|da)|(?:ta|esta|estou|to|fica)\s+ocupad[oa])\b/.exec(folded);
  if (busy) return busy[1] === 'manha' ? 'tarde' : 'manha';
  if (/\b(?:qualquer|tanto\s+faz|indiferente)\b/.test(folded)) return 'qualquer';
  // 'amanhã cedo', 'logo cedo', 'primeira hora' are mornings; 'fim do dia' an afternoon.
  const morning = /\b(?:manha|cedo|primeira\s+hora|antes\s+do\s+almoco)\b/.test(folded);
  const afternoon = /\b(?:tarde|fim\s+do\s+dia|final\s+do\s+dia|depois\s+do\s+almoco|apos\s+o\s+almoco|pos\s+almoco)\b/.test(folded);
  if (morning && afternoon) return 'qualquer';
  if (morning) return 'manha';
  if (afternoon) return 'tarde';
  return null;
}
