import type { StaffUser, Team, Ticket, TicketStatus, TicketType } from '../../../db/schema.js';
import type { RequestRegistry } from '../../../requests.js';
import { maskPhone } from '../../../staff/format.js';
import { SLA_LABEL, formatAge, slaDeadlines, type SlaClock, type SlaLevel, calendarClock } from '../../../staff/sla.js';
import { ROLE_LABEL } from '../../../staff/users.js';
import { html, type Html } from '../../html.js';

// Server-rendered pages of the staff panel (pt-BR), one module per page; this one holds the
// layout and the helpers the pages share. Values go through html`` (escaped); the only script
// is /static/panel.js (CSP: no inline scripts, no inline styles).

export interface ViewContext {
  user?: StaffUser;
  csrf?: string;
  timeZone: string;
  now: number;
  slaHours: Record<TicketType, number>;
  sla?: SlaClock;
  /** The registered request types: how each ticket type and its fields read. */
  requests: RequestRegistry;
  /** Open and in-progress tickets of the user's teams (the header and the tab title show them). */
  waiting?: { open: number; in_progress: number };
}

export const STATUS_SHORT: Record<TicketStatus, string> = { open: 'Aberto', in_progress: 'Em andamento', resolved: 'Resolvido', rejected: 'Recusado' };
export const TEAM_SHORT: Record<Team, string> = { finance: 'Financeiro', support: 'Suporte' };

export function csrfField(ctx: ViewContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

export function layout(ctx: ViewContext, title: string, body: Html, opts: { flash?: string; error?: string; scripts?: string[] } = {}): string {
  const u = ctx.user;
  const nav = u
    ? html`<nav class="top" aria-label="Navegação principal">
  <a class="brand" href="/fila">Indique Certo · Painel</a>
  <ul>
    <li><a href="/fila">Fila${ctx.waiting ? html` <span class="waiting" id="waiting" aria-live="off"><span class="w-open"><span data-n>${String(ctx.waiting.open)}</span> ${ctx.waiting.open === 1 ? 'aberto' : 'abertos'}</span> <span class="w-progress"><span data-n>${String(ctx.waiting.in_progress)}</span> em andamento</span></span>` : ''}</a></li>
    <li><a href="/conta">Minha conta</a></li>
    ${u.role === 'admin' ? html`<li><a href="/visao-geral">Visão geral</a></li><li><a href="/whatsapp/">WhatsApp</a></li><li><a href="/respostas">Respostas salvas</a></li><li><a href="/avaliacoes">Avaliações</a></li><li><a href="/usuarios">Usuários</a></li><li><a href="/perguntas">Perguntas não respondidas</a></li>` : ''}
  </ul>
  <button type="button" class="link notify-toggle" id="notify-toggle" hidden aria-pressed="false">Avisar novos tickets</button>
  <span class="who">${u.name} <small>(${ROLE_LABEL[u.role]})</small></span>
  <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">Sair</button></form>
</nav>`
    : html`<nav class="top" aria-label="Navegação principal"><span class="brand">Indique Certo · Painel</span></nav>`;
  return html`<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ctx.waiting?.open ? `(${ctx.waiting.open}) ` : ''}${title} · Painel Indique Certo</title>
<link rel="stylesheet" href="/static/panel.css">
<script src="/static/panel.js" defer></script>
${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>
`)}
</head>
<body${u ? html` data-live="/fila/eventos" data-server-now="${new Date(ctx.now).toISOString()}" data-title="${title} · Painel Indique Certo"` : ''}>
<a class="skip" href="#main">Pular para o conteúdo</a>
${u ? html`<div class="live-note" id="live-note" role="status" aria-live="polite"></div>` : ''}
<header>${nav}</header>
<main id="main" tabindex="-1">
${opts.flash ? html`<p class="flash ok" role="status">${opts.flash}</p>` : ''}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : ''}
${body}
</main>
</body>
</html>`.value;
}

/** Who wrote: the WhatsApp name, a partner's registered name, or (nothing else known) the masked phone. */
export function customerLabel(t: { contact_name: string | null; phone: string | null; chat_id: string }, partner?: { name: string }): Html {
  const name = t.contact_name?.trim();
  if (partner) return html`${name ? `${name} · ` : ''}${partner.name} <span class="tag">parceiro</span>`;
  return html`${name || maskPhone(t.phone ?? t.chat_id) || '—'}`;
}

/** How long a ticket has been open, or how long it took once closed (`createdMs`: its creation, when already parsed). */
export function ageText(t: Pick<Ticket, 'created_at' | 'closed_at' | 'status'>, now: number, createdMs = Date.parse(t.created_at)): string {
  if ((t.status === 'resolved' || t.status === 'rejected') && t.closed_at) return `levou ${formatAge(createdMs, Date.parse(t.closed_at))}`;
  return formatAge(createdMs, now);
}

const isoOrEmpty = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');

/**
 * The SLA colour; an open ticket carries the instants it turns amber and red, so the page turns
 * it by itself. The colour is read off those same instants (what slaLevel computes, without
 * counting the business hours a second time).
 */
export function slaBadge(ctx: ViewContext, t: Pick<Ticket, 'type' | 'team' | 'status' | 'created_at' | 'protocol'>, createdMs = Date.parse(t.created_at)): Html {
  const d = slaDeadlines(t, ctx.slaHours, ctx.sla, createdMs);
  const level: SlaLevel = !d ? 'done' : ctx.now >= d.lateAt ? 'late' : ctx.now >= d.warnAt ? 'warn' : 'ok';
  return html`<span class="sla sla-${level}" title="Meta: ${ctx.slaHours[t.type]} h${ctx.sla && ctx.sla !== calendarClock ? ' úteis' : ''}"${
    d && level !== 'late' ? html` data-warn-at="${isoOrEmpty(d.warnAt)}" data-late-at="${isoOrEmpty(d.lateAt)}" data-protocol="${t.protocol}"` : ''
  }>${SLA_LABEL[level]}</span>`;
}

export function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}
