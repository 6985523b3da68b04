/**
 * `npm run soak`: a bounded load on the real processes. `bot simulate` takes 200 chats × 50
 * messages (each person waits for the reply before writing again; FAQ questions, menus and a
 * refund request that opens a ticket), while `npm start`'s main process on the same database
 * serves the staff panel to a few staff (queue pages, searches, ticket pages, resolving the
 * tickets as they appear). Prints lost / duplicated / errors and the latencies.
 *
 * Options: SOAK_CHATS (200), SOAK_MESSAGES (50), SOAK_MAX_MINUTES (10, a hard stop).
 * Traffic goes to 127.0.0.1 only.
 */
import '../src/quiet-dotenv.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { Db } from '../src/db/database.js';
import { loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';
import { createApiToken, createSession, createUser } from '../src/staff/users.js';
import { SESSION_COOKIE } from '../src/http/panel/auth.js';

const CHATS = Number(process.env.SOAK_CHATS ?? 200);
const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 50);
const MAX_MS = Number(process.env.SOAK_MAX_MINUTES ?? 10) * 60_000;
const STAFF = 4;

const heldout = loadHeldOut(path.join(projectRoot, 'tests/nlu/heldout.yaml'))
  .filter((i) => i.expect !== 'atendente')
  .map((i) => i.text);
const REFUND = ['quero o estorno da minha compra', '1', '529.982.247-25', '', '1', 'ontem', 'nao', '1', 'isso'];

/** 50 messages the way people write: questions, menus, a refund request in the middle. */
function script(chat: number): string[] {
  const out: string[] = [];
  const q = (k: number) => heldout[(chat * 7 + k * 13) % heldout.length];
  for (let k = 0; out.length < MESSAGES; k++) {
    if (k === 3) out.push(...REFUND.map((t) => t || String(50000 + chat)));
    else if (k % 5 === 0) out.push('menu', String(1 + ((chat + k) % 9)), '2');
    else out.push(q(k));
  }
  return out.slice(0, MESSAGES);
}

const phone = (i: number) => `55419${String(i).padStart(8, '0')}`;
const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

