import type { Check, FormEnv, Values } from '../src/conversation/form.js';
import { choiceStep, dateStep, documentStep, orderStep, pixStep, textStep, yesNoStep } from '../src/conversation/steps.js';
import type { Ticket } from '../src/db/schema.js';
import { fold } from '../src/nlu/spelling.js';
import { defineRequest } from '../src/requests.js';
import { compareLocalDate, formatDatePtBr, localDateOf, type LocalDate } from '../src/validation/datetime.js';
import { formatBrl, isMoney, money } from '../src/validation/money.js';
import { formatPixKey } from '../src/validation/pix.js';

// Estorno (finance). The seed's policy: the customer may withdraw within 7 calendar days of the
// purchase, before the certificate is issued, whatever words they use for it ("comprei errado",
// "não preciso mais"); when the videoconference showed the certificate cannot be issued (e.g.
// "Perfis Diferentes"), the refund is due regardless of the 7 days. Requests outside the policy
// can still be registered for analysis, marked as such, and the reply promises nothing.

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
  if (chargeError(v)) return { within: false, why: 'cobrança em duplicidade ou indevida: o financeiro confere a cobrança' };
  if (reason === 'outro') return { within: false, why: 'o motivo informado não é desistência nem emissão impossível' };
  const { purchased, issued } = facts(v);
  if (issued) return { within: false, why: 'o certificado já foi emitido' };
  if (purchased && daysBetween(purchased, localDateOf(now)) > WITHDRAWAL_DAYS) {
    return { within: false, why: `a compra foi em ${formatDatePtBr(purchased)}, há mais de ${WITHDRAWAL_DAYS} dias corridos` };
  }
  return { within: true, why: `desistência em até ${WITHDRAWAL_DAYS} dias corridos, antes da emissão` };
}

function orderCheck(v: Values, env: FormEnv): Check {
  // Forget what a previous order told us (the document or the number was just corrected).
  const unverified = { verified: false, orderPurchasedAt: undefined, orderIssued: undefined, orderAmount: undefined, buyerName: undefined, ...(v.verified === true ? { paymentMethod: undefined } : {}) };
  if (typeof v.orderNumber !== 'string' || typeof v.document !== 'string') return { set: unverified };
  const o = env.services.order(v.orderNumber);
  if (!o || o.document !== v.document) return { set: unverified };
  if (o.payment_status === 'estornado') return { finish: `O pedido *${o.number}* já consta como *estornado* ✅. Se o valor ainda não apareceu, aguarde o prazo do seu banco ou digite *atendente*.` };
  return {
    set: {
      verified: true, paymentMethod: o.payment_method, orderPurchasedAt: o.purchased_at, orderIssued: o.issued_at !== null,
      orderAmount: o.amount_cents !== null ? money(o.amount_cents) : undefined, buyerName: o.buyer_name ?? undefined,
    },
  };
}

// A charge that went wrong (twice, or the wrong amount) is not a withdrawal: finance checks the
// charge itself, so the "outside the policy, register anyway?" question does not apply.
const CHARGE_ERROR = /\b(cobrad[oa]s? (2x|2 vezes|duas vezes|em dobro|a mais|errado|duplicad[oa])|cobranca (duplicada|em duplicidade|em dobro|dupla|indevida|errada)|cobra(ram|ndo) (2x|2 vezes|duas vezes|em dobro|a mais)|(passou|debitou|debitaram|descontou|descontaram) (2x|2 vezes|duas vezes)|duplicidade|pag\w* .{0,30}\b(2x|2 vezes|duas vezes|em dobro))\b/;
const chargeError = (v: Values) => v.reason === 'outro' && CHARGE_ERROR.test(fold(String(v.reasonText ?? '')));

const needsFacts = (v: Values) => v.reason === 'desistencia' && v.verified !== true;

