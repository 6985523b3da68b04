import { createFormMachine, type Check, type FormDefinition, type FormEnv, type Values } from '../src/conversation/form.js';
import { documentStep, emailStep, orderStep } from '../src/conversation/steps.js';
import type { FlowDefinition } from '../src/conversation/flow.js';
import type { Order } from '../src/db/schema.js';
import type { FlowServices } from '../src/tickets/services.js';
import { ticketAlreadyOpenText, ticketOpenedText } from '../src/tickets/tickets.js';

// Boleto atualizado (finance): the customer bought with a boleto, did not pay it in time, and
// needs a new one. Known orders are checked first: paid, card or Pix orders need no boleto.

type Env = FormEnv<FlowServices>;

/** The order this request is about, if the data we have confirms it belongs to this buyer. */
function knownOrder(v: Values, env: Env): Order | undefined {
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
function orderCheck(v: Values, env: Env): Check {
  const o = knownOrder(v, env);
  if (!o) return { set: { verified: false, orderStatus: undefined } };
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
  return { set: { verified: true, orderNumber: o.number, orderStatus: o.payment_status } };
}

export const boletoRenewalForm: FormDefinition<FlowServices> = {
  id: 'boleto_renewal',
  team: 'finance',
  summaryTitle: 'Confira o pedido de boleto atualizado:',
  intro: () => 'Vamos pedir o *boleto atualizado* ao nosso setor financeiro. Preciso de poucos dados. (Para desistir, digite *cancelar*.)',
  steps: [
    // "boleto do pedido 48213" then the CPF: the order is checked once both are known.
    { ...documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'), check: (v, env) => (typeof v.orderNumber === 'string' || typeof v.email === 'string' ? orderCheck(v, env) : undefined) },
    { ...orderStep({ allowUnknown: true }), check: (v, env) => (v.orderNumber ? orderCheck(v, env) : undefined) },
    {
      ...emailStep('email', 'E-mail da compra', 'Sem problemas. Qual foi o *e-mail* usado na compra?'),
      skip: (v) => !v.orderUnknown,
      check: (v, env) => orderCheck(v, env),
    },
  ],
  duplicate: (v, env) => {
    const open = typeof v.orderNumber === 'string' ? env.services.openTicketForOrder('boleto_renewal', v.orderNumber) : env.services.openTicketForChat('boleto_renewal', env.chatId);
    return open ? ticketAlreadyOpenText(open) : null;
  },
  submit: (v, env) => {
    const t = env.services.openTicket({
      type: 'boleto_renewal',
      chatId: env.chatId,
      orderNumber: (v.orderNumber as string | null) ?? null,
      document: String(v.document),
      email: (v.email as string | undefined) ?? null,
      data: { document: v.document, orderNumber: v.orderNumber ?? null, email: v.email ?? null, verified: v.verified === true, orderStatus: v.orderStatus ?? null },
      now: env.now,
    });
    const note = v.verified ? '' : '\n(Não localizei o pedido nos nossos dados; a equipe vai conferir antes de emitir o boleto.)';
    return ticketOpenedText(t, env.services.pickup('finance', env.now)) + note;
  },
};

export function boletoRenewalFlow(services: FlowServices): FlowDefinition {
  return { id: 'boleto_renewal', menuTitle: 'Boleto atualizado (boleto vencido ou não pago)', machine: createFormMachine(boletoRenewalForm, services) };
}
