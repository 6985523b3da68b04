import type { Team, TicketType } from '../../../db/schema.js';
import { formatDateTime } from '../../../staff/format.js';
import type { QueueListRow } from '../../../staff/queue.js';
import { partnerOf, type KnownPartner } from '../../../staff/partners.js';
import { html, raw, type Html } from '../../html.js';
import { ageText, customerLabel, layout, option, slaBadge, STATUS_SHORT, TEAM_SHORT, type ViewContext } from './layout.js';

export interface QueueView {
  rows: QueueListRow[];
  /** Partners among the rows' phone numbers. */
  partners: Map<string, KnownPartner>;
  count: { count: number; capped: boolean };
  filters: Record<string, string>;
  teams: Team[];
  types: TicketType[];
  assignees: Array<{ id: number; name: string }>;
  nextHref?: string;
  firstHref?: string;
  exportHref: string;
  /** The same list as an HTML fragment (the live page fetches it again when tickets change). */
  fragmentHref: string;
  title: string;
}

function queueResults(ctx: ViewContext, v: QueueView, rows: Html[]): Html {
  const f = v.filters;
  const count = v.count.capped ? `mais de ${v.count.count} tickets` : `${v.count.count} ${v.count.count === 1 ? 'ticket' : 'tickets'}`;
  return html`<p class="count" role="status">${count}${f.q ? ' (a busca inclui tickets encerrados)' : ''}</p>
${
  v.rows.length
    ? html`<table class="queue">
<caption class="sr-only">Tickets, do mais antigo para o mais novo</caption>
<thead><tr><th scope="col">Protocolo</th><th scope="col">Tipo</th><th scope="col">Cliente</th><th scope="col">Status</th><th scope="col">Responsável</th><th scope="col">Idade</th><th scope="col">SLA</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p class="empty">Nenhum ticket encontrado com esses filtros.</p>`
}
<nav class="pager" aria-label="Paginação">${v.firstHref ? html`<a href="${v.firstHref}">« Início</a>` : ''} ${v.nextHref ? html`<a href="${v.nextHref}" rel="next">Próxima página »</a>` : ''}</nav>`;
}

/** Only the results (count, rows, pager): what the live queue swaps in. */
export function queueResultsFragment(ctx: ViewContext, v: QueueView): string {
  return queueResults(ctx, v, queueRows(ctx, v)).value;
}

function queueRows(ctx: ViewContext, v: QueueView): Html[] {
  return v.rows.map((r) => queueRow(ctx, v, r, Date.parse(r.created_at)));
}

function queueRow(ctx: ViewContext, v: QueueView, r: QueueListRow, created: number): Html {
  return html`<tr data-protocol="${r.protocol}">
  <td data-label="Protocolo"><a href="/tickets/${r.protocol}">${r.protocol}</a></td>
  <td data-label="Tipo">${ctx.requests.title(r.type)}</td>
  <td data-label="Cliente">${customerLabel(r, partnerOf(v.partners, r.phone))}</td>
  <td data-label="Status"><span class="status status-${r.status}">${STATUS_SHORT[r.status]}</span></td>
  <td data-label="Responsável">${r.assignee_name ?? '—'}</td>
  <td data-label="Idade"><time datetime="${r.created_at}" title="${formatDateTime(r.created_at, ctx.timeZone)}"${r.status === 'open' || r.status === 'in_progress' ? html` data-age` : ''}>${ageText(r, ctx.now, created)}</time></td>
  <td data-label="SLA">${slaBadge(ctx, r, created)}</td>
</tr>`;
}

/** The whole queue page; `results` is the results fragment already rendered for this list (shared). */
export function queuePage(ctx: ViewContext, v: QueueView, flash?: string, results?: string): string {
  const f = v.filters;
  const active = ['status', 'type', 'assignee', 'team', 'from', 'to'].filter((k) => f[k]).length;
  return layout(
    ctx,
    v.title,
    html`<h1>${v.title}</h1>
<form method="get" action="/fila" class="filters" role="search" aria-label="Filtros da fila">
  <div class="field wide"><label for="q">Buscar por protocolo, CPF/CNPJ, pedido ou e-mail</label>
    <input id="q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" placeholder="FIN-000123, 123.456.789-09, pedido, e-mail"></div>
  <details class="more-filters" open>
  <summary><span class="summary-label">Filtros</span>${active ? html` <span class="tag">${String(active)} ${active === 1 ? 'ativo' : 'ativos'}</span>` : ''}</summary>
  <div class="filter-fields">
  <div class="field"><label for="status">Status</label><select id="status" name="status">
    ${option('', 'Abertos e em andamento', f.status)}${option('open', 'Abertos', f.status)}${option('in_progress', 'Em andamento', f.status)}
    ${option('resolved', 'Resolvidos', f.status)}${option('rejected', 'Recusados', f.status)}${option('all', 'Todos', f.status)}</select></div>
  <div class="field"><label for="type">Tipo</label><select id="type" name="type">${option('', 'Todos', f.type)}${v.types.map((t) => option(t, ctx.requests.title(t), f.type))}</select></div>
  <div class="field"><label for="assignee">Responsável</label><select id="assignee" name="assignee">
    ${option('', 'Qualquer', f.assignee)}${option('me', 'Eu', f.assignee)}${option('none', 'Sem responsável', f.assignee)}${v.assignees.map((a) => option(String(a.id), a.name, f.assignee))}</select></div>
  ${v.teams.length > 1 ? html`<div class="field"><label for="team">Equipe</label><select id="team" name="team">${option('', 'Todas', f.team)}${v.teams.map((t) => option(t, TEAM_SHORT[t], f.team))}</select></div>` : ''}
  <div class="field"><label for="from">Aberto de</label><input id="from" name="from" type="date" value="${f.from ?? ''}"></div>
  <div class="field"><label for="to">até</label><input id="to" name="to" type="date" value="${f.to ?? ''}"></div>
  </div>
  </details>
  <div class="buttons"><button type="submit" class="primary">Filtrar</button> <a href="/fila">Limpar</a> <a href="${v.exportHref}" download>Exportar CSV</a></div>
</form>
<div id="queue-live" data-fragment="${v.fragmentHref}">
${results !== undefined ? raw(results) : queueResults(ctx, v, queueRows(ctx, v))}
</div>`,
    { flash },
  );
}
