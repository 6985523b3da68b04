import { assign, enqueueActions, setup, type AnyStateMachine } from 'xstate';
import { requestOfLabel } from '../faq/knowledge.js';
import type { Classification } from '../nlu/matcher.js';
import { parseYesNo } from '../nlu/replies.js';
import { fold } from '../nlu/spelling.js';
import type { Team, Ticket } from '../db/schema.js';
import type { FlowServices } from '../tickets/services.js';
import { scanMessage, type MessageScan } from '../validation/extract.js';
import type { MessageEvent } from './events.js';
import type { FlowInput, FlowOutput } from './flow.js';
import { DONT_KNOW, readSignals, saysDontKnow, SMALL_TALK_REPLY, WAITING_REPLY, type Signals } from './signals.js';

// A guided request is a conversation that fills a form: the questions are asked one at a time,
// skipping what the person already said, and every message is first *interpreted* with the
// form's state in view — an answer (possibly carrying more facts), a correction, a question
// about the FAQ, giving up, wanting a person, not knowing, small talk, another request, asking
// to repeat, asking about one's own tickets — and only then does the form advance. This module
// is that shared machinery (the conversation-repair patterns live here once); each flow in
// flows/ declares its fields, checks and ticket.

export type Values = Record<string, unknown>;

/** What a flow knows besides the answers: who is asking, when, and the data services. */
export interface FormEnv {
  chatId: string;
  now: Date;
  services: FlowServices;
  params: Record<string, string>;
}

export type Parsed =
  | { ok: true; value: unknown; set?: Values }
  | { ok: false; error: string }
  /** A likely typo: ask the person to confirm `value` (e.g. gmial.com -> gmail.com). */
  | { ok: 'suggest'; value: unknown; original: unknown; question: string };

/** One message, read once: the text, its structured values with positions, and its signals. */
export interface MessageFacts {
  raw: string;
  folded: string;
  scan: MessageScan;
  signals: Signals;
  /** Values already claimed by a field in this message ("doc:529...", "date:12"). */
  used: Set<string>;
  /** Fields filled from this message so far (a time goes with the date it came with). */
  filledNow: Set<string>;
  /** The message that started the request (its facts are read without a question on screen). */
  first?: boolean;
}

/** A value a field found in a message: to store, to confirm first (typo), an error about it, or the value it already has. */
export type Extracted =
  | { value: unknown; token: string; set?: Values }
  | { same: true; token: string }
  | { suggest: { value: unknown; question: string }; original: unknown; token: string; set?: Values }
  | { error: string; token: string };

/** After a value is stored: go on, end the flow with a message (no ticket), say something first, or hand over. */
export type Check = { finish: string } | { say?: string; set?: Values } | { handover: string } | null | undefined | void;

export type StepKind = 'document' | 'order' | 'email' | 'choice' | 'yesno' | 'date' | 'time' | 'pix' | 'text' | 'name' | 'gate';

export interface Step {
  key: string;
  /** Label in the summary and on the ticket page, e.g. "CPF/CNPJ do comprador". */
  label: string;
  kind: StepKind;
  ask(v: Values, env: FormEnv): string;
  /** The message read as the answer to this question. */
  parse(text: string, v: Values, env: FormEnv): Parsed;
  /**
   * This field's value found inside any message — the first one, an answer to another
   * question, a correction. `asked`: this is the question on screen; `filled`: it has a value
   * already (then only a different value, usually with a correction cue, counts).
   */
  extract?(m: MessageFacts, v: Values, env: FormEnv, how: { asked: boolean; filled: boolean }): Extracted | undefined;
  /** The rule a value must meet, wherever it arrives (answer, first message, typo suggestion, correction). */
  validate?(value: unknown, v: Values, env: FormEnv): string | null;
  /** A value known before anything is asked (who is writing: a partner's registered number). */
  initial?(v: Values, env: FormEnv): unknown;
  /** The value as shown back in the summary (masked personal data). */
  show?(value: unknown, v: Values): string;
  /** The value as acknowledged right after the person typed it ("Corrigido: ..."): an e-mail in full, so a typo can be seen. */
  echo?(value: unknown, v: Values): string;
  /** True when this step does not apply (e.g. the e-mail when the order number is known). */
  skip?(v: Values, env: FormEnv): boolean;
  /** Runs once the value is stored: order checks, policy, early endings. */
  check?(v: Values, env: FormEnv): Check;
  /** Steps that only matter for the conversation (not shown in the summary). */
  hidden?: boolean;
  /** A check of who is writing, not a question: "voltar" never goes back to it. */
  gate?: boolean;
  /** Accepts almost any text (a name, a description): never read before the other meanings. */
  free?: boolean;
  /** The value stays (summary, ticket) even when the question no longer applies (the person's own words). */
  keep?: boolean;
  /** How the person names this field when correcting it ("errei o cpf"). */
  mentions?: RegExp;
  /** A valid answer, for "como assim?" ("*529.982.247-25*"). */
  example?: string;
  /** What the question means, for "como assim?" / "o que é isso?" (before it is asked again). */
  help?: string;
  /** What "não sei" means here: a value (optional field, or an alternative path), or where to look. */
  unknown?(v: Values, env: FormEnv): { value: unknown; set?: Values } | { hint: string };
  /** The options of a choice, for staff labels. */
  options?: Array<{ value: string; label: string }>;
}

/** What a ticket records: its searchable columns and every collected field. */
export interface TicketDraft {
  data: Record<string, unknown>;
  orderNumber?: string | null;
  document?: string | null;
  email?: string | null;
  /** Extra values the staff search finds the ticket by (a second e-mail, a Pix key). */
  searchTerms?: string[];
}

export interface FormDefinition {
  intro(v: Values, env: FormEnv): string | null;
  steps: Step[];
  summaryTitle: string;
  /** Before the summary and again at confirmation: an open ticket for the same request. */
  duplicate?(v: Values, env: FormEnv): Ticket | undefined;
  /** What the ticket records (the values are those of the steps that apply). */
  ticket(v: Values, env: FormEnv): TicketDraft;
  /** Lines after the protocol in the confirmation (e.g. how a card refund comes back). */
  confirmation?(v: Values, env: FormEnv): string | null;
  /** Images and PDFs sent during the flow go with the ticket (their ids in `values.attachments`). */
  acceptsAttachments?: boolean;
}

/** The request a form belongs to, as the form needs it. */
export interface FormRequest {
  id: string;
  team: Team;
  /** The request in a sentence: "pedido de estorno" ("Voltando ao seu pedido de estorno"). */
  called: string;
  form: FormDefinition;
}

