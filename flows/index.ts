import type { RequestPhrasings } from '../src/faq/knowledge.js';
import type { FlowDefinition } from '../src/conversation/flow.js';
import type { FlowServices } from '../src/tickets/services.js';
import { appointmentAdvanceFlow } from './appointment-advance.js';
import { boletoRenewalFlow } from './boleto-renewal.js';
import { confirmationResendFlow } from './confirmation-resend.js';
import { humanHandoffFlow } from './human-handoff.js';
import { refundFlow } from './refund.js';

export interface FlowOptions {
  /** A hand-over gives the chat back to the bot after this long without staff closing it. */
  handoffTimeoutMs: number;
}

/**
 * The flows the router offers, in "Solicitações" menu order. A new flow is one file in this
 * folder plus one line here.
 */
export function createFlows(services: FlowServices, opts: FlowOptions): FlowDefinition[] {
  return [
    boletoRenewalFlow(services),
    refundFlow(services),
    appointmentAdvanceFlow(services),
    confirmationResendFlow(services),
    humanHandoffFlow(services, { timeoutMs: opts.handoffTimeoutMs }),
  ];
}

/** The request types as the understanding sees them (ids and the phrasings that start them). */
export const requestPhrasings: RequestPhrasings[] = [
  { id: 'boleto_renewal', examples: [] },
  { id: 'refund', examples: [] },
  { id: 'appointment_advance', examples: [] },
  { id: 'confirmation_resend', examples: [] },
  { id: 'human_handoff', examples: [] },
];
