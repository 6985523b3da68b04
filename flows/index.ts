import type { RequestType } from '../src/requests.js';
import { appointmentAdvance } from './appointment-advance.js';
import { boletoRenewal } from './boleto-renewal.js';
import { confirmationResend } from './confirmation-resend.js';
import { humanHandoff } from './human-handoff.js';
import { refund } from './refund.js';

/**
 * The request types, in "Solicitações" menu order. A new request type is one file in this
 * folder (its `defineRequest` declaration) plus one line here, and its stories in
 * tests/conversations/.
 */
export const requestTypes: RequestType[] = [boletoRenewal, refund, appointmentAdvance, confirmationResend, humanHandoff];
