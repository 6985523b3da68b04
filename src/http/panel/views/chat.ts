import { DELIVERY_LABEL, type ChatLine } from '../../../staff/detail.js';
import { formatDateTime } from '../../../staff/format.js';
import { html, type Html } from '../../html.js';
import { whatsappHtml } from '../../whatsapp-format.js';
import type { ViewContext } from './layout.js';

export function chatLine(ctx: ViewContext, m: ChatLine, base?: string): Html {
  return html`<li class="msg msg-${m.from}"><span class="who">${m.from === 'customer' ? 'Cliente' : 'Bot/equipe'}</span>
<span class="pre">${whatsappHtml(m.text)}</span>${m.attachmentId && base ? html` <a href="${base}/anexos/${String(m.attachmentId)}" download>baixar arquivo</a>` : ''}
<time datetime="${m.at}">${formatDateTime(m.at, ctx.timeZone)}</time>${m.delivery ? html` <span class="delivery delivery-${m.delivery}">${DELIVERY_LABEL[m.delivery]}</span>` : ''}</li>`;
}

export function chatLines(ctx: ViewContext, lines: ChatLine[], base?: string): Html {
  return html`${lines.map((m) => chatLine(ctx, m, base))}`;
}
