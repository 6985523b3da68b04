import { generateMessageIDV2, proto, type BaileysEventMap } from '@whiskeysockets/baileys';
import type { Db } from '../../db/database.js';
import type { WhatsappSendState } from '../../db/schema.js';
import type { Logger } from '../../logger.js';
import type { SocketLike } from './connection.js';
import { WHATSAPP_CHANNEL } from './inbound.js';
import { backoffDelay, statusCodeOf } from './policy.js';
import { metrics } from '../../metrics.js';

export interface OutboxOptions {
  db: Db;
  logger: Logger;
  rate: { chatMinIntervalMs: number; chatJitterMs: number; globalPerMinute: number; globalBurst: number };
  send: { maxAttempts: number; timeoutMs: number };
  typing: { msPerChar: number; minMs: number; maxMs: number };
  retry?: { baseMs: number; maxMs: number };
  /** Longest idle wait before looking at the table again (staff messages come from elsewhere). */
  pollMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const UNKNOWN_OUTCOME = 'unknown outcome: the process stopped or the send hung while sending; not resent so nothing goes out twice';
const ERROR = proto.WebMessageInfo.Status.ERROR;
const SERVER_ACK = proto.WebMessageInfo.Status.SERVER_ACK;

interface Head {
  id: number;
  chat_id: string;
  text: string;
  in_reply_to: string | null;
  attempts: number;
  state: WhatsappSendState | null;
  wa_id: string | null;
  next_attempt_at: string | null;
}

/** "digitando..." time for a reply: proportional to its length, within [min, max]. */
export function typingDelay(text: string, t: { msPerChar: number; minMs: number; maxMs: number }): number {
  if (t.maxMs === 0) return 0;
  return Math.min(t.maxMs, Math.max(t.minMs, Math.round(text.length * t.msPerChar)));
}

/**
 * The WhatsApp side of the outbox (`outbound_messages` rows of channel 'whatsapp', status
 * 'queued'): sends them in order per chat, at most one per chat per interval (plus jitter) and
 * under a global token bucket, only to people who wrote to us first. Transient failures are
 * retried with backoff a bounded number of times; failures reported later by WhatsApp
 * (messages.update ERROR, e.g. 463) mark the row failed with the reason.
 *
 * At most once: a row is marked 'sending' (committed) before the socket call. A row found in
 * 'sending' at start-up (crash mid-send) or whose send hangs past the timeout has an unknown
 * outcome: WhatsApp has no idempotency key, so it is recorded as failed, never resent; a later
 * server receipt for its pre-assigned message id turns it back into 'sent'.
 */
export class OutboxSender {
  private sock: SocketLike | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly nextAllowed = new Map<string, number>();
  private tokens: number;
  private tokensAt: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  sentCount = 0;

  constructor(private readonly o: OutboxOptions) {
    this.clock = o.clock ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = o.random ?? Math.random;
    this.tokens = o.rate.globalBurst;
    this.tokensAt = this.clock();
  }

  private iso(): string {
    return new Date(this.clock()).toISOString();
  }

  /**
   * Start-up: rows left in 'sending' by a previous process have an unknown outcome.
   * Returns how many were marked failed.
   */
  recoverInterrupted(): number {
    const { db } = this.o;
    return db.transaction(() => {
      const rows = db.all(db.kysely.selectFrom('whatsapp_sends').select('outbound_id').where('state', '=', 'sending'));
      for (const r of rows) this.finish(r.outbound_id, 'unknown', UNKNOWN_OUTCOME);
      if (rows.length) this.o.logger.warn({ count: rows.length }, 'whatsapp: messages interrupted mid-send recorded as failed (unknown outcome)');
      return rows.length;
    });
  }

  /** Starts sending through this socket (connection open). */
  attach(sock: SocketLike): void {
    this.sock = sock;
    if (!this.running) {
      this.running = this.loop().finally(() => {
        this.running = undefined;
      });
    }
    this.kick();
  }

  /** The connection closed: stop taking new rows (a send in flight finishes or fails on its own). */
  detach(): void {
    this.sock = undefined;
    this.kick();
  }

  /** Wake the loop: new rows were queued. */
  kick(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Resolves when the loop has stopped (after detach). */
  async stopped(): Promise<void> {
    await this.running;
  }

  private waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    while (this.sock) {
      const sock = this.sock;
      let next: { head?: Head; waitMs: number };
      try {
        next = this.pick();
      } catch (err) {
        this.o.logger.error({ err }, 'whatsapp: outbox query failed');
        next = { waitMs: 1000 };
      }
      if (!next.head) {
        await this.waitFor(Math.max(1, Math.min(next.waitMs, this.o.pollMs ?? 1000)));
        continue;
      }
      try {
        await this.sendOne(sock, next.head);
      } catch (err) {
        // The database refused a write (full disk...): the row stays queued; look again shortly.
        this.o.logger.error({ err, outboundId: next.head.id }, 'whatsapp: outbox write failed');
        await this.waitFor(1000);
      }
    }
  }