/** What the shared machinery may use besides the flow's services. */
export interface FormDeps {
  services: FlowServices;
  /** An FAQ entry, to answer a question asked in the middle of a request. */
  faqEntry(id: string): { question: string; short?: string; answer: string; flow?: string } | undefined;
  /** The other request types, to switch to one ("na verdade quero o boleto"). */
  request(id: string): { called: string } | undefined;
  /** Every request type's naming words (RequestType.cues). */
  requestCues: Array<{ id: string; cues?: RegExp }>;
  /** The person's own tickets as a reply ("e o meu estorno?"). */
  ticketsStatus(chatId: string): string;
  /** Opens the ticket and returns the reply with the protocol (team, expected time, pickup). */
  openTicket(requestId: string, draft: TicketDraft, env: FormEnv): string;
  /** The reply for a request already open (its protocol and status). */
  alreadyOpen(t: Ticket): string;
  /** When a request of this type is already open from this chat: a line saying so (the new one may be about another purchase). */
  openOfChat(requestId: string, chatId: string): string | null;
}

/** "não precisa adiantar", "não é isso que eu quero": this request is taken back. */
const TAKES_BACK = /\bnao (precisa|precisamos|preciso|quero|vou querer|e (isso|esse|essa|bem isso))( mais)?( (adiantar|antecipar|estorno|estornar|cancelar|reenviar|boleto|isso))?\b.{0,80}\b(problema|na verdade|quero|preciso|e que)\b/;

export const formTexts = {
  tooManyErrors:
    'Parece que não estou conseguindo entender. 😕 Quer falar com um atendente? Responda *sim* para chamar uma pessoa ou *não* para tentar de novo.',
  tryAgain: 'Tudo bem, vamos tentar de novo.',
  confirm: 'Está tudo certo? Responda *sim* para confirmar ou *não* para corrigir.',
  confirmHelp: 'Acima estão os dados que você me passou. Se estiverem certos, responda *sim* e eu registro a solicitação; se algo estiver errado, responda *não* (ou já me diga o certo, por exemplo *o pedido é 48213*).',
  whichToFix: (labels: string[]) =>
    `Qual informação você quer corrigir?\n${labels.map((l, i) => `*${i + 1}*) ${l}`).join('\n')}\n\nDigite o número, ou *cancelar* para desistir.`,
  cancelled: 'Solicitação cancelada. Nada foi registrado. Digite *menu* para ver as opções.',
  unknownQuestion: 'Essa eu não sei responder por aqui. 🙏 Se quiser, no fim do pedido digite *atendente* e uma pessoa da equipe te explica.',
  resumed: (called: string) => `Certo, retomei o ${called} com o que você já tinha me passado. 🙂`,
  givenUp: (called: string) => `Tudo bem, deixei o ${called} de lado: nada foi registrado. 🙂 Se precisar, é só chamar.`,
  firstStep: 'Esta já é a primeira pergunta. Para desistir, digite *cancelar*.',
  yesNo: 'Responda *sim* ou *não*, por favor.',
  suggestionDeclined: 'Certo, vou manter como você escreveu.',
  mediaIgnored: 'Por aqui eu consigo ler apenas texto. ✍️',
  filesWelcome: 'Pode sim! 📎 Mande a foto, o print ou o PDF aqui mesmo, a qualquer momento: vai junto com a solicitação.',
  filesNotHere: 'Para este pedido não preciso de arquivos: só das informações que eu pergunto, por escrito. ✍️',
  attachmentKept: '📎 Recebi o arquivo: ele vai junto com a solicitação.',
  back: (called: string) => `Voltando ao seu ${called}:`,
  guessed: (topic: string) => `Se entendi bem, sua dúvida é sobre *${topic}* (se não for, pergunte de novo quando terminarmos o pedido):`,
  sameRequest: (called: string) => `É justamente o que estamos fazendo agora: o seu ${called}. 🙂`,
  switched: (from: string) => `Tudo bem! Deixei o ${from} de lado (nada foi registrado).`,
  noted: (items: string[]) => `Anotei: ${items.join('; ')}.`,
  alreadyNoted: 'Isso, já tinha anotado. 🙂',
  corrected: (items: string[]) => `Corrigido: ${items.join('; ')}. ✅`,
  revalidated: (label: string, error: string) => `Com essa mudança, preciso de novo de *${label}*: ${error}`,
  example: (example: string) => `Por exemplo: ${example}.`,
  goodbyeMidway: (called: string) => `Até mais! 👋 O ${called} ficou pela metade e nada foi registrado; quando quiser, é só chamar.`,
};

interface FormState {
  chatId: string;
  params: Record<string, string>;
  values: Values;
  /** Key of the question on screen; null before the first one and at the summary. */
  asking: string | null;
  /** Keys answered, in order, for "voltar". */
  answered: string[];
  invalid: number;
  mode: 'asking' | 'suggest' | 'confirm' | 'fix' | 'human';
  /** Questions set aside because the person went on answering others; asked again at the end. */
  deferred?: string[];
  suggestion: { key: string; value: unknown; original: unknown; question: string; set?: Values } | null;
  /** The last CPF/CNPJ typed with wrong check digits (digits only), for "o final é 25, não 52". */
  badDocument?: string;
  outcome: FlowOutput | null;
  replies: string[];
}

/** Version of the stored form state; src/conversation/snapshots.ts migrates older ones. */
export const FORM_STATE_VERSION = 2;

/**
 * An e-mail address respelled as people say it: "souza com z" (one letter changed in a word of
 * it), "henriquerocha, tudo junto" / "sem o ponto" (the same letters without separators).
 */
export function respellEmail(address: string, folded: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at);
  const words = folded.split(' ').filter((w) => w.length >= 3);
  if (/\b(tudo junto|junto|sem (o )?ponto|sem (o )?underline|sem (o )?traco|sem separacao)\b/.test(folded)) {
    const bare = local.replace(/[._-]/g, '');
    const hit = words.find((w) => w.length >= 4 && w === bare);
    if (hit && hit !== local) return hit + domain;
    if (/\bsem (o )?ponto\b/.test(folded) && local.includes('.')) return local.replace(/\./g, '') + domain;
  }
  const said = /\b([a-z]{3,}) com (z|s|ss|c|x|y|w|k|i|h)\b/.exec(folded);
  if (said) {
    const [word, letter] = [said[1], said[2]];
    for (let i = 0; i + word.length <= local.length; i++) {
      const part = local.slice(i, i + word.length);
      let diff = -1;
      let n = 0;
      for (let k = 0; k < word.length; k++) if (part[k] !== word[k]) (n++, (diff = k));
      if (n === 1 && word.slice(diff, diff + letter.length) === letter) return local.slice(0, i) + word + local.slice(i + word.length) + domain;
    }
  }
  return null;
}

