// scratch: engine loop for profiling (not committed)
import '../src/quiet-dotenv.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';
const heldout = loadHeldOut(path.join(projectRoot, 'tests/nlu/heldout.yaml')).filter((i) => i.expect !== 'atendente').map((i) => i.text);
function script(chat: number): string[] {
  const q = (k: number) => heldout[(chat * 7 + k * 13) % heldout.length];
  return ['oi', String(1 + (chat % 9)), '2', q(0), 'menu', String(1 + ((chat + 4) % 9)), q(1), chat % 3 === 0 ? 'voltar' : 'obrigado'];
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const app = await createApp(loadConfig({ DATABASE_PATH: path.join(dir, 'b.db'), LOG_LEVEL: 'silent' }), silentLogger);
if (process.env.JSL) (app.db as any).sqlite.pragma('journal_size_limit = ' + process.env.JSL);
if (process.env.WAC) (app.db as any).sqlite.pragma('wal_autocheckpoint = ' + process.env.WAC);
let seq = 0;
const N = Number(process.env.N ?? 3000);
(globalThis as any).__counting = true;
const c0 = process.cpuUsage();
for (let s = 0; s < 8; s++) { const at = Date.now(); for (let c = 0; c < N; c++) app.engine.handle({ channel: 'bench', chatId: `55119${c}`, phone: `55119${c}`, id: `b${++seq}`, text: script(c)[s], timestamp: at }); }
const u = process.cpuUsage(c0);
console.log('cpu µs/msg', ((u.user + u.system) / (N * 8)).toFixed(0), 'user', (u.user / (N * 8)).toFixed(0), 'sys', (u.system / (N * 8)).toFixed(0));
const sq = (app.db as any).sqlite;
console.log(sq.prepare("select avg(length(snapshot)) a, max(length(snapshot)) m from conversations").get());
console.log(sq.prepare("select name, tbl_name from sqlite_master where type in ('index','trigger') and tbl_name in ('conversations','inbound_messages','outbound_messages','contacts')").all().map((r: any) => r.tbl_name + ':' + r.name).join(' '));
for (const pr of ['page_size','synchronous','journal_mode','wal_autocheckpoint','cache_size','foreign_keys','mmap_size','locking_mode','journal_size_limit','temp_store','cache_spill','automatic_index']) console.log(pr, sq.pragma(pr, { simple: true }));
console.log(sq.prepare("select sql from sqlite_master where sql like '%references%'").all().map((r: any) => r.sql.slice(0, 80)).join('\n'));
process.exit(0);
