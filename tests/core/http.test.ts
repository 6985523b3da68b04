import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/harness.js';
import { exited, freePort, spawnTs } from './support/process.js';

// `npm start` as a real process: the staff HTTP server answers health checks and SIGTERM stops
// it cleanly. WHATSAPP_ENABLED=false keeps the WhatsApp channel (its own issue) out of this test.

const dir = tempDir('bot-http-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function waitForHttp(url: string, child: { exitCode: number | null }, stderr: () => string, timeoutMs = 20_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}: ${stderr()}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms: ${stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('main process and the staff HTTP server', () => {
  it('answers GET /healthz and /readyz with JSON, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dbPath = path.join(dir, 'bot.db');
    const child = spawnTs('src/main.ts', [], {
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'info',
      WHATSAPP_ENABLED: 'false',
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    try {
      const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, () => stderr);
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toMatch(/application\/json/);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await ready.json()) as Record<string, unknown>;
      expect(ready.status).toBe(200);
      expect(body.ready).toBe(true);

      // The database was created and migrated on the given path.
      expect(fs.existsSync(dbPath)).toBe(true);

      child.kill('SIGTERM');
      const { code, signal } = await exited(child);
      expect(signal).toBeNull();
      expect(code).toBe(0);
      // Nothing listens any more.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
