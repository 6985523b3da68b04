import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely, type Migration } from 'kysely';
import { Db } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { tempDir } from '../support/harness.js';
import { exited, lineReader, spawnTs } from '../core/support/process.js';

// Migrations are all-or-nothing: a failure or a kill -9 at any point leaves the database as it
// was before the start, and two processes starting on a new file at once both come up.

const dir = tempDir('bot-migrate-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `db-${++n}.sqlite`);

const tables = (f: string): string[] => {
  if (!fs.existsSync(f)) return [];
  const s = new SqliteDatabase(f); // not read-only: after a kill the WAL may need recovering
  try {
    return (s.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    s.close();
  }
};

/** How many migrations the file records as applied. */
const applied = (f: string): number => {
  if (!tables(f).includes('kysely_migration')) return 0;
  const s = new SqliteDatabase(f); // not read-only: after a kill the WAL may need recovering
  try {
    return (s.prepare('select count(*) n from kysely_migration').get() as { n: number }).n;
  } finally {
    s.close();
  }
};

const APP_TABLES = ['contacts', 'conversations', 'inbound_messages', 'outbound_messages', 'tickets', 'staff_users', 'whatsapp_auth'];

describe('migrations', () => {
  it('a migration that fails half-way leaves nothing behind, and the fixed one then applies', async () => {
    const f = file();
    const first: Migration = { up: async (db: Kysely<any>) => void (await db.schema.createTable('a').addColumn('id', 'integer').execute()) };
    const broken: Migration = {
      async up(db: Kysely<any>) {
        await db.schema.createTable('b').addColumn('id', 'integer').execute();
        await sql`insert into no_such_table values (1)`.execute(db);
      },
    };
    await expect(Db.open(f, { migrations: { '0001_a': first, '0002_b': broken } })).rejects.toThrow(new RegExp(`${f}.*0002_b`));
    // Neither the first migration nor half of the second one stayed.
    expect(tables(f).filter((t) => !t.startsWith('kysely_'))).toEqual([]);

    const fixed: Migration = { up: async (db: Kysely<any>) => void (await db.schema.createTable('b').addColumn('id', 'integer').execute()) };
    const db = await Db.open(f, { migrations: { '0001_a': first, '0002_b': fixed } });
    await db.close();
    expect(tables(f)).toEqual(expect.arrayContaining(['a', 'b']));
  });

  it('eight processes starting on the same new file at once all come up', async () => {
    const f = file();
    const children = Array.from({ length: 8 }, () => spawnTs('tests/support/open-db.ts', [f]));
    const stderr: string[] = children.map(() => '');
    children.forEach((c, i) => c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr[i] += d)));
    const results = await Promise.all(children.map((c) => exited(c)));
    expect({ codes: results.map((r) => r.code), stderr: stderr.filter(Boolean) }).toEqual({ codes: Array(8).fill(0), stderr: [] });
    expect(tables(f)).toEqual(expect.arrayContaining(APP_TABLES));
  });

  it('kill -9 at random moments of the first start: the next start always succeeds', async () => {
    const f = file();
    let killedBeforeDone = 0;
    for (let i = 0; i < 8; i++) {
      const child = spawnTs('tests/support/open-db.ts', [f]);
      const out = lineReader(child);
      expect(await out.next()).toBe('opening');
      await new Promise((r) => setTimeout(r, Math.random() * 60));
      child.kill('SIGKILL');
      await exited(child);
      if (applied(f) < Object.keys(migrations).length) killedBeforeDone++;
      const db = await Db.open(f); // must not throw "table ... already exists"
      await db.close();
      expect(tables(f)).toEqual(expect.arrayContaining(APP_TABLES));
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(f + ext, { force: true });
    }
    // Most kills landed before the migrations were committed (the point of the test).
    expect(killedBeforeDone).toBeGreaterThan(2);
  });

  it('the outbox rebuilt without its NULL-per-reply index keeps every row, id and sent id, never hands out an id twice, and still refuses a channel id twice', async () => {
    const f = file();
    const old = await Db.open(f, { migrations: Object.fromEntries(Object.entries(migrations).filter(([k]) => k < '0040')) });
    const insert = old.sqlite.prepare("insert into outbound_messages (channel, chat_id, text, status, created_at, channel_message_id) values ('whatsapp', 'c', 'olá', ?, '2026-12-01T12:00:00.000Z', ?)");
    for (let i = 1; i <= 10; i++) insert.run(i % 2 ? 'sent' : 'queued', i % 2 ? `wa-${i}` : null);
    old.sqlite.prepare('delete from outbound_messages where id > 8').run(); // the newest replies erased (privacy)
    const before = old.sqlite.prepare('select * from outbound_messages order by id').all();
    await old.close();
    const db = await Db.open(f);
    try {
      expect(db.sqlite.prepare('select * from outbound_messages order by id').all()).toEqual(before);
      const next = db.sqlite.prepare("insert into outbound_messages (channel, chat_id, text, status, created_at) values ('whatsapp', 'c', 'oi', 'queued', 'x')").run();
      expect(Number(next.lastInsertRowid)).toBe(11);
      expect(() => db.sqlite.prepare("update outbound_messages set channel_message_id = 'wa-1' where id = 11").run()).toThrow(/UNIQUE/);
      const indexes = (db.sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'outbound_messages' order by name").all() as Array<{ name: string }>).map((r) => r.name);
      expect(indexes).toEqual(['outbound_messages_channel_id', 'outbound_messages_chat', 'outbound_messages_status']);
    } finally {
      await db.close();
    }
  });

  it('kill -9 during the upgrade that rebuilds a large journal: no row lost, the next start succeeds', async () => {
    const f = file();
    const upTo4 = Object.fromEntries(Object.entries(migrations).filter(([k]) => k < '0005'));
    const old = await Db.open(f, { migrations: upTo4 });
    const insert = old.sqlite.prepare("insert into inbound_messages (channel, chat_id, participant, message_id, text, received_at) values ('whatsapp', ?, '', ?, 'olá, tudo bem? quero saber da comissão', '2026-11-01T12:00:00.000Z')");
    const ROWS = 60_000;
    old.transaction(() => {
      for (let i = 0; i < ROWS; i++) insert.run(`55119${String(i % 5000).padStart(8, '0')}`, `m${i}`);
    });
    await old.close();
    const backup = fs.readFileSync(f);

    let interrupted = 0;
    for (let i = 0; i < 4; i++) {
      fs.writeFileSync(f, backup);
      for (const ext of ['-wal', '-shm']) fs.rmSync(f + ext, { force: true });
      const child = spawnTs('tests/support/open-db.ts', [f]);
      const out = lineReader(child);
      expect(await out.next()).toBe('opening');
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 150));
      child.kill('SIGKILL');
      await exited(child);
      if (applied(f) < 5) interrupted++;
      const db = await Db.open(f);
      expect((db.sqlite.prepare('select count(*) n from inbound_messages').get() as { n: number }).n).toBe(ROWS);
      await db.close();
    }
    expect(interrupted).toBeGreaterThan(0);
  });
});
