import type { Team, Ticket, TicketRating, TicketStatus, TicketType } from '../../../db/schema.js';
import { DELIVERY_LABEL, type ChatLine, type HistoryItem } from '../../../staff/detail.js';
import { formatDateTime, formatDocument, formatPhone } from '../../../staff/format.js';
import type { KnownPartner } from '../../../staff/partners.js';
import { TRANSITIONS } from '../../../staff/actions.js';
import { STATUS_LABEL, TEAM_LABEL, type TicketAttachment } from '../../../tickets/tickets.js';
import { html, type Html } from '../../html.js';
import { whatsappHtml } from '../../whatsapp-format.js';
import { chatLine, chatLines } from './chat.js';
import { fieldValue, SHOWN } from './labels.js';
import { ageText, csrfField, layout, option, slaBadge, STATUS_SHORT, type ViewContext } from './layout.js';

export interface TicketPageView {
  ticket: Ticket;
  /** The partner whose registered WhatsApp number opened the ticket. */
  partner: KnownPartner | null;
  /** The satisfaction survey after it was resolved. */
  rating: TicketRating | null;
  /** The team's saved replies, filled in for this ticket. */
  replies: Array<{ id: number; title: string; text: string }>;
  attachments: TicketAttachment[];
  assigneeName: string | null;
  assignees: Array<{ id: number; name: string }>;
  history: HistoryItem[];
  others: Array<{ protocol: string; type: TicketType; status: TicketStatus; created_at: string; team: Team }>;
  conversation: ChatLine[] | null;
  templates: { resolved: string; rejected: string };
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
        <span class="pre">${whatsappHtml(String(d.text ?? ''))}</span>
        ${e.delivery ? html`<span class="delivery delivery-${e.delivery}">${DELIVERY_LABEL[e.delivery]}${e.deliveryError ? html`: ${e.deliveryError}` : ''}</span>` : ''}`;
    case 'rating':
      return html`Avaliação do cliente: <strong>${String(d.rating)}/5</strong>${d.comment ? html` <span class="pre">“${String(d.comment)}”</span>` : ''}`;
    case 'handoff_closed':
      return html`Atendimento humano encerrado: conversa devolvida ao bot`;
    default:
      return html`${e.kind} <code>${JSON.stringify(d)}</code>`;
  }
}

/** ★★★★☆ with the number for screen readers and in the text. */
export function stars(rating: number): Html {
  return html`<span class="stars" aria-hidden="true">${'★'.repeat(rating)}${'☆'.repeat(5 - rating)}</span> <strong>${String(rating)}/5</strong>`;
}

function ratingCard(ctx: ViewContext, r: TicketRating | null): Html | '' {
  if (!r) return '';
  const body = r.rating
    ? html`<p>${stars(r.rating)} <span class="muted">em ${formatDateTime(r.rated_at, ctx.timeZone)}</span></p>${r.comment ? html`<blockquote class="pre">${r.comment}</blockquote>` : html`<p class="muted">Sem comentário.</p>`}`
    : r.asked_at
      ? html`<p>Pesquisa enviada em ${formatDateTime(r.asked_at, ctx.timeZone)}; o cliente ainda não respondeu.</p>`
      : html`<p class="muted">Pesquisa não enviada: o cliente estava no meio de outra conversa com o bot.</p>`;
  return html`<section class="card" aria-labelledby="h-rating"><h2 id="h-rating">Avaliação do cliente</h2>${body}</section>`;
}

/** A message box with the WhatsApp preview beside it (bold rendered as the customer will see it). */
function compose(id: string, name: string, label: string, value: string, o: { rows: number; required?: boolean; replies: TicketPageView['replies'] }): Html {
  // The picker needs the script (it inserts at the cursor), so it shows only with it.
  const picker = o.replies.length
    ? html`<div class="picker" hidden><label for="${id}-saved">Resposta salva</label>
    <select id="${id}-saved">${html`<option value="">Escolha…</option>`}${o.replies.map((r) => html`<option value="${String(r.id)}" data-text="${r.text}">${r.title}</option>`)}</select>
    <button type="button" data-insert="${id}" data-from="${id}-saved">Inserir</button></div>`
    : '';
  return html`<div class="compose">
  <div class="compose-text"><label for="${id}">${label}</label>
  ${picker}
  <textarea id="${id}" name="${name}" rows="${String(o.rows)}" maxlength="4000" data-preview="${id}-preview"${o.required ? html` required` : ''}>${value}</textarea></div>
  <div class="compose-preview"><p class="preview-label" id="${id}-preview-label">Como o cliente vai ver no WhatsApp</p>
  <div class="wa-bubble pre" id="${id}-preview" aria-labelledby="${id}-preview-label">${value ? whatsappHtml(value) : html`<span class="placeholder">(vazia)</span>`}</div></div>
</div>`;
}

/** Whose a Pix key is, as far as the ticket tells: the buyer's own CPF/CNPJ, or someone to confirm at the bank. */
function pixHolder(v: unknown, t: Ticket): Html | '' {
  if (!v || typeof v !== 'object' || !('kind' in v) || !('value' in v)) return '';
  const key = v as { kind: string; value: string };
  if ((key.kind === 'cpf' || key.kind === 'cnpj') && t.document) {
    return key.value === t.document
      ? html` <span class="tag">titular: o comprador (mesmo CPF/CNPJ)</span>`
      : html` <span class="tag warn">não é o CPF/CNPJ do comprador: confira o titular</span>`;
  }
  return html` <span class="tag">confira o titular no banco</span>`;
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
</section>`;

