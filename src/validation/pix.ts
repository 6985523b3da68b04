// Pix key recognition (DICT key types) and masking.

import { formatDocument, isValidCnpj, isValidCpf, maskCnpj, maskCpf, normalizeDocument, onlyDigits } from './document.js';
import { isValidEmail, maskEmail, normalizeEmail } from './email.js';
import { maskPhone, normalizeBrPhone } from './phone.js';

export type PixKeyKind = 'cpf' | 'cnpj' | 'email' | 'phone' | 'random';

export interface PixKey {
  kind: PixKeyKind;
  /**
   * Canonical value as registered in the DICT: digits for CPF/CNPJ, lowercase
   * e-mail, '+55...' for phones, lowercase UUID for random (EVP) keys.
   */
  value: string;
}

const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC_KEY = /^\+?[\d\s().\-/]+$/;
// Formatting that only makes sense for one kind resolves the CPF-vs-phone ambiguity.
const CPF_FORMATTED = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
const PHONE_HINT = /[+()]/;

/**
 * Identifies a Pix key. Bare 11 digits that form a valid CPF are a CPF,
 * otherwise a valid phone; '+' or parentheses force phone, '000.000.000-00' forces CPF.
 */
export function parsePixKey(s: string): PixKey | null {
  const raw = s.trim();
  if (!raw) return null;
  if (EVP.test(raw)) return { kind: 'random', value: raw.toLowerCase() };
  if (raw.includes('@')) return isValidEmail(raw) ? { kind: 'email', value: normalizeEmail(raw) } : null;
  // An alphanumeric CNPJ has letters, so it never reads as a phone.
  if (/[a-z]/i.test(raw) && isValidCnpj(raw)) return { kind: 'cnpj', value: normalizeDocument(raw) };
  if (!NUMERIC_KEY.test(raw)) return null;

  const phone = (): PixKey | null => {
    const e164 = normalizeBrPhone(raw);
    return e164 ? { kind: 'phone', value: `+${e164}` } : null;
  };
  if (PHONE_HINT.test(raw)) return phone();

  const digits = onlyDigits(raw);
  if (digits.length === 11 && isValidCpf(raw)) return { kind: 'cpf', value: digits };
  if (CPF_FORMATTED.test(raw)) return null;
  if (digits.length === 14 && isValidCnpj(raw)) return { kind: 'cnpj', value: digits };
  return phone();
}

/** Masks a Pix key for display/logs; accepts a parsed key or raw text (unrecognised -> '***'). */
export function maskPixKey(key: PixKey | string): string {
  const parsed = typeof key === 'string' ? parsePixKey(key) : key;
  if (!parsed) return '***';
  switch (parsed.kind) {
    case 'cpf':
      return maskCpf(parsed.value);
    case 'cnpj':
      return maskCnpj(parsed.value);
    case 'email':
      return maskEmail(parsed.value);
    case 'phone':
      return maskPhone(parsed.value);
    case 'random':
      // Keep the first and last 4 hex digits so the user can tell keys apart.
      return parsed.value.replace(/[0-9a-f]/gi, (c, i: number) => (i < 4 || i >= parsed.value.length - 4 ? c : '*'));
  }
}

/** How staff and customers read a key's type. */
export const PIX_KIND_LABEL: Record<PixKeyKind, string> = { cpf: 'CPF', cnpj: 'CNPJ', email: 'e-mail', phone: 'celular', random: 'chave aleatória' };

/** "529.982.247-25 (CPF)", "+5511999990001 (celular)": the key written the way people read it. */
export function formatPixKey(key: { kind: string; value: string }): string {
  const value = key.kind === 'cpf' || key.kind === 'cnpj' ? formatDocument(key.value) : key.value;
  return `${value} (${PIX_KIND_LABEL[key.kind as PixKeyKind] ?? key.kind})`;
}
