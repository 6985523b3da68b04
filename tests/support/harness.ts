import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

/** A fresh temp folder (removed by the caller's cleanup). */
export function tempDir(prefix = 'bot-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Harness {
  app: App;
  dbPath: string;
  /** Sends a message as `from` and returns the reply texts. */
  say(text: string, opts?: { from?: string; id?: string; at?: number }): string[];
  /** The whole reply as one string (the engine sends one message per answer). */
  ask(text: string, opts?: { from?: string; id?: string; at?: number }): string;
  close(): Promise<void>;
}

export const CUSTOMER = '5511999990001';
/** Saturday 2026-11-28 12:00 in São Paulo. */
export const NOON = Date.parse('2026-11-28T15:00:00Z');

/** The real engine on a real temp SQLite file, with a fake clock. */
export async function startHarness(opts: { env?: Record<string, string>; dbPath?: string; overrides?: AppOverrides } = {}): Promise<Harness> {
  const dir = opts.dbPath ? path.dirname(opts.dbPath) : tempDir();
  const dbPath = opts.dbPath ?? path.join(dir, 'bot.db');
  const config = loadConfig({ DATABASE_PATH: dbPath, ...opts.env });
  let now = NOON;
  const app = await createApp(config, silentLogger, { clock: () => now, ...opts.overrides });
  let seq = 0;
  const say = (text: string, o: { from?: string; id?: string; at?: number } = {}) => {
    if (o.at !== undefined) now = o.at;
    else now += 1000;
    return app.engine
      .handle({ channel: 'test', chatId: o.from ?? CUSTOMER, phone: o.from ?? CUSTOMER, text, id: o.id ?? `m${++seq}`, timestamp: now })
      .replies.map((r) => r.text);
  };
  return {
    app,
    dbPath,
    say,
    ask: (text, o) => say(text, o).join('\n\n'),
    close: async () => {
      await app.close();
      if (!opts.dbPath) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
