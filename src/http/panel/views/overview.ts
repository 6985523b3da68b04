import type { Overview, Period } from '../../../staff/overview.js';
import { html, type Html } from '../../html.js';
import { calendarClock } from '../../../staff/sla.js';
import { layout, type ViewContext } from './layout.js';

// "Visão geral" (admins): charts drawn here as SVG, on the server, with the panel's CSS classes
// for colours (no chart library, no CDN, no script). Each chart has its numbers in a table for
// screen readers.

const W = 640;

const fmtInt = (n: number) => n.toLocaleString('pt-BR');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toLocaleString('pt-BR', { maximumFractionDigits: 1 })} %`);
const hours = (h: number | null) => (h === null ? '—' : h < 1 ? `${Math.round(h * 60)} min` : `${h.toLocaleString('pt-BR', { maximumFractionDigits: 1 })} h`);

/** A rounded maximum for the axis (1, 2, 5 × 10^n). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

/** Vertical bars over time, with a few labels on the x axis. */
function columnChart(id: string, title: string, points: Array<{ label: string; value: number }>, everyLabel: number): Html {
  const H = 200;
  const left = 40;
  const bottom = 24;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const slot = (W - left - 8) / Math.max(1, points.length);
  const y = (v: number) => H - bottom - (v / max) * (H - bottom - 10);
  return html`<figure class="chart">
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t" class="chart-svg" preserveAspectRatio="xMidYMid meet">
<title id="${id}-t">${title}</title>
${[0, 0.5, 1].map((f) => html`<line x1="${left}" x2="${W - 4}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" class="grid-line"/><text x="${left - 6}" y="${(y(max * f) + 4).toFixed(1)}" class="axis" text-anchor="end">${fmtInt(max * f)}</text>`)}
${points.map(
  (p, i) => html`<rect x="${(left + i * slot + slot * 0.15).toFixed(1)}" y="${y(p.value).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(H - bottom - y(p.value)).toFixed(1)}" class="bar"><title>${p.label}: ${fmtInt(p.value)}</title></rect>${
    i % everyLabel === 0 ? html`<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${H - 6}" class="axis" text-anchor="middle">${p.label}</text>` : ''
  }`,
)}
</svg>
<figcaption>${title}</figcaption>
</figure>
<table class="sr-only"><caption>${title}</caption><tbody>${points.map((p) => html`<tr><th scope="row">${p.label}</th><td>${fmtInt(p.value)}</td></tr>`)}</tbody></table>`;
}

/** Horizontal bars with their labels (rankings). */
function barList(id: string, title: string, rows: Array<{ label: string; value: number; note?: string }>): Html {
  if (!rows.length) return html`<p class="empty">Nada no período.</p>`;
  const rowH = 26;
  const BW = 440; // drawn for a half-width card
  const labelW = 205;
  const H = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const width = (v: number) => ((BW - labelW - 50) * v) / max;
  return html`<figure class="chart">
<svg viewBox="0 0 ${BW} ${H}" role="img" aria-labelledby="${id}-t" class="chart-svg">
<title id="${id}-t">${title}</title>
${rows.map(
  (r, i) => html`<text x="${labelW - 8}" y="${i * rowH + 18}" class="label" text-anchor="end">${r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label}</text>
<rect x="${labelW}" y="${i * rowH + 5}" width="${Math.max(1, width(r.value)).toFixed(1)}" height="${rowH - 10}" class="bar"><title>${r.label}: ${fmtInt(r.value)}</title></rect>
<text x="${(labelW + width(r.value) + 6).toFixed(1)}" y="${i * rowH + 18}" class="value">${fmtInt(r.value)}${r.note ? ` ${r.note}` : ''}</text>`,
)}
</svg>
</figure>
<table class="sr-only"><caption>${title}</caption><tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${fmtInt(r.value)}</td></tr>`)}</tbody></table>`;
}

export interface OverviewView {
  data: Overview;
  /** The question an FAQ entry (or request label) answers, as staff read it. */
  entryLabel(entry: string): string;
}

export function overviewPage(ctx: ViewContext, v: OverviewView): string {
  const d = v.data;
  const tz = ctx.timeZone;
  const label = (iso: string) =>
    d.period === '24h'
      ? new Intl.DateTimeFormat('pt-BR', { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso))
      : new Intl.DateTimeFormat('pt-BR', { timeZone: tz, day: '2-digit', month: '2-digit' }).format(Date.parse(iso));
  const total = d.buckets.reduce((n, b) => n + b.messages, 0);
  const tab = (p: Period, text: string) => (p === d.period ? html`<strong aria-current="page">${text}</strong>` : html`<a href="/visao-geral?periodo=${p}">${text}</a>`);
  const breaches = d.tickets.reduce((n, t) => n + t.breaches, 0);
  return layout(
    ctx,
    'Visão geral',
    html`<h1>Visão geral</h1>
