// E-mail normalisation, pragmatic validation, typo suggestions and masking.

/** Trims, drops a leading 'mailto:' and lowercases (providers treat addresses case-insensitively in practice). */
export function normalizeEmail(s: string): string {
  return s.trim().replace(/^mailto:/i, '').toLowerCase();
}

// Pragmatic, not RFC 5322: dot-atom local part, dotted domain of letter/digit/hyphen
// labels, and an alphabetic TLD of 2+ letters. Good enough to catch typos in a chat.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

export function isValidEmail(s: string): boolean {
  const email = normalizeEmail(s);
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return local.length <= 64 && LOCAL.test(local) && DOMAIN.test(domain);
}

/** Optimal-string-alignment Damerau–Levenshtein distance (adjacent swaps cost 1: 'gmial' -> 'gmail'). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Domains most used by Brazilian customers; an exact match is never "fixed". */
export const COMMON_EMAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'yahoo.com.br',
  'yahoo.com',
  'icloud.com',
  'uol.com.br',
  'bol.com.br',
  'live.com',
  'terra.com.br',
  'globo.com',
  'ig.com.br',
];

// Real names one typo away from a provider ('mail' ~ 'gmail', 'cloud' ~ 'icloud'):
// fuzzy-matching them would "fix" addresses that are fine.
const LOOKALIKE_NAMES = new Set(['mail', 'email', 'ymail', 'cloud', 'globe', 'gmx', 'me', 'mac', 'msn', 'aol']);
// Real regional variants of known providers that must not be rewritten.
const LEGIT_VARIANTS = new Set(['hotmail.com.br', 'outlook.com.br', 'live.com.br']);

// Provider names whose suffix we know for sure, so 'gmail.com.br' or 'uol.com' can be
// corrected. Providers that exist under both .com and .com.br are absent on purpose.
const CANONICAL_BY_NAME: ReadonlyMap<string, string> = new Map([
  ['gmail', 'gmail.com'],
  ['hotmail', 'hotmail.com'],
  ['outlook', 'outlook.com'],
  ['icloud', 'icloud.com'],
  ['live', 'live.com'],
  ['globo', 'globo.com'],
  ['uol', 'uol.com.br'],
  ['bol', 'bol.com.br'],
  ['terra', 'terra.com.br'],
  ['ig', 'ig.com.br'],
]);

// '.con' is not a TLD, so it is always a typo; '.co', '.cm' and '.om' are real ccTLDs
// and only get corrected when the name is (close to) a known provider.
const ALWAYS_TLD_FIXES: ReadonlyMap<string, string> = new Map([
  ['con', 'com'],
  ['con.br', 'com.br'],
  ['comm', 'com'],
  ['cmo', 'com'],
  ['xom', 'com'],
  ['vom', 'com'],
  ['cpm', 'com'],
  ['coom', 'com'],
  ['com.rb', 'com.br'],
  ['com.bt', 'com.br'],
  ['cm.br', 'com.br'],
  ['combr', 'com.br'],
]);
const PROVIDER_TLD_FIXES: ReadonlyMap<string, string> = new Map([
  ['co', 'com'],
  ['cm', 'com'],
  ['om', 'com'],
]);

const KNOWN = new Set(COMMON_EMAIL_DOMAINS);
const KNOWN_NAMES = [...new Set(COMMON_EMAIL_DOMAINS.map((d) => d.split('.')[0]!))];

/** The known provider name closest to `name` if it is a single edit away. */
function closestProviderName(name: string): string | null {
  if (KNOWN_NAMES.includes(name)) return name;
  if (LOOKALIKE_NAMES.has(name)) return null;
  // Short names ('uol', 'bol', 'ig', 'live') are one typo away from unrelated
  // words and brands, so only the longer provider names are matched fuzzily.
  if (name.length < 4) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const known of KNOWN_NAMES) {
    if (known.length < 5) continue;
    const dist = editDistance(name, known);
    if (dist < bestDistance) {
      best = known;
      bestDistance = dist;
    }
  }
  return bestDistance <= 1 ? best : null;
}

/**
 * Suggests a corrected address for common domain typos ('carlos@gmial.com' ->
 * 'carlos@gmail.com'); null when the domain looks fine or is not close to a known
 * provider (company domains are left alone, except for the impossible '.con' TLD).
 */
export function suggestEmailFix(email: string): string | null {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf('@');
  if (at <= 0) return null;
  const local = normalized.slice(0, at);
  const rawDomain = normalized.slice(at + 1);
  if (KNOWN.has(rawDomain) || LEGIT_VARIANTS.has(rawDomain)) return null;
  // Collapse doubled/edge dots ('gmail..com', 'gmail.com.') before matching.
  const domain = rawDomain.replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
  if (!domain || /\s/.test(local + domain)) return null;

  const suggest = (fixed: string): string | null => {
    const candidate = `${local}@${fixed}`;
    return fixed !== rawDomain && isValidEmail(candidate) ? candidate : null;
  };
  if (KNOWN.has(domain) || LEGIT_VARIANTS.has(domain)) return suggest(domain);

  let name: string;
  let suffix: string;
  const dot = domain.indexOf('.');
  if (dot === -1) {
    // 'gmailcom' / 'uolcombr' (missing dot) or a bare provider name ('gmail').
    const glued = /^([a-z0-9-]+?)(combr|com)$/.exec(domain);
    name = glued ? glued[1]! : domain;
    suffix = glued ? (glued[2] === 'combr' ? 'com.br' : 'com') : '';
  } else {
    name = domain.slice(0, dot);
    suffix = domain.slice(dot + 1);
  }
  suffix = ALWAYS_TLD_FIXES.get(suffix) ?? suffix;

  const provider = closestProviderName(name);
  if (provider === null) {
    // Unknown name: only the typo-only TLD fixes apply.
    return suffix && dot !== -1 ? suggest(`${name}.${suffix}`) : null;
  }

  suffix = PROVIDER_TLD_FIXES.get(suffix) ?? suffix;
  const direct = `${provider}.${suffix}`;
  if (KNOWN.has(direct) || LEGIT_VARIANTS.has(direct)) return suggest(direct);
  // Wrong or missing suffix on a provider with a single well-known domain.
  const canonical = CANONICAL_BY_NAME.get(provider);
  if (canonical && (suffix === '' || suffix === 'com' || suffix === 'com.br')) return suggest(canonical);
  return null;
}

/** 'carlos@gmail.com' -> 'c***@gmail.com'; keeps the domain so the user can recognise it. */
export function maskEmail(email: string): string {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${normalized[0]}***@${normalized.slice(at + 1)}`;
}