// Giving the purchase up, in the words people use for it: by the policy, all of these are a desistência.
const WITHDRAWAL = /\b(desist\w*|me arrependi|arrependi\w*|nao (vou |vamos )?(mais )?(precis\w*|us\w*|utiliz\w*) mais|nao (precisamos|preciso) mais|(loja|empresa|firma) fechou|ja (tinha|tem|temos) (um )?(outro )?certificado|comprei (errado|o (modelo|produto|certificado|tipo) errado|sem querer|por engano|duas vezes)|(por|foi um|se deu por|houve um) (engano|equivoco)|(era pra ser|era para ser|precisava era|preciso mesmo e) (o |um |do |de )?(e ?cnpj|e ?cpf|outro|a1|a3)|em vez d[eo] (e ?cnpj|e ?cpf|a1|a3)|(vamos|vou|vai) fechar a (empresa|loja|padaria)|nao vai (mais )?precisar|nao (vou|vamos) mais (precisar|usar|utilizar)|nao (vamos|vou) precisar mais|(ja|que ja) (possui|possuimos|temos|tenho|tem) (um )?(outro )?certificado|(solicitar|pedir|pedimos|solicitamos) o cancelamento|cancelamento (da|de|do) (compra|pedido|certificado)|cancelar (a|minha|essa|nossa) compra|(modelo|produto|certificado|tipo) errado|nao (preciso|quero) mais (o|do|de) (certificado|produto)|nao preciso mais dele|mudei de ideia|nao vou (mais )?usar|quer desistir|(nem|nao) quero mais( (esse|este|essa|esta|o|a|do|da|dele|dela))?( certificado| compra| pedido)?|(fiquei|ficou|ficamos) com (2|dois|duas)|ja tinha (feito|comprado|emitido) (um|outro|o)|comprou errado|comprou o (modelo|produto|certificado|tipo) errado)\b/;

const data = (t: Ticket) => JSON.parse(t.data) as Record<string, unknown>;
const firstName = (t: Ticket) => {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
};
const ofOrder = (t: Ticket) => (t.order_number ? ` do pedido *${t.order_number}*` : '');
/** The chat's name, or the buyer's from the order when the customer asked without one. */
const greetName = (t: Ticket) => {
  const d = data(t);
  return firstName(t) || (d.requester === 'cliente' && typeof d.buyerName === 'string' && d.buyerName.trim() ? `, ${d.buyerName.trim().split(/\s+/)[0]}` : '');
};

