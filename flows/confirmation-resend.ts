import type { Extracted, Parsed, Step } from '../src/conversation/form.js';
import { choiceStep, documentStep, emailStep } from '../src/conversation/steps.js';
import type { Ticket } from '../src/db/schema.js';
import { parseYesNo } from '../src/nlu/replies.js';
import { fold } from '../src/nlu/spelling.js';
import { defineRequest } from '../src/requests.js';
import { isValidEmail } from '../src/validation/email.js';

// Reenvio do e-mail de confirmação (support): the purchase summary did not arrive. Spam and
// "lixo eletrônico" come first, since that is where it usually is.

const firstName = (t: Ticket) => {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
};

// "manda pros dois", "nos dois e-mails", "também pro antigo": both addresses.
const BOTH = /\b(dois|duas|ambos|ambas|os 2|nos 2|tambem|tb|tbm)\b/;
const SAME = /^(o |a |no |pro |pra |para o |para )?(mesm[oa])( email| endereco)?$|\b(pode ser|pode|mand\w*|envi\w*|reenvi\w*)\b.*\bmesm[oa]\b|^(esse|este) mesmo$|\b(o mesmo|no mesmo|pro mesmo|pra o mesmo|mesmo email|mesmo endereco)\b/;
const SAID_SAME = /\b(reenvi\w*|mand\w*|envi\w*|pode ser)\b.{0,15}\b(pro|pra o|para o|no|o) mesmo( email| endereco)?\b(?! (cpf|cnpj|numero|pedido))/;
const NEW_EMAIL_CUE = /\b(outro|novo|nova|reenvi\w*|mand\w* (pro|para o|pra|no)|envi\w* (para|pro|pra|no)|tambem|tb|dois|ambos|alternativ\w*|pessoal|atual)\b/;

const purchaseEmail = emailStep('email', 'E-mail da compra', 'Qual *e-mail* foi informado na compra?', {
  mentions: /\b(email da compra|email (que|q) (usei|coloquei|cadastrei|informei)|email)\b/,
  // "manda pros dois: ..., fulano@..." adds an address to resend to; it does not correct this one.
  avoid: /\b(dois|duas|ambos|ambas|os 2|nos 2|tambem|tb|tbm|outro|novo|nova)\b/,
});

const plainNewEmail = emailStep('newEmail', 'Reenviar para', 'Quer receber em *outro e-mail*? Envie o novo endereço, ou responda *não* para reenviar ao mesmo.', { optional: true, cue: NEW_EMAIL_CUE });

/** The address to resend to: another one, the same (null), or both ("manda pros dois"). */
const newEmail: Step = {
  ...plainNewEmail,
  mentions: /\b(outro email|novo email|reenviar para|enviar para)\b/,
  parse: (text, v, env): Parsed => {
    const t = fold(text);
    if (SAME.test(t)) return { ok: true, value: null, set: { both: undefined } };
    // "sim" to "quer receber em outro e-mail?": then which one.
    if (parseYesNo(text) === 'yes' && !/@/.test(text)) return { ok: false, error: 'Combinado! Qual é o *outro e-mail*? (ex.: *nome@provedor.com*)' };
    // "pros dois: contato@... e marcia@...": the purchase address said again is not the other one.
    const others = BOTH.test(t) ? (text.match(/[^\s,;:<>()]+@[^\s,;:<>()]+\.[^\s,;:<>()]+/g) ?? []).map((e) => e.replace(/[.!?]+$/, '')).filter((e) => e.toLowerCase() !== String(v.email ?? '').toLowerCase()) : [];
    const r = plainNewEmail.parse(others.length ? others[0] : text, v, env);
    if (r.ok === true && r.value && BOTH.test(t)) return { ...r, set: { both: true } };
    if (r.ok !== true && BOTH.test(t) && typeof v.otherEmail === 'string') return { ok: true, value: v.otherEmail, set: { both: true } };
    return r;
  },
  extract: (m, v, env, how): Extracted | undefined => {
    // "..., pode reenviar pro mesmo" in a message that also says other things.
    if (!how.filled && !how.asked && SAID_SAME.test(m.folded)) return { value: null, token: 'resend:same', set: { both: undefined } };
    // "pros dois: contato@... e marcia@...": the purchase address said again is not the other one.
    if (BOTH.test(m.folded) && m.scan.emails.length > 1) for (const e of m.scan.emails) if (e.value.toLowerCase() === String(v.email ?? '').toLowerCase()) m.used.add(`email:${e.value}`);
    const found = plainNewEmail.extract!(m, v, env, how);
    return found && ('value' in found || 'suggest' in found) && BOTH.test(m.folded) ? { ...found, set: { both: true } } : found;
  },
  validate: (value) => (value === null || isValidEmail(String(value)) ? null : 'Esse e-mail não parece válido. Envie no formato *nome@provedor.com*, ou *não*.'),
  show: (value, all) => (value ? (all.both ? `${String(all.email)} e ${String(value)}` : String(value)) : `o mesmo (${String(all.email)})`),
};

