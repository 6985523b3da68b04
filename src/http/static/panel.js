// Staff panel: small progressive enhancements; every page works without this file.
'use strict';

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
        }
      });
    });
  }

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