const TAIL_FIX = /\b(?:termina|terminando|termino|final|finalzinho|fim|acaba|ultimos(?: (?:dois|2|tres|3|quatro|4))? (?:digitos|numeros|algarismos))\b\D{0,20}?(\d{1,4})\D{0,8}?\b(?:nao|e nao|no lugar de|em vez de|ao inves de)\b\D{0,8}?(\d{1,4})\b/;

/** Says where a value is kept ("tá no e-mail", "fica na nota", "veio no contrato"). */
const WHERE_IT_IS = /\b(ta|esta|fica|veio|vem|aparece) (no|na|num|numa|em|dentro do|dentro da|la no|la na)\b/;
/** Wanting, said outright: a question with it may still ask for another request ("na verdade quero ..., pode ser?"). */
const WANTS = /\b(quero|queria|gostaria|preciso|prefiro|na verdade|mudei)\b/;
// "na verdade quero é o boleto", "prefiro pedir o estorno": words that make a request of a topic.
const REQUEST_CUE = /\b(quero|queria|gostaria|preciso|prefiro|melhor|na verdade|mudei|pedir|solicit\w*|abrir|fazer|manda|mande|envia|envie|reenvi\w*|me (ve|da|passa)|pode (me )?(mandar|enviar|fazer|abrir))\b/;

/** A copy of a message's bookkeeping, to ask a field what it would take without claiming it. */
const probeOf = (m: MessageFacts): MessageFacts => ({ ...m, used: new Set(m.used), filledNow: new Set(m.filledNow) });

function isMessage(e: { type: string }): e is MessageEvent {
  return e.type === 'text' || e.type === 'choice';
}

