// What to do when a Baileys socket closes: a pure table, tested code by code.

export type CloseAction =
  /** Open a new socket now (515 after pairing). */
  | { kind: 'reconnect'; delay: 'immediate'; reason: string }
  /** Open a new socket after an exponential, jittered delay. */
  | { kind: 'reconnect'; delay: 'backoff'; reason: string }
  /** Stale WhatsApp Web version (405): refresh the version in the background, then back off. */
  | { kind: 'refresh_version'; reason: string }
  /** Logged out (401): wipe the session and show a new QR. */
  | { kind: 'logout'; reason: string }
  /** Never reconnect by itself: an operator must act. */
  | { kind: 'stop'; state: 'replaced' | 'forbidden' | 'multidevice_mismatch' | 'qr_expired'; reason: string };

export interface CloseContext {
  /** The error message Baileys gave (e.g. "QR refs attempts ended"). */
  message?: string;
  /** Whether the session is linked to a phone. */
  linked: boolean;
}

/** The close-code policy. `code` is Boom's output.statusCode, undefined for a non-Boom error. */
export function closeAction(code: number | undefined, ctx: CloseContext): CloseAction {
  switch (code) {
    case 515:
      return { kind: 'reconnect', delay: 'immediate', reason: 'restart required (normal after pairing)' };
    case 408:
      if (!ctx.linked && /QR refs attempts ended/i.test(ctx.message ?? '')) {
        return { kind: 'stop', state: 'qr_expired', reason: 'QR codes expired without a scan: waiting for an operator' };
      }
      return { kind: 'reconnect', delay: 'backoff', reason: 'connection lost or timed out' };
    case 428:
      return { kind: 'reconnect', delay: 'backoff', reason: 'connection closed' };
    case 500:
      return { kind: 'reconnect', delay: 'backoff', reason: 'bad session or unknown stream error' };
    case 503:
      return { kind: 'reconnect', delay: 'backoff', reason: 'service unavailable' };
    case 440:
      return { kind: 'stop', state: 'replaced', reason: 'another client took this session over (440)' };
    case 401:
      return { kind: 'logout', reason: 'logged out from the phone (401)' };
    case 403:
      return { kind: 'stop', state: 'forbidden', reason: 'WhatsApp refused this account (403)' };
    case 411:
      return { kind: 'stop', state: 'multidevice_mismatch', reason: 'multi-device mismatch (411)' };
    case 405:
      return { kind: 'refresh_version', reason: 'WhatsApp Web version refused as stale (405)' };
    default:
      return { kind: 'reconnect', delay: 'backoff', reason: code === undefined ? 'closed without a status code' : `unexpected status ${code}` };
  }
}

/**
 * Delay before reconnect attempt `attempt` (1-based): base·2^(attempt-1), capped at max, with
 * ±20 % jitter so many bots (or restarts) do not reconnect in step.
 */
export function backoffDelay(attempt: number, o: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const jitter = 0.8 + 0.4 * random();
  return Math.min(o.maxMs, Math.round(exp * jitter));
}

/** Status code of a Baileys close error (a Boom carries output.statusCode). */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
