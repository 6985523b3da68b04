import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTicket } from '../../src/tickets/tickets.js';
import type { Ticket } from '../../src/db/schema.js';
import { exited, spawnTs } from '../core/support/process.js';
import { login, csrfOf, startPanel, type Panel } from '../panel/support.js';

// Two processes on one database file: `bot simulate` answers a continuous stream of messages
// (one write transaction each) while staff resolve, reject, note and reply through the API and
// the pages of another process. Nobody on the staff side may see an error for that.

let p: Panel;
const tickets: Ticket[] = [];

beforeAll(async () => {
  p = await startPanel();
  const now = new Date().toISOString();
  for (let i = 0; i < 240; i++) {
    tickets.push(
      createTicket(p.h.app.db, {
        type: i % 3 === 0 ? 'human_handoff' : 'refund',
        team: 'finance',
        chatId: `55119${String(i).padStart(8, '0')}`,
        phone: `55119${String(i).padStart(8, '0')}`,
        contactName: `Cliente ${i}`,
        orderNumber: String(40000 + i),
        data: {},
        excerpt: [],
        now,
      }),
    );
  }
});
afterAll(() => p.close());

/** Keeps `bot simulate` busy on the same file until stop() (bounded: at most 60 s of input). */
function busyBot(dbPath: string) {
  const child = spawnTs('src/cli.ts', ['simulate'], { DATABASE_PATH: dbPath, LOG_LEVEL: 'warn', GREETING_ENABLED: 'false' });
  let answered = 0;
  let stopped = false;
  child.stdin.on('error', () => undefined); // EPIPE once it is stopped
  child.stdout.setEncoding('utf8').on('data', (d: string) => (answered += d.split('\n').length - 1));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let seq = 0;
  const texts = ['menu', '5', '2', 'qdo recebo minha comissao?', 'oi', 'quero falar sobre boleto'];
  const pump = () => {
    while (!stopped && seq < 200_000) {
      const line = JSON.stringify({ from: `55218${String(seq % 300).padStart(8, '0')}`, text: texts[seq % texts.length], id: `c${seq}` }) + '\n';
      seq++;
      if (!child.stdin.write(line)) return void child.stdin.once('drain', pump);
    }
  };
  pump();
  const deadline = setTimeout(() => (stopped = true), 60_000);
  return {
    answered: () => answered,
    stderr: () => stderr,
    async stop() {
      stopped = true;
      clearTimeout(deadline);
      child.stdin.end();
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

describe('cross-process contention', () => {
  it('staff actions while the bot writes the same file: no error reaches staff', async () => {
    const bot = busyBot(p.h.dbPath);
    try {
      // The bot is writing before staff start (its start-up takes seconds on a loaded machine).
      for (let i = 0; i < 800 && bot.answered() < 50; i++) await new Promise((r) => setTimeout(r, 50));
      expect(bot.answered()).toBeGreaterThanOrEqual(50);

      const statuses: number[] = [];
      const auth = { Authorization: `Bearer ${p.users.finance.token}`, 'Content-Type': 'application/json' };
      const api = (path: string, body: unknown) => fetch(`${p.url}/api${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) }).then(async (r) => (await r.arrayBuffer(), r.status));
      // 10 requests at a time, as a small team with scripts would.
      for (let i = 0; i < 200; i += 10) {
        const batch = tickets.slice(i, i + 10).map((t, j) => {
          const k = i + j;
          if (k % 4 === 0) return api(`/tickets/${t.protocol}/resolve`, { message: `Resolvido, ${t.contact_name}.` });
          if (k % 4 === 1) return api(`/tickets/${t.protocol}/reject`, { message: 'Fora da política.' });
          if (k % 4 === 2) return api(`/tickets/${t.protocol}/notes`, { text: 'conferido' });
          return api(`/tickets/${t.protocol}/messages`, { text: 'Olá! Estamos vendo o seu caso.' });
        });
        statuses.push(...(await Promise.all(batch)));
      }
      // The pages too: resolve through the form.
      const { agent } = await login(p, 'finance@example.com');
      const csrf = await csrfOf(agent);
      for (const t of tickets.slice(200, 240)) {
        const res = await agent.post(`/tickets/${t.protocol}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message: 'Pronto!' });
        statuses.push(res.status);
      }
      const errors = statuses.filter((s) => s >= 400);
      expect({ errors: errors.length, sample: errors.slice(0, 5) }).toEqual({ errors: 0, sample: [] });
      expect(statuses).toHaveLength(240);
      // The bot kept answering all along.
      expect(bot.stderr()).not.toMatch(/database is locked|SQLITE_BUSY/);
    } finally {
      await bot.stop();
    }
  }, 120_000);
});
