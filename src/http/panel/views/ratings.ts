import { formatDateTime } from '../../../staff/format.js';
import type { RatingFigures, RatingsReport } from '../../../tickets/ratings.js';
import { html, type Html } from '../../html.js';
import { layout, TEAM_SHORT, type ViewContext } from './layout.js';
import { stars } from './ticket.js';

export const PERIODS = { '30d': 'Últimos 30 dias', '90d': 'Últimos 90 dias', tudo: 'Desde o início' } as const;
export type Period = keyof typeof PERIODS;

const avg = (f: RatingFigures) => (f.average === null ? '—' : f.average.toFixed(1).replace('.', ','));
const rate = (f: RatingFigures) => (f.asked ? `${Math.round((f.answered / f.asked) * 100)} %` : '—');
const scores = (f: RatingFigures): Html => html`<ul class="scores">${f.scores.map((n, i) => html`<li>${String(i + 1)}★: ${String(n)}</li>`)}</ul>`;

/** Admins: satisfaction per team and per clerk, and the latest comments. */
export function ratingsPage(ctx: ViewContext, r: RatingsReport, period: Period): string {
  return layout(
    ctx,
    'Avaliações',
    html`<h1>Avaliações dos clientes</h1>
<nav class="period" aria-label="Período">${Object.entries(PERIODS).map(([k, label]) => (k === period ? html`<strong aria-current="page">${label}</strong> ` : html`<a href="/avaliacoes?periodo=${k}">${label}</a> `))}</nav>
<section class="card" aria-labelledby="h-teams">
<h2 id="h-teams">Por equipe</h2>
${
  r.teams.length
    ? html`<table><thead><tr><th scope="col">Equipe</th><th scope="col">Pesquisas enviadas</th><th scope="col">Respostas</th><th scope="col">Taxa de resposta</th><th scope="col">Média</th><th scope="col">Notas</th></tr></thead><tbody>
${r.teams.map((t) => html`<tr><td data-label="Equipe">${TEAM_SHORT[t.team]}</td><td data-label="Enviadas">${String(t.asked)}</td><td data-label="Respostas">${String(t.answered)}</td><td data-label="Taxa">${rate(t)}</td><td data-label="Média">${avg(t)}</td><td data-label="Notas">${scores(t)}</td></tr>`)}
</tbody></table>`
    : html`<p>Nenhuma pesquisa no período.</p>`
}
</section>
<section class="card" aria-labelledby="h-clerks">
<h2 id="h-clerks">Por atendente</h2>
${
  r.clerks.length
    ? html`<table><thead><tr><th scope="col">Atendente</th><th scope="col">Respostas</th><th scope="col">Média</th><th scope="col">Notas</th></tr></thead><tbody>
${r.clerks.map((c) => html`<tr><td data-label="Atendente">${c.name}</td><td data-label="Respostas">${String(c.answered)} de ${String(c.asked)}</td><td data-label="Média">${avg(c)}</td><td data-label="Notas">${scores(c)}</td></tr>`)}
</tbody></table>`
    : html`<p>Nenhuma pesquisa no período.</p>`
}
</section>
<section class="card" aria-labelledby="h-comments">
<h2 id="h-comments">Comentários recentes</h2>
${
  r.comments.length
    ? html`<ul class="notes">${r.comments.map((c) => html`<li><a href="/tickets/${c.protocol}">${c.protocol}</a> · ${TEAM_SHORT[c.team]} · ${c.clerk} · ${stars(c.rating)} <time datetime="${c.at}">${formatDateTime(c.at, ctx.timeZone)}</time><p class="pre">${c.comment}</p></li>`)}</ul>`
    : html`<p>Nenhum comentário no período.</p>`
}
</section>`,
  );
}
