import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import type { FlowDefinition, FlowInput, FlowOutput } from '../src/conversation/flow.js';
import type { Team } from '../src/db/schema.js';
import type { FlowServices } from '../src/tickets/services.js';
import { TEAM_LABEL, ticketOpenedText } from '../src/tickets/tickets.js';

// Hand-over to a person: opens a ticket with the recent conversation, tells the person a human
// will answer here, then stays quiet in this chat (staff talk from the panel) until staff close
// the hand-over, the person types "menu", or the timeout passes.

interface Context {
  chatId: string;
  team: Team;
  protocol: string | null;
  startedAt: number;
  timeoutMs: number;
  /** Why: asked directly, or from a flow (e.g. "dificuldade no passo document de refund"). */
  reason: string;
}

export const handoffTexts = {
  waiting: (team: Team) => `Certo! Chamei uma pessoa do nosso *${TEAM_LABEL[team]}*. 🙋 Ela vai responder aqui mesmo, neste WhatsApp. Enquanto isso, fico em silêncio; se quiser voltar ao atendimento automático, digite *menu*.`,
  closed: 'O atendimento com a nossa equipe foi encerrado. Se precisar de algo mais, é só escrever ou digitar *menu*. 😊',
  timedOut: 'Nossa equipe ainda não conseguiu responder por aqui. Voltei a atender: a sua solicitação continua registrada e a resposta chega neste WhatsApp. Digite *menu* para ver as opções.',
};

export function humanHandoffFlow(services: FlowServices, opts: { timeoutMs: number }): FlowDefinition {
  const machine = setup({
    types: { context: {} as Context, input: {} as FlowInput, output: {} as FlowOutput },
  }).createMachine({
    id: 'human_handoff',
    context: ({ input }) => {
      const team: Team = input.params?.team === 'finance' ? 'finance' : 'support';
      // The time of the message that asked for a person (the engine's clock, not the wall clock:
      // the menu and the other flows start the hand-over without a trigger message).
      const startedAt = input.trigger?.at ?? services.lastMessageAt(input.chatId) ?? Date.now();
      return { chatId: input.chatId, team, protocol: null, startedAt, timeoutMs: opts.timeoutMs, reason: input.params?.reason ?? 'pedido de atendimento humano' };
    },
    initial: 'opening',
    states: {
      opening: {
        entry: enqueueActions(({ context, enqueue }) => {
          const now = new Date(context.startedAt);
          // One open hand-over per chat: reuse it instead of opening another.
          const existing = services.openTicketForChat('human_handoff', context.chatId);
          const ticket =
            existing ??
            services.openTicket({ type: 'human_handoff', team: context.team, chatId: context.chatId, data: { reason: context.reason }, now });
          enqueue.assign({ protocol: ticket.protocol });
          const opened = existing ? `Sua solicitação de atendimento *${ticket.protocol}* já está na fila.` : ticketOpenedText(ticket, services.pickup(context.team, now));
          enqueue.sendParent({ type: 'flow.reply', text: `${opened}\n\n${handoffTexts.waiting(context.team)}` });
        }),
        always: 'waiting',
      },
      waiting: {
        on: {
          'handoff.closed': { target: 'done', actions: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'flow.reply', text: handoffTexts.closed })) },
          // Messages are stored by the engine and shown to staff; the bot stays quiet,
          // unless the hand-over has waited too long.
          '*': [
            {
              guard: ({ context, event }) => typeof (event as unknown as { at?: number }).at === 'number' && (event as unknown as { at: number }).at - context.startedAt > context.timeoutMs,
              target: 'done',
              actions: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'flow.reply', text: handoffTexts.timedOut })),
            },
          ],
        },
      },
      done: { type: 'final' },
    },
    output: () => ({ outcome: 'done' }) as FlowOutput,
  });
  return { id: 'human_handoff', machine: machine as unknown as AnyStateMachine };
}
