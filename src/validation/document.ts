// CPF / CNPJ validation, formatting and LGPD-friendly masking.
//
// The CNPJ may be alphanumeric: since July 2026 the Receita Federal issues CNPJs whose first 12
// positions are letters or digits (Nota Técnica RFB 49/2024), with two numeric check digits
// computed with the usual weights on each character's ASCII code minus 48. The check-digit math
// comes from cpf-cnpj-validator, which knows both forms; this module decides what counts as a
// document in a chat message (only the official punctuation, no stray letters around it).
// The CPF keeps its own check: the library also refuses numbers with valid check digits that
// are popular as examples (123.456.789-09), and a customer who has one must not be turned away.
import { cnpj as cnpjLib } from 'cpf-cnpj-validator';

export type DocumentKind = 'cpf' | 'cnpj';

export interface ParsedDocument {
  kind: DocumentKind;
  /**
   * The canonical value: 11 digits for a CPF, 14 characters for a CNPJ (digits, or upper-case
   * letters and digits for the alphanumeric CNPJ, e.g. '12ABC34501DE35').
   */
  value: string;
}

// Users paste documents with dots, dashes, slashes and stray spaces.
const CPF_CHARS = /^[\d.\-/\s]+$/;
const CNPJ_CHARS = /^[\dA-Za-z.\-/\s]+$/;

export function onlyDigits(s: string): string {
  return s.replace(/\D/g, '');
}

/** Digits and letters only, letters upper case: the canonical form of a (possibly alphanumeric) CNPJ. */
export function normalizeDocument(s: string): string {
  return s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

/** True for a CPF with valid check digits, formatted ('529.982.247-25') or not. */
export function isValidCpf(s: string): boolean {
  const trimmed = s.trim();
  if (!CPF_CHARS.test(trimmed)) return false;
  const d = onlyDigits(trimmed);
  // All-same-digit numbers pass the check-digit math but are never issued.
  return d.length === 11 && !/^(\d)\1*$/.test(d) && cpfCheckDigit(d, 9) === Number(d[9]) && cpfCheckDigit(d, 10) === Number(d[10]);
}

/** Módulo 11 over the first `n` digits with weights n+1 .. 2. */
function cpfCheckDigit(d: string, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Number(d[i]) * (n + 1 - i);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/**
 * True for a CNPJ with valid check digits, numeric ('11.222.333/0001-81') or alphanumeric
 * ('12.ABC.345/01DE-35', any letter case), formatted or not.
 */
export function isValidCnpj(s: string): boolean {
  const trimmed = s.trim();
  if (!CNPJ_CHARS.test(trimmed)) return false;
  const v = normalizeDocument(trimmed);
  if (v.length !== 14 || !/^[0-9A-Z]{12}\d{2}$/.test(v) || /^(.)\1*$/.test(v)) return false;
  return cnpjLib.isValid(v, true);
}

/** Identifies a valid CPF or CNPJ; null when neither (wrong length or bad check digits). */
export function parseDocument(s: string): ParsedDocument | null {
  if (isValidCpf(s)) return { kind: 'cpf', value: onlyDigits(s) };
  if (isValidCnpj(s)) return { kind: 'cnpj', value: normalizeDocument(s) };
  return null;
}

/** '52998224725' -> '529.982.247-25'. Input without exactly 11 digits is returned trimmed, unchanged. */
export function formatCpf(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 11) return s.trim();
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

/** '11222333000181' -> '11.222.333/0001-81', '12ABC34501DE35' -> '12.ABC.345/01DE-35'. Anything else is returned trimmed. */
export function formatCnpj(s: string): string {
  const d = normalizeDocument(s);
  if (d.length !== 14) return s.trim();
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

/** A stored document (CPF digits or CNPJ) in its usual punctuation; other values unchanged. */
export function formatDocument(s: string | null | undefined): string {
  const v = normalizeDocument(s ?? '');
  if (v.length === 11 && /^\d+$/.test(v)) return formatCpf(v);
  if (v.length === 14) return formatCnpj(v);
  return s ?? '';
}

// Masks must never echo the raw value back, even for malformed input.
function maskAll(s: string): string {
  const masked = s.trim().replace(/[0-9A-Za-z]/g, '*');
  return masked.length > 0 ? masked : '***';
}

/** '52998224725' -> '***.982.247-**' (the pattern used by gov.br / LGPD guidance). */
export function maskCpf(s: string): string {
  const d = onlyDigits(s);
  if (d.length !== 11) return maskAll(s);
  return `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**`;
}

/** '11222333000181' -> '**.222.333/0001-**' (hides the first 2 and the check digits); alphanumeric alike. */
export function maskCnpj(s: string): string {
  const d = normalizeDocument(s);
  if (d.length !== 14) return maskAll(s);
  return `**.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-**`;
}

/** Masks by shape (11 digits -> CPF, 14 characters -> CNPJ) without requiring valid check digits; anything else is fully masked. */
export function maskDocument(s: string): string {
  const v = normalizeDocument(s);
  if (v.length === 11 && /^\d+$/.test(v)) return maskCpf(s);
  if (v.length === 14) return maskCnpj(s);
  return maskAll(s);
}
