import { html } from '../../html.js';
import { layout, type ViewContext } from './layout.js';

export function loginPage(ctx: ViewContext & { loginCsrf: string; next: string; email?: string; error?: string }): string {
  return layout(
    ctx,
    'Entrar',
    html`<section class="card narrow">
<h1>Entrar no painel</h1>
<form method="post" action="/login" class="stack">
  <input type="hidden" name="_csrf" value="${ctx.loginCsrf}">
  <input type="hidden" name="next" value="${ctx.next}">
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${ctx.email ?? ''}" autofocus>
  <label for="password">Senha</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" class="primary">Entrar</button>
</form>
</section>`,
    { error: ctx.error },
  );
}
