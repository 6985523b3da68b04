/**
 * `npm run bench`: throughput and latency of the conversation core on this machine.
 *
 *  1. the whole engine (Engine.handle: normalise, classify, machine step, SQLite writes) on a file
 *     database in WAL mode, 10,000 distinct chats, realistic mixed messages, round-robin so that
 *     every message restores another chat's snapshot;
 *  2. the matcher alone (classifications per second) on the held-out phrasings, and its start-up
 *     (loading the FAQ and training, calibration included) in a fresh process;
 *  3. RSS with 100,000 stored conversations (after traffic over all of them, after GC);
 *  4. start-up of `bot simulate` to its first reply (a real process);
 *  5. the staff panel's own figures, when bench/panel.ts exists (runPanelBench()).
 *
 * Bounded: about a minute on the 2-core reference machine.
 */
import '../src/quiet-dotenv.js';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

type Row = { name: string; value: string; target?: string; ok?: boolean };
const rows: Row[] = [];
const add = (r: Row) => {
  rows.push(r);
  process.stderr.write(`  ${r.name}: ${r.value}\n`);
};

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CHATS = 10_000;
const STORED = 100_000;
// Free-text questions from the held-out set, minus requests for a person (they park the chat in
// the hand-over, where the bot rightly stays silent).
const heldout = loadHeldOut(path.join(projectRoot, 'tests/nlu/heldout.yaml'))
  .filter((i) => i.expect !== 'atendente')
  .map((i) => i.text);
/** CPU time (user + system) in seconds since `from`: the figure that other processes on the machine do not distort. */
const cpuSecs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

/** One conversation per chat, the way people use the bot: greeting, menus, free text, thanks. */
function script(chat: number): string[] {
  const q = (k: number) => heldout[(chat * 7 + k * 13) % heldout.length];
  return ['oi', String(1 + (chat % 9)), '2', q(0), 'menu', String(1 + ((chat + 4) % 9)), q(1), chat % 3 === 0 ? 'voltar' : 'obrigado'];
}

const phone = (i: number) => `55119${String(i).padStart(8, '0')}`;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function openApp(dir: string): Promise<App> {
  const config = loadConfig({ DATABASE_PATH: path.join(dir, 'bench.db'), LOG_LEVEL: 'silent' });
  return createApp(config, silentLogger);
}

async function engineBench(app: App): Promise<void> {
  let seq = 0;
  const send = (chatId: string, text: string, at: number) =>
    app.engine.handle({ channel: 'bench', chatId, phone: chatId, id: `b${++seq}`, text, timestamp: at });

  // Warm-up on other chats (JIT, statement cache), not measured.
  for (let i = 0; i < 300; i++) for (const t of script(i)) send(`warm${i}`, t, Date.now());

  const scripts = Array.from({ length: CHATS }, (_, i) => script(i));
  const steps = scripts[0].length;
  const total = CHATS * steps;
  const lat = new Float64Array(total);
  let n = 0;
  let replies = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const at = Date.now();
    for (let c = 0; c < CHATS; c++) {
      const a = performance.now();
      replies += send(phone(c), scripts[c][s], at).replies.length;
      lat[n++] = performance.now() - a;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSecs(cpu0);
  lat.sort();
  const rate = total / secs;
  add({ name: `engine: messages/s (${fmt(CHATS)} chats, ${fmt(total)} msgs, file DB, WAL)`, value: fmt(rate), target: '>= 5,000 (aim 10,000)', ok: rate >= 5000 });
  add({ name: 'engine: latency p50 per message', value: `${fmt(pct(lat, 50) * 1000)} µs`, target: '' });
  add({ name: 'engine: latency p99 per message', value: `${fmt(pct(lat, 99) * 1000)} µs`, target: '< 2 ms', ok: pct(lat, 99) < 2 });
  add({ name: 'engine: latency max per message', value: `${fmt(lat[lat.length - 1], 1)} ms`, target: '' });
  add({ name: 'engine: CPU time per message (user+sys)', value: `${fmt((cpu / total) * 1e6)} µs = ${fmt(total / cpu)} msgs per CPU-second`, target: '' });
  add({ name: 'engine: messages answered', value: `${fmt(replies)} of ${fmt(total)}`, target: '' });
}

function matcherBench(app: App): void {
  const texts = heldout;
  for (const t of texts) app.matcher.classify(t); // warm-up
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) for (const t of texts) (app.matcher.classify(t), n++);
  const rate = n / ((performance.now() - t0) / 1000);
  const perCpu = n / cpuSecs(cpu0);
  // One thread: classifications per CPU-second is the rate on one core, whatever else runs.
  add({ name: `matcher: classifications/s (${texts.length} held-out phrasings, wall clock)`, value: fmt(rate), target: '' });
  add({ name: 'matcher: classifications per CPU-second (one core, this tsx process)', value: fmt(perCpu), target: '' });
}

