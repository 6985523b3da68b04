// Pulls structured fields out of a free-text WhatsApp message.
//
// Scanners run in a fixed order and blank out what they consumed, so a digit run
// is read as at most one thing: e-mail > protocol > CPF/CNPJ > order number > date > time.

import { type ParsedDocument, parseDocument } from './document.js';
import { isValidEmail, normalizeEmail } from './email.js';
import { normalizeBrPhone } from './phone.js';
import { type LocalDate, type TimeOfDay, findDatesPtBr, parseTimePtBr, toIsoDate } from './datetime.js';
import { blankOut, foldText } from './text.js';

export interface ExtractedFields {
  /** Only documents with valid check digits, in order of appearance, without duplicates. */
  documents: ParsedDocument[];
  /** Digits only, e.g. '48213'. */
  orderNumber?: string;
  /** Normalised (lowercase). */
  email?: string;
  /** In order of appearance, without duplicates. */
  dates: LocalDate[];
  time?: TimeOfDay;
  /** Canonical 'FIN-000123'. */
  protocol?: string;
}

/** Protocol prefixes issued by the back office (financeiro, suporte). */
export const PROTOCOL_PREFIXES = ['FIN', 'SUP'] as const;

// A separator is required: 'fin123' is too likely to be noise.
const PROTOCOL_RE = new RegExp(`\\b(${PROTOCOL_PREFIXES.join('|')})(?:\\s*-\\s*|\\s+)(\\d{1,6})\\b`, 'gi');

/** 'fin 123' / 'Fin-123' / 'FIN-000123' -> 'FIN-000123'; null when not exactly a protocol. */
export function normalizeProtocol(s: string): string | null {
  const m = new RegExp(`^${PROTOCOL_RE.source}$`, 'i').exec(s.trim());
  return m ? `${m[1]!.toUpperCase()}-${m[2]!.padStart(6, '0')}` : null;
}

const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;
// Document-shaped digit runs, formatted or bare, not glued to other digits.
const CNPJ_RE = /(?<![\d./-])\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}(?!\d|[./-]\d)/g;
const CPF_RE = /(?<![\d./-])\d{3}\.?\d{3}\.?\d{3}[-.]?\d{2}(?!\d|[./-]\d)/g;
// The alphanumeric CNPJ (since July 2026): letters or digits in the first 12 positions. Runs on
// folded (lower-case) text; only a valid check-digit pair makes it a document.
const ALNUM_CNPJ_RE = /(?<![0-9a-z./-])[0-9a-z]{2}\.?[0-9a-z]{3}\.?[0-9a-z]{3}\/?[0-9a-z]{4}-?\d{2}(?![0-9a-z]|[./-][0-9a-z])/g;
// Order numbers need a cue word ('pedido nº 48213', 'compra: 48213', '#48213');
// a bare number is never an order. Amounts ('compra 1500 reais') are excluded.
const ORDER_RE =
  /(?:\b(?:pedido|ordem|compra|encomenda)\s*(?:(?:n[º°o]?\.?|numero|num\.?|#|:|-|e)\s*){0,3}|#\s*)(\d{4,10})(?!\d|[.,/-]\d|\s*(?:reais|real)\b)/g;

export function extractFields(text: string, now: Date): ExtractedFields {
  // `work` keeps the original characters (accents matter to the time parser) and
  // has consumed spans replaced by spaces; regexes run on its folded twin.
  let work = text;
  const consume = (start: number, end: number): void => {
    work = blankOut(work, start, end);
  };
  const result: ExtractedFields = { documents: [], dates: [] };

  for (const m of foldText(work).matchAll(EMAIL_RE)) {
    const candidate = normalizeEmail(text.slice(m.index, m.index + m[0].length));
    if (result.email === undefined && isValidEmail(candidate)) result.email = candidate;
    consume(m.index, m.index + m[0].length);
  }

  for (const m of foldText(work).matchAll(PROTOCOL_RE)) {
    result.protocol ??= `${m[1]!.toUpperCase()}-${m[2]!.padStart(6, '0')}`;
    consume(m.index, m.index + m[0].length);
  }

  const docs: Array<{ doc: ParsedDocument; index: number }> = [];
  for (const re of [ALNUM_CNPJ_RE, CNPJ_RE, CPF_RE]) {
    for (const m of foldText(work).matchAll(re)) {
      const alnum = re === ALNUM_CNPJ_RE;
      // A word that merely has the shape (letters only, or digits only: the numeric rules) is not an alphanumeric CNPJ.
      if (alnum && (!/[a-z]/.test(m[0]) || !/\d/.test(m[0].slice(0, -2)))) continue;
      const doc = parseDocument(m[0]);
      if (alnum && !doc) continue;
      if (doc && !docs.some((d) => d.doc.value === doc.value)) docs.push({ doc, index: m.index });
      // Blank invalid ones too: an 11/14-digit run is never an order number or a date.
      consume(m.index, m.index + m[0].length);
    }
  }
  result.documents = docs.sort((a, b) => a.index - b.index).map((d) => d.doc);

  for (const m of foldText(work).matchAll(ORDER_RE)) {
    const digits = m[1]!;
    // A 10-digit run that dials as a landline is a phone number, not an order.
    if (digits.length >= 10 && normalizeBrPhone(digits) !== null) continue;
    result.orderNumber ??= digits;
    consume(m.index, m.index + m[0].length);
  }

  const seen = new Set<string>();
  for (const { date, index, length } of findDatesPtBr(work, now)) {
    const iso = toIsoDate(date);
    if (!seen.has(iso)) {
      seen.add(iso);
      result.dates.push(date);
    }
    consume(index, index + length);
  }

  const time = parseTimePtBr(work);
  if (time) result.time = time;
  return result;
}
