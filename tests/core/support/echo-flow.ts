import { assign, sendParent, setup } from 'xstate';
import type { MessageEvent } from '../../../src/conversation/events.js';
import type { FlowInput, FlowOutput } from '../../../src/conversation/flow.js';

/**
 * A trivial two-step flow following src/conversation/flow.ts's contract, for the engine tests:
 * asks a name, then a colour, and finishes with output { outcome: 'done' }. Typing "boom" at
 * any step runs an action that throws (to exercise the engine's error boundary).
 */
export const ECHO_STEP1 = 'Teste passo 1: qual é o seu nome?';
export const ECHO_STEP2 = (name: string) => `Teste passo 2: obrigado, ${name}. Qual é a sua cor favorita?`;
export const ECHO_DONE = (name: string, colour: string) => `Teste concluído: ${name} gosta de ${colour}.`;

const reply = (text: string) => ({ type: 'flow.reply' as const, text });

export const echoFlowMachine = setup({
  types: {
    context: {} as { chatId: string; name: string; colour: string },
    events: {} as MessageEvent,
    input: {} as FlowInput,
    output: {} as FlowOutput,
  },
  guards: {
    isBoom: ({ event }) => event.text.trim().toLowerCase() === 'boom',
  },
  actions: {
    explode: () => {
      throw new Error('boom inside the echo flow');
    },
  },
}).createMachine({
  id: 'echo',
  context: ({ input }) => ({ chatId: input.chatId, name: '', colour: '' }),
  initial: 'askName',
  states: {
    askName: {
      entry: sendParent(reply(ECHO_STEP1)),
      on: {
        text: [
          { guard: 'isBoom', actions: 'explode' },
          {
            target: 'askColour',
            actions: [assign({ name: ({ event }) => event.text }), sendParent(({ event }) => reply(ECHO_STEP2(event.text)))],
          },
        ],
      },
    },
    askColour: {
      on: {
        text: [
          { guard: 'isBoom', actions: 'explode' },
          {
            target: 'done',
            actions: [assign({ colour: ({ event }) => event.text }), sendParent(({ context, event }) => reply(ECHO_DONE(context.name, event.text)))],
          },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: () => ({ outcome: 'done' }) as FlowOutput,
});
