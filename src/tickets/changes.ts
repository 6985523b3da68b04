import type { Db } from '../db/database.js';
import type { Team, TicketStatus, TicketType } from '../db/schema.js';

// Ticket changes, in process: every audit event (created, status, assigned, note, message...)
// touches its ticket here; once the writing transaction is over (setImmediate: SQLite
// transactions here are synchronous) the listeners get one batch with the tickets as they are
// now. The staff panel's live queue listens; nobody listening costs nothing.

export interface TicketChange {
  id: number;
  protocol: string;
  type: TicketType;
  team: Team;
  status: TicketStatus;
  /** What happened to it in this batch (event kinds: created, status, assigned, note, message...). */
  kinds: string[];
  /** When the change was published (epoch ms): how late a live page sees it. */
  at: number;
}

type Listener = (batch: TicketChange[]) => void;

export class TicketChangeBus {
  private readonly pending = new Map<number, { kinds: Set<string>; at: number }>();
  private readonly listeners = new Set<Listener>();
  private scheduled = false;
  /** Bumped at every ticket event of this process, listened to or not: what a cached list is checked against. */
  version = 0;

  constructor(private readonly db: Db) {}

  touch(ticketId: number, kind: string): void {
    this.version++;
    if (this.listeners.size === 0) return;
    const p = this.pending.get(ticketId);
    if (p) p.kinds.add(kind);
    else this.pending.set(ticketId, { kinds: new Set([kind]), at: Date.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private flush(): void {
    this.scheduled = false;
    const pending = [...this.pending];
    this.pending.clear();
    if (!pending.length || !this.listeners.size) return;
    let rows: Array<{ id: number; protocol: string; type: TicketType; team: Team; status: TicketStatus }>;
    try {
      rows = this.db.all(this.db.kysely.selectFrom('tickets').select(['id', 'protocol', 'type', 'team', 'status']).where('id', 'in', pending.map(([id]) => id)));
    } catch {
      return; // the database closed meanwhile (shutdown): nothing to tell
    }
    const byId = new Map(pending);
    const batch = rows.map((r) => ({ ...r, kinds: [...byId.get(r.id)!.kinds], at: byId.get(r.id)!.at }));
    for (const fn of this.listeners) {
      try {
        fn(batch);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}

const buses = new WeakMap<Db, TicketChangeBus>();

/** The change bus of a database handle (one per handle, so tests on several databases stay apart). */
export function ticketChanges(db: Db): TicketChangeBus {
  let bus = buses.get(db);
  if (!bus) buses.set(db, (bus = new TicketChangeBus(db)));
  return bus;
}
