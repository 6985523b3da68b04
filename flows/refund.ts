import { createFormMachine, type Check, type FormDefinition, type FormEnv, type Values } from '../src/conversation/form.js';
import type { FlowDefinition } from '../src/conversation/flow.js';
import { choiceStep, dateStep, documentStep, orderStep, pixStep, textStep, yesNoStep } from '../src/conversation/steps.js';
import { fold } from '../src/nlu/spelling.js';
import type { FlowServices } from '../src/tickets/services.js';
import { ticketAlreadyOpenText, ticketOpenedText } from '../src/tickets/tickets.js';
import { compareLocalDate, formatDatePtBr, localDateOf, type LocalDate } from '../src/validation/datetime.js';

// Estorno (finance). The seed's policy: the customer may withdraw within 7 calendar days of the
// purchase, before the certificate is issued; when the videoconference showed the certificate
// cannot be issued (e.g. "Perfis Diferentes"), the refund is due regardless of the 7 days.
// Requests outside the policy can still be registered for analysis, marked as such.

type Env = FormEnv<FlowServices>;
const WITHDRAWAL_DAYS = 7;

type Reason = 'desistencia' | 'videoconferencia' | 'outro';

function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** Purchase date and issuance from the order data when known, else from the answers. */
function facts(v: Values): { purchased: LocalDate | null; issued: boolean | null } {
  const purchased = typeof v.orderPurchasedAt === 'string' ? localDateOf(new Date(v.orderPurchasedAt)) : ((v.purchaseDate as LocalDate | undefined) ?? null);
  const issued = typeof v.orderIssued === 'boolean' ? v.orderIssued : typeof v.issued === 'boolean' ? v.issued : null;
  return { purchased, issued };
}

export function refundPolicy(v: Values, now: Date): { within: boolean; why: string } {
  const reason = v.reason as Reason;
  if (reason === 'videoconferencia') return { within: true, why: 'videoconferência constatou que a emissão não é possível' };
  if (reason === 'outro') return { within: false, why: 'o motivo informado não é desistência nem emissão impossível' };
  const { purchased, issued } = facts(v);
  if (issued) return { within: false, why: 'o certificado já foi emitido' };
  if (purchased && daysBetween(purchased, localDateOf(now)) > WITHDRAWAL_DAYS) {
    return { within: false, why: `a compra foi em ${formatDatePtBr(purchased)}, há mais de ${WITHDRAWAL_DAYS} dias corridos` };
  }
  return { within: true, why: `desistência em até ${WITHDRAWAL_DAYS} dias corridos, antes da emissão` };
}

function orderCheck(v: Values, env: Env): Check {
  // Forget what a previous order told us (the document or the number was just corrected).
  const unverified = { verified: false, orderPurchasedAt: undefined, orderIssued: undefined, ...(v.verified === true ? { paymentMethod: undefined } : {}) };
  if (typeof v.orderNumber !== 'string' || typeof v.document !== 'string') return { set: unverified };
  const o = env.services.order(v.orderNumber);
  if (!o || o.document !== v.document) return { set: unverified };
  if (o.payment_status === 'estornado') return { finish: `O pedido *${o.number}* já consta como *estornado* ✅. Se o valor ainda não apareceu, aguarde o prazo do seu banco ou digite *atendente*.` };
  return { set: { verified: true, paymentMethod: o.payment_method, orderPurchasedAt: o.purchased_at, orderIssued: o.issued_at !== null } };
}

const needsFacts = (v: Values) => v.reason === 'desistencia' && v.verified !== true;

