import { assign, enqueueActions, sendParent, setup, type AnyStateMachine } from 'xstate';
import { parseYesNo } from '../nlu/replies.js';
import { extractFields, type ExtractedFields } from '../validation/extract.js';
import type { MessageEvent } from './events.js';
import type { FlowInput, FlowOutput } from './flow.js';

// A guided request is a form: questions asked one at a time (skipping what the person
// already said), each answer validated, a summary to confirm, then a ticket. This module is
// the shared machinery; each flow in flows/ declares its steps and what submitting does.

export type Values = Record<string, unknown>;

/** What a flow knows besides the answers: who is asking, when, and the data services. */
export interface FormEnv<S> {
  chatId: string;
  now: Date;
  services: S;
  params: Record<string, string>;
}

export type Parsed =
  | { ok: true; value: unknown; set?: Values }
  | { ok: false; error: string }
  /** A likely typo: ask the person to confirm `value` (e.g. gmial.com -> gmail.com). */
  | { ok: 'suggest'; value: unknown; original: unknown; question: string };

/** A prefill that needs a yes/no first ("você quis dizer gmail.com?"), returned by `Step.prefill`. */
export interface PrefillSuggestion {
  suggest: true;
  value: unknown;
  original: unknown;
  question: string;
}

function isSuggestion(v: unknown): v is PrefillSuggestion {
  return typeof v === 'object' && v !== null && (v as { suggest?: unknown }).suggest === true;
}

/** After an answer: go on, end the flow with a message (no ticket), or say something first. */
export type Check = { finish: string } | { say?: string; set?: Values } | { handover: string } | null | undefined | void;

export interface Step<S> {
  key: string;
  /** Label in the summary, e.g. "CPF/CNPJ do comprador". */
  label: string;
  ask(v: Values, env: FormEnv<S>): string;
  parse(text: string, v: Values, env: FormEnv<S>): Parsed;
  /** The value as shown back in the summary (masked personal data). */
  show?(value: unknown, v: Values): string;
  /** True when this step does not apply (e.g. the e-mail when the order number is known). */
  skip?(v: Values, env: FormEnv<S>): boolean;
  /** Reads the answer from the message that started the flow, when it was there. */
  prefill?(fields: ExtractedFields, text: string, v: Values, env: FormEnv<S>): unknown;
  /** Runs once the answer is stored: order checks, policy, early endings. */
  check?(v: Values, env: FormEnv<S>): Check;
  /** Steps that only matter for the conversation (not shown in the summary). */
  hidden?: boolean;
  /** A check of who is writing, not a question: "voltar" never goes back to it. */
  gate?: boolean;
}

export interface FormDefinition<S> {
  id: string;
  intro(v: Values, env: FormEnv<S>): string | null;
  steps: Step<S>[];
  /** Before the summary: an open ticket for the same request ends the flow with its status. */
  duplicate?(v: Values, env: FormEnv<S>): string | null;
  summaryTitle: string;
  /** Creates the ticket and returns the reply with the protocol. */
  submit(v: Values, env: FormEnv<S>): string;
  /** Team that takes a hand-over asked from this flow. */
  team: 'finance' | 'support';
  /** Images and PDFs sent during the flow go with the ticket (their ids in `values.attachments`). */
  acceptsAttachments?: boolean;
}

export const formTexts = {
  tooManyErrors:
    'Parece que não estou conseguindo entender. 😕 Quer falar com um atendente? Responda *sim* para chamar uma pessoa ou *não* para tentar de novo.',
  tryAgain: 'Tudo bem, vamos tentar de novo.',
  confirm: 'Está tudo certo? Responda *sim* para confirmar ou *não* para corrigir.',
  whichToFix: (labels: string[]) =>
    `Qual informação você quer corrigir?\n${labels.map((l, i) => `*${i + 1}*) ${l}`).join('\n')}\n\nDigite o número, ou *cancelar* para desistir.`,
  cancelled: 'Solicitação cancelada. Nada foi registrado. Digite *menu* para ver as opções.',
  firstStep: 'Esta já é a primeira pergunta. Para desistir, digite *cancelar*.',
  yesNo: 'Responda *sim* ou *não*, por favor.',
  suggestionDeclined: 'Certo, vou manter como você escreveu.',
  mediaIgnored: 'Por aqui eu consigo ler apenas texto. ✍️',
  attachmentKept: '📎 Recebi o arquivo: ele vai junto com a solicitação.',
};

