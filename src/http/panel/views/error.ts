import { html } from '../../html.js';
import { layout, type ViewContext } from './layout.js';

export function errorPage(ctx: ViewContext, status: number, message: string): string {
  const title = status === 404 ? 'Não encontrado' : status === 403 ? 'Acesso negado' : status === 413 ? 'Envio grande demais' : status === 429 ? 'Muitas requisições' : status === 503 ? 'Indisponível no momento' : 'Erro';
  return layout(ctx, title, html`<section class="card"><h1>${title}</h1><p>${message}</p><p><a href="/fila">Voltar para a fila</a></p></section>`);
}
