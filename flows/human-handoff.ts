import { enqueueActions, setup } from 'xstate';
import type { FlowInput, FlowOutput } from '../src/conversation/flow.js';
import type { Team, Ticket } from '../src/db/schema.js';
import { defineRequest, type MachineDeps } from '../src/requests.js';
import { TEAM_LABEL } from '../src/tickets/tickets.js';

// Hand-over to a person: opens a ticket with the recent conversation (and whatever a request
// had collected), tells the person a human will answer here, then stays quiet in this chat
// (staff talk from the panel) until staff close the hand-over, the person types "menu", or the
// timeout passes. Leaving for the menu before anyone answered closes the ticket, so the queue
// never keeps a conversation nobody is waiting on.

interface Context {
  chatId: string;
  team: Team;
  protocol: string | null;
  startedAt: number;
  timeoutMs: number;
  /** Why: asked directly, or from a request (e.g. "pediu uma pessoa durante o pedido de estorno"). */
  reason: string;
  collected: Record<string, unknown>;
  /** The person typed "menu": the router shows the menu after the flow ends. */
  left?: boolean;
}

export const handoffTexts = {
  waiting: (team: Team) => `Certo! Chamei uma pessoa do nosso *${TEAM_LABEL[team]}*. 🙋 Ela vai responder aqui mesmo, neste WhatsApp. Enquanto isso, fico em silêncio; se quiser voltar ao atendimento automático, digite *menu*.`,
  passedOn: 'Já deixei anotado para a equipe o que você me contou, para não precisar repetir.',
  closed: 'O atendimento com a nossa equipe foi encerrado. Se precisar de algo mais, é só escrever ou digitar *menu*. 😊',
  timedOut: 'Nossa equipe ainda não conseguiu responder por aqui. Voltei a atender: a sua solicitação continua registrada e a resposta chega neste WhatsApp. Digite *menu* para ver as opções.',
  leftClosed: (protocol: string) => `Como você voltou ao atendimento automático antes de alguém responder, encerrei o pedido de atendimento *${protocol}*. Se ainda precisar de uma pessoa, é só pedir de novo. 🙂`,
  leftKept: (protocol: string) => `Voltei ao atendimento automático. O seu atendimento *${protocol}* continua aberto com a nossa equipe, que responde aqui mesmo.`,
};

const firstName = (t: Ticket) => {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
};

function handoffMachine({ services, handoffTimeoutMs }: MachineDeps) {
  // Counted in the team's business hours: asked for at night, it still waits in the morning.
  const timedOut = ({ context, event }: { context: Context; event: { at?: unknown } }) =>
    typeof event.at === 'number' && services.workingMs(context.team, context.startedAt, event.at) > context.timeoutMs;
  return setup({
    types: { context: {} as Context, input: {} as FlowInput, output: {} as FlowOutput },
  }).createMachine({
    id: 'human_handoff',
    context: ({ input }) => {
      const team: Team = input.params?.team === 'finance' ? 'finance' : 'support';
      // The time of the message that asked for a person (the engine's clock, not the wall clock:
      // the menu and the other flows start the hand-over without a trigger message).
      const startedAt = input.trigger?.at ?? services.lastMessageAt(input.chatId) ?? Date.now();
      const collected = input.params?.collected ? (JSON.parse(input.params.collected) as Record<string, unknown>) : {};
      return { chatId: input.chatId, team, protocol: null, startedAt, timeoutMs: handoffTimeoutMs, reason: input.params?.reason ?? 'pedido de atendimento humano', collected };
    },
    initial: 'opening',
    states: {
      opening: {
        entry: enqueueActions(({ context, enqueue }) => {
          const now = new Date(context.startedAt);
          // One open hand-over per chat: reuse it instead of opening another.
          const existing = services.openTicketForChat('human_handoff', context.chatId);
          const c = context.collected;
          const ticket =
            existing ??
            services.openTicket({
              type: 'human_handoff',
              team: context.team,
              chatId: context.chatId,
              orderNumber: typeof c.orderNumber === 'string' ? c.orderNumber : null,
              document: typeof c.document === 'string' ? c.document : typeof c.customerCpf === 'string' ? c.customerCpf : null,
              email: typeof c.email === 'string' ? c.email : null,
              data: { reason: context.reason, ...c },
              now,
            });
          enqueue.assign({ protocol: ticket.protocol });
          const opened = existing ? `Sua solicitação de atendimento *${ticket.protocol}* já está na fila.` : services.ticketOpenedText(ticket, now);
          const passed = Object.keys(c).length > 1 ? `\n${handoffTexts.passedOn}` : '';
          enqueue.sendParent({ type: 'flow.reply', text: `${opened}\n\n${handoffTexts.waiting(context.team)}${passed}` });
        }),
        always: 'waiting',
      },
      waiting: {
        on: {
          'handoff.closed': { target: 'done', actions: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'flow.reply', text: handoffTexts.closed })) },
          // "menu": back to the bot. Nobody answered yet: the ticket is closed with the reason;
          // staff already on it: it stays open with a note. The person is told which.
          'cmd.menu': {
            target: 'left',
            actions: enqueueActions(({ context, event, enqueue }) => {
              enqueue.assign({ left: true });
              const at = new Date(typeof (event as { at?: unknown }).at === 'number' ? (event as unknown as { at: number }).at : Date.now());
              const kept = services.leaveHandoff(context.protocol!, at);
              enqueue.sendParent({ type: 'flow.reply', text: kept ? handoffTexts.leftKept(context.protocol!) : handoffTexts.leftClosed(context.protocol!) });
            }),
          },
          // Messages are stored by the engine and shown to staff; the bot stays quiet,
          // unless the hand-over has waited too long.
          '*': [{ guard: timedOut as never, target: 'done', actions: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'flow.reply', text: handoffTexts.timedOut })) }],
        },
      },
      left: { type: 'final' },
      done: { type: 'final' },
    },
    output: ({ context }) => (context.left ? { outcome: 'left' } : { outcome: 'done' }) as FlowOutput,
  });
}

export const humanHandoff = defineRequest({
  id: 'human_handoff',
  team: 'support',
  title: 'Atendimento humano',
  called: 'atendimento com uma pessoa',
  expectedTime: 'assim que possível',
  slaHours: 1,
  // Asking for a person is understood everywhere (intents.yaml "atendente", src/conversation/signals.ts).
  examples: [],
  labels: { reason: 'Motivo do atendimento', request: 'Solicitação de origem' },
  templates: {
    resolved: (t) => `Olá${firstName(t)}! Seu atendimento foi concluído. Se precisar de algo mais, é só escrever aqui. Protocolo *${t.protocol}*.`,
    rejected: (t) => `Olá${firstName(t)}! Encerramos este atendimento: [motivo]. Se precisar, é só escrever aqui. Protocolo *${t.protocol}*.`,
  },
  machine: (deps) => handoffMachine(deps) as never,
});
