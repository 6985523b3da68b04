import { and, assign, emit, enqueueActions, sendTo, setup, type AnyStateMachine } from 'xstate';
import type { FaqEntry, KnowledgeBase } from '../faq/knowledge.js';
import { OUT_OF_SCOPE } from '../nlu/matcher.js';
import { parseYesNo } from '../nlu/replies.js';
import { fold } from '../nlu/spelling.js';
import type { FlowReplyEvent, MediaEvent, MessageEvent, ReplyEmitted } from './events.js';
import type { FlowDefinition, FlowInput, FlowOutput } from './flow.js';
import { categoryMenu, clarify, MENU_HUMAN, MENU_REQUESTS, mainMenu, requestsMenu, texts } from './texts.js';

/** Bump when a change makes stored snapshots incompatible: those chats restart politely. */
export const ROUTER_VERSION = 1;
export const HUMAN_FLOW = 'human_handoff';

export interface RouterContext {
  chatId: string;
  category: string | null; // category whose submenu is on screen
  options: string[]; // entries offered by "Você quis dizer"
  offer: string | null; // flow offered after an FAQ answer
  flowParams: Record<string, string> | null;
  lastMessage: MessageEvent | null; // the message that started a flow
}

type RouterEvent = MessageEvent | FlowReplyEvent | MediaEvent | { type: 'handoff.closed' };

const flowState = (id: string) => `flow_${id}`;

/**
 * One router per chat: main menu, category submenus, free-text answers from any state, the
 * global commands, and the flows of flows/ as invoked children. The machine only decides;
 * replies leave it as emitted `reply` events, which the engine collects and stores.
 */
export interface RouterHooks {
  /** The person's own tickets (or one protocol of theirs), as a reply. */
  ticketStatus(chatId: string, protocol: string | null): string;
}

const PROTOCOL = /\b(FIN|SUP)(?:\s*-\s*|\s+)(\d{1,6})\b/i;
// Words that turn "the boleto expired" into "give me a new boleto": start the request at once.
const REQUEST = /\b(quero|queria|gostaria|preciso|solicit\w*|pedir|peco|abrir|fazer o pedido|manda|mande|envia|envie|reenvi\w*|me (ve|da|passa)|pode (me )?(mandar|enviar|fazer|abrir))\b/;
// Data that only makes sense for a request: an order or document number, an e-mail address.
const HAS_DATA = /\d{4,}|\d{3}[.\s]\d{3}[.\s]\d{3}|[^\s@]+@[^\s@]+\.\w{2,}/;
// "meus pedidos", "meus chamados", "minhas solicitações": the person's own tickets.
const MY_TICKETS = /\b(meus|minhas) (pedidos|chamados|protocolos|tickets|solicitacoes)\b/;

