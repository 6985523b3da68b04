import { describe, expect, it } from '@jest/globals';
import { backoffDelay, closeAction, statusCodeOf } from '../../src/channels/whatsapp/policy.js';

describe('close-code policy', () => {
  const linked = { linked: true };
  it.each([
    [515, { kind: 'reconnect', delay: 'immediate' }],
    [408, { kind: 'reconnect', delay: 'backoff' }],
    [428, { kind: 'reconnect', delay: 'backoff' }],
    [500, { kind: 'reconnect', delay: 'backoff' }],
    [503, { kind: 'reconnect', delay: 'backoff' }],
    [undefined, { kind: 'reconnect', delay: 'backoff' }],
    [599, { kind: 'reconnect', delay: 'backoff' }],
    [440, { kind: 'stop', state: 'replaced' }],
    [401, { kind: 'logout' }],
    [403, { kind: 'stop', state: 'forbidden' }],
    [411, { kind: 'stop', state: 'multidevice_mismatch' }],
    [405, { kind: 'refresh_version' }],
  ])('code %p → %p', (code, expected) => {
    expect(closeAction(code as number | undefined, linked)).toMatchObject(expected);
  });

  it('408 "QR refs attempts ended" on an unlinked session waits for an operator', () => {
    expect(closeAction(408, { linked: false, message: 'QR refs attempts ended' })).toMatchObject({ kind: 'stop', state: 'qr_expired' });
    expect(closeAction(408, { linked: true, message: 'QR refs attempts ended' })).toMatchObject({ kind: 'reconnect', delay: 'backoff' });
    expect(closeAction(408, { linked: false, message: 'Connection was lost' })).toMatchObject({ kind: 'reconnect', delay: 'backoff' });
  });

  it('backoff doubles from the base, is capped, and jitters ±20 %', () => {
    const o = { baseMs: 1000, maxMs: 60_000 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, o, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(30, o, () => 0.5)).toBe(60_000);
    expect(backoffDelay(1000, o, () => 1)).toBe(60_000);
    expect(backoffDelay(3, o, () => 0)).toBe(3200);
    expect(backoffDelay(3, o, () => 1)).toBe(4800);
  });

  it('reads the status code of a Boom, and nothing from a plain error', () => {
    expect(statusCodeOf({ output: { statusCode: 440 } })).toBe(440);
    expect(statusCodeOf(new Error('x'))).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
  });
});
