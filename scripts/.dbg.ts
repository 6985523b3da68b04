import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { simulateLine } from '../src/channels/simulate.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbg-'));
const app = await createApp(loadConfig({ DATABASE_PATH: path.join(dir, 'bot.db'), GREETING_ENABLED: 'false' }), pino({ level: 'debug' }) as never);
let n = 0;
for (const t of process.argv.slice(2)) { n++; console.log('>>', t); console.log(JSON.stringify(simulateLine(app, JSON.stringify({ from: '5511999990001', text: t, id: 'x' + n, timestamp: Date.now() + n * 5000 }), n))); }
await app.close();