export function createRouterMachine(kb: KnowledgeBase, flows: FlowDefinition[], hooks: RouterHooks) {
  const flowIds = new Set(flows.map((f) => f.id));
  const menuFlows = flows.filter((f) => f.menuTitle);
  const categories = kb.categories;
  const entry = (id: string): FaqEntry | undefined => kb.entries.get(id);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const say = (text: string): any => emit({ type: 'reply', text } as ReplyEmitted);
  const answerText = (e: FaqEntry) => `*${e.question}*\n\n${e.answer}`;

  const base = setup({
    types: {
      context: {} as RouterContext,
      events: {} as RouterEvent,
      input: {} as { chatId: string },
      emitted: {} as ReplyEmitted,
    },
    actors: Object.fromEntries(flows.map((f) => [f.id, f.machine])) as Record<string, AnyStateMachine>,
    guards: {
      isSmalltalk: ({ event }, p: { kind: string }) => event.type === 'text' && event.nlu.kind === 'smalltalk' && event.nlu.id === p.kind,
      isIntent: ({ event }, p: { id: string }) => event.type === 'text' && event.nlu.kind === 'answer' && event.nlu.id === p.id,
      isFlowAnswer: ({ event }) =>
        event.type === 'text' && event.nlu.kind === 'answer' && !!entry(event.nlu.id)?.flow && flowIds.has(entry(event.nlu.id)!.flow!),
      isAnswer: ({ event }) => event.type === 'text' && event.nlu.kind === 'answer' && kb.entries.has(event.nlu.id),
      isStatusQuery: ({ event }) =>
        event.type === 'text' &&
        (PROTOCOL.test(event.text) || MY_TICKETS.test(fold(event.text)) || (event.nlu.kind === 'answer' && event.nlu.id === 'status-protocolo')),
      // Used after answerFlowIs: the text asks for the request, or carries its data.
      isFlowRequest: ({ event }) => event.type === 'text' && (REQUEST.test(fold(event.text)) || HAS_DATA.test(event.text)),
      isClarify: ({ event }) => event.type === 'text' && event.nlu.kind === 'clarify',
      isOutOfScope: ({ event }) => event.type === 'text' && event.nlu.kind === 'none' && event.nlu.reason === 'out-of-scope',
      isNoText: ({ event }) => event.type === 'text' && event.nlu.kind === 'none' && event.nlu.reason === 'empty' && !/\d/.test(event.text),
      isOnlyNumber: ({ event }) => event.type === 'text' && /^[\d\s.,/#-]+$/.test(event.text),
      choiceIsCategory: ({ event }) => event.type === 'choice' && event.choice! >= 1 && event.choice! <= categories.length,
      choiceIs: ({ event }, p: { n: number }) => event.type === 'choice' && event.choice === p.n,
      choiceInCategory: ({ context, event }) => {
        const cat = categories.find((c) => c.id === context.category);
        return event.type === 'choice' && !!cat && event.choice! >= 1 && event.choice! <= cat.entries.length;
      },
      choiceInCategoryHasFlow: ({ context, event }) => {
        const cat = categories.find((c) => c.id === context.category);
        const e = event.type === 'choice' ? cat?.entries[event.choice! - 1] : undefined;
        return !!e?.flow && flowIds.has(e.flow);
      },
      choiceInOptions: ({ context, event }) => event.type === 'choice' && event.choice! >= 1 && event.choice! <= context.options.length,
      choiceInOptionsHasFlow: ({ context, event }) => {
        const e = event.type === 'choice' ? entry(context.options[event.choice! - 1] ?? '') : undefined;
        return !!e?.flow && flowIds.has(e.flow);
      },
      choiceInRequests: ({ event }) => event.type === 'choice' && event.choice! >= 1 && event.choice! <= menuFlows.length,
      saidYes: ({ event }) => (event.type === 'text' || event.type === 'choice') && parseYesNo(event.text) === 'yes',
      saidNo: ({ event }) => (event.type === 'text' || event.type === 'choice') && parseYesNo(event.text) === 'no',
      offerIs: ({ context }, p: { id: string }) => context.offer === p.id,
      answerFlowIs: ({ event }, p: { id: string }) => event.type === 'text' && event.nlu.kind === 'answer' && entry(event.nlu.id)?.flow === p.id,
      outputIsHandover: ({ event }) => (event as unknown as { output?: FlowOutput }).output?.outcome === 'handover',
    },
    actions: {
      showMainMenu: say(mainMenu(kb)),
      showCategory: enqueueActions(({ context, enqueue }) => {
        const cat = categories.find((c) => c.id === (context as RouterContext).category);
        if (cat) enqueue.emit({ type: 'reply', text: categoryMenu(cat) } as never);
      }) as never,
      showRequests: say(requestsMenu(menuFlows.map((f) => ({ id: f.id, title: f.menuTitle! })))),
      relayFlowReply: emit(({ event }) => ({ type: 'reply', text: (event as FlowReplyEvent).text }) as ReplyEmitted) as never,
    },
  });

  // Free text is understood the same way wherever the person is.
  const freeText = [
    { guard: { type: 'isSmalltalk', params: { kind: 'saudacao' } }, target: '.mainMenu', actions: 'showMainMenu' },
    { guard: { type: 'isSmalltalk', params: { kind: 'agradecimento' } }, target: '.home', actions: say(texts.thanks) },
    { guard: { type: 'isSmalltalk', params: { kind: 'despedida' } }, target: '.ended', actions: say(texts.goodbye) },
    { guard: { type: 'isIntent', params: { id: 'atendente' } }, target: '.human' },
    {
      guard: 'isStatusQuery',
      target: '.home',
      actions: emit(({ context, event }) => {
        const m = PROTOCOL.exec((event as MessageEvent).text);
        const protocol = m ? `${m[1].toUpperCase()}-${m[2].padStart(6, '0')}` : null;
        return { type: 'reply', text: `${hooks.ticketStatus((context as RouterContext).chatId, protocol)}\n\n${texts.continueHint}` } as ReplyEmitted;
      }),
    },
    // "quero estorno do pedido 48213": straight into the request, with what was said pre-filled.
    ...flows.map((f) => ({
      guard: and([{ type: 'answerFlowIs', params: { id: f.id } }, 'isFlowRequest']), // cheap id test first: one flow matches
      target: `.${flowState(f.id)}`,
      actions: assign({ lastMessage: ({ event }: { event: unknown }) => event as MessageEvent, flowParams: null }),
    })),
    {
      guard: 'isFlowAnswer',
      target: '.offer',
      actions: [
        emit(({ event }) => ({ type: 'reply', text: `${answerText(entry((event as MessageEvent).nlu.kind === 'answer' ? ((event as MessageEvent).nlu as { id: string }).id : '')!)}\n\n${texts.offerFlow}` }) as ReplyEmitted),
        assign({ offer: ({ event }) => entry(((event as MessageEvent).nlu as { id: string }).id)!.flow!, lastMessage: ({ event }) => event as MessageEvent }),
      ],
    },
    {
      guard: 'isAnswer',
      target: '.home',
      actions: emit(({ event }) => ({ type: 'reply', text: `${answerText(entry(((event as MessageEvent).nlu as { id: string }).id)!)}\n\n${texts.continueHint}` }) as ReplyEmitted),
    },
    {
      guard: 'isClarify',
      target: '.clarify',
      actions: [
        assign({ options: ({ event }) => ((event as MessageEvent).nlu as { options: string[] }).options }),
        emit(({ event }) => ({ type: 'reply', text: clarify(((event as MessageEvent).nlu as { options: string[] }).options.map((id) => entry(id)!)) }) as ReplyEmitted),
      ],
    },
    { guard: 'isNoText', target: '.home', actions: say(texts.noText) },
    { guard: 'isOnlyNumber', target: '.home', actions: say(texts.numberOnly) },
    { guard: 'isOutOfScope', target: '.mainMenu', actions: [say(texts.outOfScope), 'showMainMenu'] },
    { target: '.mainMenu', actions: [say(texts.notUnderstood), 'showMainMenu'] },
  ] as const;

  // A number outside any list refers to the main menu, the list everyone knows.
  const mainMenuChoice = [
    { guard: 'choiceIsCategory', target: '.category', actions: [assign({ category: ({ event }) => categories[(event as MessageEvent).choice! - 1].id }), 'showCategory'] },
    { guard: { type: 'choiceIs', params: { n: MENU_REQUESTS } }, target: '.requests', actions: 'showRequests' },
    { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: '.human' },
    { target: '.mainMenu', actions: say(texts.emptyChoice(MENU_HUMAN)) },
  ] as const;

  const startFlowFromOffer = flows.map((f) => ({
    guard: { type: 'offerIs', params: { id: f.id } },
    target: `#router.${flowState(f.id)}`,
  }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const answerEntry = (pick: (ctx: RouterContext, ev: MessageEvent) => FaqEntry | undefined): any =>
    emit(({ context, event }) => {
      const e = pick(context as RouterContext, event as MessageEvent)!;
      return { type: 'reply', text: `${answerText(e)}\n\n${e.flow ? texts.offerFlow : texts.continueHint}` } as ReplyEmitted;
    });

  const flowStates = Object.fromEntries(
    flows.map((f) => [
      flowState(f.id),
      {
        invoke: {
          id: 'flow',
          src: f.id,
          input: ({ context }: { context: RouterContext }): FlowInput => ({
            chatId: context.chatId,
            trigger: context.lastMessage,
            params: context.flowParams ?? undefined,
          }),
          onDone: [
            {
              guard: 'outputIsHandover',
              target: flowIds.has(HUMAN_FLOW) && f.id !== HUMAN_FLOW ? flowState(HUMAN_FLOW) : 'home',
              actions: assign({
                flowParams: ({ event }) => {
                  const out = (event as unknown as { output: FlowOutput }).output;
                  return out.outcome === 'handover' ? { team: out.team, reason: out.reason } : null;
                },
                lastMessage: null,
              }),
            },
            { target: 'home', actions: assign({ flowParams: null, lastMessage: null }) },
          ],
        },
        on: {
          text: { actions: sendTo('flow', ({ event }) => event) },
          choice: { actions: sendTo('flow', ({ event }) => event) },
          'cmd.back': { actions: sendTo('flow', ({ event }) => event) },
          'cmd.cancel': { actions: sendTo('flow', ({ event }) => event) },
          'cmd.human': { actions: sendTo('flow', ({ event }) => event) },
          media: { actions: sendTo('flow', ({ event }) => event) },
          'handoff.closed': { actions: sendTo('flow', ({ event }) => event) },
          'cmd.menu': { target: 'mainMenu', actions: [say(texts.flowLeft), 'showMainMenu'] },
        },
      },
    ]),
  );

  return base.createMachine({
    id: 'router',
    context: ({ input }: { input: { chatId: string } }) => ({ chatId: input.chatId, category: null, options: [], offer: null, flowParams: null, lastMessage: null }),
    initial: 'home',
    on: {
      'flow.reply': { actions: 'relayFlowReply' },
      'cmd.menu': { target: '.mainMenu', actions: 'showMainMenu' },
      'cmd.back': { target: '.mainMenu', actions: 'showMainMenu' },
      'cmd.cancel': { target: '.mainMenu', actions: 'showMainMenu' },
      'cmd.exit': { target: '.ended', actions: say(texts.goodbye) },
      'cmd.human': { target: '.human' },
      media: { actions: emit(({ event }) => ({ type: 'reply', text: texts.media((event as unknown as { media: { kind: string } }).media.kind) }) as ReplyEmitted) as never },
      text: freeText as never,
      choice: mainMenuChoice as never,
    },
    states: {
      home: {},
      ended: {},
      mainMenu: {},
      category: {
        on: {
          choice: [
            { guard: 'choiceInCategoryHasFlow', target: 'offer', actions: [answerEntry((c, e) => categories.find((x) => x.id === c.category)!.entries[e.choice! - 1]), assign({ offer: ({ context, event }) => categories.find((x) => x.id === context.category)!.entries[(event as MessageEvent).choice! - 1].flow!, lastMessage: null })] },
            {
              guard: 'choiceInCategory',
              actions: emit(({ context, event }) => {
                const cat = categories.find((x) => x.id === context.category)!;
                const e = cat.entries[(event as MessageEvent).choice! - 1];
                return { type: 'reply', text: `${answerText(e)}\n\n${texts.categoryHint(cat.title)}` } as ReplyEmitted;
              }),
            },
            // 10 (Solicitações) and 11 (atendente) mean the same from any list.
            { guard: { type: 'choiceIs', params: { n: MENU_REQUESTS } }, target: 'requests', actions: 'showRequests' },
            { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: 'human' },
            { actions: emit(({ context }) => ({ type: 'reply', text: texts.emptyChoice(categories.find((x) => x.id === context.category)?.entries.length ?? 1) }) as ReplyEmitted) },
          ],
        },
      },
      clarify: {
        on: {
          choice: [
            { guard: 'choiceInOptionsHasFlow', target: 'offer', actions: [answerEntry((c, e) => entry(c.options[e.choice! - 1])), assign({ offer: ({ context, event }) => entry(context.options[(event as MessageEvent).choice! - 1])!.flow!, lastMessage: null })] },
            { guard: 'choiceInOptions', target: 'home', actions: answerEntry((c, e) => entry(c.options[e.choice! - 1])) },
            // 10 (Solicitações) and 11 (atendente) mean the same from any list.
            { guard: { type: 'choiceIs', params: { n: MENU_REQUESTS } }, target: 'requests', actions: 'showRequests' },
            { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: 'human' },
            { actions: emit(({ context }) => ({ type: 'reply', text: texts.emptyChoice(context.options.length) }) as ReplyEmitted) },
          ],
          'cmd.back': { target: 'mainMenu', actions: 'showMainMenu' },
        },
      },
      offer: {
        on: {
          text: [...startFlowFromOffer.map((t) => ({ ...t, guard: and(['saidYes', t.guard]) })), { guard: 'saidNo', target: 'home', actions: say(texts.offerDeclined) }, ...freeText.map((t) => ({ ...t, target: `#router${t.target}` }))] as never,
          choice: [...startFlowFromOffer.map((t) => ({ ...t, guard: and([{ type: 'choiceIs', params: { n: 1 } }, t.guard]) })), { guard: { type: 'choiceIs', params: { n: 2 } }, target: 'home', actions: say(texts.offerDeclined) }, { actions: say(texts.yesNo) }] as never,
        },
        exit: assign({ offer: null }),
      },
      requests: {
        on: {
          choice: [
            ...menuFlows.map((f, i) => ({ guard: { type: 'choiceIs' as const, params: { n: i + 1 } }, target: flowState(f.id), actions: assign({ lastMessage: null, flowParams: null }) })),
            { guard: { type: 'choiceIs', params: { n: MENU_HUMAN } }, target: 'human' },
            { actions: say(texts.emptyChoice(menuFlows.length)) },
          ],
        },
      },
      // Hand-over: the human_handoff flow when registered, otherwise a plain note.
      human: {
        always: flowIds.has(HUMAN_FLOW)
          ? { target: flowState(HUMAN_FLOW), actions: assign({ lastMessage: null }) }
          : { target: 'home', actions: say(texts.humanUnavailable) },
      },
      ...flowStates,
    },
  } as never) as unknown as AnyStateMachine;
}
