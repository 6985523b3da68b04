import { createFormMachine, type FormDefinition, type Values } from '../src/conversation/form.js';
import type { FlowDefinition } from '../src/conversation/flow.js';
import { dateStep, documentStep, formatTime, isPast, periodStep, textStep, timeStep } from '../src/conversation/steps.js';
import type { FlowServices } from '../src/tickets/services.js';
import { ticketAlreadyOpenText, ticketOpenedText } from '../src/tickets/tickets.js';
import { compareLocalDate, formatDatePtBr, type LocalDate, type TimeOfDay } from '../src/validation/datetime.js';
import { maskCpf } from '../src/validation/document.js';

// Antecipar a videoconferência (support). The seed: only the partner responsible for the sales
// page may ask. Partners are recognised by their registered WhatsApp number; anyone else is
// told to ask their partner, or can talk to a person.

export const notPartnerText =
  'A antecipação da videoconferência só pode ser pedida pelo *parceiro responsável pela página de vendas* onde a compra foi feita, e este número não está cadastrado como parceiro.\n\nPeça ao seu parceiro Indique Certo para solicitar por aqui. Se preferir, responda *atendente* para falar com uma pessoa, ou *menu* para ver as opções.';

export const appointmentAdvanceForm: FormDefinition<FlowServices> = {
  id: 'appointment_advance',
  team: 'support',
  summaryTitle: 'Confira o pedido de antecipação:',
  intro: (_v, env) => {
    const partner = env.services.partnerByPhone(env.services.contact(env.chatId).phone);
    return partner ? `Olá, *${partner.name}*! Vamos pedir a *antecipação da videoconferência* do seu cliente. (Para desistir, digite *cancelar*.)` : null;
  },
  steps: [
    {
      // Gate: not a question, a check of who is writing.
      key: 'partnerId',
      label: 'Parceiro',
      hidden: true,
      gate: true,
      ask: () => notPartnerText,
      prefill: (_f, _t, _v, env) => env.services.partnerByPhone(env.services.contact(env.chatId).phone)?.id ?? null,
      parse: () => ({ ok: true, value: null }),
      check: (v) => (v.partnerId ? undefined : { finish: notPartnerText }),
    },
    {
      ...textStep<FlowServices>('customerName', 'Nome do cliente', 'Qual é o *nome completo* do cliente?', { min: 5, max: 120, error: 'Envie o nome completo do cliente (nome e sobrenome).' }),
      // "Maria" is not a full name: at least a name and a surname, letters only.
      parse: (text) => {
        const t = text.trim().replace(/\s+/g, ' ');
        const words = t.split(' ').filter((w) => /\p{L}{2,}/u.test(w));
        return words.length >= 2 && t.length <= 120 && !/\d/.test(t) ? { ok: true, value: t } : { ok: false, error: 'Envie o *nome completo* do cliente (nome e sobrenome), por exemplo *Maria da Silva*.' };
      },
    },
    { ...documentStep('customerCpf', 'CPF do cliente', 'Qual é o *CPF* do cliente?'), show: (v) => maskCpf(String(v)) },
    {
      ...dateStep<FlowServices>('currentDate', 'Data agendada', 'Para qual *data* a videoconferência está agendada atualmente? (ex.: *15/12*)', (d, _v, now) =>
        isPast(d, now) ? 'Essa data já passou. Envie a data em que a videoconferência está marcada (ex.: *15/12*).' : null,
      ),
      // "a video dele está marcada pra 15/12 às 14h": one date in the first message is the current one.
      prefill: (f, _text, _v, env) => (f.dates.length === 1 && !isPast(f.dates[0], env.now) ? f.dates[0] : undefined),
      // Corrected from the summary: the wanted date must still come before the scheduled one.
      check: (v) =>
        v.wantedDate && compareLocalDate(v.wantedDate as LocalDate, v.currentDate as LocalDate) >= 0
          ? { say: `A data desejada (${formatDatePtBr(v.wantedDate as LocalDate)}) não é antes da nova data agendada, então preciso dela de novo.`, set: { wantedDate: undefined } }
          : undefined,
    },
    { ...timeStep('currentTime', 'Horário agendado', 'E em qual *horário*? (ex.: *14h*, *9h30*)'), prefill: (f) => (f.dates.length === 1 ? f.time : undefined) },
    dateStep('wantedDate', 'Antecipar para a partir de', 'Qual a *data mais próxima* que o cliente pode fazer a videoconferência? (ex.: *amanhã*, *segunda-feira*, *10/12*)', (d, v, now) => {
      if (isPast(d, now)) return 'Essa data já passou. Envie uma data a partir de hoje.';
      if (compareLocalDate(d, v.currentDate as LocalDate) >= 0) return `Para antecipar, a data precisa ser *antes* de ${formatDatePtBr(v.currentDate as LocalDate)}. Envie uma data anterior.`;
      return null;
    }),
    periodStep('period', 'Período', 'Qual *período* o cliente prefere?'),
  ],
  duplicate: (v, env) => {
    const open = env.services.openTicketForDocument('appointment_advance', String(v.customerCpf));
    return open ? ticketAlreadyOpenText(open) : null;
  },
  submit: (v: Values, env) => {
    const current = v.currentDate as LocalDate;
    const wanted = v.wantedDate as LocalDate;
    const t = env.services.openTicket({
      type: 'appointment_advance',
      chatId: env.chatId,
      document: String(v.customerCpf),
      data: {
        partnerId: v.partnerId,
        customerName: v.customerName,
        customerCpf: v.customerCpf,
        currentDate: formatDatePtBr(current),
        currentTime: formatTime(v.currentTime as TimeOfDay),
        wantedFrom: formatDatePtBr(wanted),
        period: v.period,
      },
      now: env.now,
    });
    return ticketOpenedText(t, env.services.pickup('support', env.now));
  },
};

export function appointmentAdvanceFlow(services: FlowServices): FlowDefinition {
  return { id: 'appointment_advance', menuTitle: 'Antecipar a videoconferência (parceiros)', machine: createFormMachine(appointmentAdvanceForm, services) };
}
