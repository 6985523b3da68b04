import type { Values } from '../src/conversation/form.js';
import { ASAP, dateStep, documentStep, formatTime, isPast, nameStep, periodStep, timeStep } from '../src/conversation/steps.js';
import type { Ticket } from '../src/db/schema.js';
import { defineRequest } from '../src/requests.js';
import { compareLocalDate, formatDatePtBr, type LocalDate, type TimeOfDay } from '../src/validation/datetime.js';

// Antecipar a videoconferência (support). The seed: only the partner responsible for the sales
// page may ask. Partners are recognised by their registered WhatsApp number; anyone else is
// told to ask their partner, or can talk to a person.

export const notPartnerText =
  'A antecipação da videoconferência só pode ser pedida pelo *parceiro responsável pela página de vendas* onde a compra foi feita, e este número não está cadastrado como parceiro.\n\nPeça ao seu parceiro Indique Certo para solicitar por aqui. Se preferir, responda *atendente* para falar com uma pessoa, ou *menu* para ver as opções.';

// "a video está marcada pra 15/12" vs "queria antecipar para o dia 10": which date is which.
const CURRENT_CUE = /\b(marcad\w*|agendad\w*|atual\w*|esta (pra|para)|ta (pra|para)|previst\w*|e (no )?dia|e pra|do dia|no dia|data de hoje)\s*(o|a|pro|para o|pra|para)?\s*(dia)?\s*$/;
const WANTED_CUE = /\b(antecip\w*|a partir|pode ser|prefer\w*|queria|quer|antes|adiant\w*|encaix\w*|mais cedo|pra quando|para quando|puxar|trazer|se der|se puder|der pra|gostaria|seria|ideal|melhor|pode|podia|poderia|consegue|conseguiria|disponivel|disponibilidade|livre)\b.*$/;

const firstName = (t: Ticket) => {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
};

export const appointmentAdvance = defineRequest({
  id: 'appointment_advance',
  team: 'support',
  title: 'Antecipação da videoconferência',
  called: 'pedido de antecipação da videoconferência',
  menuTitle: 'Antecipar a videoconferência (parceiros)',
  menuShort: 'antecipação',
  expectedTime: 'até 1 dia útil',
  slaHours: 8,
  cues: /\b(antecip\w*|adiant\w*|encaix\w*)\b.{0,60}\b(video\w*|chamada|agendamento|emissao|horario)\b|\b(video\w*|chamada|agendamento)\b.{0,90}\b(antecip\w*|adiant\w*|mais cedo|fazer antes|ser antes|para antes|pra antes)\b/,
  examples: [
    'quero pedir pra antecipar a videoconferência da minha cliente',
    'preciso antecipar a video de um cliente meu',
    'solicito antecipar o agendamento do cliente',
    'dá pra adiantar a chamada do meu cliente pra amanhã?',
    'quero adiantar a videoconferência, o cliente tem pressa',
    'consegue trazer a video do meu cliente pra mais cedo?',
    'pedido de antecipação de agendamento',
    'antecipa a video da minha cliente por favor',
    'o cliente marcou a vídeo pra quinta mas consegue segunda, dá pra trocar pra antes?',
    'dá pra trocar a videoconferência do meu cliente pra um dia antes?',
  ],
  labels: { partnerId: 'Parceiro', wantedFrom: 'Antecipar a partir de' },
  templates: {
    resolved: (t) => `Olá${firstName(t)}! A videoconferência foi antecipada para *[dia/mês às hh:mm]*. O link de acesso chega no e-mail do cliente. Protocolo *${t.protocol}*.`,
    rejected: (t) => `Olá${firstName(t)}! Não há horário disponível para antecipar a videoconferência: [motivo]. O horário atual está mantido. Protocolo *${t.protocol}*.`,
  },
  form: {
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
        kind: 'gate',
        hidden: true,
        gate: true,
        ask: () => notPartnerText,
        initial: (_v, env) => env.services.partnerByPhone(env.services.contact(env.chatId).phone)?.id ?? null,
        parse: () => ({ ok: true, value: null }),
        check: (v) => (v.partnerId ? undefined : { finish: notPartnerText }),
      },
      nameStep('customerName', 'Nome do cliente', 'Qual é o *nome completo* do cliente?'),
      documentStep('customerCpf', 'CPF do cliente', 'Qual é o *CPF* do cliente?', { cpfOnly: true }),
      dateStep(
        'currentDate',
        'Data agendada',
        'Para qual *data* a videoconferência está agendada atualmente? (ex.: *15/12*)',
        (d, _v, now) => (isPast(d, now) ? 'Essa data já passou. Envie a data em que a videoconferência está marcada (ex.: *15/12*).' : null),
        { cue: CURRENT_CUE, avoid: WANTED_CUE, mentions: /\b(data (agendada|marcada|atual)|agendad|marcad)\b/ },
      ),
      // Staff find the appointment by the CPF and the date: a forgotten time is not a blocker.
      timeStep('currentTime', 'Horário agendado', 'E em qual *horário*? (ex.: *14h*, *9h30*) Se não lembrar, responda *não sei*.', { with: 'currentDate', optional: true }),
      dateStep(
        'wantedDate',
        'Antecipar para a partir de',
        'Qual a *data mais próxima* que o cliente pode fazer a videoconferência? (ex.: *amanhã*, *segunda-feira*, *10/12*, ou *o quanto antes*)',
        (d, v, now) => {
          if (isPast(d, now)) return 'Essa data já passou. Envie uma data a partir de hoje.';
          const current = v.currentDate as LocalDate | undefined;
          if (current && compareLocalDate(d, current) >= 0) return `Para antecipar, a data precisa ser *antes* de ${formatDatePtBr(current)}. Envie uma data anterior, ou *o quanto antes*.`;
          return null;
        },
        { asap: true, cue: WANTED_CUE, cueAfter: /^\W*(ja |tambem |entao |ela |ele |o cliente |a cliente )?(pode|podia|consegue|daria|da pra|serve|fica bom|e melhor)\b/, cueRequired: true, avoid: CURRENT_CUE, mentions: /\b(data (desejada|mais proxima)|antecipar para)\b/ },
      ),
      periodStep('period', 'Período', 'Qual *período* o cliente prefere?', { with: 'wantedDate' }),
    ],
    duplicate: (v, env) => env.services.openTicketForDocument('appointment_advance', String(v.customerCpf)),
    ticket: (v: Values) => ({
      document: String(v.customerCpf),
      data: {
        partnerId: v.partnerId,
        customerName: v.customerName,
        customerCpf: v.customerCpf,
        currentDate: formatDatePtBr(v.currentDate as LocalDate),
        currentTime: v.currentTime ? formatTime(v.currentTime as TimeOfDay) : null,
        wantedFrom: v.wantedDate === ASAP ? ASAP : formatDatePtBr(v.wantedDate as LocalDate),
        period: v.period,
      },
    }),
  },
});