function spawnTs(script: string, args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const e: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: undefined, LOG_FORMAT: 'json', ...env };
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: projectRoot, env: e });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-soak-'));
  const db = path.join(dir, 'bot.db');
  // Four staff scripts hammer the API without pause: the per-token rate limit would answer 429.
  const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'warn', WHATSAPP_ENABLED: 'false', BACKUP_INTERVAL_HOURS: '0', PANEL_API_RATE_PER_MINUTE: '1000000' };
  const started = performance.now();
  const deadline = started + MAX_MS;
  const errors: string[] = [];

  const setup = await Db.open(db);
  const staff = await createUser(setup, { name: 'Soak Financeiro', email: 'soak@example.com', role: 'finance', password: 'soak-password-1', now: new Date().toISOString() });
  const token = createApiToken(setup, staff.id, 'soak', new Date().toISOString()).token;
  const { cookie } = createSession(setup, staff.id, Date.now(), 3 * 3_600_000);
  await setup.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mainProc = spawnTs('src/main.ts', [], { ...env, HTTP_PORT: String(port) });
  let mainLog = '';
  mainProc.stdout.resume();
  mainProc.stderr.setEncoding('utf8').on('data', (d: string) => (mainLog += d));
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error(`main did not start: ${mainLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // ---- the conversations ----
  const sim = spawnTs('src/cli.ts', ['simulate'], env);
  let simLog = '';
  sim.stderr.setEncoding('utf8').on('data', (d: string) => (simLog += d));
  const scripts = Array.from({ length: CHATS }, (_, c) => script(c));
  const next = new Array<number>(CHATS).fill(0);
  const sentAt = new Map<string, number>();
  const printed = new Map<string, number>();
  const latencies: number[] = [];
  const protocols: string[] = [];
  let buf = '';
  const sendNext = (c: number) => {
    const j = next[c];
    if (j >= scripts[c].length) return;
    next[c] = j + 1;
    const id = `k${c}-${j}`;
    sentAt.set(id, performance.now());
    sim.stdin.write(JSON.stringify({ from: phone(c), text: scripts[c][j], id }) + '\n');
  };
  sim.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let k: number;
    while ((k = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, k)) as { to: string; text: string; inReplyTo?: string; error?: string };
      buf = buf.slice(k + 1);
      if (line.error) errors.push(`simulate: ${line.error}`);
      if (!line.inReplyTo) continue; // a staff message
      const n = (printed.get(line.inReplyTo) ?? 0) + 1;
      printed.set(line.inReplyTo, n);
      if (n > 1 || line.inReplyTo === 'warm-up') continue;
      latencies.push(performance.now() - (sentAt.get(line.inReplyTo) ?? performance.now()));
      const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(line.text)?.[1];
      if (protocol) protocols.push(protocol);
      const c = Number(line.inReplyTo.slice(1).split('-')[0]);
      sendNext(c);
    }
  });
  const total = CHATS * MESSAGES;
  // Start-up (FAQ training) is not part of the figures: one message first, then the clock runs.
  sim.stdin.write(JSON.stringify({ from: '5541900000000', text: 'oi', id: 'warm-up' }) + '\n');
  while (!printed.has('warm-up')) {
    if (sim.exitCode !== null || performance.now() > deadline) throw new Error(`simulate did not answer: ${simLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  printed.delete('warm-up');
  const t0 = performance.now();
  for (let c = 0; c < CHATS; c++) sendNext(c);

  // ---- staff alongside ----
  const panelLatency: number[] = [];
  let panelRequests = 0;
  const hit = async (url: string, init: RequestInit = {}) => {
    const t0 = performance.now();
    try {
      const r = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      await r.arrayBuffer();
      panelLatency.push(performance.now() - t0);
      panelRequests++;
      if (r.status >= 400 && r.status !== 409) errors.push(`panel ${init.method ?? 'GET'} ${url.replace(base, '')}: ${r.status}`);
    } catch (err) {
      errors.push(`panel ${url.replace(base, '')}: ${(err as Error).message}`);
    }
  };
  const page = { Cookie: `${SESSION_COOKIE}=${cookie}` };
  const api = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  let resolved = 0;
  let finished = false;
  const staffLoop = async (s: number) => {
    for (let i = 0; performance.now() < deadline && !finished; i++) {
      const k = (i + s) % 5;
      if (k === 0) await hit(`${base}/fila`, { headers: page });
      else if (k === 1) await hit(`${base}/api/tickets?limit=50`, { headers: api });
      else if (k === 2) await hit(`${base}/fila?q=529.982.247-25`, { headers: page });
      else if (k === 3 && protocols.length) await hit(`${base}/tickets/${protocols[(i * 7) % protocols.length]}`, { headers: page });
      else if (resolved < protocols.length) {
        const p = protocols[resolved++];
        await hit(`${base}/api/tickets/${p}/resolve`, { method: 'POST', headers: api, body: JSON.stringify({ message: `Estorno de ${p} aprovado.` }) });
      } else await new Promise((r) => setTimeout(r, 20));
    }
  };
  const staffDone = Promise.all(Array.from({ length: STAFF }, (_, s) => staffLoop(s)));

  // A message the bot rightly leaves unanswered (a chat handed over to a person) is journaled
  // without a reply: after a while the driver checks the database and moves that chat on.
  const peek = new SqliteDatabase(db, { readonly: true });
  const journaled = peek.prepare("select (select count(*) from inbound_messages where channel = 'simulate' and message_id = ?) j, (select count(*) from outbound_messages where channel = 'simulate' and in_reply_to = ?) r");
  const silent = new Set<string>();
  const done = () => printed.size + silent.size >= total;
  let lastReport = performance.now();
  let lastPeek = performance.now();
  while (!done() && performance.now() < deadline && sim.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
    if (performance.now() - lastPeek > 2000) {
      lastPeek = performance.now();
      for (const [id, at] of sentAt) {
        if (printed.has(id) || silent.has(id) || performance.now() - at < 2000) continue;
        const row = journaled.get(id, id) as { j: number; r: number };
        if (row.j === 1 && row.r === 0) {
          silent.add(id);
          sendNext(Number(id.slice(1).split('-')[0]));
        }
      }
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      const waiting = [...sentAt.keys()].filter((id) => !printed.has(id));
      process.stderr.write(`  ${printed.size}/${total} answered; waiting on ${waiting.length}${waiting.length ? ` (${waiting.slice(0, 3).map((id) => `${id}: ${JSON.stringify(scripts[Number(id.slice(1).split('-')[0])][Number(id.split('-')[1])])}`).join(', ')})` : ''}\n`);
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  finished = true;
  peek.close();
  await staffDone;
  sim.stdin.end();
  await new Promise((r) => sim.once('close', r));
  mainProc.kill('SIGTERM');
  const mainExit = await new Promise<number | null>((r) => mainProc.once('exit', (code) => r(code)));

  // ---- what the database says ----
  const s = new SqliteDatabase(db, { readonly: true });
  const journal = s.prepare("select count(*) n, count(distinct message_id) d from inbound_messages where channel = 'simulate'").get() as { n: number; d: number };
  const replies = s.prepare("select count(*) n, count(distinct in_reply_to) d from outbound_messages where channel = 'simulate' and in_reply_to is not null").get() as { n: number; d: number };
  const tickets = s.prepare("select count(*) n, count(distinct chat_id) d from tickets where type = 'refund'").get() as { n: number; d: number };
  const integrity = s.pragma('integrity_check', { simple: true });
  s.close();
  for (const line of (simLog + mainLog).split('\n')) if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 300));

  const sent = [...sentAt.keys()];
  const lost = sent.filter((id) => !printed.has(id) && !silent.has(id)).length + (total - sent.length);
  const duplicated = [...printed.values()].filter((n) => n > 1).length + (journal.n - journal.d) + (replies.n - replies.d) + (tickets.n - tickets.d);
  const report = [
    `soak: ${CHATS} chats × ${MESSAGES} messages = ${total} messages in ${elapsed.toFixed(1)} s (${Math.round(printed.size / elapsed)} msg/s), ${STAFF} staff alongside`,
    `  lost: ${lost}   duplicated: ${duplicated}   errors: ${errors.length}   database integrity: ${integrity}   main exit: ${mainExit}   (left unanswered by design, chat with a person: ${silent.size})`,
    `  reply latency (write → reply line) p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${pct(latencies, 100).toFixed(1)} ms`,
    `  panel: ${panelRequests} requests, p50 ${pct(panelLatency, 50).toFixed(1)} ms, p99 ${pct(panelLatency, 99).toFixed(1)} ms; ${protocols.length} tickets opened, ${resolved} resolved`,
  ];
  for (const e of errors.slice(0, 10)) report.push(`  error: ${e}`);
  process.stdout.write(report.join('\n') + '\n');
  if (process.env.SOAK_KEEP) process.stdout.write(`  database kept in ${db}\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = lost || duplicated || errors.length || integrity !== 'ok' || mainExit !== 0 ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