interface FormContext {
  chatId: string;
  params: Record<string, string>;
  values: Values;
  /** Index of the step being asked; -1 before the first question. */
  current: number;
  /** Steps answered, in order, for "voltar". */
  answered: number[];
  invalid: number;
  mode: 'asking' | 'suggest' | 'confirm' | 'fix' | 'human';
  suggestion: { key: string; value: unknown; original: unknown } | null;
  /** Set by the summary correction: come back to the summary after this step. */
  fixing: boolean;
  outcome: FlowOutput | null;
  replies: string[];
}

function show<S>(step: Step<S>, v: Values): string {
  const value = v[step.key];
  return step.show ? step.show(value, v) : String(value);
}

/** The pure heart of a form: one message in, the new context out (with replies to send). */
export function reduceForm<S>(def: FormDefinition<S>, ctx: FormContext, event: { type: string; text?: string; at?: number }, services: S): FormContext {
  const now = new Date(event.at ?? Date.now());
  const env: FormEnv<S> = { chatId: ctx.chatId, now, services, params: ctx.params };
  const c: FormContext = { ...ctx, values: { ...ctx.values }, answered: [...ctx.answered], replies: [] };
  const say = (t: string | null | undefined) => {
    if (t) c.replies.push(t);
  };
  const text = (event.text ?? '').trim();

  const summary = () => {
    const lines = def.steps
      .filter((s) => !s.hidden && c.values[s.key] !== undefined && !(s.skip?.(c.values, env) ?? false))
      .map((s) => `• *${s.label}:* ${show(s, c.values)}`);
    const files = Array.isArray(c.values.attachments) ? c.values.attachments.length : 0;
    if (files) lines.push(`• *Anexos:* ${files} arquivo${files > 1 ? 's' : ''}`);
    return `*${def.summaryTitle}*\n${lines.join('\n')}\n\n${formTexts.confirm}`;
  };

  /** Runs the step's check; returns false when the flow ended. */
  const runCheck = (step: Step<S>): boolean => {
    const r = step.check?.(c.values, env);
    if (!r) return true;
    if ('finish' in r) {
      say(r.finish);
      c.outcome = { outcome: 'done' };
      return false;
    }
    if ('handover' in r) {
      say(r.handover);
      c.outcome = { outcome: 'handover', team: def.team, reason: `${def.id}: ${r.handover.slice(0, 120)}` };
      return false;
    }
    if (r.set) Object.assign(c.values, r.set);
    say(r.say);
    return true;
  };

  /** Moves to the next unanswered step, or to the summary. */
  const advance = () => {
    // After a correction from the summary, only questions the new answer made necessary (e.g.
    // the description when the reason became "outro") are asked before the summary again.
    c.fixing = false;
    for (let i = 0; i < def.steps.length; i++) {
      const step = def.steps[i];
      if (step.skip?.(c.values, env)) continue;
      if (c.values[step.key] !== undefined) continue;
      c.current = i;
      c.mode = 'asking';
      say(step.ask(c.values, env));
      return;
    }
    const dup = def.duplicate?.(c.values, env);
    if (dup) {
      say(dup);
      c.outcome = { outcome: 'done' };
      return;
    }
    c.current = -1;
    c.mode = 'confirm';
    say(summary());
  };

  const store = (step: Step<S>, value: unknown, set?: Values) => {
    c.values[step.key] = value;
    if (set) Object.assign(c.values, set);
    c.answered.push(def.steps.indexOf(step));
    c.invalid = 0;
    if (runCheck(step)) advance();
  };

  if (event.type === 'xstate.init') {
    // Start: pre-fill from the message that started the flow, then ask what is missing.
    const trigger = ctx.params.__trigger ?? '';
    delete c.params.__trigger;
    say(def.intro(c.values, env));
    {
      const fields: ExtractedFields = trigger ? extractFields(trigger, now) : { documents: [], dates: [] };
      let pending: { step: Step<S>; s: PrefillSuggestion } | null = null;
      for (const step of def.steps) {
        if (step.skip?.(c.values, env) || !step.prefill) continue;
        const value = step.prefill(fields, trigger, c.values, env);
        if (value === undefined) continue;
        if (isSuggestion(value)) {
          pending ??= { step, s: value };
          continue;
        }
        c.values[step.key] = value;
        c.answered.push(def.steps.indexOf(step));
        if (!runCheck(step)) return c;
      }
      // A likely typo in what was already said ("joao@gmial.com"): confirm it before going on.
      if (pending && c.values[pending.step.key] === undefined) {
        c.current = def.steps.indexOf(pending.step);
        c.mode = 'suggest';
        c.suggestion = { key: pending.step.key, value: pending.s.value, original: pending.s.original };
        say(pending.s.question);
        return c;
      }
    }
    advance();
    return c;
  }

  if (event.type === 'cmd.cancel') {
    say(formTexts.cancelled);
    c.outcome = { outcome: 'cancelled' };
    return c;
  }
  if (event.type === 'cmd.human') {
    c.outcome = { outcome: 'handover', team: def.team, reason: `pedido de atendente durante ${def.id}` };
    return c;
  }
  if (event.type === 'cmd.back') {
    // Back one question: forget the last answer and ask it again.
    while (c.answered.length && def.steps[c.answered[c.answered.length - 1]].gate) c.answered.pop();
    const last = c.answered.pop();
    if (last === undefined) {
      say(formTexts.firstStep);
      if (c.current >= 0) say(def.steps[c.current].ask(c.values, env));
      return c;
    }
    delete c.values[def.steps[last].key];
    c.fixing = false;
    c.invalid = 0;
    c.current = last;
    c.mode = 'asking';
    say(def.steps[last].ask(c.values, env));
    return c;
  }
  // A photo or PDF (with or without caption) joins the request when the flow takes attachments.
  const attachmentId = (event as { media?: { attachmentId?: number } }).media?.attachmentId;
  const keepsAttachment = def.acceptsAttachments === true && typeof attachmentId === 'number';
  if (keepsAttachment) {
    const kept = Array.isArray(c.values.attachments) ? (c.values.attachments as number[]) : [];
    if (!kept.includes(attachmentId)) c.values.attachments = [...kept, attachmentId];
  }
  if (event.type === 'media') {
    say(keepsAttachment ? formTexts.attachmentKept : formTexts.mediaIgnored);
    if (c.mode === 'asking' && c.current >= 0) say(def.steps[c.current].ask(c.values, env));
    return c;
  }

  switch (c.mode) {
    case 'suggest': {
      const answer = parseYesNo(text);
      const sug = c.suggestion!;
      const step = def.steps.find((s) => s.key === sug.key)!;
      if (answer === null) {
        say(formTexts.yesNo);
        return c;
      }
      c.suggestion = null;
      if (answer === 'no') say(formTexts.suggestionDeclined);
      store(step, answer === 'yes' ? sug.value : sug.original);
      return c;
    }
    case 'human': {
      const answer = parseYesNo(text);
      if (answer === 'yes') {
        c.outcome = { outcome: 'handover', team: def.team, reason: `dificuldade no passo ${def.steps[c.current]?.key ?? ''} de ${def.id}` };
        return c;
      }
      c.invalid = 0;
      c.mode = 'asking';
      say(formTexts.tryAgain);
      say(def.steps[c.current].ask(c.values, env));
      return c;
    }
    case 'confirm': {
      const answer = parseYesNo(text);
      if (answer === 'yes') {
        say(def.submit(c.values, env));
        c.outcome = { outcome: 'done' };
      } else if (answer === 'no') {
        c.mode = 'fix';
        say(formTexts.whichToFix(fixable(def, c.values, env).map((s) => s.label)));
      } else {
        say(formTexts.confirm);
      }
      return c;
    }
    case 'fix': {
      const options = fixable(def, c.values, env);
      const n = Number(text);
      const step = Number.isInteger(n) && n >= 1 && n <= options.length ? options[n - 1] : undefined;
      if (!step) {
        say(formTexts.whichToFix(options.map((s) => s.label)));
        return c;
      }
      delete c.values[step.key];
      c.current = def.steps.indexOf(step);
      c.mode = 'asking';
      c.fixing = true;
      say(step.ask(c.values, env));
      return c;
    }
    case 'asking': {
      const step = def.steps[c.current];
      if (!step) {
        advance();
        return c;
      }
      const r = step.parse(text, c.values, env);
      if (r.ok === true) {
        store(step, r.value, r.set);
      } else if (r.ok === 'suggest') {
        c.mode = 'suggest';
        c.suggestion = { key: step.key, value: r.value, original: r.original };
        c.invalid = 0;
        say(r.question);
      } else {
        c.invalid++;
        if (c.invalid >= 3) {
          c.mode = 'human';
          say(r.error);
          say(formTexts.tooManyErrors);
        } else {
          say(r.error);
        }
      }
      return c;
    }
  }
  return c;
}

