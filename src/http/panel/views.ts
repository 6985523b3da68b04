import type { StaffUser, Team, Ticket, TicketStatus, TicketType } from '../../db/schema.js';
import { DELIVERY_LABEL, type ChatLine, type HistoryItem } from '../../staff/detail.js';
import { formatDateTime, formatDocument, formatPhone, maskPhone } from '../../staff/format.js';
import type { QueueRow } from '../../staff/queue.js';
import { formatAge, SLA_LABEL, slaLevel, type SlaClock, calendarClock } from '../../staff/sla.js';
import { ROLE_LABEL } from '../../staff/users.js';
import { TRANSITIONS } from '../../staff/actions.js';
import { STATUS_LABEL, TEAM_LABEL, TYPE_LABEL, type TicketAttachment } from '../../tickets/tickets.js';
import { html, type Html } from '../html.js';

// Server-rendered pages of the staff panel (pt-BR). Values go through html`` (escaped); the only
// script is /static/panel.js (CSP: no inline scripts, no inline styles).

export interface ViewContext {
  user?: StaffUser;
  csrf?: string;
  timeZone: string;
  now: number;
  slaHours: Record<TicketType, number>;
  sla?: SlaClock;
}

export const STATUS_SHORT: Record<TicketStatus, string> = { open: 'Aberto', in_progress: 'Em andamento', resolved: 'Resolvido', rejected: 'Recusado' };
const TEAM_SHORT: Record<Team, string> = { finance: 'Financeiro', support: 'Suporte' };

