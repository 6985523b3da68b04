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

  // Saved replies: inserted where the cursor is (or at the end), then the preview follows.
  document.querySelectorAll('button[data-insert]').forEach((button) => {
    const textarea = document.getElementById(button.dataset.insert);
    const select = document.getElementById(button.dataset.from);
    if (!textarea || !select) return;
    button.parentElement.hidden = false;
    button.addEventListener('click', () => {
      const option = select.selectedOptions[0];
      if (!option || !option.dataset.text) return;
      const text = option.dataset.text;
      const start = textarea.selectionStart ?? textarea.value.length;
      const end = textarea.selectionEnd ?? start;
      textarea.setRangeText(text, start, end, 'end');
      textarea.dispatchEvent(new Event('input'));
      textarea.focus();
    });
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

// Live queue: one Server-Sent Events stream per page (the header counts, the tab title, notices
// of new tickets); the queue page fetches its own rows again when tickets of its teams change.
// SLA colours and ages turn by themselves: each row carries the instants it turns amber and red.
(() => {
  const body = document.body;
  const src = body && body.dataset.live;
  if (!src || !window.EventSource) return;
  const skew = body.dataset.serverNow ? Date.parse(body.dataset.serverNow) - Date.now() : 0;
  const now = () => Date.now() + skew;
  const baseTitle = body.dataset.title || document.title;
  const note = document.getElementById('live-note');
  const live = document.getElementById('queue-live');

  const setWaiting = (w) => {
    const box = document.getElementById('waiting');
    if (box) {
      const [open, progress] = box.querySelectorAll('[data-n]');
      if (open) {
        open.textContent = String(w.open);
        if (open.nextSibling) open.nextSibling.textContent = w.open === 1 ? ' aberto' : ' abertos';
      }
      if (progress) progress.textContent = String(w.in_progress);
    }
    document.title = (w.open ? '(' + w.open + ') ' : '') + baseTitle;
  };

  const say = (text) => {
    if (!note) return;
    const p = document.createElement('p');
    p.textContent = text;
    note.appendChild(p);
    setTimeout(() => p.remove(), 8000);
  };

  // Desktop notifications: asked once, when the person turns them on.
  const toggle = document.getElementById('notify-toggle');
  const canNotify = 'Notification' in window;
  const notifyOn = () => canNotify && Notification.permission === 'granted' && localStorage.getItem('ic-notify') === 'on';
  const paintToggle = () => {
    if (!toggle) return;
    toggle.hidden = !canNotify || Notification.permission === 'denied';
    toggle.setAttribute('aria-pressed', notifyOn() ? 'true' : 'false');
    toggle.textContent = notifyOn() ? 'Avisos ligados' : 'Avisar novos tickets';
  };
  if (toggle) {
    paintToggle();
    toggle.addEventListener('click', async () => {
      if (notifyOn()) localStorage.setItem('ic-notify', 'off');
      else {
        if (Notification.permission === 'default') await Notification.requestPermission();
        localStorage.setItem('ic-notify', Notification.permission === 'granted' ? 'on' : 'off');
      }
      paintToggle();
    });
  }
  let audio;
  const beep = () => {
    try {
      audio = audio || new AudioContext();
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.08, audio.currentTime);
      g.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
      o.connect(g).connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.35);
    } catch {
      /* no sound: the notice is enough */
    }
  };
  const alertOf = (title, text, tag) => {
    say(text);
    if (!notifyOn()) return;
    try {
      new Notification(title, { body: text, tag });
      beep();
    } catch {
      /* some browsers only notify from a service worker */
    }
  };

  // The queue's rows, fetched again (never more than one request at a time, a little jitter so
  // that many open pages do not ask in the same millisecond); a hidden tab waits until shown.
  let stale = false;
  let loading = false;
  let again = false;
  let changed = [];
  // The rows in place (server-rendered, escaped), the changed ones marked.
  const show = (rowsHtml) => {
    stale = false;
    live.innerHTML = rowsHtml;
    for (const p of changed) {
      const row = live.querySelector('tr[data-protocol="' + p + '"]');
      if (row) row.classList.add('changed');
    }
    changed = [];
    tick();
  };
  const reload = async () => {
    if (!live) return;
    if (document.hidden) {
      stale = true;
      return;
    }
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    stale = false;
    try {
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      const res = await fetch(live.dataset.fragment, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (res.ok) show(await res.text());
    } catch {
      stale = true;
    } finally {
      loading = false;
      if (again) {
        again = false;
        reload();
      }
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && stale) reload();
  });

  // A queue page names its list (the fragment's query): its new rows then come in the stream.
  const query = live && live.dataset.fragment ? live.dataset.fragment.split('?')[1] : '';
  const es = new EventSource(query ? src + '?' + query : src);
  es.addEventListener('hello', (e) => setWaiting(JSON.parse(e.data).waiting));
  es.addEventListener('queue', (e) => {
    const m = JSON.parse(e.data);
    setWaiting(m.waiting);
    for (const t of m.created || []) {
      alertOf(t.handoff ? 'Atendimento humano aguardando' : 'Novo ticket', t.handoff ? 'Atendimento humano aguardando: ' + t.protocol : 'Novo ticket ' + t.protocol + ' (' + t.title + ')', t.protocol);
    }
    changed = changed.concat(m.changed || []);
    if (live && typeof m.rows === 'string' && !loading) show(m.rows);
    else reload();
  });

  // SLA colours and ages, as time passes.
  const LABEL = { ok: 'no prazo', warn: 'perto do prazo', late: 'atrasado' };
  const seenLate = new Set();
  const age = (iso) => {
    const minutes = Math.floor((now() - Date.parse(iso)) / 60000);
    if (minutes < 60) return Math.max(0, minutes) + ' min';
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + ' h';
    const days = Math.floor(hours / 24);
    return hours % 24 ? days + ' d ' + (hours % 24) + ' h' : days + ' d';
  };
  let timer;
  const tick = () => {
    clearTimeout(timer);
    const t = now();
    let next = t + 30000; // ages move on every half minute; a colour change is timed to its instant
    const soonest = (iso) => {
      const at = iso ? Date.parse(iso) : NaN;
      if (at > t && at < next) next = at;
    };
    document.querySelectorAll('.sla[data-late-at]').forEach((el) => {
      const late = el.dataset.lateAt && t >= Date.parse(el.dataset.lateAt);
      const level = late ? 'late' : el.dataset.warnAt && t >= Date.parse(el.dataset.warnAt) ? 'warn' : 'ok';
      if (!el.classList.contains('sla-' + level)) {
        el.classList.remove('sla-ok', 'sla-warn', 'sla-late');
        el.classList.add('sla-' + level);
        el.textContent = LABEL[level];
        if (level === 'late' && !seenLate.has(el.dataset.protocol)) alertOf('SLA estourado', 'Prazo estourado: ' + el.dataset.protocol, 'sla-' + el.dataset.protocol);
      }
      if (level === 'late') seenLate.add(el.dataset.protocol);
      soonest(el.dataset.warnAt);
      soonest(el.dataset.lateAt);
    });
    document.querySelectorAll('time[data-age]').forEach((el) => {
      el.textContent = age(el.getAttribute('datetime'));
    });
    timer = setTimeout(tick, Math.max(200, next - t + 50));
  };
  tick();
})();
