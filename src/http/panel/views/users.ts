import type { StaffUser } from '../../../db/schema.js';
import { ROLE_LABEL } from '../../../staff/users.js';
import { html } from '../../html.js';
import { csrfField, layout, type ViewContext } from './layout.js';

export function usersPage(ctx: ViewContext, users: StaffUser[], flash?: string, error?: string): string {
  return layout(
    ctx,
    'Usuários',
    html`<h1>Usuários</h1>
<section class="card"><table><thead><tr><th scope="col">Nome</th><th scope="col">E-mail</th><th scope="col">Papel</th><th scope="col">Situação</th><th scope="col"></th></tr></thead><tbody>
${users.map(
  (u) => html`<tr><td data-label="Nome">${u.name}</td><td data-label="E-mail">${u.email}</td><td data-label="Papel">${ROLE_LABEL[u.role]}</td><td data-label="Situação">${u.active ? 'ativo' : 'desativado'}</td>
<td>${u.id === ctx.user?.id ? '' : html`<form method="post" action="/usuarios/${u.id}/${u.active ? 'disable' : 'enable'}" class="inline">${csrfField(ctx)}<button type="submit">${u.active ? 'Desativar' : 'Reativar'}</button></form>`}</td></tr>`,
)}</tbody></table></section>
<section class="card" aria-labelledby="h-add"><h2 id="h-add">Novo usuário</h2>
<form method="post" action="/usuarios" class="stack">${csrfField(ctx)}
  <label for="u-name">Nome</label><input id="u-name" name="name" required maxlength="100">
  <label for="u-email">E-mail</label><input id="u-email" name="email" type="email" required>
  <label for="u-role">Papel</label><select id="u-role" name="role"><option value="finance">Financeiro</option><option value="support">Suporte</option><option value="admin">Administrador</option></select>
  <label for="u-pass">Senha inicial (mínimo de 10 caracteres)</label><input id="u-pass" name="password" type="password" autocomplete="new-password" minlength="10" required>
  <button type="submit" class="primary">Criar usuário</button>
</form></section>`,
    { flash, error },
  );
}
