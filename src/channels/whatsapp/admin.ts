import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import QRCode from 'qrcode';
import type { Logger } from '../../logger.js';
import type { WhatsAppChannel } from './channel.js';

// The /whatsapp admin page: connection state live (polling a small JSON endpoint), the QR code
// as an image, pairing by code, and a reconnect button. No inline script or style: the page
// loads /whatsapp/admin.js and /whatsapp/admin.css, under a strict Content-Security-Policy.

const COOKIE = 'wa_admin';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const sha = (s: string) => createHash('sha256').update(s).digest();
function same(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const PAGE = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhatsApp — Indique Certo</title>
<link rel="stylesheet" href="/whatsapp/admin.css">
<script src="/whatsapp/admin.js" defer></script>
</head>
<body>
<main>
  <h1>Conexão com o WhatsApp</h1>
  <p class="state">Estado: <strong id="state">carregando…</strong> <span id="detail"></span></p>
  <section id="qr-box" hidden>
    <h2>Conecte o número</h2>
    <p>No celular: WhatsApp › <em>Aparelhos conectados</em> › <em>Conectar um aparelho</em>, e escaneie:</p>
    <img id="qr" alt="QR code para conectar o WhatsApp" width="264" height="264">
    <form id="pair-form">
      <p>Ou conecte com um código: informe o número (com DDI e DDD) e digite o código no celular em
      <em>Conectar com número de telefone</em>.</p>
      <input id="pair-phone" name="phone" inputmode="numeric" placeholder="5511999990001" autocomplete="off">
      <button type="submit">Gerar código</button>
      <p id="pair-code" class="code"></p>
    </form>
  </section>
  <section>
    <h2>Detalhes</h2>
    <dl id="facts"></dl>
    <button id="restart" type="button">Reconectar agora</button>
    <p id="message" role="status"></p>
  </section>
</main>
</body>
</html>
`;

const CSS = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f5;color:#1c2b25}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
.state strong{padding:.1rem .5rem;border-radius:.3rem;background:#ddd}
.state strong.open{background:#bde5c8}.state strong.bad{background:#f6c7c3}.state strong.wait{background:#fbe7b5}
#qr{display:block;margin:1rem 0;image-rendering:pixelated;border:1px solid #ccc}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#555}dd{margin:0}
.code{font-size:1.6rem;letter-spacing:.2rem;font-family:monospace}
input{padding:.4rem;font-size:1rem}button{padding:.4rem .8rem;font-size:1rem}
`;

const JS = `'use strict';
(function () {
  var LABELS = {
    stopped: 'parado', connecting: 'conectando', waiting_qr: 'aguardando leitura do QR', open: 'conectado',
    reconnecting: 'reconectando', logged_out: 'desconectado pelo celular', replaced: 'sessão usada por outro aparelho',
    forbidden: 'conta recusada pelo WhatsApp', multidevice_mismatch: 'incompatibilidade de aparelhos',
    qr_expired: 'QR expirou sem leitura', lock_lost: 'outra instância assumiu este número'
  };
  // Close codes as the operator reads them (the log keeps the technical detail).
  var CLOSES = {
    401: 'desconectado pelo celular', 403: 'conta recusada pelo WhatsApp', 405: 'versão do WhatsApp Web desatualizada',
    408: 'conexão perdida ou tempo esgotado', 411: 'incompatibilidade de multidispositivo', 428: 'conexão encerrada',
    440: 'outro aparelho assumiu a sessão', 500: 'sessão inválida ou erro desconhecido', 503: 'serviço indisponível',
    515: 'reinício necessário (normal após parear)'
  };
  function when(iso) {
    return iso ? new Date(iso).toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo' }) : '—';
  }
  var BAD = ['replaced', 'forbidden', 'multidevice_mismatch', 'logged_out', 'lock_lost', 'qr_expired'];
  var $ = function (id) { return document.getElementById(id); };
  function post(path, body) {
    return fetch('/whatsapp/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}), credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; }); });
  }
  function render(s) {
    var st = $('state');
    // The socket never reached WhatsApp (DNS, no route, refused): the machine has no internet.
    var offline = s.state !== 'open' && s.lastDisconnect && s.lastDisconnect.offline;
    st.textContent = offline ? 'sem conexão com a internet' : LABELS[s.state] || s.state;
    st.className = s.state === 'open' ? 'open' : offline || BAD.indexOf(s.state) >= 0 ? 'bad' : 'wait';
    $('detail').textContent = s.state === 'reconnecting' ? '(tentativa ' + s.attempt + ', próxima em ' + s.nextInS + ' s)' : '';
    $('qr-box').hidden = !s.qrDataUrl;
    if (s.qrDataUrl && $('qr').getAttribute('src') !== s.qrDataUrl) $('qr').setAttribute('src', s.qrDataUrl);
    if (s.pairingCode) $('pair-code').textContent = s.pairingCode;
    var facts = [
      ['Número', s.me || '—'], ['Vinculado', s.linked ? 'sim' : 'não'], ['Desde', when(s.since)],
      ['Última queda', s.lastDisconnect ? (s.lastDisconnect.offline ? 'sem conexão com a internet (o servidor não alcançou o WhatsApp)' : CLOSES[s.lastDisconnect.code] || s.lastDisconnect.reason) + ' (' + (s.lastDisconnect.code || 'sem código') + ') em ' + when(s.lastDisconnect.at) : '—'],
      ['Reconexões', String(s.reconnects)], ['Versão WA Web', s.version],
      ['Fila de envio', Object.keys(s.outbox || {}).map(function (k) { return k + ': ' + s.outbox[k]; }).join(', ') || 'vazia']
    ];
    var dl = $('facts');
    dl.textContent = '';
    facts.forEach(function (f) {
      var dt = document.createElement('dt'); dt.textContent = f[0];
      var dd = document.createElement('dd'); dd.textContent = f[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
  }
  function poll() {
    fetch('/whatsapp/state.json', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (r.status === 401) throw new Error('sessão expirada: abra de novo o link com o token'); return r.json(); })
      .then(function (s) { render(s); $('message').textContent = ''; })
      .catch(function (e) { $('message').textContent = e.message; })
      .then(function () { setTimeout(poll, 2000); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    $('pair-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      $('pair-code').textContent = 'gerando…';
      post('pairing-code', { phone: $('pair-phone').value })
        .then(function (j) { $('pair-code').textContent = j.code; })
        .catch(function (e) { $('pair-code').textContent = ''; $('message').textContent = e.message; });
    });
    $('restart').addEventListener('click', function () {
      post('restart').then(function () { $('message').textContent = 'reconectando…'; }).catch(function (e) { $('message').textContent = e.message; });
    });
    poll();
  });
})();
`;

/** How the staff panel shows this page in its own layout and lets its admins in without the token. */
export interface AdminPanelHooks {
  /** A logged-in panel admin (session cookie): no token needed. */
  allow(req: Request): boolean;
  /** The page in the panel's layout, with the same element ids as PAGE (admin.js fills them). */
  page(req: Request): string;
}

export interface AdminOptions {
  channel: WhatsAppChannel;
  /** Required token (ADMIN_TOKEN or one generated at start). */
  token: string;
  logger: Logger;
  panel?: AdminPanelHooks;
}

/** The router mounted at /whatsapp on the staff server. */
export function createWhatsAppAdmin(o: AdminOptions): Router {
  const router = express.Router();
  let lastQr: { qr: string; url: string } | undefined;

  router.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (fromQuery !== undefined && same(fromQuery, o.token)) {
      // Trade the token in the URL for an HttpOnly cookie and drop it from the address bar.
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(o.token)}; Path=/whatsapp; HttpOnly; SameSite=Strict`);
      res.redirect(303, '/whatsapp/');
      return;
    }
    const auth = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const cookie = cookieValue(req, COOKIE);
    if ((auth && same(auth, o.token)) || (cookie && same(cookie, o.token)) || o.panel?.allow(req)) return next();
    res.status(401).type('text/plain; charset=utf-8').send('Acesso negado: abra /whatsapp?token=… com o ADMIN_TOKEN (ou o link mostrado no log ao iniciar).\n');
  });

  router.get('/', (req, res) => {
    res.type('html').send(o.panel ? o.panel.page(req) : PAGE);
  });
  router.get('/admin.js', (_req, res) => {
    res.type('application/javascript').send(JS);
  });
  router.get('/admin.css', (_req, res) => {
    res.type('text/css').send(CSS);
  });
  router.get('/state.json', async (_req, res) => {
    const s = o.channel.status();
    let qrDataUrl: string | undefined;
    if (s.qr) {
      if (lastQr?.qr !== s.qr) lastQr = { qr: s.qr, url: await QRCode.toDataURL(s.qr, { margin: 2, width: 264 }) };
      qrDataUrl = lastQr.url;
    }
    const { qr: _qr, ...rest } = s;
    res.json({ ...rest, qrDataUrl, outbox: o.channel.outbox.counts(), inbound: o.channel.inbound.stats });
  });
  router.post('/pairing-code', express.json({ limit: '2kb' }), async (req, res) => {
    if (!req.is('application/json')) return void res.status(415).json({ error: 'envie JSON' });
    const phone = String((req.body as { phone?: unknown })?.phone ?? '').replace(/\D/g, '');
    if (!/^\d{10,15}$/.test(phone)) return void res.status(400).json({ error: 'informe o número com DDI e DDD, só dígitos (ex.: 5511999990001)' });
    try {
      res.json({ code: await o.channel.requestPairingCode(phone) });
    } catch (err) {
      o.logger.warn({ err }, 'whatsapp admin: pairing code failed');
      res.status(409).json({ error: (err as Error).message });
    }
  });
  router.post('/restart', express.json({ limit: '1kb' }), (req, res) => {
    if (!req.is('application/json')) return void res.status(415).json({ error: 'envie JSON' });
    o.channel.restart();
    res.json({ ok: true });
  });
  return router;
}
