import { and, assign, emit, enqueueActions, not, sendTo, setup, type AnyStateMachine } from 'xstate';
import { requestOfLabel } from '../faq/knowledge.js';
import { fold } from '../nlu/spelling.js';
import type { FaqEntry, KnowledgeBase } from '../faq/knowledge.js';
import type { Classification } from '../nlu/matcher.js';
import { parseYesNo } from '../nlu/replies.js';
import type { DecisionEmitted, FlowEmitted, FlowReplyEvent, MediaEvent, MessageEvent, MessagePayload, ReplyEmitted } from './events.js';
import type { FlowDefinition, FlowInput, FlowOutput } from './flow.js';
import { alternativesOf, decideText, hasRequestData, type TextDecision } from './route.js';
import { isQuestion, SMALL_TALK_REPLY, WAITING_REPLY } from './signals.js';
import { parseRating, surveyTexts } from './survey.js';
import { categoryMenu, clarify, MENU_HUMAN, MENU_REQUESTS, mainMenu, requestsMenu, texts } from './texts.js';

/**
 * Version of the router's stored snapshots. Adding context fields or states does not need a
 * bump (restored chats get defaults); a change that makes old snapshots unreadable does, with a
 * migration in src/conversation/snapshots.ts so live chats keep their place.
 */
export const ROUTER_VERSION = 2;
export const HUMAN_FLOW = 'human_handoff';

export interface RouterContext {
  chatId: string;
  category: string | null; // category whose submenu is on screen
  options: string[]; // entries offered by "Você quis dizer"
  offer: string | null; // flow offered after an FAQ answer
  flowParams: Record<string, string> | null;
  lastMessage: MessagePayload | null; // the message that started a flow
  /** The FAQ entry answered last: follow-ups are read with it, "não era isso" offers the others. */
  topic?: string | null;
  alternatives?: string[];
  /** Data sent before any request was chosen ("529.982.247-25"): it pre-fills the request chosen next. */
  pending?: string | null;
  /** The request finished last ("agora outra" starts another one). */
  lastFlow?: string | null;
  /** What the request finished last had, when it ended without a ticket (JSON). */
  lastCarry?: string | null;
  /** The ticket whose satisfaction survey is on screen. */
  survey?: { protocol: string; ticketId: number; rating?: number } | null;
}

/** Staff resolved a ticket: ask the person, once, how it went. */
export type SurveyStartEvent = { type: 'survey.start'; protocol: string; ticketId: number; question?: string };
type RouterEvent = MessageEvent | FlowReplyEvent | MediaEvent | SurveyStartEvent | { type: 'handoff.closed' };

export interface RouterHooks {
  /** The person's own tickets (or one protocol of theirs), as a reply. */
  ticketStatus(chatId: string, protocol: string | null): string;
  /** A second reading of a text (a follow-up read with its topic). */
  classify(text: string): Classification;
  /** An open ticket of this request type from this chat, as a reply; null when there is none. */
  openRequestNote(chatId: string, flow: string): string | null;
  /** Titles of the request types, for the main menu. */
  menuLine: string;
  /** Stores a satisfaction rating (and comment) for a ticket. */
  recordRating(r: { ticketId: number; rating: number; comment: string | null; at: number }): void;
}

const flowState = (id: string) => `flow_${id}`;
/** The answers a request that ended without a ticket leaves behind (done or given up), for starting it again. */
const carriedOut = ({ event }: { event: unknown }): string | null => {
  const carry = (event as { output?: { carry?: Record<string, unknown> } }).output?.carry;
  return carry && Object.keys(carry).length ? JSON.stringify(carry) : null;
};
type Ctx = { context: RouterContext; event: RouterEvent };

/**
 * One router per chat: main menu, category submenus, free-text answers from any state, the
 * global commands, and the request flows as invoked children. The machine only decides;
 * replies leave it as emitted `reply` events, which the engine collects and stores.
 */
