// Staff panel: small progressive enhancements; every page works without this file.
'use strict';

// WhatsApp formatting for the live preview: the same rules as src/http/whatsapp-format.ts
// (escape first, then *bold*, _italic_, ~strike~, ```monospace``` as fixed tags).
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
const escapeHtml = (s) => String(s).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
const WA_TAGS = { '*': 'strong', _: 'em', '~': 's' };
const WA_WORD = /[\p{L}\p{N}]/u;
const WA_SPAN = /&#96;&#96;&#96;([^]+?)&#96;&#96;&#96;|([*_~])([^\s*_~](?:[^\n]*?[^\s])?)\2/g;
function renderWa(escaped, depth) {
  let out = '';
  let i = 0;
  const re = new RegExp(WA_SPAN.source, 'g');
  for (let m = re.exec(escaped); m; m = re.exec(escaped)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[2]) {
      const before = escaped[start - 1];
      const after = escaped[end];
      if ((before && WA_WORD.test(before)) || (after && WA_WORD.test(after))) {
        re.lastIndex = start + 1;
        continue;
      }
    }
    out += escaped.slice(i, start);
    out += m[1] !== undefined ? `<code>${m[1]}</code>` : `<${WA_TAGS[m[2]]}>${depth < 3 ? renderWa(m[3], depth + 1) : m[3]}</${WA_TAGS[m[2]]}>`;
    i = end;
  }
  return out + escaped.slice(i);
}
const whatsappHtml = (text) => renderWa(escapeHtml(text), 0);
window.panelWhatsappHtml = whatsappHtml; // the format test compares it with the server's

document.addEventListener('DOMContentLoaded', () => {
  // Resolve/reject: switch the prefilled message with the outcome, unless staff edited it.
  const form = document.getElementById('close-form');
  if (form) {
    const textarea = form.querySelector('textarea[name="message"]');
    let current = textarea.value;
    form.querySelectorAll('input[name="outcome"]').forEach((radio) => {
      radio.addEventListener('change', () => {
        if (textarea.value === current) {
          textarea.value = radio.dataset.template || '';
          current = textarea.value;
          textarea.dispatchEvent(new Event('change'));
        }
      });
    });
  }

  // Queue on a phone: the filters start folded behind their button (open without this script).
  const more = document.querySelector('details.more-filters');
  if (more && window.matchMedia('(max-width: 760px)').matches) more.open = false;

  // Message boxes: the WhatsApp preview follows what staff type.
  document.querySelectorAll('textarea[data-preview]').forEach((textarea) => {
    const preview = document.getElementById(textarea.dataset.preview);
    if (!preview) return;
    const update = () => {
      preview.innerHTML = textarea.value ? whatsappHtml(textarea.value) : '<span class="placeholder">(vazia)</span>';
    };
    textarea.addEventListener('input', update);
    textarea.addEventListener('change', update);
  });

  // Hand-over: refresh the live conversation every 5 s while the page is visible.
  const chat = document.getElementById('live-chat');
  if (chat && chat.dataset.src) {
    const refresh = async () => {
      if (document.hidden) return;
      try {
        const res = await fetch(chat.dataset.src, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
        if (res.ok) {
          const html = await res.text();
          if (html !== chat.innerHTML) chat.innerHTML = html; // server-rendered, escaped fragment
        }
      } catch {
        /* offline: try again later */
      }
    };
    setInterval(refresh, 5000);
  }

  // Copy a freshly created API token.
  const token = document.getElementById('new-token');
  if (token) {
    token.addEventListener('focus', () => token.select());
  }
});