/** The pure heart of a form: one event in, the new state out (with the replies to send). */
function reduce(rt: FormRequest, ctx: FormState, event: { type: string; text?: string; at?: number; nlu?: Classification; media?: { attachmentId?: number } }, deps: FormDeps): FormState {
  const def = rt.form;
  const now = new Date(event.at ?? Date.now());
  const env: FormEnv = { chatId: ctx.chatId, now, services: deps.services, params: ctx.params };
  const c: FormState = { ...ctx, values: { ...ctx.values }, answered: [...ctx.answered], replies: [] };
  const say = (t: string | null | undefined) => {
    if (t) c.replies.push(t);
  };
  /** The machinery's question whose answer ended the request this start takes up again. */
  let reopened: string | null = null;
  const stepOf = (key: string | null) => (key ? def.steps.find((s) => s.key === key) : undefined);
  const applies = (s: Step) => !(s.skip?.(c.values, env) ?? false);
  const has = (s: Step) => c.values[s.key] !== undefined;
  const show = (s: Step, value = c.values[s.key]) => (s.show ? s.show(value, c.values) : String(value));
  const describe = (s: Step, value = c.values[s.key]) => `*${s.label}* ${show(s, value)}`;
  /** The values that count: an answer the person gave to a question that no longer applies is left out (values set by checks stay). */
  const effective = (): Values => {
    const v = { ...c.values };
    for (const s of def.steps) if (!applies(s) && !s.keep && c.answered.includes(s.key)) delete v[s.key];
    return v;
  };
  const collected = (): Record<string, unknown> => {
    const v = effective();
    const out: Record<string, unknown> = {};
    for (const s of def.steps) if (!s.hidden && v[s.key] !== undefined && v[s.key] !== null) out[s.key] = v[s.key];
    // A document or an e-mail also travels by kind: the client's CPF of an advance is the buyer's CPF of a resend.
    const byKind: Record<string, unknown> = {};
    for (const s of def.steps) if (!s.hidden && (s.kind === 'document' || s.kind === 'email') && typeof v[s.key] === 'string' && byKind[s.kind] === undefined) byKind[s.kind] = v[s.key];
    if (Object.keys(byKind).length) out.__byKind = byKind;
    return out;
  };

  const summary = () => {
    const lines = def.steps.filter((s) => !s.hidden && has(s) && (applies(s) || s.keep)).map((s) => `• *${s.label}:* ${show(s)}`);
    const files = Array.isArray(c.values.attachments) ? c.values.attachments.length : 0;
    if (files) lines.push(`• *Anexos:* ${files} arquivo${files > 1 ? 's' : ''}`);
    return `*${def.summaryTitle}*\n${lines.join('\n')}\n\n${formTexts.confirm}`;
  };

  const finish = (outcome: FlowOutput) => {
    c.outcome = outcome;
  };
  const handover = (reason: string, team: Team = rt.team) => finish({ outcome: 'handover', team, reason, collected: { request: rt.id, ...collected() } });

  /** Runs a step's check; false when the flow ended. */
  const runCheck = (step: Step): boolean => {
    const r = step.check?.(c.values, env);
    if (!r) return true;
    if ('finish' in r) {
      say(r.finish);
      // A gate (who may ask) ends it the same way every time: nothing to take up again.
      if (step.gate) {
        finish({ outcome: 'done' });
        return false;
      }
      const carry = collected();
      delete carry[step.key];
      // The answer that ended it: "pensando bem, pode registrar" on a new start may answer it again.
      carry.__declined = step.key;
      finish({ outcome: 'done', carry });
      return false;
    }
    if ('handover' in r) {
      say(r.handover);
      handover(`${rt.called}: ${r.handover.slice(0, 120)}`);
      return false;
    }
    if (r.set) {
      Object.assign(c.values, r.set);
      // Values a check sets come from our data, not from the person's answers.
      c.answered = c.answered.filter((k) => !(k in r.set!));
    }
    say(r.say);
    return true;
  };

  /** Stores a value after its rule; returns the rule's complaint instead when it fails. */
  const put = (step: Step, value: unknown, set?: Values): string | null => {
    const problem = value === null && step.unknown ? null : (step.validate?.(value, { ...c.values, ...set }, env) ?? null);
    if (problem) return problem;
    c.values[step.key] = value;
    if (set) for (const [k, v] of Object.entries(set)) v === undefined ? delete c.values[k] : (c.values[k] = v);
    if (!c.answered.includes(step.key)) c.answered.push(step.key);
    revalidate(step.key);
    return null;
  };

  /** After a correction, answers that the new value invalidates are asked again. */
  const revalidate = (changed: string) => {
    for (const s of def.steps) {
      if (s.key === changed || !has(s) || !s.validate || c.values[s.key] === null) continue;
      const problem = s.validate(c.values[s.key], c.values, env);
      if (problem) {
        delete c.values[s.key];
        say(formTexts.revalidated(s.label, problem));
      }
    }
  };

  const ask = (step: Step, prefix?: string) => {
    c.asking = step.key;
    c.mode = 'asking';
    say(prefix ? `${prefix}\n${step.ask(c.values, env)}` : step.ask(c.values, env));
  };

  /** Moves to the next unanswered step (set-aside ones last), or to the summary. */
  const advance = (prefix?: string) => {
    const missing = def.steps.filter((step) => applies(step) && !has(step));
    const next = missing.find((step) => !c.deferred?.includes(step.key)) ?? missing[0];
    if (next) {
      ask(next, prefix);
      return;
    }
    const open = def.duplicate?.(effective(), env);
    if (open) {
      say(deps.alreadyOpen(open));
      finish({ outcome: 'done' });
      return;
    }
    c.asking = null;
    c.mode = 'confirm';
    say(prefix);
    say(summary());
  };

  /** The pending question again, after an aside ("Voltando ao seu pedido de estorno: ..."). */
  const resume = (aside?: string | null) => {
    say(aside);
    if (c.mode === 'confirm') return say(formTexts.confirm);
    if (c.mode === 'fix') return say(formTexts.whichToFix(fixable().map((s) => s.label)));
    if (c.mode === 'suggest' && c.suggestion) return say(c.suggestion.question);
    if (c.mode === 'human') return say(formTexts.tooManyErrors);
    const step = stepOf(c.asking);
    if (step) say(`${aside ? `${formTexts.back(rt.called)}\n` : ''}${step.ask(c.values, env)}`);
    else advance();
  };

  const fixable = () => def.steps.filter((s) => !s.hidden && !s.gate && has(s) && applies(s));

  /** A whole message as facts: every field that finds its value in it, the asked one first. */
  /**
   * "o final é 25, não 52", "o pedido termina em 81, não 18": the end of a number said before,
   * put right (a stored order or document, or the CPF typed with wrong check digits).
   */
  const tailFix = (m: MessageFacts): { step: Step; ex: Extracted; correction: boolean } | undefined => {
    const t = TAIL_FIX.exec(m.folded);
    if (!t || t[1].length !== t[2].length) return undefined;
    const [now, was] = [t[1], t[2]];
    for (const step of def.steps) {
      if (step.kind !== 'order' && step.kind !== 'document') continue;
      const current = typeof c.values[step.key] === 'string' ? String(c.values[step.key]) : step.kind === 'document' && !has(step) ? c.badDocument : undefined;
      const digits = current?.replace(/[^0-9A-Za-z]/g, '');
      if (!digits || !digits.endsWith(was)) continue;
      const value = digits.slice(0, -was.length) + now;
      if (step.validate?.(value, c.values, env)) continue;
      return { step, ex: { value, token: `tail:${step.key}` }, correction: has(step) };
    }
    return undefined;
  };

  /** "meu e-mail é souza com z", "é henriquerocha, tudo junto": an address said before, respelled. */
  const respelled = (m: MessageFacts): { step: Step; ex: Extracted; correction: boolean } | undefined => {
    // ("posso mandar o cpf sem ponto?" is about the CPF: only a correction or words about the address.)
    if (m.scan.emails.length || !(m.signals.correction || /\b(email|endereco)\b/.test(m.folded)) || /\b(cpf|cnpj)\b/.test(m.folded)) return undefined;
    for (const step of [...def.steps].reverse()) {
      const v = c.values[step.key];
      const address = step.kind === 'email' && typeof v === 'string' ? v : step.kind === 'pix' && (v as { kind?: string } | null)?.kind === 'email' ? String((v as { value: string }).value) : undefined;
      const fixed = address ? respellEmail(address, m.folded) : null;
      if (!fixed) continue;
      const value = step.kind === 'pix' ? { kind: 'email', value: fixed } : fixed;
      if (step.validate?.(value, c.values, env)) continue;
      return { step, ex: { value, token: `respelled:${step.key}` }, correction: true };
    }
    return undefined;
  };

  const readFacts = (m: MessageFacts, asked: Step | undefined) => {
    const found: Array<{ step: Step; ex: Extracted; correction: boolean }> = [];
    const tail = tailFix(m) ?? respelled(m);
    if (tail) found.push(tail);
    const order = [
      ...(asked ? [asked] : []),
      ...def.steps.filter((s) => s !== asked && !s.gate && !has(s)),
      // (A field answered "none" stays so, except an address: "manda pros dois: ..." gives one after "o mesmo".)
      ...def.steps.filter((s) => s !== asked && !s.gate && has(s) && (c.values[s.key] !== null || s.kind === 'email')),
    ];
    // "não sei o número do pedido" said along with other facts: that field's own "não sei";
    // so is a sentence of its own that does not know it ("numero do pedido nao lembro. o email é ...").
    const unknownOf = /\b(nao sei|nao tenho|nao lembro|esqueci|sem)\b(.{0,30})/.exec(m.folded.replace(/\besqueci\b(?=[^.;!?]*\d)/g, ''));
    const unknownClauses = m.signals.dontKnow || /\b(nao|sem|esqueci)\b/.test(m.folded) ? m.raw.split(/[.;!?\n]+/).map((cl) => fold(cl)).filter((cl) => saysDontKnow(cl)) : [];
    // What the message says so far is visible to the fields read after ("a chave é o cpf" uses the CPF just given).
    const seen: Values = { ...c.values };
    // A question ("quantos dias pra desistir?") gives no answer to options by sharing their words.
    const asks = !m.first && m.signals.question && /\?/.test(m.raw);
    for (const step of order) {
      // A question of the machinery's own (register for analysis?) is only answered when asked,
      // or when its answer ended the request that this message starts again.
      if (step.hidden && step !== asked && step.key !== reopened) continue;
      // The answer just given is not read again as a fact.
      if (m.filledNow.has(step.key)) continue;
      // (A correction said with a question still corrects: "me confundi, pagou no cartão, então nem precisa de pix né?")
      if (asks && !m.signals.correction && step !== asked && (step.kind === 'choice' || step.kind === 'yesno')) continue;
      // (A value said in the same breath wins: "... foto sei lá ... o pedido é 68450" knows the order.)
      const givesValue = () => {
        const e = step.extract?.(probeOf(m), seen, env, { asked: step === asked, filled: false });
        return !!e && 'value' in e && e.value !== null;
      };
      if (!has(step) && step.unknown && ((unknownOf && step !== asked && step.mentions?.test(unknownOf[2])) || unknownClauses.some((cl) => step.mentions?.test(cl) ?? false)) && !givesValue()) {
        const u = step.unknown(c.values, env);
        if ('value' in u && !m.used.has(`unknown:${step.key}`)) {
          m.used.add(`unknown:${step.key}`);
          found.push({ step, ex: { value: u.value, token: `unknown:${step.key}`, set: u.set }, correction: false });
          continue;
        }
      }
      if (!step.extract) continue;
      const filled = has(step) && c.values[step.key] !== null;
      const ex = step.extract(m, seen, env, { asked: step === asked, filled });
      if (!ex || m.used.has(ex.token)) continue;
      m.used.add(ex.token);
      if ('value' in ex || 'suggest' in ex) m.filledNow.add(step.key);
      if ('value' in ex) seen[step.key] = ex.value;
      found.push({ step, ex, correction: filled });
    }
    return found;
  };

  /** Applies what a message said; true when something was stored or a suggestion asked. */
  const applyFacts = (found: ReturnType<typeof readFacts>, asked: Step | undefined, opts: { quiet?: boolean; answered?: boolean } = {}): boolean => {
    const noted: string[] = [];
    const corrected: string[] = [];
    const checks: Step[] = [];
    let stored = false;
    let suggestion: FormState['suggestion'] = null;
    let restated = false;
    for (const { step, ex, correction } of found) {
      if ('same' in ex) {
        restated = true;
        continue;
      }
      if ('error' in ex) {
        if (step === asked) {
          c.invalid++;
          say(ex.error);
        }
        continue;
      }
      if ('suggest' in ex) {
        suggestion ??= { key: step.key, value: ex.suggest.value, original: ex.original, question: ex.suggest.question, set: ex.set };
        continue;
      }
      const problem = put(step, ex.value, ex.set);
      if (problem) {
        // A rule broken by what the person just said: tell them (the asked question, or a correction).
        if (step === asked || correction || !opts.quiet) say(problem);
        if (step === asked) c.invalid++;
        continue;
      }
      stored = true;
      checks.push(step);
      // The value a typo suggestion was about, typed again right ("é gmail: ...@gmail.com"): the question is settled.
      if (c.mode === 'suggest' && c.suggestion?.key === step.key) {
        c.mode = 'asking';
        c.suggestion = null;
      }
      if (correction) corrected.push(step.echo ? `*${step.label}* ${step.echo(c.values[step.key], c.values)}` : describe(step));
      else if (step !== asked && !opts.quiet && !step.hidden && applies(step)) noted.push(describe(step));
    }
    if (corrected.length) say(formTexts.corrected(corrected));
    if (noted.length) say(formTexts.noted(noted));
    // "sou parceira, já falei": what was said again is acknowledged, not treated as a wrong answer.
    if (restated && !stored && !opts.answered && !corrected.length && !suggestion && !c.replies.length) say(formTexts.alreadyNoted);
    for (const step of def.steps) {
      if (!checks.includes(step)) continue;
      if (!runCheck(step)) return true;
    }
    if (stored) c.invalid = 0;
    if (suggestion && c.values[suggestion.key] === undefined) {
      c.mode = 'suggest';
      c.asking = suggestion.key;
      c.suggestion = suggestion;
      say(suggestion.question);
      return true;
    }
    return stored;
  };

  const switchTarget = (nlu: Classification | undefined, m: MessageFacts): string | null => {
    // A question ("existe a possibilidade de fazer sem ser por vídeo?") is answered, not taken
    // as wanting another request, unless it says so ("na verdade quero ..., pode ser?").
    const asks = m.signals.question && /\?/.test(m.raw) && !WANTS.test(m.folded);
    // "na verdade quero é o boleto novo": a request verb and the words of exactly one other request.
    if (REQUEST_CUE.test(m.folded) && !asks) {
      const named = deps.requestCues.filter((r) => r.cues?.test(m.folded));
      if (named.length === 1 && named[0].id !== rt.id) return named[0].id;
    }
    if (nlu?.kind !== 'answer') return null;
    // "o número do pedido tá no e-mail da compra, preciso abrir": talk about the question on
    // screen, not another request, whatever the matcher reads in it (only naming one switches).
    const onScreen = c.mode === 'asking' ? stepOf(c.asking) : undefined;
    if (onScreen?.mentions?.test(m.folded)) return null;
    const direct = requestOfLabel(nlu.id);
    const viaEntry = deps.faqEntry(nlu.id)?.flow;
    const target = direct ?? (viaEntry && REQUEST_CUE.test(m.folded) && !asks ? viaEntry : null);
    return target && target !== rt.id && deps.request(target) ? target : null;
  };

  /** Everything a message can mean inside the request, decided with the form's state in view. */
  const interpret = (text: string, nlu: Classification | undefined) => {
    // Another request instead: what was collected travels, and this message starts it.
    const switchTo = (flow: string) => {
      say(formTexts.switched(rt.called));
      return finish({ outcome: 'switch', flow, carry: collected(), trigger: { text, command: null, choice: null, nlu: nlu!, at: now.getTime() } });
    };
    const m: MessageFacts = { raw: text, folded: fold(text), scan: scanMessage(text, now), signals: readSignals(text), used: new Set(), filledNow: new Set() };
    const s = m.signals;
    if (m.scan.invalidDocuments.length) c.badDocument = m.scan.invalidDocuments[0].value.replace(/\W/g, '');
    const asked = c.mode === 'asking' || c.mode === 'suggest' || c.mode === 'human' ? stepOf(c.asking) : undefined;
    const intent = nlu?.kind === 'answer' ? nlu.id : null;

    // "o cpf é 181.91... pera, ele tá me mandando": the answer is on its way; no question again.
    if (s.wait && c.mode === 'asking' && !s.question && !m.scan.documents.length && !m.scan.emails.length && !m.scan.orders.length && !m.scan.dates.length) return say(WAITING_REPLY);

    // A person, in any wording: hand over with what was collected so far.
    if (s.human || (intent === 'atendente' && s.smallTalk !== 'urgency' && s.smallTalk !== 'robot')) {
      handover(`pediu uma pessoa durante o ${rt.called}`, s.human?.team ?? rt.team);
      return;
    }
    // Giving up in so many words ("deixa pra lá", "o cliente já conseguiu sozinho") — but "não sei
    // achar, deixa pra lá" at a question that can go without its answer gives up that answer only.
    const givesUpAnswer = s.dontKnow && c.mode === 'asking' && !!asked?.unknown;
    if (s.cancel === 'strong' && !s.correction && !givesUpAnswer) {
      say(formTexts.givenUp(rt.called));
      finish({ outcome: 'cancelled', carry: collected() });
      return;
    }
    // "na verdade ... não precisa adiantar não, o problema é que não chegou o e-mail": the person
    // takes this request back and names another one; switched before any of it is read as an answer.
    if ((s.correction || TAKES_BACK.test(m.folded)) && !s.question) {
      const named = deps.requestCues.filter((r) => r.id !== rt.id && r.cues?.test(m.folded));
      if (named.length === 1 && deps.request(named[0].id)) return switchTo(named[0].id);
    }
    // Yes/no questions of the machinery itself.
    const yn = s.dontKnow || s.repeat ? null : parseYesNo(text);
    const wasSuggest = c.mode === 'suggest';
    // "não, é pedro@gmail.com": the address typed again is the answer, not the "não" — unless
    // another e-mail field takes it ("não, no mesmo não, manda pro certo: pedro@gmail.com" keeps
    // the purchase address as typed and resends to the right one).
    const typedEmail = c.mode === 'suggest' && stepOf(c.suggestion?.key ?? null)?.kind === 'email' && m.scan.emails.length > 0;
    const elsewhere = typedEmail && yn === 'no' && def.steps.some((st) => st.key !== c.suggestion!.key && st.kind === 'email' && !has(st) && applies(st) && !!st.extract && 'value' in (st.extract(probeOf(m), c.values, env, { asked: false, filled: false }) ?? {}));
    if (c.mode === 'suggest' && c.suggestion && yn && (!typedEmail || elsewhere)) {
      const sug = c.suggestion;
      c.suggestion = null;
      c.mode = 'asking';
      if (yn === 'no') say(formTexts.suggestionDeclined);
      const step = stepOf(sug.key)!;
      const problem = put(step, yn === 'yes' ? sug.value : sug.original, sug.set);
      if (problem) return ask(step, problem);
      if (!runCheck(step)) return;
      if (elsewhere) {
        m.used.add(`email:${String(sug.original)}`);
        applyFacts(readFacts(m, undefined), undefined);
        if (c.outcome || (c.mode as FormState['mode']) === 'suggest') return;
      }
      advance();
      return;
    }
    if (c.mode === 'human' && yn && !m.scan.documents.length && !m.scan.emails.length) {
      if (yn === 'yes') return handover(`dificuldade em "${stepOf(c.asking)?.label ?? ''}" no ${rt.called}`);
      c.invalid = 0;
      const step = stepOf(c.asking);
      if (step) ask(step, formTexts.tryAgain);
      else advance(formTexts.tryAgain);
      return;
    }

    // "isso mesmo, pode registrar" at the summary is a yes, whatever words it shares with a field.
    const hasData = m.scan.documents.length + m.scan.emails.length + m.scan.orders.length + m.scan.numbers.length + m.scan.dates.length + m.scan.times.length > 0;
    // "pode ser, mas o CPF tá errado", "certo, mas quanto tempo demora?": a yes with a reservation is not a confirmation.
    // ("s pode gerar. ah e a comissão cai quando?" confirms and asks something else: no reservation.)
    const reserved = yn === 'yes' && /\b(mas|porem|so que|errad[oa]s?|incorret[oa]s?)\b/.test(m.folded);
    if (c.mode === 'confirm' && yn === 'yes' && !reserved && !s.correction && !hasData) return submit();

    // The answer to the question on screen, and every other fact in the message.
    let answered = false;
    // A question is not the answer to a choice because it shares its words ("quantos dias pra desistir?" is not "desistência").
    const questionAtChoice = asked?.kind === 'choice' && s.question && !/^\s*\d/.test(text);
    if (asked && !asked.free && !questionAtChoice && !(asked.kind === 'yesno' && s.dontKnow)) {
      const viaExtract = asked.extract?.(m, c.values, env, { asked: true, filled: false });
      if (!viaExtract) {
        const r = asked.parse(text, c.values, env);
        if (r.ok === true) {
          m.filledNow.add(asked.key);
          // What the answer used is not read again as another field's fact ("a chave pix pode ser
          // o cnpj do meu mei, 16.761.222/0001-67" is not a correction of the buyer's document).
          const said = typeof r.value === 'string' ? r.value : (r.value as { value?: unknown } | null)?.value;
          if (typeof said === 'string') for (const prefix of ['doc:', 'email:', 'num:']) m.used.add(prefix + said);
          const problem = put(asked, r.value, r.set);
          if (problem) {
            c.invalid++;
            say(problem);
            return;
          }
          answered = true;
        } else if (r.ok === 'suggest') {
          c.mode = 'suggest';
          c.suggestion = { key: asked.key, value: r.value, original: r.original, question: r.question };
          c.invalid = 0;
          say(r.question);
          return;
        }
      }
    }
    // A name or a description asked for is read last: "tem alguém me ouvindo?" is not a name.
    const conversational = !!(s.smallTalk || s.repeat || s.dontKnow || s.status || s.asksToSendFile || s.goodbye || s.cancel || (s.question && /\?/.test(text)));
    const deferAsked = answered || questionAtChoice || (asked?.free && conversational);
    // At the summary, "inverti os número, é 81602" answers the step it names, as if asked again.
    const mentioned = !asked && s.correction && (c.mode === 'confirm' || c.mode === 'fix') ? mentionedStep(m) : undefined;
    const named = mentioned && ['order', 'date', 'time'].includes(mentioned.kind) ? mentioned : undefined;
    const facts = readFacts(m, deferAsked ? undefined : (asked ?? named));
    // A description or a name asked for is the whole message, whatever else it also says.
    if (facts.length && asked?.free && !has(asked) && !asked.extract) {
      const r = asked.parse(text, c.values, env);
      if (r.ok === true && !put(asked, r.value, r.set)) answered = true;
    }
    if (answered || facts.length) {
      const wasConfirm = c.mode === 'confirm' || c.mode === 'fix';
      const before = c.replies.length;
      const progressed = applyFacts(facts, answered ? undefined : asked, { answered });
      // Only something said again ("sou parceira, já falei"): acknowledged, then the pending question.
      if (!progressed && !answered && facts.every((f) => 'same' in f.ex)) return resume();
      if (c.outcome) return;
      if (c.mode === 'suggest') {
        // Other facts noted while a typo question waits: the question again.
        if (wasSuggest && c.suggestion) say(c.suggestion.question);
        return;
      }
      if (answered) {
        c.invalid = 0;
        if (!runCheck(asked!)) return;
      }
      if (!progressed && !answered) {
        // Only errors (e.g. an invalid CPF): the question stays.
        if (c.replies.length === before) resume();
        else if (c.invalid >= 3) toHuman();
        return;
      }
      // The person answered other questions instead of this one: set it aside, ask it at the end.
      const answeredOthers = facts.some((f) => !f.correction && f.step !== asked && 'value' in f.ex);
      // A yes/no question answered with a question ("nem instalei, não tem jeito mesmo?"): noted, and asked again.
      if (!answered && answeredOthers && asked?.kind === 'yesno' && !has(asked) && c.mode === 'asking' && s.question && /\?/.test(text)) return ask(asked);
      if (!answered && answeredOthers && asked && !has(asked) && c.mode === 'asking') c.deferred = [...new Set([...(c.deferred ?? []), asked.key])];
      if (wasConfirm && !def.steps.some((st) => applies(st) && !has(st))) {
        c.mode = 'confirm';
        say(summary());
        return;
      }
      advance();
      return;
    }

    if (c.mode === 'confirm') {
      if (yn === 'yes' && !reserved) return submit();
      const mentioned = mentionedStep(m);
      // (A question after the yes is answered below, and the summary asked again.)
      const asksFirst = reserved && s.question && /\?/.test(text) && !/\b(errad|incorret)/.test(m.folded);
      if ((yn === 'no' || (reserved && !asksFirst)) && !mentioned) {
        c.mode = 'fix';
        return say(formTexts.whichToFix(fixable().map((st) => st.label)));
      }
      if (mentioned) return reask(mentioned);
    }
    if (c.mode === 'fix') {
      const options = fixable();
      const n = Number(text.trim());
      const chosen = Number.isInteger(n) && n >= 1 && n <= options.length ? options[n - 1] : mentionedStep(m);
      if (chosen) return reask(chosen);
    }

    if (s.cancel === 'weak') {
      say(formTexts.givenUp(rt.called));
      return finish({ outcome: 'cancelled', carry: collected() });
    }
    if (s.goodbye) {
      say(formTexts.goodbyeMidway(rt.called));
      return finish({ outcome: 'cancelled', carry: collected() });
    }
    if (s.asksToSendFile) return resume(def.acceptsAttachments ? formTexts.filesWelcome : formTexts.filesNotHere);
    // (The matcher's "status" label is not enough here: "não tenho o número do pedido" is not a question about tickets.)
    if (s.status || m.scan.protocols.length) return resume(deps.ticketsStatus(c.chatId));
    if (s.dontKnow && asked) return dontKnow(asked);
    if (s.repeat && asked) return say(`${asked.help ? `${asked.help}\n\n` : ''}${asked.ask(c.values, env)}${asked.example ? `\n${formTexts.example(asked.example)}` : ''}`);
    if (s.repeat && c.mode === 'confirm') {
      say(formTexts.confirmHelp);
      return say(summary());
    }
    if (s.repeat) return resume();
    if (s.correction) {
      const mentioned = mentionedStep(m);
      if (mentioned) return reask(mentioned);
    }
    // "o número do pedido tá no e-mail da compra, preciso abrir": where the answer is; it is coming.
    if (asked && c.mode === 'asking' && !s.question && asked.mentions?.test(m.folded) && WHERE_IT_IS.test(m.folded)) return say(WAITING_REPLY);
    // Small talk ("oi?? to com pressa") never names another request, whatever the matcher reads in it.
    const target = s.smallTalk ? null : switchTarget(nlu, m);
    if (target) return switchTo(target);
    // A question the matcher is unsure about: its best reading, said as such.
    if (!intent && nlu?.kind === 'clarify' && s.question && /\?/.test(text)) {
      // Of the readings, the one about this very request is the likely one here ("quanto tempo o cliente tem pra desistir?" in a refund).
      const own = nlu.options.map((id) => deps.faqEntry(id)).find((e) => e?.flow === rt.id);
      if (own) return resume(`*${own.question}*\n\n${own.answer}`);
      const best = deps.faqEntry(nlu.options[0]);
      if (best && best.flow !== rt.id) return resume(`${formTexts.guessed(best.short ?? best.question)}\n\n*${best.question}*\n\n${best.answer}`);
    }
    const entry = intent ? deps.faqEntry(intent) : undefined;
    if (entry && (s.question || m.folded.split(' ').length >= 4)) {
      // A question about this very request ("até quantos dias posso desistir?") is answered; asking for it again is not.
      // (Only when it names the request: "o email tá errado, ele nunca vai receber nesse" shares its words but asks nothing.)
      const namesIt = REQUEST_CUE.test(m.folded) || !!deps.requestCues.find((r) => r.id === rt.id)?.cues?.test(m.folded);
      if (entry.flow === rt.id && !s.question && namesIt) return resume(formTexts.sameRequest(rt.called));
      if (entry.flow !== rt.id || s.question) return resume(`*${entry.question}*\n\n${entry.answer}`);
    }
    // A question about something the FAQ does not cover: said honestly, then the pending question.
    if (s.question && /\?/.test(text) && nlu?.kind === 'none' && nlu.reason === 'out-of-scope' && !hasData && !s.smallTalk && m.folded.split(' ').length >= 4) return resume(formTexts.unknownQuestion);
    // Small talk as the signals read it (the matcher's greeting label is too eager for "de tarde").
    const small = s.smallTalk;
    if (small && !(asked?.free && !['impatience', 'urgency', 'audio', 'robot', 'emoji'].includes(small))) {
      const line = SMALL_TALK_REPLY[small];
      if (c.mode === 'asking' && asked) return say(line ? `${line}\n${asked.ask(c.values, env)}` : asked.ask(c.values, env));
      return resume(line || null);
    }
    if (asked?.free) {
      const r = asked.parse(text, c.values, env);
      if (r.ok === true) {
        const problem = put(asked, r.value, r.set);
        if (!problem) {
          c.invalid = 0;
          if (runCheck(asked)) advance();
          return;
        }
        c.invalid++;
        say(problem);
        if (c.invalid >= 3) toHuman();
        return;
      }
    }
    // Not understood: the question's own explanation of what it expects.
    if (c.mode === 'confirm') return say(formTexts.confirm);
    if (c.mode === 'fix') return say(formTexts.whichToFix(fixable().map((st) => st.label)));
    if (c.mode === 'suggest') return say(formTexts.yesNo);
    if (!asked) return advance();
    invalidAnswer(asked, text);
  };

  const invalidAnswer = (step: Step, text = '') => {
    const r = step.parse(text, c.values, env);
    c.invalid++;
    say(r.ok === false ? r.error : step.ask(c.values, env));
    if (c.invalid >= 3) toHuman();
  };

  const toHuman = () => {
    c.mode = 'human';
    say(formTexts.tooManyErrors);
  };

  const mentionedStep = (m: MessageFacts): Step | undefined => {
    const hits = fixable().filter((st) => st.mentions?.test(m.folded));
    return hits.length === 1 ? hits[0] : undefined;
  };

  /** "errei o cpf": that question again; the summary follows once it is answered. */
  const reask = (step: Step) => {
    delete c.values[step.key];
    c.invalid = 0;
    ask(step);
  };

  const dontKnow = (step: Step) => {
    if (!step.unknown) return invalidAnswer(step);
    const u = step.unknown(c.values, env);
    if (u && 'value' in u) {
      const problem = put(step, u.value, u.set);
      if (!problem) {
        c.invalid = 0;
        if (runCheck(step)) advance();
        return;
      }
    }
    // Not knowing counts like an answer that did not work: the third one offers a person.
    const hint = u && 'hint' in u ? u.hint : null;
    c.invalid++;
    say(hint ? `${hint}\n${step.ask(c.values, env)}` : step.ask(c.values, env));
    if (c.invalid >= 3) toHuman();
  };

  const submit = () => {
    const v = effective();
    const open = def.duplicate?.(v, env);
    if (open) {
      say(deps.alreadyOpen(open));
      return finish({ outcome: 'done' });
    }
    const extra = def.confirmation?.(v, env);
    say(`${deps.openTicket(rt.id, def.ticket(v, env), env)}${extra ? `\n${extra}` : ''}`);
    finish({ outcome: 'done' });
  };

  if (event.type === 'xstate.init') {
    // Start: values carried from a request the person switched from, then facts of the
    // message that started the flow, then the first missing question.
    // The same request taken up again ("mudei de ideia, quero continuar"): no second introduction.
    say(c.params.__again ? formTexts.resumed(rt.called) : def.intro(c.values, env));
    say(deps.openOfChat(rt.id, c.chatId));
    for (const step of def.steps) {
      if (!step.initial) continue;
      c.values[step.key] = step.initial(c.values, env);
      if (!runCheck(step)) return c;
    }
    if (c.params.__carry) {
      const carried = JSON.parse(c.params.__carry) as Values;
      const byKind = (carried.__byKind ?? {}) as Record<string, unknown>;
      if (typeof carried.__declined === 'string') reopened = carried.__declined;
      const taken: Step[] = [];
      for (const step of def.steps) {
        if (has(step)) continue;
        if (carried[step.key] !== undefined) {
          if (!put(step, carried[step.key])) taken.push(step);
        } else if (byKind[step.kind] !== undefined && !step.hidden) {
          if (!put(step, byKind[step.kind])) taken.push(step);
          delete byKind[step.kind]; // one field of that kind: the resend's purchase e-mail, not also its new address
        }
      }
      // What the answers look up (the order's date and payment) is looked up again, quietly.
      for (const step of taken) {
        const r = step.check?.(c.values, env);
        if (r && 'set' in r && r.set) {
          Object.assign(c.values, r.set);
          c.answered = c.answered.filter((k) => !(k in r.set!));
        }
      }
    }
    const trigger = c.params.__trigger ?? '';
    delete c.params.__trigger;
    delete c.params.__carry;
    delete c.params.__again;
    if (trigger) {
      const m: MessageFacts = { raw: trigger, folded: fold(trigger), scan: scanMessage(trigger, now), signals: readSignals(trigger), used: new Set(), filledNow: new Set(), first: true };
      if (m.scan.invalidDocuments.length) c.badDocument = m.scan.invalidDocuments[0].value.replace(/\W/g, '');
      applyFacts(readFacts(m, undefined), undefined, { quiet: true });
      if (c.outcome || c.mode === 'suggest') return c;
    }
    advance();
    return c;
  }

  if (event.type === 'cmd.cancel') {
    say(formTexts.cancelled);
    finish({ outcome: 'cancelled', carry: collected() });
    return c;
  }
  if (event.type === 'cmd.human') {
    handover(`pediu uma pessoa durante o ${rt.called}`);
    return c;
  }
  if (event.type === 'cmd.back') {
    // Back one question: forget the last answer and ask it again.
    while (c.answered.length && stepOf(c.answered[c.answered.length - 1])?.gate) c.answered.pop();
    const last = stepOf(c.answered.pop() ?? null);
    if (!last) {
      say(formTexts.firstStep);
      const current = stepOf(c.asking);
      if (current) say(current.ask(c.values, env));
      return c;
    }
    delete c.values[last.key];
    c.invalid = 0;
    ask(last);
    return c;
  }
  // A photo or PDF (with or without caption) joins the request when the flow takes attachments.
  const attachmentId = event.media?.attachmentId;
  const keepsAttachment = def.acceptsAttachments === true && typeof attachmentId === 'number';
  if (keepsAttachment) {
    const kept = Array.isArray(c.values.attachments) ? (c.values.attachments as number[]) : [];
    if (!kept.includes(attachmentId)) c.values.attachments = [...kept, attachmentId];
  }
  if (event.type === 'media') {
    say(keepsAttachment ? formTexts.attachmentKept : formTexts.mediaIgnored);
    resume();
    return c;
  }
  if (isMessage(event as { type: string })) interpret((event.text ?? '').trim(), event.nlu);
  return c;
}