  private refillTokens(now: number): void {
    const perMs = this.o.rate.globalPerMinute / 60_000;
    this.tokens = Math.min(this.o.rate.globalBurst, this.tokens + (now - this.tokensAt) * perMs);
    this.tokensAt = now;
  }

  /** The first queued row of each chat, in order; the first one allowed now, or how long to wait. */
  pick(): { head?: Head; waitMs: number } {
    const { db } = this.o;
    const now = this.clock();
    const rows = db.all(
      db.kysely
        .selectFrom('outbound_messages as o')
        .leftJoin('whatsapp_sends as s', 's.outbound_id', 'o.id')
        .select(['o.id', 'o.chat_id', 'o.text', 'o.in_reply_to', 'o.attempts', 's.state', 's.wa_id', 's.next_attempt_at'])
        .where('o.channel', '=', WHATSAPP_CHANNEL)
        .where('o.status', '=', 'queued')
        .orderBy('o.id')
        .limit(500),
    ) as Head[];
    this.refillTokens(now);
    let waitMs = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.chat_id)) continue; // in order per chat: only the head may go
      seen.add(row.chat_id);
      if (row.state === 'sending') continue; // in flight (or interrupted: recoverInterrupted settles it)
      const retryAt = row.next_attempt_at ? Date.parse(row.next_attempt_at) : 0;
      const chatAt = this.nextAllowed.get(row.chat_id) ?? 0;
      const readyAt = Math.max(retryAt, chatAt);
      if (readyAt > now) {
        waitMs = Math.min(waitMs, readyAt - now);
        continue;
      }
      if (this.tokens < 1) {
        return { waitMs: Math.ceil((1 - this.tokens) / (this.o.rate.globalPerMinute / 60_000)) };
      }
      return { head: row, waitMs: 0 };
    }
    return { waitMs: Number.isFinite(waitMs) ? waitMs : (this.o.pollMs ?? 1000) };
  }

  private setSend(outboundId: number, patch: { state: WhatsappSendState; wa_id?: string | null; jid?: string | null; attempts?: number; next_attempt_at?: string | null; started_at?: string | null; error?: string | null }): void {
    const { db } = this.o;
    const now = this.iso();
    db.run(
      db.kysely
        .insertInto('whatsapp_sends')
        .values({ outbound_id: outboundId, attempts: 0, updated_at: now, ...patch })
        .onConflict((oc) => oc.column('outbound_id').doUpdateSet({ ...patch, updated_at: now })),
    );
  }

  /** Final state of a row: outbox status plus our delivery state. */
  private finish(outboundId: number, state: 'sent' | 'failed' | 'unknown', error: string | null, waId?: string): void {
    const { db } = this.o;
    const now = this.iso();
    db.transaction(() => {
      if (state === 'sent') {
        db.run(db.kysely.updateTable('outbound_messages').set({ status: 'sent', channel_message_id: waId ?? null, sent_at: now, error: null }).where('id', '=', outboundId));
      } else {
        db.run(db.kysely.updateTable('outbound_messages').set({ status: 'failed', error }).where('id', '=', outboundId));
      }
      this.setSend(outboundId, { state, error, next_attempt_at: null });
    });
    if (state === 'sent') metrics.messagesSent.inc({ channel: WHATSAPP_CHANNEL });
    else metrics.sendFailures.inc({ channel: WHATSAPP_CHANNEL });
  }

  private async sendOne(sock: SocketLike, head: Head): Promise<void> {
    const { db, logger } = this.o;
    const chat = db.first(db.kysely.selectFrom('whatsapp_chats').select(['jid']).where('chat_id', '=', head.chat_id));
    if (!chat) {
      // No cold outbound: only people who wrote to us (and so opened their tickets) get messages.
      this.finish(head.id, 'failed', 'refused: this person never wrote to us on WhatsApp (no cold outbound)');
      logger.warn({ outboundId: head.id, chatId: head.chat_id }, 'whatsapp: cold outbound refused');
      return;
    }
    const jid = chat.jid;
    const waId = head.wa_id ?? generateMessageIDV2(sock.user?.id);

    const typing = typingDelay(head.text, this.o.typing);
    if (typing > 0) {
      await sock.sendPresenceUpdate('composing', jid).catch(() => undefined);
      await this.sleep(typing);
      if (this.sock !== sock) return; // disconnected while "typing": the row stays queued
    }

    // Committed before the socket call: a crash from here on never leads to a second send.
    const attempts = head.attempts + 1;
    db.transaction(() => {
      db.run(db.kysely.updateTable('outbound_messages').set({ attempts }).where('id', '=', head.id));
      this.setSend(head.id, { state: 'sending', wa_id: waId, jid, attempts, started_at: this.iso(), next_attempt_at: null });
    });
    this.refillTokens(this.clock());
    this.tokens -= 1;
    this.nextAllowed.set(head.chat_id, this.clock() + this.o.rate.chatMinIntervalMs + Math.round(this.random() * this.o.rate.chatJitterMs));

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.o.send.timeoutMs);
    });
    const sending = sock.sendMessage(jid, { text: head.text }, { messageId: waId });
    try {
      const result = await Promise.race([sending, timeout]);
      if (result === 'timeout') {
        this.finish(head.id, 'unknown', `${UNKNOWN_OUTCOME} (no answer in ${this.o.send.timeoutMs} ms)`);
        logger.error({ outboundId: head.id }, 'whatsapp: send hung; recorded as failed with unknown outcome');
        // If it completes after all, the message did go out.
        sending.then((r) => this.lateSuccess(head.id, r?.key?.id ?? waId)).catch(() => undefined);
        return;
      }
      this.finish(head.id, 'sent', null, result?.key?.id ?? waId);
      this.sentCount++;
      logger.debug({ outboundId: head.id, chatId: head.chat_id }, 'whatsapp: reply sent');
    } catch (err) {
      const reason = `send failed: ${(err as Error)?.message ?? String(err)}`;
      const connectionGone = statusCodeOf(err) === 428 || /connection closed/i.test((err as Error)?.message ?? '');
      // The throw happens before the stanza is written (closed socket, session lookups): safe to retry.
      if (connectionGone) {
        db.transaction(() => {
          db.run(db.kysely.updateTable('outbound_messages').set({ attempts: head.attempts }).where('id', '=', head.id));
          this.setSend(head.id, { state: 'retry', attempts: head.attempts, error: reason, next_attempt_at: this.iso() });
        });
      } else if (attempts >= this.o.send.maxAttempts) {
        this.finish(head.id, 'failed', `${reason} (after ${attempts} attempts)`);
        logger.error({ outboundId: head.id, err }, 'whatsapp: send failed for good');
      } else {
        const delay = backoffDelay(attempts, this.o.retry ?? { baseMs: 2000, maxMs: 300_000 }, this.random);
        this.setSend(head.id, { state: 'retry', attempts, error: reason, next_attempt_at: new Date(this.clock() + delay).toISOString() });
        logger.warn({ outboundId: head.id, attempts, delayMs: delay, err }, 'whatsapp: send failed, will retry');
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private lateSuccess(outboundId: number, waId: string): void {
    const row = this.o.db.first(this.o.db.kysely.selectFrom('whatsapp_sends').select('state').where('outbound_id', '=', outboundId));
    if (row?.state === 'unknown') this.finish(outboundId, 'sent', null, waId);
  }

  /** messages.update: delivery receipts, and send failures WhatsApp reports later (status ERROR, e.g. 463). */
  onUpdates(updates: BaileysEventMap['messages.update']): void {
    const { db, logger } = this.o;
    for (const { key, update } of updates) {
      if (!key.fromMe || !key.id || update.status === undefined || update.status === null) continue;
      const send = db.first(db.kysely.selectFrom('whatsapp_sends').select(['outbound_id', 'state', 'ack']).where('wa_id', '=', key.id));
      if (!send) continue;
      if (update.status === ERROR) {
        const params = (update as { messageStubParameters?: unknown[] }).messageStubParameters ?? [];
        const reason = `whatsapp reported an error${params.length ? `: ${params.join(', ')}` : ''}${params[0] === '463' ? ' (account restricted or missing privacy token; not retried)' : ''}`;
        this.finish(send.outbound_id, 'failed', reason);
        logger.error({ outboundId: send.outbound_id, code: params[0] }, 'whatsapp: message rejected after sending');
        continue;
      }
      const status = Number(update.status);
      if (send.state === 'unknown' && status >= SERVER_ACK) this.finish(send.outbound_id, 'sent', null, key.id);
      if (status > (send.ack ?? 0)) {
        db.run(db.kysely.updateTable('whatsapp_sends').set({ ack: status, updated_at: this.iso() }).where('outbound_id', '=', send.outbound_id));
      }
    }
  }

  /** The text of a message we sent (Baileys' getMessage, for retry receipts). */
  textOf(waId: string): string | undefined {
    const { db } = this.o;
    return db.first(
      db.kysely
        .selectFrom('whatsapp_sends as s')
        .innerJoin('outbound_messages as o', 'o.id', 's.outbound_id')
        .select('o.text')
        .where('s.wa_id', '=', waId),
    )?.text;
  }

  /** Outbox counts for the admin page. */
  counts(): Record<string, number> {
    const { db } = this.o;
    const rows = db.all(
      db.kysely
        .selectFrom('outbound_messages')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('channel', '=', WHATSAPP_CHANNEL)
        .groupBy('status'),
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