function fixable<S>(def: FormDefinition<S>, v: Values, env: FormEnv<S>): Step<S>[] {
  return def.steps.filter((s) => !s.hidden && v[s.key] !== undefined && !(s.skip?.(v, env) ?? false));
}

/**
 * Wraps a form definition in an XState machine (a child of the router): the context, hence
 * every answer and the current question, is part of the persisted snapshot, so a restart
 * resumes at the same step.
 */
export function createFormMachine<S>(def: FormDefinition<S>, services: S): AnyStateMachine {
  const reply = (ctx: FormContext) => ctx.replies;
  return setup({
    types: {
      context: {} as FormContext,
      input: {} as FlowInput,
      output: {} as FlowOutput,
    },
  }).createMachine({
    id: def.id,
    context: ({ input }) => {
      const initial: FormContext = {
        chatId: input.chatId,
        params: { ...(input.params ?? {}), ...(input.trigger?.text ? { __trigger: input.trigger.text } : {}) },
        values: {},
        current: -1,
        answered: [],
        invalid: 0,
        mode: 'asking',
        suggestion: null,
        fixing: false,
        outcome: null,
        replies: [],
      };
      return reduceForm(def, initial, { type: 'xstate.init', at: input.trigger?.at }, services);
    },
    initial: 'starting',
    states: {
      // The first questions were computed with the context; send them, then wait.
      starting: {
        entry: enqueueActions(({ context, enqueue }) => {
          for (const text of reply(context)) enqueue.sendParent({ type: 'flow.reply', text });
          enqueue.assign({ replies: [] });
        }),
        always: [{ guard: ({ context }) => context.outcome !== null, target: 'finished' }, { target: 'active' }],
      },
      active: {
        on: {
          '*': {
            actions: [
              assign(({ context, event }) => reduceForm(def, context, event as MessageEvent, services)),
              enqueueActions(({ context, enqueue }) => {
                for (const text of reply(context)) enqueue(sendParent({ type: 'flow.reply', text }));
                enqueue.assign({ replies: [] });
              }),
            ],
            target: 'check',
          },
        },
      },
      check: {
        always: [{ guard: ({ context }) => context.outcome !== null, target: 'finished' }, { target: 'active' }],
      },
      finished: {
        type: 'final',
      },
    },
    output: ({ context }) => context.outcome ?? { outcome: 'done' },
  }) as unknown as AnyStateMachine;
}