export function createRouterMachine(kb: KnowledgeBase, flows: FlowDefinition[], hooks: RouterHooks): AnyStateMachine {
  const flowIds = new Set(flows.map((f) => f.id));
  const menuFlows = flows.filter((f) => f.menuTitle);
  const categories = kb.categories;
  const entry = (id: string | null | undefined): FaqEntry | undefined => (id ? kb.entries.get(id) : undefined);
  const answerText = (e: FaqEntry) => `*${e.question}*\n\n${e.answer}`;
  const category = (ctx: RouterContext) => categories.find((c) => c.id === ctx.category);
  /** A fixed reply (the `say` action with its text as params). */
  const say = (text: string) => ({ type: 'say' as const, params: { text } });
  /** A reply computed from the message and the context. */
  const reply = (text: (a: Ctx) => string) => ({ type: 'say' as const, params: (a: Ctx) => ({ text: text(a) }) });

  // One reading per message, shared by every guard that looks at it.
  const decisions = new WeakMap<object, TextDecision>();
  const decision = ({ context, event }: Ctx): TextDecision | null => {
    if (event.type !== 'text') return null;
    let d = decisions.get(event);
    if (!d) {
      d = decideText(kb, flows, { topic: context.topic ?? null, lastFlow: context.lastFlow ?? null, lastCarry: !!context.lastCarry }, event as MessageEvent, hooks.classify);
      decisions.set(event, d);
    }
    return d;
  };
  const decided = <K extends TextDecision['kind']>(a: Ctx, kind: K) => decision(a)?.kind === kind;
  const decidedAs = <K extends TextDecision['kind']>(a: Ctx, kind: K): Extract<TextDecision, { kind: K }> => decision(a) as Extract<TextDecision, { kind: K }>;
  const message = (e: RouterEvent) => e as MessageEvent;
  const choiceOf = (e: RouterEvent) => (e.type === 'choice' ? (e as MessageEvent).choice : null);
  /** The message that starts a flow, with the data the person sent before it (one text, facts in order). */
  const withPending = (pending: string | null | undefined, m: MessagePayload | null): MessagePayload | null => {
    if (!pending) return m;
    return m ? { ...m, text: `${pending}\n${m.text}` } : { text: pending, command: null, choice: null, nlu: { kind: 'none', reason: 'empty', confidence: 0, candidates: [], greeting: false }, at: Date.now() };
  };

  /** The FAQ answer and what follows it: the request offered (or, when one is open, its status). */
  const answerWithOffer = (chatId: string, e: FaqEntry): string => {
    if (!e.flow) return `${answerText(e)}\n\n${texts.continueHint}`;
    const open = hooks.openRequestNote(chatId, e.flow);
    return open ? `${answerText(e)}\n\n${open}` : `${answerText(e)}\n\n${texts.offerFlow}`;
  };

  // The menus are the same text for everyone: built once, when first shown.
  let mainMenuText: string | undefined;
  let requestsMenuText: string | undefined;

  const base = setup({
    types: { context: {} as RouterContext, events: {} as RouterEvent, input: {} as { chatId: string }, emitted: {} as ReplyEmitted | FlowEmitted | DecisionEmitted },
    actors: Object.fromEntries(flows.map((f) => [f.id, f.machine])) as Record<string, AnyStateMachine>,
    guards: {
      decided: (a, p: { kind: TextDecision['kind'] }) => decided(a as Ctx, p.kind),
      startsFlow: (a, p: { flow: string }) => decision(a as Ctx)?.kind === 'startFlow' && decidedAs(a as Ctx, 'startFlow').flow === p.flow,
      // "tem alguém aí?", "é um robô?" while a question waits: answered, and the question stays.
      smallTalkKeepsQuestion: (a) => decided(a as Ctx, 'smallTalk') && ['impatience', 'howAreYou', 'robot', 'audio', 'urgency', 'laugh', 'replyHere'].includes(decidedAs(a as Ctx, 'smallTalk').small),
      greetsWithMenu: (a) => decided(a as Ctx, 'smallTalk') && ['greeting', 'howAreYou', 'impatience', 'thanks', 'help', 'foreign'].includes(decidedAs(a as Ctx, 'smallTalk').small),
      hasAlternatives: ({ context }) => (context.alternatives?.length ?? 0) > 0,
      choiceIsCategory: ({ event }) => (choiceOf(event) ?? 0) >= 1 && choiceOf(event)! <= categories.length,
      choiceIs: ({ event }, p: { n: number }) => choiceOf(event) === p.n,
      choiceInCategory: ({ context, event }) => (choiceOf(event) ?? 0) >= 1 && choiceOf(event)! <= (category(context)?.entries.length ?? 0),
      categoryChoiceHasFlow: ({ context, event }) => {
        const e = category(context)?.entries[(choiceOf(event) ?? 0) - 1];
        return !!e?.flow && flowIds.has(e.flow);
      },
      choiceInOptions: ({ context, event }) => (choiceOf(event) ?? 0) >= 1 && choiceOf(event)! <= context.options.length,
      optionChoiceHasFlow: ({ context, event }) => {
        const e = entry(context.options[(choiceOf(event) ?? 0) - 1]);
        return !!e?.flow && flowIds.has(e.flow);
      },
      choiceInRequests: ({ event }) => (choiceOf(event) ?? 0) >= 1 && choiceOf(event)! <= menuFlows.length,
      saidYes: ({ event }) => (event.type === 'text' || event.type === 'choice') && parseYesNo(message(event).text) === 'yes',
      /** An answer to "Quer começar?" that is the first answer of the request itself (a CPF, an order number). */
      offerAnsweredWithData: ({ context, event }, p: { id: string }) => {
        if (context.offer !== p.id || event.type !== 'text') return false;
        const m = message(event);
        return hasRequestData(m.text) || !!flows.find((f) => f.id === p.id)?.accepts?.(context.chatId, m.text, m.at);
      },
      /**
       * "Quer começar?" answered with more of the same ("consigo outro?", "já faz 2 dias"): a
       * reading that lands on the offered request's own entry (or asks between it and others) is a yes.
       */
      offerWanted: (a, p: { id: string }) => {
        const { context, event } = a as Ctx;
        if (context.offer !== p.id || event.type !== 'text') return false;
        const d = decision(a as Ctx);
        if (!d) return false;
        if (d.kind === 'clarify') return d.options.some((id) => entry(id)?.flow === p.id);
        if (d.kind === 'answerAndOffer') return d.flow === p.id;
        if (d.kind === 'answer') return entry(d.entry)?.flow === p.id;
        return false;
      },
      saidYesToOnlyOption: ({ context, event }) => context.options.length === 1 && event.type === 'text' && parseYesNo(message(event).text) === 'yes',
      onlyOptionHasFlow: ({ context }) => !!entry(context.options[0])?.flow && flowIds.has(entry(context.options[0])!.flow!),
      /** In the Solicitações list, words that name one request ("é pro estorno"). */
      namesFlow: (a, p: { flow: string }) => {
        const ev = (a as Ctx).event;
        if (ev.type !== 'text') return false;
        const d = decision(a as Ctx);
        if (d?.kind === 'startFlow') return d.flow === p.flow;
        const folded = fold(message(ev).text);
        const named = flows.filter((f) => f.cues?.test(folded));
        if (named.length) return named.length === 1 && named[0].id === p.flow;
        const nlu = message(ev).nlu;
        return nlu.kind === 'answer' && (requestOfLabel(nlu.id) ?? entry(nlu.id)?.flow) === p.flow;
      },
      saidNo: ({ event }) => (event.type === 'text' || event.type === 'choice') && parseYesNo(message(event).text) === 'no',
      ratedWithComment: ({ event }) => (event.type === 'text' || event.type === 'choice') && !!parseRating(message(event).text)?.comment,
      rated: ({ event }) => (event.type === 'text' || event.type === 'choice') && parseRating(message(event).text) !== null,
      /** After the rating, a question or a request is not a comment. */
      movesOn: (a) => {
        const ev = (a as Ctx).event;
        if (ev.type !== 'text') return false;
        const m = message(ev);
        return isQuestion(m.text) || m.nlu.kind === 'answer' || m.nlu.kind === 'clarify';
      },
      offerIs: ({ context }, p: { id: string }) => context.offer === p.id,
      saidYesTo: ({ context, event }, p: { id: string }) => context.offer === p.id && (event.type === 'text' || event.type === 'choice') && parseYesNo(message(event).text) === 'yes',
      choseOneFor: ({ context, event }, p: { id: string }) => context.offer === p.id && choiceOf(event) === 1,
      flowEndedWith: ({ event }, p: { outcome: FlowOutput['outcome']; flow?: string }) => {
        const out = (event as unknown as { output?: FlowOutput }).output;
        return out?.outcome === p.outcome && (p.flow === undefined || (out.outcome === 'switch' && out.flow === p.flow));
      },
    },
    actions: {
      say: emit((_, p: { text: string }) => ({ type: 'reply' as const, text: p.text })),
      flowEvent: emit((_, p: { flow: string; event: FlowEmitted['event'] }) => ({ type: 'flow' as const, flow: p.flow, event: p.event })),
      /** The reading of free text the transition acted on (the engine records what was not answered). */
      noteDecision: emit((a) => ({ type: 'decision' as const, decision: decision(a as Ctx)! })),
      showMainMenu: emit(() => ({ type: 'reply' as const, text: (mainMenuText ??= mainMenu(kb, hooks.menuLine)) })),
      showCategory: enqueueActions(({ context, enqueue }) => {
        const cat = category(context);
        if (cat) enqueue.emit({ type: 'reply', text: categoryMenu(cat) });
      }),
      showRequests: emit(() => ({ type: 'reply' as const, text: (requestsMenuText ??= requestsMenu(menuFlows.map((f) => ({ id: f.id, title: f.menuTitle! })))) })),
      relayFlowReply: emit(({ event }) => ({ type: 'reply' as const, text: (event as FlowReplyEvent).text })),
      forgetTopic: assign({ topic: undefined, alternatives: undefined }),
      startFromMessage: assign({
        lastMessage: ({ context, event }) => withPending(context.pending, message(event)),
        flowParams: (a) => (decision(a as Ctx)?.kind === 'startFlow' && decidedAs(a as Ctx, 'startFlow').again && a.context.lastCarry ? { __carry: a.context.lastCarry, __again: '1' } : null),
        topic: null,
        pending: undefined,
      }),
    },
  });

  // Free text is understood the same way wherever the person is outside a request; every way
  // out says what was decided first (noteDecision).
  const freeText = ([
    {
      guard: 'greetsWithMenu',
      target: '.mainMenu',
      actions: [
        reply((a) => {
          const small = decidedAs(a, 'smallTalk').small;
          return small === 'greeting' ? '' : small === 'thanks' ? texts.thanks : SMALL_TALK_REPLY[small];
        }),
        'showMainMenu',
        'forgetTopic',
      ],
    },
    { guard: { type: 'decided', params: { kind: 'smallTalk' } }, target: '.home', actions: reply((a) => SMALL_TALK_REPLY[decidedAs(a, 'smallTalk').small] || texts.continueHint) },
    { guard: { type: 'decided', params: { kind: 'thanks' } }, target: '.home', actions: say(texts.thanks) },
    { guard: { type: 'decided', params: { kind: 'goodbye' } }, target: '.ended', actions: [say(texts.goodbye), 'forgetTopic'] },
    {
      guard: { type: 'decided', params: { kind: 'human' } },
      target: '.human',
      actions: assign({ flowParams: (a: Ctx) => (decidedAs(a, 'human').team ? { team: decidedAs(a, 'human').team!, reason: `pediu uma pessoa do ${decidedAs(a, 'human').team === 'finance' ? 'financeiro' : 'suporte'}` } : null) }),
    },
    {
      guard: { type: 'decided', params: { kind: 'status' } },
      target: '.home',
      actions: reply((a) => `${hooks.ticketStatus(a.context.chatId, decidedAs(a, 'status').protocol)}\n\n${texts.continueHint}`),
    },
    {
      guard: { type: 'decided', params: { kind: 'notThis' } },
      target: '.clarify',
      actions: [
        assign({ options: ({ context }: Ctx) => context.alternatives ?? [] }),
        reply(({ context }) => texts.notThis(context.alternatives?.length ? (context.alternatives ?? []).map((id) => entry(id)!).filter(Boolean) : [])),
        'forgetTopic',
      ],
    },
    // "quero estorno do pedido 48213": straight into the request, with what was said pre-filled.
    ...flows.map((f) => ({ guard: { type: 'startsFlow' as const, params: { flow: f.id } }, target: `.${flowState(f.id)}`, actions: 'startFromMessage' as const })),
    {
      guard: { type: 'decided', params: { kind: 'answerAndOffer' } },
      target: '.offer',
      actions: [
        reply((a) => answerWithOffer(a.context.chatId, entry(decidedAs(a, 'answerAndOffer').entry)!)),
        assign({
          // With a request of this kind already open, nothing is offered.
          offer: (a: Ctx) => (hooks.openRequestNote(a.context.chatId, decidedAs(a, 'answerAndOffer').flow) ? null : decidedAs(a, 'answerAndOffer').flow),
          lastMessage: ({ event }: Ctx) => message(event),
          topic: (a: Ctx) => decidedAs(a, 'answerAndOffer').entry,
          alternatives: (a: Ctx) => alternativesOf(kb, message(a.event).nlu, decidedAs(a, 'answerAndOffer').entry) || undefined,
        }),
      ],
    },
    {
      guard: { type: 'decided', params: { kind: 'answer' } },
      target: '.home',
      actions: [
        reply((a) => {
          const d = decidedAs(a, 'answer');
          const also = d.also ? entry(d.also) : undefined;
          return also ? `${answerText(entry(d.entry)!)}\n\n${answerText(also)}\n\n${texts.continueHint}` : answerWithOffer(a.context.chatId, entry(d.entry)!);
        }),
        assign({
          topic: (a: Ctx) => decidedAs(a, 'answer').entry,
          alternatives: (a: Ctx) => alternativesOf(kb, message(a.event).nlu, decidedAs(a, 'answer').entry),
        }),
      ],
    },
    {
      guard: { type: 'decided', params: { kind: 'followUpUnknown' } },
      target: '.home',
      actions: reply((a) => texts.followUpUnknown(entry(decidedAs(a, 'followUpUnknown').entry)!.short)),
    },
    {
      guard: { type: 'decided', params: { kind: 'clarify' } },
      target: '.clarify',
      actions: [
        assign({ options: (a: Ctx) => decidedAs(a, 'clarify').options, topic: null }),
        reply((a) => clarify(decidedAs(a, 'clarify').options.map((id) => entry(id)!))),
      ],
    },
    {
      guard: { type: 'decided', params: { kind: 'dataOnly' } },
      target: '.requests',
      actions: [assign({ pending: ({ context, event }: Ctx) => `${context.pending ? `${context.pending}\n` : ''}${message(event).text}`.slice(-1000) }), say(texts.dataWithoutRequest), 'showRequests', 'forgetTopic'],
    },
    { guard: { type: 'decided', params: { kind: 'wait' } }, target: '.home', actions: say(WAITING_REPLY) },
    { guard: { type: 'decided', params: { kind: 'ack' } }, target: '.home', actions: say(texts.ack) },
    { guard: { type: 'decided', params: { kind: 'noText' } }, target: '.home', actions: say(texts.noText) },
    { guard: { type: 'decided', params: { kind: 'numberOnly' } }, target: '.home', actions: say(texts.numberOnly) },
    { guard: { type: 'decided', params: { kind: 'outOfScope' } }, target: '.mainMenu', actions: [say(texts.outOfScope), 'showMainMenu', 'forgetTopic'] },
    { target: '.mainMenu', actions: [say(texts.notUnderstood), 'showMainMenu', 'forgetTopic'] },
  ] as Array<{ guard?: unknown; target: string; actions: unknown }>).map((t) => ({ ...t, actions: ['noteDecision', ...(Array.isArray(t.actions) ? t.actions : [t.actions])] }));

  // A number outside any list refers to the main menu, the list everyone knows.
  const mainMenuChoice = [
    { guard: 'choiceIsCategory', target: '.category', actions: [assign({ category: ({ event }: Ctx) => categories[choiceOf(event)! - 1].id }), 'showCategory'] },
    { guard: { type: 'choiceIs', params: { n: MENU_REQUESTS } }, target: '.requests', actions: 'showRequests' },
    { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: '.human', actions: assign({ flowParams: null }) },
    { target: '.mainMenu', actions: say(texts.emptyChoice(MENU_HUMAN)) },
  ];
  // 10 (Solicitações) and 11 (atendente) mean the same from any list.
  const globalChoices = [
    { guard: { type: 'choiceIs', params: { n: MENU_REQUESTS } }, target: 'requests', actions: 'showRequests' },
    { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: 'human', actions: assign({ flowParams: null }) },
  ];

  // The survey is asked only while the person is not in the middle of something.
  const surveyStart = {
    'survey.start': {
      target: '#router.survey',
      actions: [
        assign({ survey: ({ event }: Ctx) => ({ protocol: (event as SurveyStartEvent).protocol, ticketId: (event as SurveyStartEvent).ticketId }) }),
        reply(({ event }) => (event as SurveyStartEvent).question ?? surveyTexts.ask((event as SurveyStartEvent).protocol)),
      ],
    },
  };
  const record = (withComment: (e: MessageEvent) => string | null) =>
    enqueueActions(({ context, event, enqueue }: { context: RouterContext; event: RouterEvent; enqueue: { assign(a: Partial<RouterContext>): void } }) => {
      const m = message(event);
      const parsed = parseRating(m.text);
      const rating = parsed?.rating ?? context.survey?.rating;
      if (context.survey && rating) hooks.recordRating({ ticketId: context.survey.ticketId, rating, comment: withComment(m), at: m.at });
      enqueue.assign({ survey: context.survey && rating ? { ...context.survey, rating } : null });
    });

  const startOfferedFlow = flows.map((f) => ({ guard: { type: 'offerIs', params: { id: f.id } }, target: `#router.${flowState(f.id)}` }));

  const answerEntry = (pick: (ctx: RouterContext, choice: number) => FaqEntry | undefined) =>
    reply(({ context, event }) => answerWithOffer(context.chatId, pick(context, choiceOf(event)!)!));
  const offerEntry = (pick: (ctx: RouterContext, choice: number) => FaqEntry | undefined) =>
    assign({
      offer: ({ context, event }: Ctx) => {
        const flow = pick(context, choiceOf(event)!)!.flow!;
        return hooks.openRequestNote(context.chatId, flow) ? null : flow;
      },
      lastMessage: null,
    });
  const categoryEntry = (c: RouterContext, n: number) => category(c)?.entries[n - 1];
  const optionEntry = (c: RouterContext, n: number) => entry(c.options[n - 1]);

  // Where each way of ending a flow leads: a hand-over to the person, another request, the menu.
  const flowDone = (f: FlowDefinition) => [
    ...(flowIds.has(HUMAN_FLOW) && f.id !== HUMAN_FLOW
      ? [
          {
            guard: { type: 'flowEndedWith', params: { outcome: 'handover' } },
            target: flowState(HUMAN_FLOW),
            actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'handover' } }, assign({
              flowParams: ({ event }: { event: unknown }) => {
                const out = (event as { output: Extract<FlowOutput, { outcome: 'handover' }> }).output;
                return { team: out.team, reason: out.reason, ...(out.collected ? { collected: JSON.stringify(out.collected) } : {}) };
              },
              lastMessage: null,
            })],
          },
        ]
      : []),
    ...flows
      .filter((to) => to.id !== f.id)
      .map((to) => ({
        guard: { type: 'flowEndedWith', params: { outcome: 'switch', flow: to.id } },
        target: flowState(to.id),
        actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'cancel' } }, assign({
          flowParams: ({ event }: { event: unknown }) => ({ __carry: JSON.stringify((event as { output: Extract<FlowOutput, { outcome: 'switch' }> }).output.carry) }),
          lastMessage: ({ event }: { event: unknown }) => (event as { output: Extract<FlowOutput, { outcome: 'switch' }> }).output.trigger ?? null,
        })],
      })),
    { guard: { type: 'flowEndedWith', params: { outcome: 'left' } }, target: 'mainMenu', actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'cancel' } }, 'showMainMenu', assign({ flowParams: null, lastMessage: null })] },
    { guard: { type: 'flowEndedWith', params: { outcome: 'cancelled' } }, target: 'home', actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'cancel' } }, assign({ flowParams: null, lastMessage: null, lastFlow: f.id, lastCarry: carriedOut })] },
    { target: 'home', actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'complete' } }, assign({ flowParams: null, lastMessage: null, lastFlow: f.id, lastCarry: carriedOut })] },
  ];

  const forward = { actions: sendTo('flow', ({ event }: { event: RouterEvent }) => event) };
  const flowStates = Object.fromEntries(
    flows.map((f) => [
      flowState(f.id),
      {
        invoke: {
          id: 'flow',
          src: f.id,
          input: ({ context }: { context: RouterContext }): FlowInput => ({ chatId: context.chatId, trigger: context.lastMessage, params: context.flowParams ?? undefined }),
          onDone: flowDone(f),
        },
        entry: ['forgetTopic', { type: 'flowEvent', params: { flow: f.id, event: 'start' } }],
        on: {
          text: forward,
          choice: forward,
          'cmd.back': forward,
          'cmd.cancel': forward,
          'cmd.human': forward,
          media: forward,
          'handoff.closed': forward,
          // "menu" leaves a request for the menu; in a hand-over the flow decides what happens to its ticket.
          'cmd.menu': f.id === HUMAN_FLOW ? forward : { target: 'mainMenu', actions: [{ type: 'flowEvent', params: { flow: f.id, event: 'cancel' } }, say(texts.flowLeft), 'showMainMenu'] },
        },
      },
    ]),
  );

  return base.createMachine({
    id: 'router',
    // Optional fields stay absent until used: every byte here is stored after every message.
    context: ({ input }: { input: { chatId: string } }) => ({ chatId: input.chatId, category: null, options: [], offer: null, flowParams: null, lastMessage: null }),
    initial: 'home',
    on: {
      'flow.reply': { actions: 'relayFlowReply' },
      'cmd.menu': { target: '.mainMenu', actions: ['showMainMenu', 'forgetTopic'] },
      'cmd.back': { target: '.mainMenu', actions: 'showMainMenu' },
      'cmd.cancel': { target: '.mainMenu', actions: 'showMainMenu' },
      'cmd.exit': { target: '.ended', actions: [say(texts.goodbye), 'forgetTopic'] },
      'cmd.human': { target: '.human', actions: assign({ flowParams: null }) },
      media: { actions: reply(({ event }) => texts.media((event as MediaEvent).media.kind)) },
      text: freeText as never,
      choice: mainMenuChoice as never,
    },
    states: {
      home: { on: surveyStart as never },
      ended: { on: surveyStart as never },
      mainMenu: { on: surveyStart as never },
      // "Como foi o atendimento? 1 a 5": a rating (with or without a comment); anything else is read as usual.
      survey: {
        on: {
          text: [
            { guard: 'ratedWithComment', target: 'home', actions: [record((m) => parseRating(m.text)!.comment), say(surveyTexts.thanks), assign({ survey: undefined })] },
            { guard: 'rated', target: 'surveyComment', actions: [record(() => null), say(surveyTexts.askComment)] },
            ...freeText.map((t) => ({ ...t, target: `#router${t.target}`, actions: [assign({ survey: undefined }), ...(Array.isArray(t.actions) ? t.actions : [t.actions])] })),
          ] as never,
          choice: [
            { guard: 'rated', target: 'surveyComment', actions: [record(() => null), say(surveyTexts.askComment)] },
            ...mainMenuChoice.map((t) => ({ ...t, target: `#router${t.target}` })),
          ] as never,
        },
      },
      surveyComment: {
        on: {
          text: [
            { guard: 'saidNo', target: 'home', actions: [say(surveyTexts.thanks), assign({ survey: undefined })] },
            { guard: not('movesOn'), target: 'home', actions: [record((m) => m.text.slice(0, 1000)), say(surveyTexts.thanks), assign({ survey: undefined })] },
            ...freeText.map((t) => ({ ...t, target: `#router${t.target}`, actions: [assign({ survey: undefined }), ...(Array.isArray(t.actions) ? t.actions : [t.actions])] })),
          ] as never,
        },
      },
      category: {
        on: {
          ...(surveyStart as object),
          choice: [
            { guard: 'categoryChoiceHasFlow', target: 'offer', actions: [answerEntry(categoryEntry), offerEntry(categoryEntry)] },
            {
              guard: 'choiceInCategory',
              actions: reply(({ context, event }) => `${answerText(categoryEntry(context, choiceOf(event)!)!)}\n\n${texts.categoryHint(category(context)!.title)}`),
            },
            ...globalChoices,
            { actions: reply(({ context }) => texts.emptyChoice(category(context)?.entries.length ?? 1)) },
          ] as never,
        },
      },
      clarify: {
        on: {
          ...(surveyStart as object),
          // "Você quis dizer: X?" answered "sim".
          text: [
            { guard: and(['saidYesToOnlyOption', 'onlyOptionHasFlow']), target: 'offer', actions: [answerEntry((c) => entry(c.options[0])), offerEntry((c) => entry(c.options[0]))] },
            { guard: 'saidYesToOnlyOption', target: 'home', actions: [answerEntry((c) => entry(c.options[0])), assign({ topic: ({ context }: Ctx) => context.options[0] })] },
            ...freeText.map((t) => ({ ...t, target: `#router${t.target}` })),
          ] as never,
          choice: [
            { guard: 'optionChoiceHasFlow', target: 'offer', actions: [answerEntry(optionEntry), offerEntry(optionEntry)] },
            { guard: 'choiceInOptions', target: 'home', actions: [answerEntry(optionEntry), assign({ topic: ({ context, event }: Ctx) => optionEntry(context, choiceOf(event)!)!.id })] },
            ...globalChoices,
            { actions: reply(({ context }) => texts.emptyChoice(Math.max(1, context.options.length))) },
          ] as never,
          'cmd.back': { target: 'mainMenu', actions: 'showMainMenu' },
        },
      },
      offer: {
        on: {
          text: [
            ...startOfferedFlow.map((t) => ({ ...t, guard: { type: 'saidYesTo', params: t.guard.params } })),
            // "Quer começar?" answered with the request's first data: that is a yes, and the data counts.
            ...startOfferedFlow.map((t) => ({
              ...t,
              guard: { type: 'offerAnsweredWithData', params: t.guard.params },
              actions: assign({ lastMessage: ({ context, event }: Ctx) => withPending(context.lastMessage?.text ?? null, message(event)) }),
            })),
            { guard: 'saidNo', target: 'home', actions: say(texts.offerDeclined) },
            ...startOfferedFlow.map((t) => ({ ...t, guard: { type: 'offerWanted', params: t.guard.params } })),
            // "pera, vou pegar o CPF": the offer stays open for the data that follows.
            { guard: { type: 'decided', params: { kind: 'wait' } }, actions: say(WAITING_REPLY) },
            { guard: 'smallTalkKeepsQuestion', actions: reply((a) => `${SMALL_TALK_REPLY[decidedAs(a, 'smallTalk').small]}\n\n${texts.offerFlow}`) },
            ...freeText.map((t) => ({ ...t, target: `#router${t.target}` })),
          ] as never,
          choice: [
            ...startOfferedFlow.map((t) => ({ ...t, guard: { type: 'choseOneFor', params: t.guard.params } })),
            { guard: { type: 'choiceIs', params: { n: 2 } }, target: 'home', actions: say(texts.offerDeclined) },
            ...globalChoices.map((t) => ({ ...t, target: `#router.${t.target}` })),
            { actions: say(texts.yesNo) },
          ] as never,
        },
        exit: assign({ offer: null }),
      },
      requests: {
        on: {
          text: [
            ...flows.map((f) => ({ guard: { type: 'namesFlow', params: { flow: f.id } }, target: flowState(f.id), actions: 'startFromMessage' })),
            ...freeText.map((t) => ({ ...t, target: `#router${t.target}` })),
          ] as never,
          choice: [
            ...menuFlows.map((f, i) => ({
              guard: { type: 'choiceIs', params: { n: i + 1 } },
              target: flowState(f.id),
              actions: assign({ lastMessage: ({ context }: Ctx) => withPending(context.pending, null), flowParams: null, pending: undefined }),
            })),
            { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: 'human', actions: assign({ flowParams: null }) },
            { actions: say(texts.emptyChoice(menuFlows.length)) },
          ] as never,
        },
      },
      // Hand-over: the human_handoff flow when registered, otherwise a plain note.
      human: {
        always: flowIds.has(HUMAN_FLOW) ? { target: flowState(HUMAN_FLOW), actions: assign({ lastMessage: null }) } : { target: 'home', actions: say(texts.humanUnavailable) },
      },
      ...flowStates,
    },
  }) as unknown as AnyStateMachine;
}
