import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { WhatsAppChannel, type WhatsAppChannelDeps } from '../../src/channels/whatsapp/channel.js';
import { loadWhatsAppConfig } from '../../src/channels/whatsapp/config.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir } from '../support/harness.js';
import { FakeSocket } from './fakes.js';

export interface Rig {
  app: App;
  dir: string;
  dbPath: string;
  channel: WhatsAppChannel;
  sockets: FakeSocket[];
  /** The newest socket. */
  sock(): FakeSocket;
  /** Waits until inbound is processed and the outbox has nothing sendable left. */
  settle(): Promise<void>;
  outbox(): Array<{ id: number; chat_id: string; text: string; status: string; error: string | null; channel_message_id: string | null; attempts: number }>;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export const FAST_ENV = {
  WHATSAPP_VERSION: '2,3000,1043857760',
  WHATSAPP_WS_URL: 'ws://127.0.0.1:9/ws',
  WHATSAPP_CHAT_MIN_INTERVAL_MS: '0',
  WHATSAPP_CHAT_JITTER_MS: '0',
  WHATSAPP_TYPING_MAX_MS: '0',
  WHATSAPP_TYPING_MIN_MS: '0',
  WHATSAPP_GLOBAL_PER_MINUTE: '6000',
  WHATSAPP_GLOBAL_BURST: '100',
  WHATSAPP_RECONNECT_BASE_MS: '1',
  WHATSAPP_RECONNECT_MAX_MS: '5',
  WHATSAPP_WATCHDOG_MS: '0',
  WHATSAPP_SEND_TIMEOUT_MS: '200',
};

export async function tick(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** The real engine on a temp SQLite file and the WhatsApp channel on fake sockets. */
export async function startRig(o: { env?: Record<string, string>; dir?: string; deps?: Partial<WhatsAppChannelDeps>; open?: boolean } = {}): Promise<Rig> {
  const dir = o.dir ?? tempDir('wa-test-');
  const dbPath = path.join(dir, 'bot.db');
  const app = await createApp(loadConfig({ DATABASE_PATH: dbPath, GREETING_ENABLED: 'false' }), silentLogger);
  const sockets: FakeSocket[] = [];
  const config = loadWhatsAppConfig({ ...FAST_ENV, ...o.env });
  const channel = new WhatsAppChannel({
    db: app.db,
    engine: app.engine,
    logger: silentLogger,
    config,
    printQr: false,
    socketFactory: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    download: async () => Buffer.from('%PDF-1.4 fake'),
    refreshVersion: async () => undefined,
    ...o.deps,
  });
  channel.start();
  if (o.open !== false) sockets.at(-1)!.open();
  return {
    app,
    dir,
    dbPath,
    channel,
    sockets,
    sock: () => sockets.at(-1)!,
    settle: async () => {
      for (let i = 0; i < 200; i++) {
        await channel.inbound.idle();
        await tick(3);
        const open = channel.status().state === 'open';
        if (!open || !channel.outbox.pick().head) {
          await tick(3);
          return;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      throw new Error('outbox did not settle');
    },
    outbox: () =>
      app.db.all(
        app.db.kysely.selectFrom('outbound_messages').select(['id', 'chat_id', 'text', 'status', 'error', 'channel_message_id', 'attempts']).where('channel', '=', 'whatsapp').orderBy('id'),
      ),
    close: async (c = {}) => {
      await channel.stop();
      await app.close();
      if (!c.keepDir && !o.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
