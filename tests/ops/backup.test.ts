import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import SqliteDatabase from 'better-sqlite3';
import { Db } from '../../src/db/database.js';
import { silentLogger } from '../../src/logger.js';
import { backupTask, listBackups } from '../../src/ops/backup.js';
import { tempDir } from '../support/harness.js';
import { exited, freePort, runTs, spawnTs } from '../core/support/process.js';

// Backups taken while the bot writes, the daily one with rotation, and restore: a backup put in
// place of the database and the bot started on it.

const dir = tempDir('bot-backup-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const count = (file: string, sql: string) => {
  const s = new SqliteDatabase(file, { readonly: true });
  try {
    return (s.prepare(sql).get() as { n: number }).n;
  } finally {
    s.close();
  }
};

describe('backup and restore', () => {
  it('backup DEST while simulate writes: a consistent copy; restore puts it back and the bot starts on it', async () => {
    const db = path.join(dir, 'live.db');
    const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'warn' };
    // A refund request to the end, so the copy has a ticket to look for.
    const refund = ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1', 'isso'];
    const first = await runTs('src/cli.ts', ['simulate'], { env, input: refund.map((text, i) => JSON.stringify({ from: '5511988887777', text, id: `r${i}` })).join('\n') + '\n' });
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(first.stdout)?.[1];
    expect(protocol).toBeDefined();

    // The bot keeps writing while the backup runs.
    const bot = spawnTs('src/cli.ts', ['simulate'], env);
    bot.stdout.resume();
    bot.stderr.resume();
    bot.stdin.on('error', () => undefined);
    let seq = 0;
    const feeding = setInterval(() => {
      for (let i = 0; i < 50; i++) bot.stdin.write(JSON.stringify({ from: `55219${String(seq % 97).padStart(8, '0')}`, text: seq % 2 ? 'menu' : 'oi', id: `b${seq++}` }) + '\n');
    }, 5);
    const backups = path.join(dir, 'backups');
    fs.mkdirSync(backups);
    let out: Awaited<ReturnType<typeof runTs>>;
    try {
      await new Promise((r) => setTimeout(r, 500));
      out = await runTs('src/cli.ts', ['backup', backups], { env });
    } finally {
      clearInterval(feeding);
      bot.stdin.end();
      await exited(bot);
    }
    expect(out.code).toBe(0);
    const [copy] = listBackups(backups);
    expect(out.stdout).toContain(`Backup em ${copy.file}`);
    expect(seq).toBeGreaterThan(0);
    // Consistent: it passes SQLite's integrity check, and every journaled message of the copy
    // has its reply in the same copy (one transaction per message).
    const s = new SqliteDatabase(copy.file, { readonly: true });
    expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
    const orphans = (s.prepare("select count(*) n from inbound_messages i where i.chat_id like '55219%' and not exists (select 1 from outbound_messages o where o.in_reply_to = i.message_id and o.chat_id = i.chat_id)").get() as { n: number }).n;
    s.close();
    expect(orphans).toBe(0);
    expect(count(copy.file, "select count(*) n from audit_log where action = 'backup'")).toBe(0); // recorded in the live database, after the copy
    expect(count(db, "select count(*) n from audit_log where action = 'backup'")).toBe(1);

    // Disaster: the live file is damaged. Restore the copy and start the bot on it.
    fs.writeFileSync(db, 'isto não é um banco');
    for (const ext of ['-wal', '-shm']) fs.rmSync(db + ext, { force: true });
    const broken = await runTs('src/cli.ts', ['tickets', 'list'], { env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/não é um banco SQLite válido ou está corrompido\. Restaure um backup \(npm run bot -- restore ARQUIVO\)/);

    const restored = await runTs('src/cli.ts', ['restore', copy.file], { env });
    expect({ code: restored.code, stderr: restored.stderr }).toEqual({ code: 0, stderr: '' });
    expect(restored.stdout).toContain('restaurado de');
    expect(fs.readdirSync(dir).some((f) => f.startsWith('live.db.antes-da-restauracao-'))).toBe(true);

    const port = await freePort();
    const main = spawnTs('src/main.ts', [], { ...env, HTTP_PORT: String(port), WHATSAPP_ENABLED: 'false', LOG_LEVEL: 'info' });
    let log = '';
    main.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    main.stdout.resume();
    try {
      let ready: Response | undefined;
      for (let i = 0; i < 200 && !ready; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect({ status: ready?.status, log: ready ? '' : log }).toEqual({ status: 200, log: '' });
    } finally {
      main.kill('SIGTERM');
      expect((await exited(main)).code).toBe(0);
    }
    const listed = await runTs('src/cli.ts', ['tickets', 'list'], { env });
    expect(listed.stdout).toContain(protocol!);
  }, 120_000); // seven real processes one after the other

  it('restore refuses a file that is not a backup of the bot, and leaves the database alone', async () => {
    const db = path.join(dir, 'keep.db');
    const env = { DATABASE_PATH: db };
    expect((await runTs('src/cli.ts', ['simulate'], { env, input: JSON.stringify({ from: '5511988887777', text: 'oi', id: 'k1' }) + '\n' })).code).toBe(0);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'nada');
    const r = await runTs('src/cli.ts', ['restore', junk], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/junk\.db: não (abre como|é um) banco SQLite/);
    expect(count(db, 'select count(*) n from inbound_messages')).toBe(1);
  });

  it('the daily backup runs when the newest one is older than the interval, and keeps the newest N', async () => {
    const db = await Db.open(path.join(dir, 'daily.db'));
    const folder = path.join(dir, 'daily');
    let now = Date.parse('2026-12-01T03:00:00Z');
    const task = backupTask(db, silentLogger, { dir: folder, intervalMs: 24 * 3_600_000, keep: 3 }, () => now);
    try {
      await task.run();
      await task.run(); // ten minutes later in real life: not due yet
      expect(listBackups(folder)).toHaveLength(1);
      for (let day = 1; day <= 4; day++) {
        now += 24 * 3_600_000;
        // The interval is measured from the newest file's time.
        fs.utimesSync(listBackups(folder)[0].file, new Date(now - 25 * 3_600_000), new Date(now - 25 * 3_600_000));
        await task.run();
      }
      const kept = listBackups(folder).map((b) => path.basename(b.file));
      expect(kept).toEqual(['bot-20261205-030000.db', 'bot-20261204-030000.db', 'bot-20261203-030000.db']);
      expect(fs.readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