export function csrfField(ctx: ViewContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

export function layout(ctx: ViewContext, title: string, body: Html, opts: { flash?: string; error?: string } = {}): string {
  const u = ctx.user;
  const nav = u
    ? html`<nav class="top" aria-label="Navegação principal">
  <a class="brand" href="/fila">Indique Certo · Painel</a>
  <ul>
    <li><a href="/fila">Fila</a></li>
    <li><a href="/conta">Minha conta</a></li>
    ${u.role === 'admin' ? html`<li><a href="/usuarios">Usuários</a></li>` : ''}
  </ul>
  <span class="who">${u.name} <small>(${ROLE_LABEL[u.role]})</small></span>
  <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">Sair</button></form>
</nav>`
    : html`<nav class="top" aria-label="Navegação principal"><span class="brand">Indique Certo · Painel</span></nav>`;
  return html`<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Painel Indique Certo</title>
<link rel="stylesheet" href="/static/panel.css">
<script src="/static/panel.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Pular para o conteúdo</a>
<header>${nav}</header>
<main id="main" tabindex="-1">
${opts.flash ? html`<p class="flash ok" role="status">${opts.flash}</p>` : ''}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : ''}
${body}
</main>
</body>
</html>`.value;
}

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

export function errorPage(ctx: ViewContext, status: number, message: string): string {
  const title = status === 404 ? 'Não encontrado' : status === 403 ? 'Acesso negado' : status === 413 ? 'Envio grande demais' : status === 429 ? 'Muitas requisições' : 'Erro';
  return layout(ctx, title, html`<section class="card"><h1>${title}</h1><p>${message}</p><p><a href="/fila">Voltar para a fila</a></p></section>`);
}

export function customerLabel(t: { contact_name: string | null; phone: string | null; chat_id: string }): string {
  return t.contact_name?.trim() || maskPhone(t.phone ?? t.chat_id) || '—';
}

function slaBadge(ctx: ViewContext, t: Pick<Ticket, 'type' | 'team' | 'status' | 'created_at'>): Html {
  const level = slaLevel(t, ctx.slaHours, ctx.now, ctx.sla);
  return html`<span class="sla sla-${level}" title="Meta: ${ctx.slaHours[t.type]} h${ctx.sla && ctx.sla !== calendarClock ? ' úteis' : ''}">${SLA_LABEL[level]}</span>`;
}

export interface QueueView {
  rows: QueueRow[];
  count: { count: number; capped: boolean };
  filters: Record<string, string>;
  teams: Team[];
  types: TicketType[];
  assignees: Array<{ id: number; name: string }>;
  nextHref?: string;
  firstHref?: string;
  exportHref: string;
  title: string;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

export function queuePage(ctx: ViewContext, v: QueueView, flash?: string): string {
  const f = v.filters;
  const rows = v.rows.map(
    (r) => html`<tr>
  <td data-label="Protocolo"><a href="/tickets/${r.protocol}">${r.protocol}</a></td>
  <td data-label="Tipo">${TYPE_LABEL[r.type]}</td>
  <td data-label="Cliente">${customerLabel(r)}</td>
  <td data-label="Status"><span class="status status-${r.status}">${STATUS_SHORT[r.status]}</span></td>
  <td data-label="Responsável">${r.assignee_name ?? '—'}</td>
  <td data-label="Idade"><time datetime="${r.created_at}" title="${formatDateTime(r.created_at, ctx.timeZone)}">${formatAge(r.created_at, ctx.now)}</time></td>
  <td data-label="SLA">${slaBadge(ctx, r)}</td>
</tr>`,
  );
  const count = v.count.capped ? `mais de ${v.count.count} tickets` : `${v.count.count} ${v.count.count === 1 ? 'ticket' : 'tickets'}`;
  return layout(
    ctx,
    v.title,
    html`<h1>${v.title}</h1>
<form method="get" action="/fila" class="filters" role="search" aria-label="Filtros da fila">
  <div class="field wide"><label for="q">Buscar por protocolo, CPF/CNPJ, pedido ou e-mail</label>
    <input id="q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" placeholder="FIN-000123, 123.456.789-09, pedido, e-mail"></div>
  <div class="field"><label for="status">Status</label><select id="status" name="status">
    ${option('', 'Abertos e em andamento', f.status)}${option('open', 'Abertos', f.status)}${option('in_progress', 'Em andamento', f.status)}
    ${option('resolved', 'Resolvidos', f.status)}${option('rejected', 'Recusados', f.status)}${option('all', 'Todos', f.status)}</select></div>
  <div class="field"><label for="type">Tipo</label><select id="type" name="type">${option('', 'Todos', f.type)}${v.types.map((t) => option(t, TYPE_LABEL[t], f.type))}</select></div>
  <div class="field"><label for="assignee">Responsável</label><select id="assignee" name="assignee">
    ${option('', 'Qualquer', f.assignee)}${option('me', 'Eu', f.assignee)}${option('none', 'Sem responsável', f.assignee)}${v.assignees.map((a) => option(String(a.id), a.name, f.assignee))}</select></div>
  ${v.teams.length > 1 ? html`<div class="field"><label for="team">Equipe</label><select id="team" name="team">${option('', 'Todas', f.team)}${v.teams.map((t) => option(t, TEAM_SHORT[t], f.team))}</select></div>` : ''}
  <div class="field"><label for="from">Aberto de</label><input id="from" name="from" type="date" value="${f.from ?? ''}"></div>
  <div class="field"><label for="to">até</label><input id="to" name="to" type="date" value="${f.to ?? ''}"></div>
  <div class="buttons"><button type="submit" class="primary">Filtrar</button> <a href="/fila">Limpar</a> <a href="${v.exportHref}" download>Exportar CSV</a></div>
</form>
<p class="count" role="status">${count}${f.q ? ' (a busca inclui tickets encerrados)' : ''}</p>
${
  v.rows.length
    ? html`<table class="queue">
<caption class="sr-only">Tickets, do mais antigo para o mais novo</caption>
<thead><tr><th scope="col">Protocolo</th><th scope="col">Tipo</th><th scope="col">Cliente</th><th scope="col">Status</th><th scope="col">Responsável</th><th scope="col">Idade</th><th scope="col">SLA</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p class="empty">Nenhum ticket encontrado com esses filtros.</p>`
}
<nav class="pager" aria-label="Paginação">${v.firstHref ? html`<a href="${v.firstHref}">« Início</a>` : ''} ${v.nextHref ? html`<a href="${v.nextHref}" rel="next">Próxima página »</a>` : ''}</nav>`,
    { flash },
  );
}

export interface TicketPageView {
  ticket: Ticket;
  attachments: TicketAttachment[];
  assigneeName: string | null;
  assignees: Array<{ id: number; name: string }>;
  history: HistoryItem[];
  others: Array<{ protocol: string; type: TicketType; status: TicketStatus; created_at: string; team: Team }>;
  conversation: ChatLine[] | null;
  templates: { resolved: string; rejected: string };
}

const FIELD_LABEL: Record<string, string> = {
  orderNumber: 'Pedido', order: 'Pedido', document: 'CPF/CNPJ', cpf: 'CPF', cnpj: 'CNPJ', email: 'E-mail', name: 'Nome', reason: 'Motivo',
  reasonText: 'Descrição do motivo', requester: 'Quem pede', verified: 'Pedido conferido na base', purchaseDate: 'Data da compra',
  issued: 'Certificado já emitido', withinPolicy: 'Dentro da política', policyNote: 'Política', orderStatus: 'Situação do pedido',
  pixKey: 'Chave Pix', paymentMethod: 'Forma de pagamento', amount: 'Valor', date: 'Data', preferredDate: 'Data desejada', phone: 'Telefone',
  subject: 'Assunto', topic: 'Assunto', summary: 'Resumo', registerAnyway: 'Registrar para análise',
  partnerId: 'Parceiro', customerName: 'Nome do cliente', customerCpf: 'CPF do cliente', currentDate: 'Data agendada',
  currentTime: 'Horário agendado', wantedFrom: 'Antecipar a partir de', period: 'Período preferido', spamChecked: 'Procurou no spam',
  resendTo: 'Reenviar para', request: 'Pedido ao suporte',
};

/** Codes stored by the flows, as staff read them. */
const VALUE_LABEL: Record<string, string> = {
  desistencia: 'desistência', videoconferencia: 'videoconferência não permitiu a emissão', outro: 'outro motivo',
  cliente: 'cliente (comprador)', parceiro: 'parceiro Indique Certo', cartao: 'cartão de crédito', boleto: 'boleto', pix: 'Pix',
  manha: 'manhã', tarde: 'tarde', qualquer: 'qualquer horário', pendente: 'pendente', pago: 'pago', vencido: 'vencido', estornado: 'estornado',
};
const PIX_KIND: Record<string, string> = { cpf: 'CPF', cnpj: 'CNPJ', email: 'e-mail', phone: 'celular', random: 'chave aleatória' };
/** Collected fields already shown from the ticket's own columns. */
const SHOWN = new Set(['document', 'orderNumber', 'email', 'name', 'phone', 'attachments']);

function fieldValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (v === true) return 'sim';
  if (v === false) return 'não';
  if (typeof v === 'object' && v !== null && 'kind' in v && 'value' in v) {
    const key = v as { kind: string; value: unknown };
    return `${String(key.value)} (${PIX_KIND[key.kind] ?? key.kind})`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return VALUE_LABEL[String(v)] ?? String(v);
}

function describeEvent(e: HistoryItem, names: Map<number, string>): Html {
  const d = e.detail;
  switch (e.kind) {
    case 'created':
      return html`Ticket aberto (${String(d.protocol ?? '')})`;
    case 'status':
      return html`Status: ${STATUS_SHORT[d.from as TicketStatus] ?? String(d.from)} → <strong>${STATUS_SHORT[d.to as TicketStatus] ?? String(d.to)}</strong>`;
    case 'assigned': {
      const to = d.to === null || d.to === undefined ? 'ninguém' : (names.get(Number(d.to)) ?? `usuário ${String(d.to)}`);
      return html`Responsável: <strong>${to}</strong>${d.auto ? ' (automático)' : ''}`;
    }
    case 'note':
      return html`<span class="note-label">Nota interna:</span> <span class="pre">${String(d.text ?? '')}</span>`;
    case 'message':
      return html`Mensagem ao cliente${d.outcome ? html` (${d.outcome === 'resolved' ? 'resolução' : 'recusa'})` : ''}:
        <span class="pre">${String(d.text ?? '')}</span>
        ${e.delivery ? html`<span class="delivery delivery-${e.delivery}">${DELIVERY_LABEL[e.delivery]}${e.deliveryError ? html`: ${e.deliveryError}` : ''}</span>` : ''}`;
    case 'handoff_closed':
      return html`Atendimento humano encerrado: conversa devolvida ao bot`;
    default:
      return html`${e.kind} <code>${JSON.stringify(d)}</code>`;
  }
}

export function ticketPage(ctx: ViewContext, v: TicketPageView, names: Map<number, string>, flash?: string, error?: string): string {
  const t = v.ticket;
  const data = (() => {
    try {
      return JSON.parse(t.data) as Record<string, unknown>;
    } catch {
      return {};
    }
  })();
  const excerpt = (() => {
    try {
      return JSON.parse(t.excerpt) as Array<{ from: string; text: string; at: string }>;
    } catch {
      return [];
    }
  })();
  const base = `/tickets/${t.protocol}`;
  const closed = t.status === 'resolved' || t.status === 'rejected';
  const transitions = TRANSITIONS[t.status].filter((s) => s === 'in_progress' || s === 'open');
  const notes = v.history.filter((e) => e.kind === 'note');
  const u = ctx.user!;

  const actions = html`<section class="card" aria-labelledby="h-actions">
<h2 id="h-actions">Ações</h2>
<div class="actions">
  ${t.assignee_id !== u.id ? html`<form method="post" action="${base}/assign" class="inline">${csrfField(ctx)}<input type="hidden" name="assignee" value="me"><button type="submit">Assumir (atribuir a mim)</button></form>` : ''}
  <form method="post" action="${base}/assign" class="inline">${csrfField(ctx)}
    <label for="assignee">Atribuir a</label>
    <select id="assignee" name="assignee">${option('none', 'Ninguém', t.assignee_id === null ? 'none' : '')}${v.assignees.map((a) => option(String(a.id), a.name, String(t.assignee_id ?? '')))}</select>
    <button type="submit">Atribuir</button>
  </form>
  ${transitions.map(
    (s) => html`<form method="post" action="${base}/status" class="inline">${csrfField(ctx)}<input type="hidden" name="status" value="${s}"><button type="submit">${
      s === 'in_progress' ? 'Iniciar atendimento' : closed ? 'Reabrir' : 'Devolver para "aberto"'
    }</button></form>`,
  )}
</div>
${
  closed
    ? ''
    : html`<form method="post" action="${base}/close" class="stack" id="close-form">${csrfField(ctx)}
  <fieldset>
    <legend>Encerrar com mensagem ao cliente (WhatsApp)</legend>
    <div class="radios">
      <label><input type="radio" name="outcome" value="resolved" checked data-template="${v.templates.resolved}"> Resolver</label>
      <label><input type="radio" name="outcome" value="rejected" data-template="${v.templates.rejected}"> Recusar</label>
    </div>
    <label for="close-message">Mensagem (deixe em branco para não enviar)</label>
    <textarea id="close-message" name="message" rows="6" maxlength="4000">${v.templates.resolved}</textarea>
    <button type="submit" class="primary">Encerrar e enviar</button>
  </fieldset>
</form>`
}
</section>`;

  const conversation = v.conversation
    ? html`<section class="card" aria-labelledby="h-live">
<h2 id="h-live">Conversa ao vivo</h2>
<ol class="chat" id="live-chat" data-src="${base}/conversa" aria-live="polite">${chatLines(ctx, v.conversation, base)}</ol>
${
  closed
    ? html`<p>Atendimento encerrado.</p>`
    : html`<form method="post" action="${base}/reply" class="stack">${csrfField(ctx)}
  <label for="reply-text">Responder ao cliente</label>
  <textarea id="reply-text" name="text" rows="3" maxlength="4000" required></textarea>
  <button type="submit" class="primary">Enviar</button>
</form>`
}
<form method="post" action="${base}/handover/close" class="stack">${csrfField(ctx)}
  <button type="submit">Encerrar atendimento e devolver ao bot</button>
</form>
</section>`
    : '';

  return layout(
    ctx,
    t.protocol,
    html`<p><a href="/fila">« Voltar para a fila</a></p>
<h1>${t.protocol} · ${TYPE_LABEL[t.type]}</h1>
<p class="summary"><span class="status status-${t.status}">${STATUS_SHORT[t.status]}</span> ${slaBadge(ctx, t)}
  <span>Aberto há ${formatAge(t.created_at, ctx.now)}</span></p>
<div class="grid">
<section class="card" aria-labelledby="h-data">
<h2 id="h-data">Dados</h2>
<dl class="fields">
  <dt>Equipe</dt><dd>${TEAM_LABEL[t.team]}</dd>
  <dt>Status</dt><dd>${STATUS_LABEL[t.status]}</dd>
  <dt>Responsável</dt><dd>${v.assigneeName ?? '—'}</dd>
  <dt>Cliente</dt><dd>${t.contact_name ?? '—'}</dd>
  <dt>Telefone</dt><dd>${formatPhone(t.phone ?? t.chat_id)}</dd>
  <dt>CPF/CNPJ</dt><dd>${formatDocument(t.document) || '—'}</dd>
  <dt>E-mail</dt><dd>${t.email ?? '—'}</dd>
  <dt>Pedido</dt><dd>${t.order_number ?? '—'}</dd>
  <dt>Aberto em</dt><dd>${formatDateTime(t.created_at, ctx.timeZone)}</dd>
  <dt>Atualizado em</dt><dd>${formatDateTime(t.updated_at, ctx.timeZone)}</dd>
  ${t.closed_at ? html`<dt>Encerrado em</dt><dd>${formatDateTime(t.closed_at, ctx.timeZone)}</dd>` : ''}
  ${Object.entries(data).filter(([k]) => !SHOWN.has(k)).map(([k, val]) => html`<dt>${FIELD_LABEL[k] ?? k}</dt><dd>${fieldValue(val)}</dd>`)}
</dl>
</section>
${actions}
</div>
${conversation}
${v.attachments.length
  ? html`<section class="card" aria-labelledby="h-files">
<h2 id="h-files">Anexos enviados pelo cliente</h2>
<ul>${v.attachments.map((a) => html`<li><a href="${base}/anexos/${String(a.id)}" download>${a.fileName ?? `${a.kind === 'image' ? 'imagem' : 'arquivo'}-${a.id}`}</a> (${a.mimetype ?? a.kind}, ${Math.max(1, Math.round(a.size / 1024))} KB, ${formatDateTime(a.createdAt, ctx.timeZone)})</li>`)}</ul>
</section>`
  : ''}
<section class="card" aria-labelledby="h-excerpt">
<h2 id="h-excerpt">Trecho da conversa (quando o ticket foi aberto)</h2>
${excerpt.length ? html`<ol class="chat">${excerpt.map((m) => chatLine(ctx, { from: m.from === 'customer' ? 'customer' : 'bot', text: m.text, at: m.at }))}</ol>` : html`<p>Sem trecho.</p>`}
</section>
<section class="card" aria-labelledby="h-notes">
<h2 id="h-notes">Notas internas</h2>
${notes.length ? html`<ul class="notes">${notes.map((n) => html`<li><strong>${n.actorName}</strong> <time datetime="${n.at}">${formatDateTime(n.at, ctx.timeZone)}</time><p class="pre">${String(n.detail.text ?? '')}</p></li>`)}</ul>` : html`<p>Nenhuma nota.</p>`}
<form method="post" action="${base}/notes" class="stack">${csrfField(ctx)}
  <label for="note-text">Nova nota (não é enviada ao cliente)</label>
  <textarea id="note-text" name="text" rows="3" maxlength="4000" required></textarea>
  <button type="submit">Adicionar nota</button>
</form>
</section>
<section class="card" aria-labelledby="h-others">
<h2 id="h-others">Outros tickets deste cliente</h2>
${
  v.others.length
    ? html`<ul>${v.others.map((o) => html`<li><a href="/tickets/${o.protocol}">${o.protocol}</a> · ${TYPE_LABEL[o.type]} · ${STATUS_SHORT[o.status]} · ${formatDateTime(o.created_at, ctx.timeZone)}</li>`)}</ul>`
    : html`<p>Nenhum outro ticket.</p>`
}
</section>
<section class="card" aria-labelledby="h-history">
<h2 id="h-history">Histórico</h2>
<table class="history">
<thead><tr><th scope="col">Quando</th><th scope="col">Quem</th><th scope="col">O quê</th></tr></thead>
<tbody>${v.history.map((e) => html`<tr><td data-label="Quando"><time datetime="${e.at}">${formatDateTime(e.at, ctx.timeZone)}</time></td><td data-label="Quem">${e.actorName}</td><td data-label="O quê">${describeEvent(e, names)}</td></tr>`)}</tbody>
</table>
</section>`,
    { flash, error },
  );
}

function chatLine(ctx: ViewContext, m: ChatLine, base?: string): Html {
  return html`<li class="msg msg-${m.from}"><span class="who">${m.from === 'customer' ? 'Cliente' : 'Bot/equipe'}</span>
<span class="pre">${m.text}</span>${m.attachmentId && base ? html` <a href="${base}/anexos/${String(m.attachmentId)}" download>baixar arquivo</a>` : ''}
<time datetime="${m.at}">${formatDateTime(m.at, ctx.timeZone)}</time>${m.delivery ? html` <span class="delivery delivery-${m.delivery}">${DELIVERY_LABEL[m.delivery]}</span>` : ''}</li>`;
}

export function chatLines(ctx: ViewContext, lines: ChatLine[], base?: string): Html {
  return html`${lines.map((m) => chatLine(ctx, m, base))}`;
}

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
<section class="card" aria-labelledby="h-tokens">
<h2 id="h-tokens">Tokens de API</h2>
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
<section class="card" aria-labelledby="h-pass">
<h2 id="h-pass">Trocar senha</h2>
<form method="post" action="/conta/senha" class="stack">${csrfField(ctx)}
  <label for="current">Senha atual</label><input id="current" name="current" type="password" autocomplete="current-password" required>
  <label for="new">Nova senha (mínimo de 10 caracteres)</label><input id="new" name="password" type="password" autocomplete="new-password" minlength="10" required>
  <button type="submit">Trocar senha</button>
</form>
</section>`,
    { flash, error },
  );
}

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