export const refundForm: FormDefinition<FlowServices> = {
  id: 'refund',
  team: 'finance',
  acceptsAttachments: true,
  summaryTitle: 'Confira o pedido de estorno:',
  intro: () =>
    'Vamos registrar o pedido de *estorno* para o nosso setor financeiro. Se tiver comprovante ou print, pode mandar a foto ou o PDF a qualquer momento. (Para desistir, digite *cancelar*.)',
  steps: [
    {
      ...choiceStep('requester', 'Quem pede', 'Quem está pedindo o estorno?', [
        { value: 'cliente', label: 'Sou o cliente (comprador)', words: /\b(cliente|comprador|eu mesm[oa]|eu comprei)\b/ },
        { value: 'parceiro', label: 'Sou o parceiro Indique Certo', words: /\b(parceir[oa]|revend|indique certo)\b/ },
      ]),
      prefill: (_f, text, _v, env) => (env.services.partnerByPhone(env.services.contact(env.chatId).phone) || /\b(meu|minha) client/.test(fold(text)) ? 'parceiro' : undefined),
    },
    // The order is checked once both the buyer's document and the number are known, whichever comes last.
    { ...documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'), check: (v, env) => (v.orderNumber !== undefined ? orderCheck(v, env) : undefined) },
    { ...orderStep({ allowUnknown: true }), check: orderCheck },
    {
      ...choiceStep<FlowServices, Reason>('reason', 'Motivo', 'Qual o motivo do estorno?', [
        { value: 'desistencia', label: 'Desisti da compra', words: /\b(desist|arrepend|nao quero mais|mudei de ideia)/ },
        { value: 'videoconferencia', label: 'A videoconferência não permitiu a emissão (ex.: perfis diferentes)', words: /\b(video|perfis|perfil|foto|emissao|presencial|reprov)/ },
        { value: 'outro', label: 'Outro motivo', words: /\boutr[oa]\b/ },
      ]),
      prefill: (_f, text) => {
        const t = fold(text);
        if (/perfis diferentes|perfil diferente|nao (foi possivel|deu pra|consegui|conseguiu) emitir|so presencial|foto nao bateu|reprovad/.test(t)) return 'videoconferencia';
        if (/desist|arrepend|nao quero mais|mudei de ideia/.test(t)) return 'desistencia';
        return undefined;
      },
    },
    { ...textStep('reasonText', 'Descrição do motivo', 'Conte em poucas palavras o motivo do pedido de estorno.', { min: 5, max: 500, error: 'Descreva o motivo em uma frase (de 5 a 500 caracteres).' }), skip: (v) => v.reason !== 'outro' },
    {
      ...dateStep('purchaseDate', 'Data da compra', 'Em que *data* foi feita a compra? (ex.: *12/03*, *ontem*)', (d, _v, now) =>
        compareLocalDate(d, localDateOf(now)) > 0 ? 'A data da compra não pode ser no futuro. Envie a data em que a compra foi feita (ex.: *12/03*).' : null,
      { past: true }),
      skip: (v) => !needsFacts(v),
    },
    { ...yesNoStep('issued', 'Certificado já emitido', 'O certificado *já foi emitido*?'), skip: (v) => !needsFacts(v) },
    {
      ...yesNoStep('registerAnyway', 'Registrar para análise', ''),
      hidden: true,
      skip: (v, env) => v.reason === undefined || refundPolicy(v, env.now).within,
      ask: (v, env) =>
        `Pela nossa política, o estorno vale para *desistência em até ${WITHDRAWAL_DAYS} dias corridos após a compra, antes de o certificado ser emitido*, ou quando a *videoconferência constata que a emissão não é possível*. No seu caso, ${refundPolicy(v, env.now).why}.\n\nMesmo assim, posso registrar o pedido para *análise* do setor financeiro. Quer registrar? Responda *sim* ou *não*.`,
      check: (v) => (v.registerAnyway === false ? { finish: 'Tudo bem, não registrei nada. Se precisar, é só chamar. Digite *menu* para ver as opções.' } : undefined),
    },
    {
      ...choiceStep('paymentMethod', 'Forma de pagamento', 'Como a compra foi paga?', [
        { value: 'cartao', label: 'Cartão de crédito', words: /\bcart(ao|oes)|credito\b/ },
        { value: 'boleto', label: 'Boleto', words: /\bboleto/ },
        { value: 'pix', label: 'Pix', words: /\bpix\b/ },
      ]),
      skip: (v) => v.verified === true,
    },
    { ...pixStep(), skip: (v) => v.paymentMethod !== 'boleto' && v.paymentMethod !== 'pix' },
  ],
  duplicate: (v, env) => {
    const open = typeof v.orderNumber === 'string' ? env.services.openTicketForOrder('refund', v.orderNumber) : env.services.openTicketForChat('refund', env.chatId);
    return open ? ticketAlreadyOpenText(open) : null;
  },
  submit: (v, env) => {
    const policy = refundPolicy(v, env.now);
    const { purchased, issued } = facts(v);
    const t = env.services.openTicket({
      type: 'refund',
      chatId: env.chatId,
      orderNumber: (v.orderNumber as string | null) ?? null,
      document: String(v.document),
      data: {
        requester: v.requester,
        document: v.document,
        orderNumber: v.orderNumber ?? null,
        verified: v.verified === true,
        reason: v.reason,
        reasonText: v.reasonText ?? null,
        purchaseDate: purchased ? formatDatePtBr(purchased) : null,
        issued,
        paymentMethod: v.paymentMethod,
        pixKey: v.pixKey ?? null,
        withinPolicy: policy.within,
        policyNote: policy.why,
        attachments: Array.isArray(v.attachments) ? v.attachments : [],
      },
      now: env.now,
    });
    const card = v.paymentMethod === 'cartao' ? '\nComo a compra foi no *cartão de crédito*, o valor é estornado no próprio cartão e aparece na fatura.' : '';
    const analysis = policy.within ? '' : '\nO pedido foi registrado *para análise*, fora da política de estorno.';
    return ticketOpenedText(t, env.services.pickup('finance', env.now)) + card + analysis;
  },
};


export function refundFlow(services: FlowServices): FlowDefinition {
  return { id: 'refund', menuTitle: 'Estorno (desistência ou emissão não realizada)', machine: createFormMachine(refundForm, services) };
}
