import { afterEach, describe, expect, it } from '@jest/globals';
import { metrics } from '../../src/metrics.js';
import { startHarness, type Harness } from '../support/harness.js';

// Requests are counted as they start and as they end: completed, given up, handed over, left
// half-way when the chat went quiet, or switched for another one.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const count = async (flow: string, event: string) => (await metrics.flowEvents.get()).values.find((v) => v.labels.flow === flow && v.labels.event === event)?.value ?? 0;

describe('flow events', () => {
  it('start, cancel in natural words, hand-over, switch and abandon are each counted once', async () => {
    h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    const before = { start: await count('refund', 'start'), cancel: await count('refund', 'cancel'), handover: await count('boleto_renewal', 'handover'), abandon: await count('confirmation_resend', 'abandon'), boletoStart: await count('boleto_renewal', 'start') };
    h.say('quero estorno', { from: '5511900000001' });
    h.say('deixa pra lá', { from: '5511900000001' });
    expect(await count('refund', 'start')).toBe(before.start + 1);
    expect(await count('refund', 'cancel')).toBe(before.cancel + 1);

    h.say('quero boleto atualizado', { from: '5511900000002' });
    h.say('tem como um humano me ajudar?', { from: '5511900000002' });
    expect(await count('boleto_renewal', 'handover')).toBe(before.handover + 1);

    const at = Date.now();
    h.say('quero o reenvio do email de confirmação', { from: '5511900000003', at });
    h.say('oi', { from: '5511900000003', at: at + 25 * 3_600_000 });
    expect(await count('confirmation_resend', 'abandon')).toBe(before.abandon + 1);

    h.say('quero estorno', { from: '5511900000004' });
    h.say('na verdade quero é o boleto novo', { from: '5511900000004' });
    // Switching ends the refund as given up (its second cancel) and starts the boleto request.
    expect(await count('refund', 'cancel')).toBe(before.cancel + 2);
    expect(await count('boleto_renewal', 'start')).toBe(before.boletoStart + 2);
  });
});
