import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocketServer } from 'ws';
import { WhatsAppChannel } from '../../src/channels/whatsapp/channel.js';
import { loadWhatsAppConfig } from '../../src/channels/whatsapp/config.js';
import type { Engine } from '../../src/conversation/engine.js';
import { Db } from '../../src/db/database.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir } from '../support/harness.js';

// The real Baileys socket against local servers on 127.0.0.1 (never the internet): it drives the
// real transport failures (428 close, 408 silence, refused port, upgrade that never completes),
// the real reconnect path and the watchdog.

type Mode = 'close' | 'silent' | 'http503';

async function server(mode: Mode): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  httpServer.on('clientError', (_err, socket) => socket.destroy());
  httpServer.on('upgrade', (req, socket, head) => {
    connections++;
    // The client may reset the connection first (a refused upgrade, a reconnect): not a test failure.
    socket.on('error', () => {});
    if (mode === 'http503') {
      // Answer the upgrade with a plain HTTP error: Baileys' socket then hangs in "connecting".
      socket.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      socket.end();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (mode === 'close') ws.close();
      // silent: accept and never answer
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    connections: () => connections,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}

async function refusedUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `ws://127.0.0.1:${port}/ws/chat`;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('real Baileys socket on loopback', () => {
  let dir: string;
  let db: Db;
  let channel: WhatsAppChannel | undefined;
  beforeAll(async () => {
    dir = tempDir('wa-real-');
    db = await Db.open(path.join(dir, 'bot.db'));
  });
  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (url: string, env: Record<string, string> = {}) => {
    const config = loadWhatsAppConfig({
      WHATSAPP_VERSION: '2,3000,1043857760',
      WHATSAPP_WS_URL: url,
      WHATSAPP_RECONNECT_BASE_MS: '5',
      WHATSAPP_RECONNECT_MAX_MS: '20',
      WHATSAPP_CONNECT_TIMEOUT_MS: '150',
      WHATSAPP_WATCHDOG_MS: '400',
      ...env,
    });
    channel = new WhatsAppChannel({ db, engine: {} as Engine, logger: silentLogger, config, printQr: false, refreshVersion: async () => undefined });
    channel.start();
    return channel;
  };

  it('a server that closes: 428, and reconnects with backoff', async () => {
    const s = await server('close');
    const c = start(s.url);
    await until(() => s.connections() >= 3);
    await until(() => c.status().lastDisconnect?.code === 428);
    expect(c.status().state).toMatch(/reconnecting|connecting/);
    expect(c.status().attempt).toBeGreaterThanOrEqual(1);
    expect(c.readiness()).toMatchObject({ ready: false, details: { whatsapp: expect.any(String) } });
    await channel!.stop();
    await s.close();
  });

  it('a silent server: 408 after the connect timeout', async () => {
    const s = await server('silent');
    const c = start(s.url);
    await until(() => c.status().lastDisconnect?.code === 408);
    expect(c.status().state).toMatch(/reconnecting|connecting/);
    await channel!.stop();
    await s.close();
  });

  it('a refused port: closes and keeps retrying with growing delays', async () => {
    const c = start(await refusedUrl());
    await until(() => c.status().attempt >= 3);
    expect(c.status().lastDisconnect).toBeDefined();
  });

  it('an upgrade answered with HTTP 503 hangs in "connecting": the watchdog ends it and reconnects', async () => {
    const s = await server('http503');
    const c = start(s.url, { WHATSAPP_WATCHDOG_MS: '150' });
    await until(() => s.connections() >= 2, 3000);
    expect(c.status().lastDisconnect?.reason).toMatch(/watchdog/);
    await channel!.stop();
    await s.close();
  });

  it('a hundred reconnects leave no timers, sockets or listeners behind', async () => {
    const s = await server('close');
    const c = start(s.url, { WHATSAPP_RECONNECT_BASE_MS: '0', WHATSAPP_RECONNECT_MAX_MS: '0' });
    await until(() => s.connections() >= 10);
    const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const baseline = resources();
    const heap = process.memoryUsage().heapUsed;
    // Sample the listeners while it reconnects: they never pile up (between two sockets there
    // are none, with a socket attached there are 5).
    let most = 0;
    await until(() => {
      most = Math.max(most, c.supervisor.listenerCount());
      return s.connections() >= 110;
    }, 15_000);
    expect(most).toBeLessThanOrEqual(5);
    expect(most).toBeGreaterThan(0);
    expect(resources()).toBeLessThanOrEqual(baseline + 5);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(60 * 1024 * 1024);
    await channel!.stop();
    channel = undefined;
    await s.close();
    expect(c.status().state).toBe('stopped');
  });
});
