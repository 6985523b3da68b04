// Scrubs personal data (LGPD) out of free text before it reaches a log line.
// Deliberately greedy: a false positive in a log costs nothing, a leak does.

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
import { parseDocument } from './validation/document.js';

// The alphanumeric CNPJ (from July 2026: 12 letters or digits and 2 check digits), formatted or
// not; only what its check digits validate, so an ordinary word is left alone.
const ALNUM_CNPJ = /\b[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}\/?[0-9A-Z]{4}-?\d{2}\b/gi;
// CNPJ (14 digits) and CPF (11 digits), formatted or not.
const CNPJ = /\b\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}\b/g;
const CPF = /\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b/g;
// Phone numbers and WhatsApp ids: 10+ digits with optional +, spaces, dashes, parentheses.
const PHONE = /\+?\(?\d{2,3}\)?[\s.-]?\d{4,5}[\s.-]?\d{4}\b|\b\d{10,15}\b/g;

export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (m) => `${m[0]}***@${m.split('@')[1]}`)
    .replace(ALNUM_CNPJ, (m) => (/[a-z]/i.test(m) && parseDocument(m)?.kind === 'cnpj' ? '[cnpj]' : m))
    .replace(CNPJ, '[cnpj]')
    .replace(CPF, '[cpf]')
    .replace(PHONE, (m) => {
      const digits = m.replace(/\D/g, '');
      return `[tel…${digits.slice(-4)}]`;
    });
}

/** Deep copy of a log payload with every string scrubbed. */
export function maskPiiDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskPii(value.message), stack: value.stack ? maskPii(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => maskPiiDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskPiiDeep(v, depth + 1);
  return out;
}