<nav class="period" aria-label="Período">${tab('24h', 'Últimas 24 horas')} · ${tab('30d', 'Últimos 30 dias')}</nav>
<div class="kpis">
  <p class="kpi"><span class="kpi-value">${fmtInt(total)}</span> mensagens recebidas</p>
  <p class="kpi"><span class="kpi-value">${pct(d.unansweredRate)}</span> perguntas sem resposta</p>
  <p class="kpi"><span class="kpi-value">${pct(d.askBackRate)}</span> perguntas com “Você quis dizer…?”</p>
  <p class="kpi"><span class="kpi-value">${fmtInt(breaches)}</span> tickets fora do prazo (SLA)</p>
</div>
<section class="card" aria-labelledby="h-msgs"><h2 id="h-msgs">Mensagens por ${d.period === '24h' ? 'hora' : 'dia'}</h2>
${columnChart('c-msgs', `Mensagens recebidas por ${d.period === '24h' ? 'hora' : 'dia'}`, d.buckets.map((b) => ({ label: label(b.start), value: b.messages })), d.period === '24h' ? 3 : 5)}
</section>
<div class="grid">
<section class="card" aria-labelledby="h-top"><h2 id="h-top">Perguntas mais respondidas</h2>
${barList('c-top', 'Perguntas mais respondidas pelo bot', d.topQuestions.map((q) => ({ label: v.entryLabel(q.entry), value: q.n })))}
<p class="note">Sem resposta: ${fmtInt(d.decisions.none)} · “Você quis dizer…?”: ${fmtInt(d.decisions.clarify)} · respondidas: ${fmtInt(d.decisions.answer)}. Mensagens de menu e respostas dentro de uma solicitação não entram nessas taxas.</p>
</section>
<section class="card" aria-labelledby="h-tickets"><h2 id="h-tickets">Tickets abertos por tipo</h2>
${barList('c-tickets', 'Tickets abertos por tipo', d.tickets.filter((t) => t.opened > 0).map((t) => ({ label: ctx.requests.title(t.type), value: t.opened })))}
</section>
</div>
<section class="card" aria-labelledby="h-sla"><h2 id="h-sla">Tempo de resolução e prazos</h2>
${
  d.tickets.length
    ? html`<table><thead><tr><th scope="col">Tipo</th><th scope="col">Abertos</th><th scope="col">Encerrados</th><th scope="col">Mediana até encerrar${ctx.sla && ctx.sla !== calendarClock ? ' (horas úteis)' : ''}</th><th scope="col">Meta</th><th scope="col">Fora do prazo</th></tr></thead><tbody>
${d.tickets.map(
  (t) => html`<tr><td data-label="Tipo">${ctx.requests.title(t.type)}</td><td data-label="Abertos">${fmtInt(t.opened)}</td><td data-label="Encerrados">${fmtInt(t.closed)}</td><td data-label="Mediana">${hours(t.medianHours)}</td><td data-label="Meta">${ctx.slaHours[t.type] !== undefined ? `${ctx.slaHours[t.type]} h` : '—'}</td><td data-label="Fora do prazo">${fmtInt(t.breaches)}</td></tr>`,
)}</tbody></table>`
    : html`<p class="empty">Nenhum ticket no período.</p>`
}
<p class="note">Fora do prazo: encerrados depois da meta, ou ainda abertos e já passados dela. Horas contadas no horário de atendimento de cada equipe.</p>
</section>`,
  );
}
