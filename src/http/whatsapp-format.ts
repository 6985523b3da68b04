import { escapeHtml, Html } from './html.js';

// WhatsApp's own formatting as the customer sees it: *bold*, _italic_, ~strikethrough~ and
// ```monospace```. The text is escaped first; only then are the markers turned into our fixed
// tags, so nothing the text contains can become markup. src/http/static/panel.js has the same
// rules for the live preview (tests/panel/format.test.ts runs both on the same cases).

const TAGS: Record<string, string> = { '*': 'strong', _: 'em', '~': 's' };
const WORD = /[\p{L}\p{N}]/u;
// Escaped text: a backtick is &#96;, so monospace is three of those.
const SPAN = /&#96;&#96;&#96;([^]+?)&#96;&#96;&#96;|([*_~])([^\s*_~](?:[^\n]*?[^\s])?)\2/g;

function render(escaped: string, depth: number): string {
  let out = '';
  let i = 0;
  const re = new RegExp(SPAN.source, 'g');
  for (let m = re.exec(escaped); m; m = re.exec(escaped)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[2]) {
      // A marker inside a word is not formatting (snake_case, 2*3*4).
      const before = escaped[start - 1];
      const after = escaped[end];
      if ((before && WORD.test(before)) || (after && WORD.test(after))) {
        re.lastIndex = start + 1;
        continue;
      }
    }
    out += escaped.slice(i, start);
    out += m[1] !== undefined ? `<code>${m[1]}</code>` : `<${TAGS[m[2]]}>${depth < 3 ? render(m[3], depth + 1) : m[3]}</${TAGS[m[2]]}>`;
    i = end;
  }
  return out + escaped.slice(i);
}

/** A WhatsApp message as HTML: escaped, with its bold, italics, strikethrough and monospace. */
export function whatsappHtml(text: string): Html {
  return new Html(render(escapeHtml(text), 0));
}