/** True when some field of the form finds its value in `text` (e.g. the answer to "Quer começar?"). */
export function formAccepts(def: FormDefinition, deps: FormDeps, chatId: string, text: string, at: number): boolean {
  const now = new Date(at);
  const env: FormEnv = { chatId, now, services: deps.services, params: {} };
  const m: MessageFacts = { raw: text, folded: fold(text), scan: scanMessage(text, now), signals: readSignals(text), used: new Set(), filledNow: new Set(), first: true };
  return def.steps.some((s) => {
    if (s.gate || s.hidden || !s.extract) return false;
    const ex = s.extract(m, {}, env, { asked: false, filled: false });
    return !!ex && !('error' in ex) && !('same' in ex);
  });
}

/**
 * Wraps a request's form in an XState machine (a child of the router): the state, hence every
 * answer and the current question (by key), is part of the persisted snapshot, so a restart
 * resumes at the same step and a reordered flow still finds its questions.
 */
export function createFormMachine(rt: FormRequest, deps: FormDeps): AnyStateMachine {
  const emitReplies = enqueueActions(({ context, enqueue }: { context: FormState; enqueue: { sendParent(e: unknown): void; assign(a: Partial<FormState>): void } }) => {
    for (const text of context.replies) enqueue.sendParent({ type: 'flow.reply', text });
    enqueue.assign({ replies: [] });
  });
  return setup({
    types: { context: {} as FormState, input: {} as FlowInput, output: {} as FlowOutput },
  }).createMachine({
    id: rt.id,
    context: ({ input }) => {
      const params: Record<string, string> = { ...(input.params ?? {}) };
      if (input.trigger?.text) params.__trigger = input.trigger.text;
      const initial: FormState = { chatId: input.chatId, params, values: {}, asking: null, answered: [], invalid: 0, mode: 'asking', suggestion: null, outcome: null, replies: [] };
      return reduce(rt, initial, { type: 'xstate.init', at: input.trigger?.at }, deps);
    },
    initial: 'starting',
    states: {
      // The first questions were computed with the context; send them, then wait.
      starting: {
        entry: emitReplies as never,
        always: [{ guard: ({ context }) => context.outcome !== null, target: 'finished' }, { target: 'active' }],
      },
      active: {
        on: {
          '*': {
            actions: [assign(({ context, event }) => reduce(rt, context, event as MessageEvent, deps)), emitReplies as never],
            target: 'check',
          },
        },
      },
      check: {
        always: [{ guard: ({ context }) => context.outcome !== null, target: 'finished' }, { target: 'active' }],
      },
      finished: { type: 'final' },
    },
    output: ({ context }) => context.outcome ?? { outcome: 'done' },
  }) as unknown as AnyStateMachine;
}
