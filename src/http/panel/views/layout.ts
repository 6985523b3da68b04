import type { StaffUser, Team, Ticket, TicketStatus, TicketType } from '../../../db/schema.js';
import type { RequestRegistry } from '../../../requests.js';
import { maskPhone } from '../../../staff/format.js';
import { SLA_LABEL, slaLevel, type SlaClock, calendarClock } from '../../../staff/sla.js';
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
}

export const STATUS_SHORT: Record<TicketStatus, string> = { open: 'Aberto', in_progress: 'Em andamento', resolved: 'Resolvido', rejected: 'Recusado' };
export const TEAM_SHORT: Record<Team, string> = { finance: 'Financeiro', support: 'Suporte' };

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
    ${u.role === 'admin' ? html`<li><a href="/visao-geral">Visão geral</a></li><li><a href="/usuarios">Usuários</a></li><li><a href="/perguntas">Perguntas não respondidas</a></li>` : ''}
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

export function customerLabel(t: { contact_name: string | null; phone: string | null; chat_id: string }): string {
  return t.contact_name?.trim() || maskPhone(t.phone ?? t.chat_id) || '—';
}

export function slaBadge(ctx: ViewContext, t: Pick<Ticket, 'type' | 'team' | 'status' | 'created_at'>): Html {
  const level = slaLevel(t, ctx.slaHours, ctx.now, ctx.sla);
  return html`<span class="sla sla-${level}" title="Meta: ${ctx.slaHours[t.type]} h${ctx.sla && ctx.sla !== calendarClock ? ' úteis' : ''}">${SLA_LABEL[level]}</span>`;
}

export function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}
