import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../support/harness.js';
import { childEnv, exited, freePort, spawnTs } from '../core/support/process.js';

// SIGTERM / SIGINT stop the bot cleanly: no new work, the database closed (its WAL folded back
// into the file), exit code 0 within the bound, also through `npm start` (whose prestart builds).

const dir = tempDir('bot-stop-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function waitUp(port: number, child: { exitCode: number | null }, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`exited early: ${log()}`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not up: ${log()}`);
}

describe('graceful shutdown', () => {
  it('npm start: SIGTERM reaches node (not only npm), the database is closed, exit 0 within the bound', async () => {
    const port = await freePort();
    const db = path.join(dir, 'npm.db');
    const child = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: childEnv({ DATABASE_PATH: db, HTTP_PORT: String(port), WHATSAPP_ENABLED: 'false', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_SECONDS: '8' }),
    });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    try {
      await waitUp(port, child, () => log);
      const t0 = Date.now();
      child.kill('SIGTERM');
      const { code, signal } = await exited(child);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(log).toMatch(/"signal":"SIGTERM","msg":"stopping"/);
      expect(log).toMatch(/"msg":"stopped"/);
      // Closed, not killed: SQLite folded the WAL back into the file and removed it.
      expect(fs.existsSync(`${db}-wal`)).toBe(false);
      // Nothing is left listening (node did not outlive npm).
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('SIGINT (Ctrl+C) stops it the same way', async () => {
    const port = await freePort();
    const db = path.join(dir, 'int.db');
    const child = spawnTs('src/main.ts', [], { DATABASE_PATH: db, HTTP_PORT: String(port), WHATSAPP_ENABLED: 'false' });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stdout.resume();
    try {
      await waitUp(port, child, () => log);
      child.kill('SIGINT');
      expect(await exited(child)).toEqual({ code: 0, signal: null });
      expect(fs.existsSync(`${db}-wal`)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('a signal during start-up (migrations) exits at once, and the next start is clean', async () => {
    const db = path.join(dir, 'early.db');
    const port = await freePort();
    const child = spawnTs('src/main.ts', [], { DATABASE_PATH: db, HTTP_PORT: String(port), WHATSAPP_ENABLED: 'false' });
    child.stdout.resume();
    child.stderr.resume();
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGTERM');
    const first = await exited(child);
    expect(first.code === 0 || first.signal === 'SIGTERM').toBe(true);
    const again = spawnTs('src/main.ts', [], { DATABASE_PATH: db, HTTP_PORT: String(port), WHATSAPP_ENABLED: 'false' });
    let log = '';
    again.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    again.stdout.resume();
    try {
      await waitUp(port, again, () => log);
      again.kill('SIGTERM');
      expect((await exited(again)).code).toBe(0);
    } finally {
      if (again.exitCode === null) again.kill('SIGKILL');
    }
  }, 90_000);
});
