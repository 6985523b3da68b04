import type { Check, FormEnv, Values } from '../src/conversation/form.js';
import { documentStep, emailStep, orderStep } from '../src/conversation/steps.js';
import type { Order, Ticket } from '../src/db/schema.js';
import { defineRequest } from '../src/requests.js';
import { formatBrl, isMoney, money } from '../src/validation/money.js';

// Boleto atualizado (finance): the customer bought with a boleto, did not pay it in time, and
// needs a new one. Known orders are checked first: paid, card or Pix orders need no boleto.

/** The order this request is about, if the data we have confirms it belongs to this buyer. */
function knownOrder(v: Values, env: FormEnv): Order | undefined {
  if (typeof v.orderNumber === 'string') {
    const o = env.services.order(v.orderNumber);
    return o && o.document === v.document ? o : undefined;
  }
  if (typeof v.email === 'string') {
    const candidates = env.services.ordersOf({ document: String(v.document), email: v.email }).filter((o) => o.payment_method === 'boleto' && (o.payment_status === 'pendente' || o.payment_status === 'vencido'));
    return candidates.length === 1 ? candidates[0] : undefined;
  }
  return undefined;
}

/** Ends the flow without a ticket when a new boleto makes no sense for the order. */
function orderCheck(v: Values, env: FormEnv): Check {
  const o = knownOrder(v, env);
  if (!o) return { set: { verified: false, orderStatus: undefined, orderAmount: undefined, buyerName: undefined } };
  if (o.payment_status === 'pago') {
    return { finish: `O pagamento do pedido *${o.number}* já está *confirmado* ✅. O agendamento da videoconferência já está liberado: é só seguir pelo link enviado no e-mail da compra.` };
  }
  if (o.payment_status === 'estornado') {
    return { finish: `O pedido *${o.number}* foi *estornado*, então não há boleto a pagar. Para uma nova compra, use a página de vendas do seu parceiro. Digite *menu* para ver as opções.` };
  }
  if (o.payment_method !== 'boleto') {
    const how = o.payment_method === 'cartao' ? 'no *cartão de crédito*' : 'por *Pix*';
    return { finish: `O pedido *${o.number}* foi pago ${how}, então *boleto não se aplica* a ele. Se o pagamento não foi concluído, faça uma nova compra pela página de vendas. Digite *menu* para ver as opções.` };
  }
  return { set: { verified: true, orderNumber: o.number, orderStatus: o.payment_status, orderAmount: o.amount_cents !== null ? money(o.amount_cents) : undefined, buyerName: o.buyer_name ?? undefined } };
}

const firstName = (t: Ticket) => {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
};
const ofOrder = (t: Ticket) => (t.order_number ? ` do pedido *${t.order_number}*` : '');
const ofAmount = (t: Ticket) => {
  const amount = (JSON.parse(t.data) as { orderAmount?: unknown }).orderAmount;
  return isMoney(amount) ? `, no valor de *${formatBrl(amount.cents)}*,` : '';
};

export const boletoRenewal = defineRequest({
  id: 'boleto_renewal',
  team: 'finance',
  title: 'Boleto atualizado',
  called: 'pedido de boleto atualizado',
  menuTitle: 'Boleto atualizado (boleto vencido ou não pago)',
  menuShort: 'boleto',
  expectedTime: 'até 1 dia útil',
  slaHours: 4,
  cues: /\b(boleto (novo|atualizado|vencido|com (outra|nova) data)|(novo|outro|segunda via do|2a via do|2 via do) boleto|boleto\b.{0,40}\b(venc\w*|expir\w*|prazo|atualiz\w*|novo|outro))\b/,
  examples: [
    'quero um boleto atualizado',
    'me manda um boleto com vencimento novo',
    'preciso de outro boleto pra pagar, o meu venceu',
    'pode emitir um boleto novo pro meu cliente?',
    'solicito boleto atualizado do meu pedido',
    'quero a segunda via atualizada do boleto',
    'gera um novo boleto com outra data',
    'me envia o boleto de novo que eu pago hoje',
    'quero um boleto novo com data de hoje',
    'preciso do boleto atualizado do pedido do meu cliente',
  ],
  labels: { verified: 'Pedido conferido na base', orderStatus: 'Situação do pedido', orderAmount: 'Valor do pedido', buyerName: 'Nome do comprador (pedido)' },
  valueLabels: { orderStatus: { pendente: 'pendente', vencido: 'vencido' } },
  templates: {
    resolved: (t) =>
      `Olá${firstName(t)}! Seu boleto atualizado${ofOrder(t)}${ofAmount(t)} está pronto.\n\nLinha digitável: [cole aqui a linha digitável]\nLink: [cole aqui o link do boleto]\n\nDepois do pagamento, a compensação do boleto pode levar até 3 dias; o agendamento é liberado em seguida. Protocolo *${t.protocol}*.`,
    rejected: (t) => `Olá${firstName(t)}! Não conseguimos emitir um novo boleto${ofOrder(t)}: [motivo]. Protocolo *${t.protocol}*.`,
  },
  form: {
    summaryTitle: 'Confira o pedido de boleto atualizado:',
    intro: () => 'Vamos pedir o *boleto atualizado* ao nosso setor financeiro. Preciso de poucos dados. (Para desistir, digite *cancelar*.)',
    steps: [
      // "boleto do pedido 48213" then the CPF: the order is checked once both are known.
      { ...documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'), check: (v, env) => (typeof v.orderNumber === 'string' || typeof v.email === 'string' ? orderCheck(v, env) : undefined) },
      { ...orderStep({ allowUnknown: true }), check: (v, env) => (v.orderNumber ? orderCheck(v, env) : undefined) },
      {
        ...emailStep('email', 'E-mail da compra', 'Sem problemas. Qual foi o *e-mail* usado na compra?'),
        skip: (v) => !v.orderUnknown,
        check: (v, env) => (v.orderUnknown ? orderCheck(v, env) : undefined),
      },
    ],
    duplicate: (v, env) =>
      typeof v.orderNumber === 'string' ? env.services.openTicketForOrder('boleto_renewal', v.orderNumber) : env.services.openTicketForChat('boleto_renewal', env.chatId),
    ticket: (v) => ({
      orderNumber: (v.orderNumber as string | null) ?? null,
      document: String(v.document),
      email: (v.email as string | undefined) ?? null,
      data: {
        document: v.document, orderNumber: v.orderNumber ?? null, email: v.email ?? null, verified: v.verified === true, orderStatus: v.orderStatus ?? null,
        orderAmount: v.orderAmount ?? null, buyerName: v.buyerName ?? null,
      },
    }),
    confirmation: (v) => (v.verified ? null : '(Não localizei o pedido nos nossos dados; a equipe vai conferir antes de emitir o boleto.)'),
  },
});
