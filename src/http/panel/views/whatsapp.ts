import { html } from '../../html.js';
import { layout, type ViewContext } from './layout.js';

// The WhatsApp connection page (QR code, pairing code, state, reconnect) in the panel's layout.
// /whatsapp/admin.js (src/channels/whatsapp/admin.ts) fills the elements by their ids.

export function whatsappPage(ctx: ViewContext): string {
  return layout(
    ctx,
    'WhatsApp',
    html`<h1>Conexão com o WhatsApp</h1>
${ctx.user ? '' : html`<p class="hint">Aberto com o token de administração. <a href="/login">Entrar no painel</a></p>`}
<section class="card" aria-labelledby="h-state">
<h2 id="h-state">Estado</h2>
<p class="wa-state">Estado: <strong id="state">carregando…</strong> <span id="detail"></span></p>
<p id="message" role="status"></p>
<button id="restart" type="button">Reconectar agora</button>
</section>
<section class="card" id="qr-box" hidden aria-labelledby="h-qr">
<h2 id="h-qr">Conecte o número</h2>
<p>No celular: WhatsApp › <em>Aparelhos conectados</em> › <em>Conectar um aparelho</em>, e escaneie:</p>
<img id="qr" alt="QR code para conectar o WhatsApp" width="264" height="264">
<form id="pair-form" class="stack">
  <p>Ou conecte com um código: informe o número (com DDI e DDD) e digite o código no celular em <em>Conectar com número de telefone</em>.</p>
  <label for="pair-phone">Número do WhatsApp</label>
  <input id="pair-phone" name="phone" inputmode="numeric" placeholder="5511999990001" autocomplete="off">
  <button type="submit">Gerar código</button>
  <p id="pair-code" class="code" aria-live="polite"></p>
</form>
</section>
<section class="card" aria-labelledby="h-facts">
<h2 id="h-facts">Detalhes</h2>
<dl id="facts" class="fields"></dl>
</section>`,
    { scripts: ['/whatsapp/admin.js'] },
  );
}

export function whatsappDisabledPage(ctx: ViewContext): string {
  return layout(
    ctx,
    'WhatsApp',
    html`<h1>Conexão com o WhatsApp</h1><section class="card"><p>O canal do WhatsApp está desligado nesta instalação (<code>WHATSAPP_ENABLED=false</code>).</p></section>`,
  );
}