/**
 * The same on the compiled build (dist/, what `npm start` runs), in a fresh process: tsx's
 * transform wraps every function in a name helper that the production code does not pay. Median of 3.
 */
function matcherDistBench(): void {
  const dist = path.join(projectRoot, 'dist/src');
  const code = `process.env.DOTENV_CONFIG_QUIET = 'true';
const { loadKnowledge } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'understanding.js')).href)});
const { Matcher } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'nlu/matcher.js')).href)});
const m = new Matcher(loadKnowledge());
const texts = ${JSON.stringify(heldout)};
for (const t of texts) m.classify(t);
let n = 0; const c0 = process.cpuUsage(); const t0 = performance.now();
while (performance.now() - t0 < 2000) for (const t of texts) (m.classify(t), n++);
const c = process.cpuUsage(c0);
process.stdout.write(String(n / ((c.user + c.system) / 1e6)));`;
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: projectRoot, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`matcher dist run failed: ${r.stderr}`);
    rates.push(Number(r.stdout));
  }
  rates.sort((a, b) => a - b);
  add({ name: 'matcher: classifications per CPU-second (one core, compiled build, median of 3)', value: fmt(rates[1]), target: '>= 30,000', ok: rates[1] >= 30_000 });
}

/**
 * The matcher's start-up in a fresh process (compiled dist/, as `npm run bot` runs): loading the
 * FAQ and training, calibration included, on a cold JIT. Median of 5.
 */
