// CPF / CNPJ validation, formatting and LGPD-friendly masking.
// Only the all-numeric CNPJ is supported; the alphanumeric CNPJ that the Receita
// Federal starts issuing in July 2026 (letters in the first 12 positions) is not.

export type DocumentKind = 'cpf' | 'cnpj';

export interface ParsedDocument {
  kind: DocumentKind;
  /** Digits only: 11 for CPF, 14 for CNPJ. */
  digits: string;
}

// Users paste documents with dots, dashes, slashes and stray spaces; anything
// else (letters, other punctuation) means this is not just a document.
const DOCUMENT_CHARS = /^[\d.\-/\s]+$/;

export function onlyDigits(s: string): string {
  return s.replace(/\D/g, '');
}

function documentDigits(s: string, length: number): string | null {
  const trimmed = s.trim();
  if (!DOCUMENT_CHARS.test(trimmed)) return null;
  const digits = onlyDigits(trimmed);
  if (digits.length !== length) return null;
  // All-same-digit numbers pass the check-digit math but are never issued.
  if (/^(\d)\1*$/.test(digits)) return null;
  return digits;
}

function checkDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

const CPF_W1 = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CPF_W2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** True for a CPF with valid check digits, formatted ('529.982.247-25') or not. */
export function isValidCpf(s: string): boolean {
  const d = documentDigits(s, 11);
  if (!d) return false;
  return checkDigit(d, CPF_W1) === Number(d[9]) && checkDigit(d, CPF_W2) === Number(d[10]);
}

/** True for a CNPJ with valid check digits, formatted ('11.222.333/0001-81') or not. */
export function isValidCnpj(s: string): boolean {
  const d = documentDigits(s, 14);
  if (!d) return false;
  return checkDigit(d, CNPJ_W1) === Number(d[12]) && checkDigit(d, CNPJ_W2) === Number(d[13]);
}

/** Identifies a valid CPF or CNPJ; null when neither (wrong length or bad check digits). */
export function parseDocument(s: string): ParsedDocument | null {
  if (isValidCpf(s)) return { kind: 'cpf', digits: onlyDigits(s) };
  if (isValidCnpj(s)) return { kind: 'cnpj', digits: onlyDigits(s) };
  return null;
}

/** '52998224725' -> '529.982.247-25'. Input without exactly 11 digits is returned trimmed, unchanged. */
export function formatCpf(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 11) return s.trim();
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

/** '11222333000181' -> '11.222.333/0001-81'. Input without exactly 14 digits is returned trimmed, unchanged. */
export function formatCnpj(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 14) return s.trim();
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

// Masks must never echo the raw value back, even for malformed input.
function maskAllDigits(s: string): string {
  const masked = s.trim().replace(/\d/g, '*');
  return masked.length > 0 ? masked : '***';
}

/** '52998224725' -> '***.982.247-**' (the pattern used by gov.br / LGPD guidance). */
export function maskCpf(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 11) return maskAllDigits(s);
  return `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**`;
}

/** '11222333000181' -> '**.222.333/0001-**' (hides the first 2 and the check digits). */
export function maskCnpj(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 14) return maskAllDigits(s);
  return `**.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-**`;
}

/** Masks by length (11 -> CPF, 14 -> CNPJ) without requiring valid check digits; anything else is fully masked. */
export function maskDocument(s: string): string {
  const len = onlyDigits(s).length;
  if (len === 11) return maskCpf(s);
  if (len === 14) return maskCnpj(s);
  return maskAllDigits(s);
}
