// Shared text helpers for the pt-BR parsers.

/**
 * Lowercases and strips diacritics ('Amanhã' -> 'amanha', 'Março' -> 'marco')
 * while keeping the string length identical, so regex match indices found on
 * the folded text can be mapped back to (or blanked out of) the original.
 */
export function foldText(text: string): string {
  // Most chat text is ASCII: lower-casing is all it needs.
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    let folded = FOLDED.get(ch);
    if (folded === undefined) {
      const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      // Characters whose folded form changes length (e.g. 'İ') are kept lowercased-as-is
      // or untouched, to preserve index alignment.
      const lower = ch.toLowerCase();
      folded = f.length === ch.length ? f : lower.length === ch.length ? lower : ch;
      if (FOLDED.size < 4096) FOLDED.set(ch, folded);
    }
    out += folded;
  }
  return out;
}

/** Folded form per character: Unicode normalisation is slow, and a chat uses few distinct characters. */
const FOLDED = new Map<string, string>();

/** Replaces [start, end) with spaces so later scanners ignore an already-consumed span. */
export function blankOut(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
