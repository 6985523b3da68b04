import type { FlowDefinition } from '../src/conversation/flow.js';

/**
 * The flows the router offers, in "Solicitações" menu order. A new flow is one file in this
 * folder plus one line here.
 */
export function createFlows(): FlowDefinition[] {
  return [];
}
