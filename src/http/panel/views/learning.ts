import type { UnansweredKind } from '../../../db/schema.js';
import type { KnowledgeBase } from '../../../faq/knowledge.js';
import type { UnansweredGroup } from '../../../learning/service.js';
import { formatDateTime } from '../../../staff/format.js';
import { html, type Html } from '../../html.js';
import { csrfField, layout, type ViewContext } from './layout.js';

// "Perguntas não respondidas" (admins): what the bot did not answer, grouped, and the three
// ways to teach it from a group.

const KIND_LABEL: Record<UnansweredKind, string> = {
  declined: 'o bot não soube responder',
  'clarify-unresolved': 'perguntou "Você quis dizer" e a pessoa não escolheu',
  'not-this': '"não era isso" depois de uma resposta',
  'handover-after-miss': 'pediu atendente depois de uma resposta que não ajudou',
};

export interface LearningView {
  groups: UnansweredGroup[];
  open: number;
  writtenDown: Array<{ question: string; texts: string[]; at: string }>;
  kb: KnowledgeBase;
  /** How a label reads for staff (entry short title, request title, out-of-scope topic title). */
  labelOf: (label: string) => string;
}

function entrySelect(kb: KnowledgeBase, id: string, selected: string | undefined): Html {
  return html`<select id="${id}" name="entry" required>
  <option value="">Escolha a pergunta do FAQ…</option>
  ${kb.categories.map(
    (c) => html`<optgroup label="${c.title}">${c.entries.map((e) => html`<option value="${e.id}"${e.id === selected ? html` selected` : ''}>${e.short}</option>`)}</optgroup>`,
  )}
</select>`;
}

function topicSelect(kb: KnowledgeBase, id: string, selected: string | undefined): Html {
  return html`<select id="${id}" name="topic">
  <option value="">Sem tema</option>
  ${kb.outOfScope.map((t) => html`<option value="${t.id}"${t.id === selected ? html` selected` : ''}>${t.title}</option>`)}
</select>`;
}

function groupCard(ctx: ViewContext, v: LearningView, g: UnansweredGroup, n: number): Html {
  const ids = g.ids.join(',');
  const firstEntry = g.guesses.find((x) => v.kb.entries.has(x));
  const firstTopic = g.guesses.find((x) => x.startsWith('fora-do-escopo/'))?.slice('fora-do-escopo/'.length);
  const people = g.people === 1 ? '1 pessoa' : `${g.people} pessoas`;
  const messages = g.count === 1 ? '1 mensagem' : `${g.count} mensagens`;
  return html`<section class="card group" aria-labelledby="g${n}-h">
  <h2 id="g${n}-h">${messages} de ${people}</h2>
  <p class="count">Última em <time datetime="${g.lastAt}">${formatDateTime(g.lastAt, ctx.timeZone)}</time> · ${g.kinds.map((k) => KIND_LABEL[k]).join('; ')}</p>
  <ul class="quotes">${g.texts.map((t) => html`<li><q>${t}</q></li>`)}</ul>
  ${g.count > g.texts.length ? html`<p class="count">e mais ${g.count - g.texts.length} parecida(s).</p>` : ''}
  <p><strong>O bot pensou em:</strong> ${g.guesses.length ? g.guesses.map((x) => v.labelOf(x)).join(' · ') : 'nada parecido'}</p>
  <div class="teach">
    <form method="post" action="/perguntas/ensinar" class="stack">${csrfField(ctx)}<input type="hidden" name="ids" value="${ids}">
      <label for="g${n}-entry">É esta pergunta do FAQ</label>${entrySelect(v.kb, `g${n}-entry`, firstEntry)}
      <button type="submit" class="primary">Ensinar o bot</button>
    </form>
    <form method="post" action="/perguntas/fora-do-escopo" class="stack">${csrfField(ctx)}<input type="hidden" name="ids" value="${ids}">
      <label for="g${n}-topic">Fora do escopo (o bot oferece uma pessoa)</label>${topicSelect(v.kb, `g${n}-topic`, firstTopic)}
      <button type="submit">Marcar como fora do escopo</button>
    </form>
    <form method="post" action="/perguntas/anotar" class="stack">${csrfField(ctx)}<input type="hidden" name="ids" value="${ids}">
      <label for="g${n}-q">Pergunta nova para acrescentar ao FAQ</label><input id="g${n}-q" name="question" required minlength="5" maxlength="300" value="${g.texts[0] ?? ''}">
      <button type="submit">Anotar pergunta nova</button>
    </form>
    <form method="post" action="/perguntas/descartar" class="inline">${csrfField(ctx)}<input type="hidden" name="ids" value="${ids}">
      <button type="submit" class="link">Descartar (teste, engano)</button>
    </form>
  </div>
</section>`;
}

export function learningPage(ctx: ViewContext, v: LearningView, flash?: string, error?: string): string {
  const groups = v.groups.length === 1 ? '1 grupo' : `${v.groups.length} grupos`;
  return layout(
    ctx,
    'Perguntas não respondidas',
    html`<h1>Perguntas não respondidas</h1>
<p>Mensagens que o bot não soube responder, agrupadas por semelhança, com os palpites dele. Para cada grupo: ligue a uma pergunta do FAQ (as mensagens viram exemplos e o bot aprende na hora, sem reiniciar), marque como fora do escopo ou anote como pergunta nova. Os dados pessoais já chegam aqui mascarados.</p>
<p class="count">${v.open} ${v.open === 1 ? 'mensagem aberta' : 'mensagens abertas'} em ${groups}.</p>
${v.groups.length ? v.groups.map((g, i) => groupCard(ctx, v, g, i + 1)) : html`<p class="empty">Nenhuma pergunta sem resposta por enquanto.</p>`}
<section class="card" aria-labelledby="h-written"><h2 id="h-written">Perguntas anotadas para acrescentar ao FAQ</h2>
${
  v.writtenDown.length
    ? html`<ul class="notes">${v.writtenDown.map((w) => html`<li><span class="note-label">${w.question}</span> <small>(${formatDateTime(w.at, ctx.timeZone)})</small><ul class="quotes">${w.texts.slice(0, 5).map((t) => html`<li><q>${t}</q></li>`)}</ul></li>`)}</ul>`
    : html`<p>Nenhuma por enquanto.</p>`
}
<p>Para levar os exemplos aprendidos aos arquivos do FAQ (e ao controle de versão): <code>npm run bot -- faq export-learned</code>, depois <code>npm run bot -- faq check</code>.</p>
</section>`,
    { flash, error },
  );
}
