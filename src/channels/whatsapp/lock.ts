import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../../db/database.js';
import type { WhatsappLockTable } from '../../db/schema.js';

export class LockHeldError extends Error {
  constructor(
    readonly account: string,
    readonly holder: WhatsappLockTable,
    ageMs: number,
  ) {
    super(
      `Outra instância do bot já usa a sessão do WhatsApp "${account}" neste banco ` +
        `(pid ${holder.pid} em ${holder.host}, último sinal há ${Math.round(ageMs / 1000)} s). ` +
        'Duas conexões na mesma sessão se derrubam sem fim (código 440): pare a outra instância, ' +
        'ou inicie esta com WHATSAPP_ENABLED=false.',
    );
    this.name = 'LockHeldError';
  }
}

export interface LockOptions {
  heartbeatMs: number;
  /** A lock whose heartbeat is older than this is taken over. */
  staleMs: number;
  clock?: () => number;
  /** Is a process of this host alive? (default: signal 0) */
  isAlive?: (pid: number) => boolean;
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per WhatsApp number: a row per account in `whatsapp_locks`, refreshed by a
 * heartbeat. A second process is refused with a clear message; a lock whose holder stopped
 * beating (crash, kill -9) is taken over after `staleMs`, or at once when the holder's pid is
 * gone on this same host.
 */
export class InstanceLock {
  readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  private readonly host = os.hostname();

  constructor(
    private readonly db: Db,
    readonly account: string,
    private readonly o: LockOptions,
  ) {
    this.clock = o.clock ?? Date.now;
  }

  /** Takes the lock or throws LockHeldError. */
  acquire(): void {
    const { db } = this;
    const now = this.clock();
    const nowIso = new Date(now).toISOString();
    db.transaction(() => {
      const current = db.first(db.kysely.selectFrom('whatsapp_locks').selectAll().where('account', '=', this.account));
      if (current && current.owner !== this.owner) {
        const age = now - Date.parse(current.heartbeat_at);
        const deadHere = current.host === this.host && current.pid !== process.pid && !(this.o.isAlive ?? defaultIsAlive)(current.pid);
        if (age < this.o.staleMs && !deadHere) throw new LockHeldError(this.account, current, age);
      }
      db.run(
        db.kysely
          .insertInto('whatsapp_locks')
          .values({ account: this.account, owner: this.owner, pid: process.pid, host: this.host, acquired_at: nowIso, heartbeat_at: nowIso })
          .onConflict((oc) =>
            oc.column('account').doUpdateSet({ owner: this.owner, pid: process.pid, host: this.host, acquired_at: nowIso, heartbeat_at: nowIso }),
          ),
      );
    });
  }

  /** Refreshes the heartbeat; false when another process has taken the lock over. */
  beat(): boolean {
    const r = this.db.run(
      this.db.kysely
        .updateTable('whatsapp_locks')
        .set({ heartbeat_at: new Date(this.clock()).toISOString() })
        .where('account', '=', this.account)
        .where('owner', '=', this.owner),
    );
    return r.changes === 1;
  }

  /** Starts the heartbeat timer; `onLost` runs if the lock was taken over meanwhile. */
  startHeartbeat(onLost: () => void): void {
    this.stopHeartbeat();
    this.timer = setInterval(() => {
      try {
        if (!this.beat()) {
          this.stopHeartbeat();
          onLost();
        }
      } catch {
        // database busy: try again at the next beat
      }
    }, this.o.heartbeatMs);
    this.timer.unref();
  }

  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  release(): void {
    this.stopHeartbeat();
    this.db.run(this.db.kysely.deleteFrom('whatsapp_locks').where('account', '=', this.account).where('owner', '=', this.owner));
  }
}
