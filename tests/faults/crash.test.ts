import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, describe, expect, it } from '@jest/globals';
import SqliteDatabase from 'better-sqlite3';
import { Db } from '../../src/db/database.js';
import { createApiToken, createUser } from '../../src/staff/users.js';
import { tempDir } from '../support/harness.js';
import { exited, freePort, spawnTs } from '../core/support/process.js';

// The crash test: the real processes (`bot simulate` taking the conversations, `npm start`'s
// main serving the staff API on the same file) are killed with SIGKILL at random moments — the
// first one during its first start-up (migrations), later ones mid-conversation and during staff
// actions — and started again; the driver redelivers what was not answered, as WhatsApp does.
// At the end: every inbound id journaled once and answered once, no ticket lost or duplicated,
// every staff action that was acknowledged is there, and the database always started again.
// CRASH_ROUNDS=40 runs a longer version (npm run soak runs one too).

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 4);
const CHATS = Number(process.env.CRASH_CHATS ?? 24);
const CPF = '529.982.247-25';
const dir = tempDir('bot-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const chatId = (i: number) => `55317${String(i).padStart(8, '0')}`;
/** Each chat asks a question, then a refund to the end (a ticket), then another question. */
const script = (i: number) => ['qdo recebo minha comissao?', 'quero o estorno da minha compra', '1', CPF, String(40000 + i), '1', 'ontem', 'nao', '1', 'isso', 'obrigado'];

interface Sim {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
}

describe('kill -9 at random moments', () => {
  it(`${ROUNDS} rounds: nothing acknowledged is lost, nothing is done twice, the database always starts`, async () => {
    const db = path.join(dir, 'bot.db');
    const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false', PRIVACY_NOTICE_ENABLED: 'false', LOG_LEVEL: 'warn', WHATSAPP_ENABLED: 'false', BACKUP_INTERVAL_HOURS: '0' };
    const next = new Map<number, number>(); // chat -> index of the next message to send
    const pending = new Map<string, { chat: number; text: string }>(); // sent, not answered yet
    const answered = new Map<string, number>(); // id -> replies printed
    const staffPrinted: string[] = [];
    const protocols = new Map<number, string>(); // chat -> protocol in its confirmation
    const acknowledged = new Map<string, string>(); // protocol -> staff message acknowledged with 200
    const stats = { kills: 0, killsDuringStart: 0, killedMain: 0, restarts: 0, duplicatesPrinted: 0 };
    for (let i = 0; i < CHATS; i++) next.set(i, 0);

    const startSim = (): Sim => {
      const child = spawnTs('src/cli.ts', ['simulate'], env);
      let err = '';
      let buf = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.stdin.on('error', () => undefined);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let k: number;
        while ((k = buf.indexOf('\n')) >= 0) {
          const line = JSON.parse(buf.slice(0, k)) as { to: string; text: string; inReplyTo?: string };
          buf = buf.slice(k + 1);
          if (!line.inReplyTo) {
            staffPrinted.push(line.text);
            continue;
          }
          const n = (answered.get(line.inReplyTo) ?? 0) + 1;
          answered.set(line.inReplyTo, n);
          if (n > 1) stats.duplicatesPrinted++;
          const chat = Number(line.inReplyTo.split('-')[0].slice(1));
          const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(line.text)?.[1];
          if (protocol) protocols.set(chat, protocol);
          pending.delete(line.inReplyTo);
        }
      });
      return { child, stderr: () => err };
    };
    const send = (sim: Sim, id: string, text: string) => sim.child.stdin.write(JSON.stringify({ from: chatId(Number(id.split('-')[0].slice(1))), text, id }) + '\n');
    /** Redelivers what was not answered, then each chat's next message once its last one was answered. */
    const pump = (sim: Sim) => {
      for (const [id, m] of pending) send(sim, id, m.text);
      const tick = setInterval(() => {
        for (const [chat, j] of next) {
          if (j >= script(chat).length || [...pending.values()].some((p) => p.chat === chat)) continue;
          const id = `c${chat}-m${j}`;
          pending.set(id, { chat, text: script(chat)[j] });
          next.set(chat, j + 1);
          send(sim, id, script(chat)[j]);
        }
      }, 20);
      return () => clearInterval(tick);
    };
    /** SIGKILL, then everything it wrote before dying is read (close comes after the pipes end). */
    const kill = async (c: ChildProcessWithoutNullStreams) => {
      const closed = c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('close', r)) : Promise.resolve();
      c.kill('SIGKILL');
      await closed;
    };

    // Round 0: killed during its first start-up, on a new file (migrations).
    const first = startSim();
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 700));
    await kill(first.child);
    stats.kills++;
    stats.killsDuringStart++;

    // Staff and their token, written by another process (this one) on the same file.
    const setup = await Db.open(db); // must start whatever the kill left
    const staff = await createUser(setup, { name: 'Fernanda', email: 'fin@example.com', role: 'finance', password: 'senha-de-teste-123', now: new Date().toISOString() });
    const token = createApiToken(setup, staff.id, 'crash', new Date().toISOString()).token;
    await setup.close();

    const port = await freePort();
    let mainLog = '';
    const startMain = () => {
      const m = spawnTs('src/main.ts', [], { ...env, HTTP_PORT: String(port) });
      m.stdout.resume();
      m.stderr.setEncoding('utf8').on('data', (d: string) => (mainLog += d));
      m.once('exit', (code, signal) => signal !== 'SIGKILL' && code !== 0 && (mainLog += `\nmain exited with ${code}\n`));
      return m;
    };
    const mainUp = async () => {
      for (let i = 0; i < 300; i++) {
        if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`main did not come up: ${mainLog}`);
    };
    let main = startMain();
    await mainUp();
    const staffAct = async () => {
      for (const [, protocol] of protocols) {
        if (acknowledged.has(protocol)) continue;
        const text = `Estorno aprovado (${protocol}).`;
        try {
          const r = await fetch(`http://127.0.0.1:${port}/api/tickets/${protocol}/resolve`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ message: text }),
            signal: AbortSignal.timeout(5000),
          });
          if (r.status === 200) acknowledged.set(protocol, text);
          else if (process.env.CRASH_DEBUG) process.stderr.write(`resolve ${protocol}: ${r.status} ${await r.clone().text()}\n`);
          else if (r.status === 409) acknowledged.set(protocol, (acknowledged.get(protocol) ?? text)); // resolved before a kill cut the answer
          await r.arrayBuffer();
        } catch (err) {
          // main is down (killed or restarting): not acknowledged, tried again later
          if (process.env.CRASH_DEBUG) process.stderr.write(`resolve failed ${(err as Error).message} ${String((err as Error).cause)}\n`);
        }
      }
    };

    for (let round = 1; round <= ROUNDS; round++) {
      const sim = startSim();
      stats.restarts++;
      const stop = pump(sim);
      const staffLoop = setInterval(() => void staffAct(), 150);
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 1800));
      clearInterval(staffLoop);
      stop();
      await kill(sim.child);
      stats.kills++;
      if (round % 3 === 0) {
        // The staff side dies mid-action too, then comes back on the same file.
        await kill(main);
        stats.kills++;
        stats.killedMain++;
        main = startMain();
        await mainUp(); // the database started again under it
      }
    }

    // A last clean run: everything left is answered, then stdin closes and it exits 0.
    const last = startSim();
    const stop = pump(last);
    for (let i = 0; i < 600 && ([...next].some(([c, j]) => j < script(c).length) || pending.size); i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (i % 4 === 0) await staffAct();
    }
    stop();
    for (let i = 0; i < 50 && acknowledged.size < protocols.size; i++) await staffAct();
    await new Promise((r) => setTimeout(r, 1500)); // staff messages reach the running simulator
    last.child.stdin.end();
    expect((await exited(last.child)).code).toBe(0);
    main.kill('SIGTERM');
    const mainExit = await exited(main);
    expect({ code: mainExit.code, log: mainExit.code === 0 ? '' : mainLog.slice(-3000) }).toEqual({ code: 0, log: '' });

    const s = new SqliteDatabase(db, { readonly: true });
    try {
      const ids = [...Array(CHATS).keys()].flatMap((c) => script(c).map((_, j) => `c${c}-m${j}`));
      // Every message journaled once and answered once (one reply row each), none left out.
      const journal = s.prepare("select message_id, count(*) n from inbound_messages where channel = 'simulate' group by message_id").all() as Array<{ message_id: string; n: number }>;
      expect(journal.filter((r) => r.n !== 1)).toEqual([]);
      expect(journal.map((r) => r.message_id).sort()).toEqual([...ids].sort());
      const replies = s.prepare("select in_reply_to, count(*) n from outbound_messages where channel = 'simulate' and in_reply_to is not null group by in_reply_to").all() as Array<{ in_reply_to: string; n: number }>;
      expect(replies.filter((r) => r.n !== 1)).toEqual([]);
      expect(replies).toHaveLength(ids.length);
      // Every reply was written out (a reply printed just before a kill may be printed again).
      expect(ids.filter((id) => !answered.has(id))).toEqual([]);
      expect(stats.duplicatesPrinted).toBeLessThanOrEqual(stats.kills);
      expect(s.prepare("select count(*) from outbound_messages where status = 'queued'").pluck().get()).toBe(0);
      // One ticket per chat: none lost, none duplicated.
      const tickets = s.prepare('select chat_id, count(*) n from tickets group by chat_id').all() as Array<{ chat_id: string; n: number }>;
      expect(tickets.filter((t) => t.n !== 1)).toEqual([]);
      expect(tickets).toHaveLength(CHATS);
      expect(protocols.size).toBe(CHATS);
      // Every acknowledged staff action is there, with its message delivered to the chat.
      for (const [protocol, text] of acknowledged) {
        expect({ protocol, status: s.prepare('select status from tickets where protocol = ?').pluck().get(protocol) }).toEqual({ protocol, status: 'resolved' });
        expect(staffPrinted).toContain(text);
      }
      expect({ acknowledged: acknowledged.size, mainLog: acknowledged.size === CHATS ? '' : mainLog }).toEqual({ acknowledged: CHATS, mainLog: '' });
      expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      s.close();
    }
    process.stderr.write(`crash test: ${JSON.stringify({ rounds: ROUNDS, chats: CHATS, messages: CHATS * script(0).length, ...stats, staffActions: acknowledged.size })}\n`);
  }, 60_000 + ROUNDS * 12_000);
});
