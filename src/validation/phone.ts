// Brazilian phone numbers: normalisation to E.164 digits, formatting and masking.

export type BrPhoneKind = 'mobile' | 'landline';

export interface BrPhone {
  /** E.164 without '+': '5511999990001'. */
  e164: string;
  ddd: string;
  /** Subscriber number without DDD: 9 digits (mobile) or 8 (landline). */
  number: string;
  kind: BrPhoneKind;
}

// DDDs actually assigned by Anatel; a plain "11-99 without zeros" rule would let
// through non-existent codes such as 20, 23, 25, 26, 29, 36, 39, 52, 56-59, 72, 76, 78.
const VALID_DDDS: ReadonlySet<string> = new Set(
  (
    '11 12 13 14 15 16 17 18 19 21 22 24 27 28 31 32 33 34 35 37 38 ' +
    '41 42 43 44 45 46 47 48 49 51 53 54 55 61 62 63 64 65 66 67 68 69 ' +
    '71 73 74 75 77 79 81 82 83 84 85 86 87 88 89 91 92 93 94 95 96 97 98 99'
  ).split(' '),
);

export function isValidDdd(ddd: string): boolean {
  return VALID_DDDS.has(ddd);
}

const PHONE_CHARS = /^\+?[\d\s().-]+$/;

/**
 * Parses a Brazilian phone typed in any usual way: '+55 (11) 99999-0001',
 * '11 99999-0001', '011999990001' (trunk 0), '0 21 11 99999-0001' (carrier code),
 * '(11)3333-4444'. Mobiles need 9 digits starting with 9; landlines 8 digits starting 2-5.
 */
export function parseBrPhone(s: string): BrPhone | null {
  const raw = s.trim();
  if (!PHONE_CHARS.test(raw)) return null;
  const d = raw.replace(/\D/g, '');
  let national: string;
  if (raw.startsWith('+')) {
    if (!d.startsWith('55')) return null;
    national = d.slice(2);
  } else if (d.startsWith('0')) {
    // Long-distance dialling: 0 + DDD, or 0 + 2-digit carrier code + DDD.
    if (d.length === 11 || d.length === 12) national = d.slice(1);
    else if (d.length === 13 || d.length === 14) national = d.slice(3);
    else return null;
  } else if ((d.length === 12 || d.length === 13) && d.startsWith('55')) {
    // National numbers have at most 11 digits, so a 12/13-digit '55...' carries the country code.
    national = d.slice(2);
  } else {
    national = d;
  }

  const ddd = national.slice(0, 2);
  const number = national.slice(2);
  if (!isValidDdd(ddd)) return null;
  let kind: BrPhoneKind;
  if (number.length === 9 && number.startsWith('9')) kind = 'mobile';
  else if (number.length === 8 && /^[2-5]/.test(number)) kind = 'landline';
  else return null;
  return { e164: `55${ddd}${number}`, ddd, number, kind };
}

/** E.164 digits without '+' ('5511999990001'), or null when not a valid BR phone. */
export function normalizeBrPhone(s: string): string | null {
  return parseBrPhone(s)?.e164 ?? null;
}

/** '5511999990001' -> '+55 (11) 99999-0001'; null when not a valid BR phone. */
export function formatBrPhone(s: string): string | null {
  const p = parseBrPhone(s);
  if (!p) return null;
  const split = p.number.length - 4;
  return `+55 (${p.ddd}) ${p.number.slice(0, split)}-${p.number.slice(split)}`;
}

/** '5511999990001' -> '+55 11 9****-0001', landline '+55 11 ****-4444'; unparseable input -> '***'. */
export function maskPhone(s: string): string {
  const p = parseBrPhone(s);
  if (!p) return '***';
  const lead = p.kind === 'mobile' ? '9' : '';
  return `+55 ${p.ddd} ${lead}****-${p.number.slice(-4)}`;
}
