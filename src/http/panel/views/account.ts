import { formatDateTime } from '../../../staff/format.js';
import { ROLE_LABEL } from '../../../staff/users.js';
import { html } from '../../html.js';
import { csrfField, layout, type ViewContext } from './layout.js';

export interface AccountView {
  tokens: Array<{ id: number; name: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null; user_name?: string }>;
  newToken?: string;
}

export function accountPage(ctx: ViewContext, v: AccountView, flash?: string, error?: string): string {
  return layout(
    ctx,
    'Minha conta',
    html`<h1>Minha conta</h1>
${
  v.newToken
    ? html`<section class="card highlight" aria-labelledby="h-new"><h2 id="h-new">Seu novo token de API</h2>
<p>Copie agora: ele <strong>não será mostrado de novo</strong>.</p>
<label for="new-token">Token</label><input id="new-token" class="token" readonly value="${v.newToken}">
<p>Use no cabeçalho <code>Authorization: Bearer &lt;token&gt;</code> das chamadas a <code>/api</code>.</p></section>`
    : ''
}
<section class="card" aria-labelledby="h-me">
<h2 id="h-me">Seus dados</h2>
<dl class="fields">
  <dt>Nome</dt><dd>${ctx.user?.name ?? ''}</dd>
  <dt>E-mail</dt><dd>${ctx.user?.email ?? ''}</dd>
  <dt>Papel</dt><dd>${ctx.user ? ROLE_LABEL[ctx.user.role] : ''}</dd>
</dl>
</section>
<section class="card" aria-labelledby="h-pass">
<h2 id="h-pass">Trocar senha</h2>
<form method="post" action="/conta/senha" class="stack">${csrfField(ctx)}
  <label for="current">Senha atual</label><input id="current" name="current" type="password" autocomplete="current-password" required>
  <label for="new">Nova senha (mínimo de 10 caracteres)</label><input id="new" name="password" type="password" autocomplete="new-password" minlength="10" required>
  <button type="submit">Trocar senha</button>
</form>
</section>
<section class="card" aria-labelledby="h-tokens">
<h2 id="h-tokens">Tokens de API</h2>
<p class="hint">Só para integrações com outros sistemas (ERP, planilhas): o painel não precisa deles.</p>
${
  v.tokens.length
    ? html`<table><thead><tr><th scope="col">Nome</th><th scope="col">Início</th><th scope="col">Criado</th><th scope="col">Último uso</th><th scope="col"></th></tr></thead><tbody>
${v.tokens.map(
  (t) => html`<tr><td data-label="Nome">${t.name}</td><td data-label="Início"><code>${t.prefix}…</code></td><td data-label="Criado">${formatDateTime(t.created_at, ctx.timeZone)}</td><td data-label="Último uso">${formatDateTime(t.last_used_at, ctx.timeZone) || '—'}</td>
<td>${t.revoked_at ? 'revogado' : html`<form method="post" action="/conta/tokens/${t.id}/revoke" class="inline">${csrfField(ctx)}<button type="submit">Revogar</button></form>`}</td></tr>`,
)}</tbody></table>`
    : html`<p>Nenhum token.</p>`
}
<form method="post" action="/conta/tokens" class="stack">${csrfField(ctx)}
  <label for="token-name">Nome do novo token (para que sistema)</label>
  <input id="token-name" name="name" maxlength="80" required>
  <button type="submit" class="primary">Criar token</button>
</form>
</section>
`,
    { flash, error },
  );
}
