import type { AnyEventObject } from 'xstate';
import type { Kysely } from 'kysely';
import type { Db } from './db/database.js';
import type { Database } from './db/schema.js';
import type { MessagePayload } from './conversation/events.js';
import { metrics } from './metrics.js';

// What the bot decided for each inbound message, counted per UTC hour in message_stats (no text
// is stored): the overview's messages per hour, top questions and unanswered rate come from here.

export type DecisionKind = 'answer' | 'clarify' | 'none' | 'smalltalk' | 'menu' | 'flow' | 'media' | 'long';
export interface Decision {
  kind: DecisionKind;
  /** The FAQ entry (or request label) answered, for kind 'answer'. */
  entry: string;
}

/**
 * The decision for a message from the event the engine built for it. A message sent while a
 * request or a hand-over runs belongs to that flow (a CPF typed as an answer is not an
 * unanswered question); the router's persisted snapshot names the flow state at its top level.
 */
export function decisionOf(event: AnyEventObject | string | undefined, storedSnapshot: string | undefined): Decision {
  if (typeof event === 'string') return { kind: 'long', entry: '' };
  if (storedSnapshot?.includes('"value":"flow_')) return { kind: 'flow', entry: '' };
  if (!event) return { kind: 'none', entry: '' };
  if (event.type === 'media') return { kind: 'media', entry: '' };
  const p = event as AnyEventObject & Partial<MessagePayload>;
  if (p.command || (p.choice !== null && p.choice !== undefined)) return { kind: 'menu', entry: '' };
  const nlu = p.nlu;
  if (!nlu) return { kind: 'none', entry: '' };
  if (nlu.kind === 'answer') return { kind: 'answer', entry: nlu.id };
  if (nlu.kind === 'clarify') return { kind: 'clarify', entry: '' };
  if (nlu.kind === 'smalltalk') return { kind: 'smalltalk', entry: '' };
  return { kind: 'none', entry: '' };
}

type Stat = { hour: string; kind: string; entry: string };

const qAdd = (k: Kysely<Database>, p: Stat & { n: number }) =>
  k
    .insertInto('message_stats')
    .values({ hour: p.hour, kind: p.kind, entry: p.entry, n: p.n })
    .onConflict((oc) => oc.columns(['hour', 'kind', 'entry']).doUpdateSet((eb) => ({ n: eb('message_stats.n', '+', p.n) })));

/**
 * Decisions counted in memory and written at most once a second, inside the transaction of the
 * message that comes due (one upsert per hour/kind/entry instead of one more write per message:
 * the message path's biggest cost is the pages each commit writes). A kill -9 loses at most that
 * second's counts, which are statistics, never a message; the engine flushes on shutdown and
 * before the overview reads them.
 */
export class DecisionCounter {
  private readonly pending = new Map<string, Stat & { n: number }>();
  private last = Date.now();
  constructor(private readonly everyMs = 1000) {}

  /** Inside the message's transaction. */
  private hourFrom = 0;
  private hourTo = 0;
  private hour = '';

  add(db: Db, at: number, d: Decision): void {
    if (at < this.hourFrom || at >= this.hourTo) {
      this.hourFrom = at - (at % 3_600_000);
      this.hourTo = this.hourFrom + 3_600_000;
      this.hour = new Date(at).toISOString().slice(0, 13);
    }
    const hour = this.hour;
    const key = `${hour} ${d.kind} ${d.entry}`;
    const row = this.pending.get(key);
    if (row) row.n++;
    else this.pending.set(key, { hour, kind: d.kind, entry: d.entry, n: 1 });
    if (Date.now() - this.last >= this.everyMs || this.pending.size > 500) this.write(db);
  }

  /** Writes what is pending (in its own transaction when called outside one). */
  flush(db: Db): void {
    if (this.pending.size) db.transaction(() => this.write(db));
  }

  private write(db: Db): void {
    for (const row of this.pending.values()) db.prepared(qAdd).run(row);
    this.pending.clear();
    this.last = Date.now();
  }
}

/** The Prometheus side of a handled message. */
export function countDecision(channel: string, d: Decision): void {
  metrics.messagesReceived.inc({ channel });
  if (d.kind === 'answer') metrics.faqAnswers.inc({ entry: d.entry });
  else if (d.kind === 'clarify') metrics.askBacks.inc();
  else if (d.kind === 'none') metrics.fallbacks.inc();
}
