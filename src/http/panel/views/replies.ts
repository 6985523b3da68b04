import type { SavedReply, Team } from '../../../db/schema.js';
import { MAX_TEXT, MAX_TITLE } from '../../../staff/replies.js';
import { html } from '../../html.js';
import { whatsappHtml } from '../../whatsapp-format.js';
import { csrfField, layout, option, TEAM_SHORT, type ViewContext } from './layout.js';

/** Admins: the saved replies of each team (title + WhatsApp text), added, edited and removed here. */
export function repliesPage(ctx: ViewContext, replies: SavedReply[], flash?: string, error?: string): string {
  const teams: Team[] = ['finance', 'support'];
  const form = (r: SavedReply | undefined, id: string) => html`<form method="post" action="${r ? `/respostas/${r.id}` : '/respostas'}" class="stack wide">${csrfField(ctx)}
  <label for="${id}-team">Equipe</label>
  <select id="${id}-team" name="team">${teams.map((t) => option(t, TEAM_SHORT[t], r?.team ?? ''))}</select>
  <label for="${id}-title">Título (como aparece na lista)</label>
  <input id="${id}-title" name="title" maxlength="${String(MAX_TITLE)}" required value="${r?.title ?? ''}">
  <label for="${id}-text">Texto (formatação do WhatsApp: *negrito*, _itálico_; {nome} e {protocolo} são preenchidos)</label>
  <textarea id="${id}-text" name="text" rows="5" maxlength="${String(MAX_TEXT)}" required data-preview="${id}-preview">${r?.text ?? ''}</textarea>
  <p class="preview-label" id="${id}-preview-label">Como o cliente vai ver no WhatsApp</p>
  <div class="wa-bubble pre" id="${id}-preview" aria-labelledby="${id}-preview-label">${r ? whatsappHtml(r.text) : html`<span class="placeholder">(vazia)</span>`}</div>
  <button type="submit" class="primary">${r ? 'Salvar alterações' : 'Adicionar resposta'}</button>
</form>`;
  return layout(
    ctx,
    'Respostas salvas',
    html`<h1>Respostas salvas</h1>
<p class="hint">Textos que a equipe insere nas mensagens ao cliente, pelo seletor ao lado da caixa de mensagem.</p>
${teams.map((team) => {
  const mine = replies.filter((r) => r.team === team);
  return html`<section class="card" aria-labelledby="h-${team}"><h2 id="h-${team}">${TEAM_SHORT[team]}</h2>
${
  mine.length
    ? mine.map(
        (r) => html`<details class="reply"><summary>${r.title}</summary>
${form(r, `r${r.id}`)}
<form method="post" action="/respostas/${r.id}/remover" class="inline">${csrfField(ctx)}<button type="submit">Remover “${r.title}”</button></form>
</details>`,
      )
    : html`<p>Nenhuma resposta salva.</p>`
}
</section>`;
})}
<section class="card" aria-labelledby="h-new"><h2 id="h-new">Nova resposta</h2>${form(undefined, 'new')}</section>`,
    { flash, error },
  );
}
