import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { tempDir } from '../support/harness.js';
import { runTs } from '../core/support/process.js';
import { csrfOf, login, startPanel, type Panel } from '../panel/support.js';

// The database stops taking writes while the bot runs: a full disk (a small tmpfs filled up), a
// deleted data folder, a read-only folder at start. Readiness proves a write, reads keep working,
// staff and customers read a clear pt-BR message, and writes work again when space returns.

/** Root on Linux can mount a small tmpfs: a real full disk. Elsewhere these tests cannot run. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = tempDir('bot-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
const mountable = canMount();
if (!mountable) console.warn('storage fault tests skipped: mounting a tmpfs needs root on Linux');
const describeMounted = mountable ? describe : describe.skip;

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
  return { logger: createLogger({ level: 'info', stream }), lines };
}

const json = (p: Panel, role: 'finance', route: string, body?: unknown) =>
  fetch(`${p.url}/api${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${p.users[role].token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describeMounted('a full disk', () => {
  const mnt = tempDir('bot-full-');
  const dbPath = path.join(mnt, 'bot.db');
  const filler = path.join(mnt, 'filler');
  let p: Panel;
  let protocol = '';
  const log = captureLogger();

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
    p = await startPanel({}, {}, { dbPath, logger: log.logger });
    protocol = createTicket(p.h.app.db, { type: 'refund', team: 'finance', chatId: '5511988887777', phone: '5511988887777', contactName: 'Joana', data: {}, excerpt: [], now: new Date().toISOString() }).protocol;
  });
  afterAll(async () => {
    await p?.close().catch(() => undefined);
    execFileSync('umount', ['-l', mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  const fill = () => {
    const fd = fs.openSync(filler, 'w');
    try {
      for (const size of [1 << 20, 1 << 14, 512]) for (;;) fs.writeSync(fd, Buffer.alloc(size));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
  };

  it('readiness says so, reads still work, staff and customers get a pt-BR message, and it recovers without a restart', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    expect((await fetch(`${p.url}/readyz`)).status).toBe(200);

    fill();
    await new Promise((r) => setTimeout(r, 1100)); // past the readiness cache
    const ready = await fetch(`${p.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 503, body: { ready: false, database: 'full' } });
    // The log names the file and what to do.
    expect(log.lines.join('')).toContain(`banco de dados ${dbPath} não aceita gravações: o disco está cheio`);

    // Reading needs no write: the queue, a ticket, the API.
    expect((await json(p, 'finance', '/tickets')).status).toBe(200);
    expect((await agent.get('/fila')).status).toBe(200);
    expect((await agent.get(`/tickets/${protocol}`)).status).toBe(200);

    // A change is refused with a clear message, never "Erro interno".
    const note = await json(p, 'finance', `/tickets/${protocol}/notes`, { text: 'conferido' });
    expect(note.status).toBe(503);
    expect(((await note.json()) as { message: string }).message).toContain('o disco do servidor está cheio');
    const page = await agent.post(`/tickets/${protocol}/notes`).type('form').send({ _csrf: csrf, text: 'conferido' });
    expect(page.status).toBe(503);
    expect(page.text).toContain('o disco do servidor está cheio');
    expect(page.text).not.toContain('Erro interno');

    // A customer writing now is told, and nothing half-done stays behind.
    const r = p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511977776666', phone: '5511977776666', text: 'quero o estorno', id: 'full-1' });
    expect(r).toEqual({ duplicate: false, replies: [], unrecorded: expect.stringContaining('não consigo registrar pedidos agora') });

    // The simulator, as a separate process on the same full disk, answers the same and exits 0.
    const sim = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: dbPath, GREETING_ENABLED: 'false' }, input: JSON.stringify({ from: '5511966665555', text: 'oi', id: 's1' }) + '\n' });
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout.trim())).toEqual({ to: '5511966665555', text: expect.stringContaining('não consigo registrar pedidos agora'), inReplyTo: 's1' });

    // Space comes back: writes work again, no restart.
    fs.rmSync(filler);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
    expect((await json(p, 'finance', `/tickets/${protocol}/notes`, { text: 'conferido' })).status).toBe(201);
    const again = p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511977776666', phone: '5511977776666', text: 'menu', id: 'full-2' });
    expect(again.unrecorded).toBeUndefined();
    expect(again.replies).toHaveLength(1);
  }, 90_000);
});

describe('the data folder deleted while running', () => {
  it('readiness notices (SQLite would go on writing to the unlinked file) and the log says what to do', async () => {
    const dir = tempDir('bot-gone-');
    const log = captureLogger();
    const p = await startPanel({}, {}, { dbPath: path.join(dir, 'bot.db'), logger: log.logger });
    try {
      expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
      fs.rmSync(dir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1100));
      const ready = await fetch(`${p.url}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 503, body: { ready: false, database: 'missing' } });
      expect(log.lines.join('')).toContain('foi apagado ou trocado enquanto o bot rodava');
    } finally {
      await p.close();
    }
  });
});

describeMounted('a read-only data folder at start', () => {
  it('the start fails with a message that names the file and what to do', async () => {
    const src = tempDir('bot-ro-src-');
    const ro = tempDir('bot-ro-');
    try {
      expect((await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: path.join(src, 'bot.db') }, input: '' })).code).toBe(0);
      execFileSync('mount', ['--bind', src, ro]);
      execFileSync('mount', ['-o', 'remount,ro,bind', ro]);
      const r = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: path.join(ro, 'bot.db') }, input: '' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^Não foi possível abrir o banco de dados ${path.join(ro, 'bot.db')}: .*permiss`));
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      try {
        execFileSync('umount', [ro]);
      } catch {
        // not mounted
      }
      fs.rmSync(src, { recursive: true, force: true });
      fs.rmSync(ro, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the WAL on a small disk', () => {
  it('is checkpointed in the background and cut back to 16 MB instead of keeping what it grew to', async () => {
    const d = tempDir('bot-wal-');
    const { Db } = await import('../../src/db/database.js');
    const db = await Db.open(path.join(d, 'bot.db'));
    try {
      const insert = db.sqlite.prepare("insert into inbound_messages (channel, chat_id, participant, message_id, text, received_at) values ('t', ?, '', ?, ?, 'x')");
      const text = 'x'.repeat(12_000);
      // ~25 MB of WAL, one row per transaction (below the ~40 MB autocheckpoint).
      for (let i = 0; i < 1300; i++) db.transaction(() => insert.run(`c${i % 500}`, `m${i}`, text));
      expect(fs.statSync(path.join(d, 'bot.db-wal')).size).toBeGreaterThan(20 * 1024 * 1024);
      db.checkpoint(); // what the running bot does every 30 s
      insert.run('c', 'after', 'y'); // the next write starts the WAL over, cut back to the limit
      expect(fs.statSync(path.join(d, 'bot.db-wal')).size).toBeLessThanOrEqual(16 * 1024 * 1024);
    } finally {
      await db.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