  const closeCard = closed
    ? ''
    : html`<section class="card" aria-labelledby="h-close">
<h2 id="h-close">Encerrar o ticket</h2>
<form method="post" action="${base}/close" class="stack wide" id="close-form">${csrfField(ctx)}
  <fieldset>
    <legend>Encerrar com mensagem ao cliente (WhatsApp)</legend>
    <div class="radios">
      <label><input type="radio" name="outcome" value="resolved" checked data-template="${v.templates.resolved}"> Resolver</label>
      <label><input type="radio" name="outcome" value="rejected" data-template="${v.templates.rejected}"> Recusar</label>
    </div>
    ${compose('close-message', 'message', 'Mensagem (deixe em branco para não enviar)', v.templates.resolved, { rows: 8, replies: v.replies })}
    <button type="submit" class="primary">Encerrar e enviar</button>
  </fieldset>
</form>
</section>`;

  const conversation = v.conversation
    ? html`<section class="card" aria-labelledby="h-live">
<h2 id="h-live">Conversa ao vivo</h2>
<ol class="chat" id="live-chat" data-src="${base}/conversa" aria-live="polite" tabindex="0" aria-labelledby="h-live">${chatLines(ctx, v.conversation, base)}</ol>
${
  closed
    ? html`<p>Atendimento encerrado.</p>`
    : html`<form method="post" action="${base}/reply" class="stack wide">${csrfField(ctx)}
  ${compose('reply-text', 'text', 'Responder ao cliente', '', { rows: 4, required: true, replies: v.replies })}
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
<h1><span class="nowrap">${t.protocol}</span> · ${ctx.requests.title(t.type)}</h1>
<p class="summary"><span class="status status-${t.status}">${STATUS_SHORT[t.status]}</span> ${slaBadge(ctx, t)}
  <span>${
    closed && t.closed_at
      ? `${t.status === 'resolved' ? 'Resolvido' : 'Recusado'} em ${formatDateTime(t.closed_at, ctx.timeZone)} (${ageText(t, ctx.now)})`
      : `Aberto há ${ageText(t, ctx.now)}`
  }</span></p>
<div class="grid">
<section class="card" aria-labelledby="h-data">
<h2 id="h-data">Dados</h2>
<dl class="fields">
  <dt>Equipe</dt><dd>${TEAM_LABEL[t.team]}</dd>
  <dt>Status</dt><dd>${STATUS_LABEL[t.status]}</dd>
  <dt>Responsável</dt><dd>${v.assigneeName ?? '—'}</dd>
  <dt>Cliente</dt><dd>${t.contact_name ?? '—'}</dd>
  ${v.partner ? html`<dt>Parceiro</dt><dd>${v.partner.name} <span class="tag">parceiro Indique Certo, ${v.partner.id}</span></dd>` : ''}
  <dt>Telefone</dt><dd><span class="v">${formatPhone(t.phone ?? t.chat_id)}</span></dd>
  <dt>CPF/CNPJ</dt><dd><span class="v">${formatDocument(t.document) || '—'}</span></dd>
  <dt>E-mail</dt><dd><span class="v">${t.email ?? '—'}</span></dd>
  <dt>Pedido</dt><dd><span class="v">${t.order_number ?? '—'}</span></dd>
  ${'orderAmount' in data ? html`<dt>${ctx.requests.fieldLabel(t.type, 'orderAmount')}</dt><dd class="money">${fieldValue(data.orderAmount)}</dd>` : ''}
  ${'buyerName' in data ? html`<dt>${ctx.requests.fieldLabel(t.type, 'buyerName')}</dt><dd>${fieldValue(data.buyerName)}</dd>` : ''}
  <dt>Aberto em</dt><dd>${formatDateTime(t.created_at, ctx.timeZone)}</dd>
  <dt>Atualizado em</dt><dd>${formatDateTime(t.updated_at, ctx.timeZone)}</dd>
  ${t.closed_at ? html`<dt>Encerrado em</dt><dd>${formatDateTime(t.closed_at, ctx.timeZone)}</dd>` : ''}
  ${Object.entries(data).filter(([k]) => !SHOWN.has(k)).map(([k, val]) => html`<dt>${ctx.requests.fieldLabel(t.type, k)}</dt><dd><span class="v">${fieldValue(val, (code) => ctx.requests.valueLabel(t.type, k, code))}</span>${pixHolder(val, t)}</dd>`)}
</dl>
</section>
${actions}
</div>
${ratingCard(ctx, v.rating)}
${conversation}
${closeCard}
${v.attachments.length
  ? html`<section class="card" aria-labelledby="h-files">
<h2 id="h-files">Anexos enviados pelo cliente</h2>
<ul>${v.attachments.map((a) => html`<li><a href="${base}/anexos/${String(a.id)}" download>${a.fileName ?? `${a.kind === 'image' ? 'imagem' : 'arquivo'}-${a.id}`}</a> (${a.mimetype ?? a.kind}, ${Math.max(1, Math.round(a.size / 1024))} KB, ${formatDateTime(a.createdAt, ctx.timeZone)})</li>`)}</ul>
</section>`
  : ''}
<section class="card" aria-labelledby="h-excerpt">
<h2 id="h-excerpt">Trecho da conversa (quando o ticket foi aberto)</h2>
${excerpt.length ? html`<ol class="chat" tabindex="0" aria-labelledby="h-excerpt">${excerpt.map((m) => chatLine(ctx, { from: m.from === 'customer' ? 'customer' : 'bot', text: m.text, at: m.at }))}</ol>` : html`<p>Sem trecho.</p>`}
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
    ? html`<ul>${v.others.map((o) => html`<li><a href="/tickets/${o.protocol}">${o.protocol}</a> · ${ctx.requests.title(o.type)} · ${STATUS_SHORT[o.status]} · ${formatDateTime(o.created_at, ctx.timeZone)}</li>`)}</ul>`
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
