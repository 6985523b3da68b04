import type { Db } from '../db/database.js';
import type { StorageHealth } from '../db/health.js';
import type { Logger } from '../logger.js';

// Background upkeep of the running bot (npm start): storage health and WAL checkpoints between
// messages. Each task is a timer that never overlaps itself and never throws out of it.

export interface Task {
  name: string;
  everyMs: number;
  /** First run after this long (default: everyMs). */
  firstInMs?: number;
  run(): void | Promise<void>;
}

export interface Maintenance {
  /** Stops the timers and waits for a task that is running. */
  stop(): Promise<void>;
}

export function startMaintenance(logger: Logger, tasks: Task[]): Maintenance {
  const timers = new Set<NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (t: Task, inMs: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      running = running
        .then(async () => {
          if (!stopped) await t.run();
        })
        .catch((err) => logger.error({ err, task: t.name }, 'maintenance task failed'))
        .finally(() => schedule(t, t.everyMs));
    }, inMs);
    timer.unref(); // upkeep never keeps the process alive on its own
    timers.add(timer);
  };
  for (const t of tasks) schedule(t, t.firstInMs ?? t.everyMs);
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await running;
    },
  };
}

/** Every 30 s: prove the database takes writes (logs a problem once), then checkpoint the WAL. */
export function storageTask(db: Db, health: StorageHealth): Task {
  return {
    name: 'storage',
    everyMs: 30_000,
    run() {
      if (health.check(true) === 'ok') db.checkpoint();
    },
  };
}
