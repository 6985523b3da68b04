// Shared text helpers for the pt-BR parsers.

/**
 * Lowercases and strips diacritics ('Amanhã' -> 'amanha', 'Março' -> 'marco')
 * while keeping the string length identical, so regex match indices found on
 * the folded text can be mapped back to (or blanked out of) the original.
 */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) {
    const folded = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    // Characters whose folded form changes length (e.g. 'İ') are kept lowercased-as-is
    // or untouched, to preserve index alignment.
    if (folded.length === ch.length) out += folded;
    else {
      const lower = ch.toLowerCase();
      out += lower.length === ch.length ? lower : ch;
    }
  }
  return out;
}

/** Replaces [start, end) with spaces so later scanners ignore an already-consumed span. */
export function blankOut(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
