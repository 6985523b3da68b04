import { createFormMachine, type FormDefinition } from '../src/conversation/form.js';
import type { FlowDefinition } from '../src/conversation/flow.js';
import { choiceStep, documentStep, emailStep } from '../src/conversation/steps.js';
import type { FlowServices } from '../src/tickets/services.js';
import { ticketAlreadyOpenText, ticketOpenedText } from '../src/tickets/tickets.js';
import { maskEmail } from '../src/validation/email.js';

// Reenvio do e-mail de confirmação (support): the purchase summary did not arrive. Spam and
// "lixo eletrônico" come first, since that is where it usually is.

export const confirmationResendForm: FormDefinition<FlowServices> = {
  id: 'confirmation_resend',
  team: 'support',
  summaryTitle: 'Confira o pedido de reenvio:',
  intro: () => 'Vamos pedir ao nosso setor de suporte o *reenvio do e-mail de confirmação* da compra. (Para desistir, digite *cancelar*.)',
  steps: [
    documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'),
    emailStep('email', 'E-mail da compra', 'Qual *e-mail* foi informado na compra?'),
    {
      ...choiceStep('spamChecked', 'Procurou no spam', 'Você já procurou o e-mail nas pastas *Spam* e *Lixo eletrônico*?', [
        { value: 'sim', label: 'Sim, já procurei e não está lá', words: /\b(sim|ja|procurei|olhei|nao (esta|ta|tem|achei|encontrei))\b/ },
        { value: 'nao', label: 'Ainda não procurei', words: /\b(ainda nao|nao procurei|nao olhei|vou olhar)\b/ },
        { value: 'achei', label: 'Procurei agora e encontrei', words: /\b(achei|encontrei|estava la|tava la)\b/ },
      ]),
      check: (v) => {
        if (v.spamChecked === 'achei') return { finish: 'Que ótimo! 🎉 Então está tudo certo com a sua compra. Se precisar de algo mais, digite *menu*.' };
        if (v.spamChecked === 'nao') {
          return { say: 'Dá uma olhadinha primeiro nas pastas *Spam* e *Lixo eletrônico* do seu e-mail: muitas vezes a confirmação vai parar lá. 🔎', set: { spamChecked: undefined } };
        }
        return undefined;
      },
    },
    {
      ...emailStep<FlowServices>('newEmail', 'Reenviar para', 'Quer receber em *outro e-mail*? Envie o novo endereço, ou responda *não* para reenviar ao mesmo.', { optional: true }),
      // The e-mail in the first message is the purchase e-mail, not a new one: always ask.
      prefill: undefined,
      show: (v, all) => (v ? maskEmail(String(v)) : `o mesmo (${maskEmail(String(all.email))})`),
    },
  ],
  duplicate: (v, env) => {
    const open = env.services.openTicketForDocument('confirmation_resend', String(v.document));
    return open ? ticketAlreadyOpenText(open) : null;
  },
  submit: (v, env) => {
    const t = env.services.openTicket({
      type: 'confirmation_resend',
      chatId: env.chatId,
      document: String(v.document),
      email: String(v.email),
      data: { document: v.document, email: v.email, spamChecked: true, resendTo: v.newEmail ?? v.email, request: 'reenviar o resumo da compra' },
      now: env.now,
    });
    return ticketOpenedText(t, env.services.pickup('support', env.now));
  },
};

export function confirmationResendFlow(services: FlowServices): FlowDefinition {
  return { id: 'confirmation_resend', menuTitle: 'Reenviar o e-mail de confirmação da compra', machine: createFormMachine(confirmationResendForm, services) };
}