export const confirmationResend = defineRequest({
  id: 'confirmation_resend',
  team: 'support',
  title: 'Reenvio do e-mail de confirmação',
  called: 'pedido de reenvio do e-mail de confirmação',
  menuTitle: 'Reenviar o e-mail de confirmação da compra',
  menuShort: 'e-mail de confirmação',
  expectedTime: 'até 1 dia útil',
  slaHours: 4,
  cues: /\b(reenvi\w*|mandar de novo|manda de novo|enviar de novo)\b.{0,40}\b(email|confirmacao|resumo)\b|\b(email|confirmacao|resumo)\b.{0,50}\b(nao (chegou|veio|recebi|recebeu|chega)|reenvi\w*)\b|\bnao (chegou|veio|recebi|recebeu)\b.{0,40}\b(email|confirmacao|resumo)\b/,
  examples: [
    'quero que reenviem o email de confirmação da compra',
    'podem mandar de novo o email com o resumo do pedido?',
    'reenvia o resumo da compra pro meu email',
    'manda de novo a confirmação pro meu cliente',
    'quero receber o email da compra em outro endereço',
  ],
  labels: { spamChecked: 'Procurou no spam', resendTo: 'Reenviar para', request: 'Pedido ao suporte' },
  templates: {
    resolved: (t) => {
      const to = (JSON.parse(t.data) as { resendTo?: string }).resendTo ?? t.email ?? '[e-mail]';
      return `Olá${firstName(t)}! Reenviamos o e-mail de confirmação da compra para *${to}*. Confira também as pastas de spam e promoções. Protocolo *${t.protocol}*.`;
    },
    rejected: (t) => `Olá${firstName(t)}! Não conseguimos reenviar o e-mail de confirmação: [motivo]. Protocolo *${t.protocol}*.`,
  },
  form: {
    summaryTitle: 'Confira o pedido de reenvio:',
    intro: () => 'Vamos pedir ao nosso setor de suporte o *reenvio do e-mail de confirmação* da compra. (Para desistir, digite *cancelar*.)',
    steps: [
      documentStep('document', 'CPF/CNPJ do comprador', 'Qual é o *CPF ou CNPJ* de quem fez a compra?'),
      purchaseEmail,
      {
        ...choiceStep('spamChecked', 'Procurou no spam', 'Você já procurou o e-mail nas pastas *Spam* e *Lixo eletrônico*?', [
          {
            value: 'sim',
            label: 'Sim, já procurei e não está lá',
            // ("não sei, não olhei" is not a yes because it says "olhei".)
            words: /^(?!.*\bnao (olhei|procurei|vi|verifiquei|sei)\b).*\b(sim|ja|procurei|olhei|verifiquei|nao (esta|ta|tem|achei|encontrei|veio)|nada)\b/,
            strong: /\b(ja (olh\w*|procur\w*|vi|viu|verifiqu\w*|verific\w*|chequ\w*|conferi\w*)\b.{0,30}\b(spam|lixo|lixeira|tudo)|(spam|lixo)\b.{0,30}\b(nada|nao (esta|ta|tem|achei|veio|encontrei))|nao (esta|ta) no (spam|lixo))\b/,
          },
          { value: 'nao', label: 'Ainda não procurei', words: /\b(ainda nao|nao procurei|nao olhei|vou olhar|nao vi)\b|^nao( ainda)?$/ },
          { value: 'achei', label: 'Procurei agora e encontrei', words: /\b(achei|encontrei|estava la|tava la|chegou|apareceu)\b/ },
        ]),
        // Sent to another address, the old inbox's spam folder no longer matters.
        skip: (v) => typeof v.newEmail === 'string',
        keep: true,
        help: '*Spam* e *Lixo eletrônico* são pastas do seu e-mail (no Gmail, Outlook, Hotmail...) para onde vão as mensagens que o provedor acha que são propaganda. Às vezes o e-mail da compra cai lá.',
        check: (v) => {
          if (v.spamChecked === 'achei') return { finish: 'Que ótimo! 🎉 Então está tudo certo com a sua compra. Se precisar de algo mais, digite *menu*.' };
          if (v.spamChecked === 'nao') {
            return { say: 'Dá uma olhadinha primeiro nas pastas *Spam* e *Lixo eletrônico* do seu e-mail: muitas vezes a confirmação vai parar lá. 🔎', set: { spamChecked: undefined } };
          }
          return undefined;
        },
      },
      newEmail,
    ],
    duplicate: (v, env) => env.services.openTicketForDocument('confirmation_resend', String(v.document)),
    ticket: (v) => {
      const resendTo = v.newEmail ? (v.both ? `${v.email}, ${v.newEmail}` : String(v.newEmail)) : String(v.email);
      return {
        document: String(v.document),
        email: String(v.email),
        searchTerms: v.newEmail ? [String(v.newEmail)] : [],
        data: { document: v.document, email: v.email, spamChecked: v.spamChecked === 'sim', resendTo, request: 'reenviar o resumo da compra' },
      };
    },
  },
});