export const refund = defineRequest({
  id: 'refund',
  team: 'finance',
  title: 'Estorno',
  called: 'pedido de estorno',
  menuTitle: 'Estorno (desistência ou emissão não realizada)',
  menuShort: 'estorno',
  expectedTime: 'até 5 dias úteis',
  slaHours: 24,
  cues: /\b(estorno|estornar|estornem|estorna|reembolso|reembols\w*|dinheiro de volta|grana de volta|valor de volta|devolu\w* (do|o) (valor|dinheiro)|devolver (o|meu) (valor|dinheiro)|desist\w* (da|de|do) (compra|certificado|pedido)|cancelar (a|minha|essa|nossa) compra|(quero|queria|preciso|pedir|solicitar|solicito) (a |uma )?devolu\w*|devolu\w* de um (deles|dos pagamentos)|pag\w* .{0,30}\b(2x|2 vezes|duas vezes|em dobro)|cancelar (o|meu|nosso|esse|a) (certificado|pedido|compra)\b.{0,80}\b(nao (vai|vou|vamos)( mais)? precisar|nao precis\w* mais|desist\w*|fechar|fech\w*|errad\w*|engano|estorn\w*))\b/,
  examples: [
    'quero pedir o estorno da minha compra',
    'preciso solicitar o reembolso do certificado',
    'podem estornar o valor do meu cliente?',
    'quero o reembolso, comprei o modelo errado',
    'faz o estorno pra mim por favor',
    'me devolvam o dinheiro do certificado',
    'quero que estornem o valor pra mim',
    'quero pedir reembolso porque a video não deu certo',
    'preciso que estornem a compra do meu cliente',
  ],
  labels: { verified: 'Pedido conferido na base', withinPolicy: 'Dentro da política', policyNote: 'Política', orderStatus: 'Situação do pedido', orderAmount: 'Valor do pedido', buyerName: 'Nome do comprador (pedido)' },
  // One message per case (card, Pix, boleto; inside or outside the policy) with the ticket's own
  // values; [brackets] are what staff fill in when the order data did not have it.
  templates: {
    resolved: (t) => {
      const d = data(t);
      const amount = isMoney(d.orderAmount) ? formatBrl(d.orderAmount.cents) : 'R$ [valor]';
      const pix = d.pixKey as { kind: string; value: string } | null;
      const key = pix ? `*${formatPixKey(pix)}*` : 'informada';
      const how =
        d.paymentMethod === 'cartao'
          ? 'Como a compra foi no *cartão de crédito*, o valor é estornado no próprio cartão e aparece na fatura (o prazo depende da operadora do cartão).'
          : d.paymentMethod === 'pix'
            ? `Como a compra foi paga por *Pix*, devolvemos o valor por Pix na chave ${key}.`
            : d.paymentMethod === 'boleto'
              ? `Como a compra foi paga por *boleto*, devolvemos o valor por Pix na chave ${key}.`
              : '[como o valor foi devolvido].';
      const opening = d.withinPolicy === false ? `Analisamos o seu pedido e aprovamos o estorno${ofOrder(t)}` : `Confirmamos o estorno${ofOrder(t)}`;
      return `Olá${greetName(t)}! ${opening}, no valor de *${amount}*. ${how} Protocolo *${t.protocol}*.`;
    },
    rejected: (t) => {
      const d = data(t);
      if (d.withinPolicy === false && typeof d.policyNote === 'string') {
        return `Olá${greetName(t)}! Analisamos o seu pedido de estorno${ofOrder(t)}. Pela nossa política, o estorno vale para *desistência em até ${WITHDRAWAL_DAYS} dias corridos após a compra, antes de o certificado ser emitido*, ou quando a *videoconferência constata que a emissão não é possível*. No seu caso, ${d.policyNote}; por isso não foi possível aprovar o estorno. Protocolo *${t.protocol}*.`;
      }
      return `Olá${greetName(t)}! Não foi possível fazer o estorno${ofOrder(t)}: [motivo]. Protocolo *${t.protocol}*.`;
    },
  },
  form: {
    acceptsAttachments: true,
    summaryTitle: 'Confira o pedido de estorno:',
    intro: () =>
      'Vamos registrar o pedido de *estorno* para o nosso setor financeiro. Se tiver comprovante ou print, pode mandar a foto ou o PDF a qualquer momento. (Para desistir, digite *cancelar*.)',
    steps: [
      {
        ...choiceStep('requester', 'Quem pede', 'Quem está pedindo o estorno?', [
          { value: 'cliente', label: 'Sou o cliente (comprador)', words: /\b(client[ea]s?|comprador[ae]?s?|dono|dona|socio|socia|proprietari[oa]|funcionari[oa]|gerente|administrativ[oa]|titular|eu mesm[oa]|eu comprei|eu que comprei|nos mesmos|nos compramos|compramos|fiz a compra|fizemos a compra|sou eu|(empresa|pessoa) que (fez a compra|comprou))\b|^(eu|euu|eu mesmo|eu msm)$/, strong: /\b(sou (o|a) (propri[oa] )?(cliente|comprador|compradora)|sou eu (mesm[oa] )?((o|a) )?(cliente|comprador|compradora)|sou (o |a )?(dono|dona|socio|socia|proprietari[oa]|funcionari[oa]) da (propria )?empresa|eu (mesmo|mesma) comprei|eu que comprei|(fui|foi) eu (mesm[oa] )?(que|quem) compr\w*|comprei eu mesm[oa]|comprei (pra|para) mim)\b|\b(comprei|paguei|adquiri|compramos|pagamos|adquirimos|cancelar minha compra)\b|\b(compra|certificado|pedido)( digital)? (que )?(eu )?fiz\b|\bfiz (a|uma) compra\b|\b(meu|minha|nosso|nossa) (certificado|compra|pedido|dinheiro|e ?cpf|e ?cnpj)\b/ },
          { value: 'parceiro', label: 'Sou o parceiro Indique Certo', words: /\b(parceir[oa]|revend|indique certo)\b/, strong: /\b(sou (o |a )?parceir[oa]|(meu|minha) client[ea]|do meu cliente|da minha cliente|client[ea] (meu|minha)(?! (cpf|cnpj|pedido|email|nome|numero|celular|telefone))|(pra|para|de) (um|uma) client[ea])\b/ },
        ]),
        initial: (_v, env) => (env.services.partnerByPhone(env.services.contact(env.chatId).phone) ? 'parceiro' : undefined),
      },
      // The order is checked once both the buyer's document and the number are known, whichever comes last.
      { ...documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'), check: (v, env) => (v.orderNumber !== undefined ? orderCheck(v, env) : undefined) },
      { ...orderStep({ allowUnknown: true }), check: orderCheck },
      choiceStep<Reason>(
        'reason',
        'Motivo',
        'Qual o motivo do estorno?',
        [
          {
            value: 'desistencia',
            label: 'Desisti da compra',
            staff: 'desistência',
            words: /\b(desist|arrepend|nao quero mais|mudei de ideia|errad|engano|sem querer|nao preciso mais|nao vou (mais )?usar|cancelar a compra)/,
            strong: WITHDRAWAL,
          },
          {
            value: 'videoconferencia',
            label: 'A videoconferência não permitiu a emissão (ex.: perfis diferentes)',
            staff: 'videoconferência não permitiu a emissão',
            // ("nem agendei a vídeo" says it was never done: not this reason.)
            words: /(?<!\b(nem|nao|sequer) (agendei|agendamos|fiz|fizemos|marquei|marcamos|cheguei a fazer|chegou a fazer|chegamos a fazer)( a| o)? )\b(video|perfis|perfil|foto|emissao|emitir|presencial|reprov|rosto|biometria|chamada)/,
            strong: /\b(perfis diferentes|perfil diferente|nao (foi possivel|deu pra|deu para|conseguimos|consegui|conseguiu|conseguiram|da pra|da para) emitir|so presencial|ter que ir presencial|foto nao bateu|reprovad[oa]|reprovaram|rosto nao|nao reconheceu|biometria (falhou|nao)|(video|videoconferencia|chamada) (que |q )?(nao deu certo|falhou|reprovou|nao funcionou)|nao (aceitaram|aprovaram) (a |minha |o )?(cnh|documento|foto)|nao emitiram|(video\w*|chamada)( \w+)? nao (rolou|deu|foi pra frente)|cnh( \w+){0,2} nao (serve|servia|vale|valia|foi aceita|passou))\b/,
          },
          { value: 'outro', label: 'Outro motivo', staff: 'outro motivo', words: /\boutr[oa]\b/, strong: CHARGE_ERROR },
        ],
        { keepText: 'reasonText', mentions: /\bmotivo\b/ },
      ),
      {
        ...textStep('reasonText', 'Descrição do motivo', 'Conte em poucas palavras o motivo do pedido de estorno.', { min: 5, max: 500, error: 'Descreva o motivo em uma frase (de 5 a 500 caracteres).' }),
        skip: (v) => v.reason !== 'outro',
        keep: true,
        // "outro motivo: comprei o modelo errado" is a desistência by the policy, whatever option was picked.
        check: (v) => (v.reason === 'outro' && WITHDRAWAL.test(fold(String(v.reasonText ?? ''))) ? { set: { reason: 'desistencia' } } : undefined),
      },
      {
        ...dateStep(
          'purchaseDate',
          'Data da compra',
          'Em que *data* foi feita a compra? (ex.: *12/03*, *ontem*)',
          (d, _v, now) => (compareLocalDate(d, localDateOf(now)) > 0 ? 'A data da compra não pode ser no futuro. Envie a data em que a compra foi feita (ex.: *12/03*).' : null),
          { past: true, cue: /\b(compr\w*|pag\w*|pedido|adquir\w*|fiz)\b/, avoid: /\b(video\w*|chamada|agend\w*|marcad\w*|emit\w*)\b/, anyDate: true },
        ),
        skip: (v) => !needsFacts(v),
      },
      {
        ...yesNoStep('issued', 'Certificado já emitido', 'O certificado *já foi emitido*?', {
          strongNo: /\b(ainda )?nao (foi )?emitid|nao (foi|chegou a ser) emitido|nao emiti|antes de emitir|sem emitir|nem (chegou a )?emit|(nao|nem) (fiz|fez|fizemos|cheguei a fazer|chegou a fazer|agendei|agendamos|agendou|marquei|marcamos|marcou)( ainda)? (a |o )?(video|videoconferencia|chamada|agendamento)/,
          strongYes: /\bja (foi )?emitid|ja emiti|ja (esta|ta) emitido|certificado (ja )?emitido/,
          mentions: /\bemiti|emissao|emitido\b/,
        }),
        skip: (v) => !needsFacts(v),
      },
      {
        ...yesNoStep('registerAnyway', 'Registrar para análise', '', { strongYes: /\b(registr\w*|mesmo assim|quero sim|pode sim|manda (pra|para) analise|analis\w*)\b/, strongNo: /\b(nao (precisa|registr\w*|quero)|deixa|esquece)\b/ }),
        hidden: true,
        skip: (v, env) => v.reason === undefined || chargeError(v) || refundPolicy(v, env.now).within,
        ask: (v, env) =>
          `Pela nossa política, o estorno vale para *desistência em até ${WITHDRAWAL_DAYS} dias corridos após a compra, antes de o certificado ser emitido*, ou quando a *videoconferência constata que a emissão não é possível*. No seu caso, ${refundPolicy(v, env.now).why}.\n\nMesmo assim, posso registrar o pedido para *análise* do setor financeiro (sem garantia de devolução). Quer registrar? Responda *sim* ou *não*.`,
        check: (v) => (v.registerAnyway === false ? { finish: 'Tudo bem, não registrei nada. Se precisar, é só chamar. Digite *menu* para ver as opções.' } : undefined),
      },
      {
        ...choiceStep('paymentMethod', 'Forma de pagamento', 'Como a compra foi paga?', [
          { value: 'cartao', label: 'Cartão de crédito', words: /\bcart(ao|oes)|credito\b/, strong: /\b(no|pelo|com|via|de) (cartao|credito)\b|cartao de credito/ },
          { value: 'boleto', label: 'Boleto', words: /\bboleto/, strong: /\b(paguei|pago|pagou|comprei|pagamento)\b.{0,12}\bboleto\b|\b(no|pelo|via|por) boleto\b/ },
          { value: 'pix', label: 'Pix', words: /\bpix\b/, strong: /\b(paguei|pago|pagou|pagamos|pagamento|comprei|compramos|compra|foi)\b.{0,12}\bpix\b/ }, // ("manda no pix do email", "o hotmail não tá no pix": the key, not how it was paid)
        ]),
        skip: (v) => v.verified === true,
      },
      { ...pixStep({ documentKeys: ['document'] }), skip: (v) => v.paymentMethod !== 'boleto' && v.paymentMethod !== 'pix' },
    ],
    duplicate: (v, env) =>
      typeof v.orderNumber === 'string' ? env.services.openTicketForOrder('refund', v.orderNumber) : env.services.openTicketForChat('refund', env.chatId),
    ticket: (v, env) => {
      const policy = refundPolicy(v, env.now);
      const { purchased, issued } = facts(v);
      const pix = v.pixKey as { value: string } | undefined;
      return {
        orderNumber: (v.orderNumber as string | null) ?? null,
        document: String(v.document),
        searchTerms: pix ? [pix.value] : [],
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
          orderAmount: v.orderAmount ?? null,
          buyerName: v.buyerName ?? null,
          withinPolicy: policy.within,
          policyNote: policy.why,
          attachments: Array.isArray(v.attachments) ? v.attachments : [],
        },
      };
    },
    // Outside the policy nothing is promised: the request is only registered for analysis.
    confirmation: (v, env) =>
      chargeError(v)
        ? 'O financeiro confere a cobrança no pedido e responde por aqui.'
        : !refundPolicy(v, env.now).within
        ? 'O pedido foi registrado *para análise*, fora da política de estorno: a equipe avalia o caso e responde por aqui.'
        : v.paymentMethod === 'cartao'
          ? 'Como a compra foi no *cartão de crédito*, o valor é estornado no próprio cartão e aparece na fatura.'
          : null,
  },
});