function matcherStartupBench(): void {
  const dist = path.join(projectRoot, 'dist/src');
  const code = `process.env.DOTENV_CONFIG_QUIET = 'true';
const { loadKnowledge } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'understanding.js')).href)});
const { Matcher } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'nlu/matcher.js')).href)});
const t0 = performance.now(); const c0 = process.cpuUsage();
const kb = loadKnowledge();
const t1 = performance.now();
const m = new Matcher(kb);
const t2 = performance.now(); const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ total: t2 - t0, train: t2 - t1, cpu: (c.user + c.system) / 1000, examples: m.training.length }));`;
  const runs: Array<{ total: number; train: number; cpu: number; examples: number }> = [];
  for (let i = 0; i < 5; i++) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: projectRoot, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`matcher start-up run failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  runs.sort((a, b) => a.total - b.total);
  const m = runs[2];
  add({
    name: `matcher: start-up, FAQ load + training (${fmt(m.examples)} examples, fresh process, median of 5)`,
    value: `${fmt(m.total)} ms (training ${fmt(m.train)} ms, ${fmt(m.cpu)} CPU-ms)`,
    target: '< 500 ms',
    ok: m.total < 500,
  });
}

async function rssBench(app: App): Promise<void> {
  const { sqlite } = app.db;
  // The engine stored CHATS conversations above; copy their rows (real snapshots in every
  // state the scripts reach) to reach STORED conversations and contacts.
  const existing = sqlite.prepare("select count(*) n from conversations where chat_id not like 'warm%'").get() as { n: number };
  const convs = sqlite.prepare('select * from conversations where chat_id not like ? order by chat_id').all('warm%') as Array<Record<string, unknown>>;
  const contacts = sqlite.prepare('select * from contacts where chat_id not like ? order by chat_id').all('warm%') as Array<Record<string, unknown>>;
  const insConv = sqlite.prepare('insert into conversations (chat_id, machine_id, machine_version, snapshot, updated_at) values (?, ?, ?, ?, ?)');
  const insContact = sqlite.prepare('insert into contacts (chat_id, phone, lid, name, created_at, last_message_at, greeted_on) values (?, ?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = existing.n; i < STORED; i++) {
      const c = convs[i % convs.length];
      const k = contacts[i % contacts.length];
      const snap = String(c.snapshot).replaceAll(String(c.chat_id), phone(i));
      insConv.run(phone(i), c.machine_id, c.machine_version, snap, c.updated_at);
      insContact.run(phone(i), phone(i), null, null, k.created_at, k.last_message_at, k.greeted_on);
    }
  })();
  const stored = (sqlite.prepare('select count(*) n from conversations').get() as { n: number }).n;
  // Traffic over all of them (each restored once at least), then GC and measure.
  const at = Date.now();
  for (let i = 0; i < STORED; i += 10) app.engine.handle({ channel: 'bench', chatId: phone(i), phone: phone(i), id: `r${i}`, text: i % 2 ? 'menu' : '3', timestamp: at });
  gc();
  gc();
  const mem = process.memoryUsage();
  const mb = (b: number) => b / 1024 / 1024;
  const dbBytes = ['bench.db', 'bench.db-wal'].map((f) => path.join(path.dirname(app.config.databasePath), f)).filter(fs.existsSync).reduce((s, f) => s + fs.statSync(f).size, 0);
  add({ name: `memory: RSS with ${fmt(stored)} stored conversations (after GC)`, value: `${fmt(mb(mem.rss))} MB`, target: '< 300 MB', ok: mb(mem.rss) < 300 });
  add({ name: 'memory: JS heap used (after GC)', value: `${fmt(mb(mem.heapUsed))} MB`, target: '' });
  add({ name: 'disk: database + WAL', value: `${fmt(mb(dbBytes))} MB`, target: '' });
}

function firstReply(dir: string, i: number, args: string[]): Promise<number> {
  // A fresh database per run: the same message id twice would be (rightly) ignored as a redelivery.
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, `sim${i}-${args[0].replace(/\W/g, '')}.db`), LOG_LEVEL: 'warn' };
    delete env.NODE_OPTIONS;
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: projectRoot, env });
    child.stdin.write(JSON.stringify({ from: '5511999990001', text: 'qdo recebo minha comissao?', id: 'x' }) + '\n');
    child.stdout.once('data', () => {
      resolve(performance.now() - t0);
      child.stdin.end();
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`simulate exited ${code}`)));
  });
}

async function startupBench(dir: string): Promise<void> {
  // `npm run bot` runs dist/ when it is fresh (scripts/run.mjs): build it, then time both ways.
  spawnSync(process.execPath, [path.join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'ignore' });
  const ways: Array<[string, string[]]> = [
    ['`npm run bot -- simulate` (compiled dist/)', ['scripts/run.mjs', 'src/cli.ts', 'simulate']],
    ['`node --import tsx src/cli.ts simulate` (from source)', ['--import', 'tsx', 'src/cli.ts', 'simulate']],
  ];
  for (const [name, args] of ways) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await firstReply(dir, i, args));
    times.sort((a, b) => a - b);
    const median = times[2];
    add({ name: `${name}: start to first reply (median of 5)`, value: `${fmt(median)} ms (min ${fmt(times[0])}, max ${fmt(times[4])})`, target: '< 1 s', ok: median < 1000 });
  }
}

async function panelBench(): Promise<void> {
  const file = path.join(projectRoot, 'bench/panel.ts');
  if (!fs.existsSync(file)) return;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { runPanelBench?: () => Promise<Array<{ name: string; value: string }>> };
    if (typeof mod.runPanelBench !== 'function') throw new Error('bench/panel.ts does not export runPanelBench()');
    for (const r of await mod.runPanelBench()) add({ name: `panel: ${r.name}`, value: r.value });
  } catch (err) {
    add({ name: 'panel: failed', value: (err as Error).message, ok: false });
  }
}

function printTable(): void {
  const head = ['metric', 'value', 'target', ''];
  const body = rows.map((r) => [r.name, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  process.stdout.write(`\n${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-bench-'));
  process.stderr.write(`bench: node ${process.version}, ${os.cpus().length} cores, temp ${dir}\n`);
  try {
    const app = await openApp(dir);
    add({ name: 'environment', value: `node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}` });
    add({ name: 'machine load average (1 min) at start', value: os.loadavg()[0].toFixed(2) });
    await engineBench(app);
    matcherBench(app);
    await rssBench(app);
    await app.close();
    await startupBench(dir);
    matcherStartupBench();
    matcherDistBench();
    await panelBench();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  add({ name: 'machine load average (1 min) at end', value: os.loadavg()[0].toFixed(2) });
  add({ name: 'bench wall time', value: `${fmt((performance.now() - started) / 1000, 1)} s` });
  printTable();
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
