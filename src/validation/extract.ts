// Pulls structured fields out of a free-text WhatsApp message.
//
// Scanners run in a fixed order and blank out what they consumed, so a digit run
// is read as at most one thing: e-mail > protocol > CPF/CNPJ > order number > date > time.

import { type ParsedDocument, parseDocument } from './document.js';
import { isValidEmail, normalizeEmail } from './email.js';
import { normalizeBrPhone } from './phone.js';
import { type LocalDate, type TimeOfDay, findDatesPtBr, findTimesPtBr, toIsoDate } from './datetime.js';
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
// Read aloud off a card: '390 533 447 05', '45 723 174 0001 10'.
const SPACED_DOC_RE = /(?<![\d./-])(?:\d{3} \d{3} \d{3}[ -]\d{2}|\d{2} \d{3} \d{3} \d{4}[ -]\d{2})(?![\d]| \d)/g;
// The alphanumeric CNPJ (since July 2026): letters or digits in the first 12 positions. Runs on
// folded (lower-case) text; only a valid check-digit pair makes it a document.
const ALNUM_CNPJ_RE = /(?<![0-9a-z./-])[0-9a-z]{2}\.?[0-9a-z]{3}\.?[0-9a-z]{3}\/?[0-9a-z]{4}-?\d{2}(?![0-9a-z]|[./-][0-9a-z])/g;
// Order numbers need a cue word ('pedido nº 48213', 'compra: 48213', '#48213');
// a bare number is never an order. Amounts ('compra 1500 reais') are excluded.
// "o pedido é o 50608", "o pedido certo é 54199", "pedido: nº 48.213".
const ORDER_RE =
  /(?:\b(?:pedido|ordem|compra|encomenda|codigo)\s*(?:(?:n[º°o]?\.?|numero|num\.?|nr\.?|#|:|,|-|e|eh|o|do|da|era|seria|certo|correto|outro|na verdade|dele|dela|meu|minha|cliente|que veio no email|no email)\s*){0,5}|#\s*)(\d{1,3}(?:\.\d{3})+|\d{4,10})(?!\d|[,/-]\d|\.\d|\s*(?:reais|real)\b)/g;
// A Pix random key (EVP): its hex groups must not read as dates or numbers.
const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** A value found in a message, with where it was (indexes into the original text). */
export interface Found<T> {
  value: T;
  index: number;
  length: number;
}

/** Everything structured in one message, positioned, each span read as at most one thing. */
export interface MessageScan {
  emails: Found<string>[];
  protocols: Found<string>[];
  documents: Found<ParsedDocument>[];
  /** CPF/CNPJ-shaped digit runs whose check digits fail (the person meant a document). */
  invalidDocuments: Found<string>[];
  /** Order numbers announced by a cue word ('pedido 48213', '#48213'). */
  orders: Found<string>[];
  /** Other runs of 4 to 12 digits ('acho que é 48213', 'o nº 48.213'), digits only. */
  numbers: Found<string>[];
  dates: Found<LocalDate>[];
  times: Found<TimeOfDay>[];
}

// '48.213' (thousands dot), '48213', '# 48213': a number written in a sentence.
const NUMBER_RE = /(?<![\d/:,-])(?:\d{1,3}(?:\.\d{3})+|\d{4,12})(?![\d/:]|[.,-]\d)/g;

export function scanMessage(text: string, now: Date): MessageScan {
  // `work` keeps the original characters (accents matter to the time parser) and
  // has consumed spans replaced by spaces; regexes run on its folded twin.
  let work = text;
  const consume = (start: number, end: number): void => {
    work = blankOut(work, start, end);
  };
  const scan: MessageScan = { emails: [], protocols: [], documents: [], invalidDocuments: [], orders: [], numbers: [], dates: [], times: [] };

  for (const m of foldText(work).matchAll(EMAIL_RE)) {
    const candidate = normalizeEmail(text.slice(m.index, m.index + m[0].length));
    if (isValidEmail(candidate) && !scan.emails.some((e) => e.value === candidate)) scan.emails.push({ value: candidate, index: m.index, length: m[0].length });
    consume(m.index, m.index + m[0].length);
  }

  for (const m of work.matchAll(UUID_RE)) consume(m.index, m.index + m[0].length);

  for (const m of foldText(work).matchAll(PROTOCOL_RE)) {
    scan.protocols.push({ value: `${m[1]!.toUpperCase()}-${m[2]!.padStart(6, '0')}`, index: m.index, length: m[0].length });
    consume(m.index, m.index + m[0].length);
  }

  for (const re of [ALNUM_CNPJ_RE, CNPJ_RE, CPF_RE, SPACED_DOC_RE]) {
    for (const m of foldText(work).matchAll(re)) {
      const alnum = re === ALNUM_CNPJ_RE;
      // A word that merely has the shape (letters only, or digits only: the numeric rules) is not an alphanumeric CNPJ.
      if (alnum && (!/[a-z]/.test(m[0]) || !/\d/.test(m[0].slice(0, -2)))) continue;
      const doc = parseDocument(m[0]);
      if (alnum && !doc) continue;
      if (doc) {
        if (!scan.documents.some((d) => d.value.value === doc.value)) scan.documents.push({ value: doc, index: m.index, length: m[0].length });
      } else {
        scan.invalidDocuments.push({ value: m[0], index: m.index, length: m[0].length });
      }
      // Blank invalid ones too: an 11/14-digit run is never an order number or a date.
      consume(m.index, m.index + m[0].length);
    }
  }
  scan.documents.sort((a, b) => a.index - b.index);

  for (const m of foldText(work).matchAll(ORDER_RE)) {
    const written = m[1]!;
    const digits = written.replace(/\./g, '');
    // A 10-digit run that dials as a landline is a phone number, not an order.
    if (digits.length >= 10 && normalizeBrPhone(digits) !== null) continue;
    const at = m.index + m[0].lastIndexOf(written);
    scan.orders.push({ value: digits, index: at, length: written.length });
    consume(m.index, m.index + m[0].length);
  }

  for (const d of findDatesPtBr(work, now)) {
    if (!scan.dates.some((x) => toIsoDate(x.value) === toIsoDate(d.date))) scan.dates.push({ value: d.date, index: d.index, length: d.length });
    consume(d.index, d.index + d.length);
  }

  for (const t of findTimesPtBr(work)) {
    scan.times.push({ value: t.time, index: t.index, length: t.length });
    consume(t.index, t.index + t.length);
  }

  for (const m of work.matchAll(NUMBER_RE)) {
    const digits = m[0].replace(/\./g, '');
    if (digits.length < 4 || digits.length > 12) continue;
    // Amounts ('1500 reais') are not identifiers.
    if (/^\s*(reais|real|r\$)/i.test(work.slice(m.index + m[0].length))) continue;
    scan.numbers.push({ value: digits, index: m.index, length: m[0].length });
  }
  return scan;
}

/** The first of each kind, for callers that want one value per field (the first message's prefill, tests). */
export function extractFields(text: string, now: Date): ExtractedFields {
  const scan = scanMessage(text, now);
  const result: ExtractedFields = { documents: scan.documents.map((d) => d.value), dates: scan.dates.map((d) => d.value) };
  if (scan.emails[0]) result.email = scan.emails[0].value;
  if (scan.protocols[0]) result.protocol = scan.protocols[0].value;
  if (scan.orders[0]) result.orderNumber = scan.orders[0].value;
  if (scan.times[0]) result.time = scan.times[0].value;
  return result;
}
