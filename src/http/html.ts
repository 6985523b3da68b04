// Server-rendered HTML: every interpolated value is escaped unless it is already Html.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

const SPECIAL = /[&<>"'`]/;
const SPECIAL_ALL = /[&<>"'`]/g;
const escapeChar = (c: string) => ESCAPES[c];

export function escapeHtml(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value ?? '');
  // Most values (protocols, names, dates) have nothing to escape: testing is cheaper than replacing.
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, escapeChar) : s;
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (typeof part === 'string') return escapeHtml(part);
  if (part instanceof Html) return part.value;
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) {
    let out = '';
    for (const p of part) out += render(p);
    return out;
  }
  return escapeHtml(part);
}

/** Tagged template: html`<p>${name}</p>` escapes `name`; nested html`` and arrays of it pass through. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup (constants only: never user data). */
export function raw(value: string): Html {
  return new Html(value);
}
