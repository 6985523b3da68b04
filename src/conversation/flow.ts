import type { AnyStateMachine } from 'xstate';
import type { MessagePayload } from './events.js';

/**
 * The contract between the router and a flow. A flow is an XState machine the router invokes
 * as a child: it receives the person's messages as MessageEvents, talks back with
 * `sendParent({ type: 'flow.reply', text })`, and ends in a final state whose output says how.
 * Requests declared in flows/ become flows through src/requests.ts.
 */
export interface FlowInput {
  chatId: string;
  /** The message that started the flow (its data can pre-fill answers). */
  trigger: MessagePayload | null;
  /** Extra context from the router, e.g. the team for a hand-over. */
  params?: Record<string, string>;
}

export type FlowOutput =
  /** Finished; `carry` when it ended without a ticket ("já está pago"), so "é o outro, 50912" can start it again with the rest. */
  | { outcome: 'done'; carry?: Record<string, unknown> }
  /** Given up; `carry` are the answers so far, so "mudei de ideia, pode continuar" picks them up again. */
  | { outcome: 'cancelled'; carry?: Record<string, unknown> }
  /** A person takes over; `collected` is what the request had gathered (goes on the ticket). */
  | { outcome: 'handover'; team: 'finance' | 'support'; reason: string; collected?: Record<string, unknown> }
  /** The person wants another request instead; `carry` are answers it can reuse. */
  | { outcome: 'switch'; flow: string; carry: Record<string, unknown>; trigger?: MessagePayload | null }
  /** The person left a hand-over for the menu. */
  | { outcome: 'left' };

export interface FlowDefinition {
  id: string;
  /** Label in the "Solicitações" menu; flows without one are not listed there. */
  menuTitle?: string;
  /** Words naming the request (see RequestType.cues). */
  cues?: RegExp;
  /** True when the request would take something from this text (its first answers). */
  accepts?(chatId: string, text: string, at: number): boolean;
  machine: AnyStateMachine;
}
