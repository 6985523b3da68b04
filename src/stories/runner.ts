import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { simulateLine } from '../channels/simulate.js';
import type { Logger } from '../logger.js';
import { importOrders, importPartners, ORDER_HEADERS, ORDER_OPTIONAL_HEADERS, PARTNER_HEADERS } from '../tickets/import.js';
import { listTickets, ticketView } from '../tickets/tickets.js';

// Conversation tests as data (tests/conversations/*.yaml): what the person says, what the reply
// must contain, which tickets exist at the end. Run by `npm test` and `npm run bot -- test`,
// so the company can check its own FAQ and flow edits without writing code.

const texts = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const turnSchema = z.union([
  z.object({
    say: z.string(),
    from: z.string().optional(),
    /** Advance the clock first: "31m", "2h", "3d". */
    after: z.string().regex(/^\d+[smhd]$/).optional(),
    /** Substrings the reply must contain (case-insensitive). */
    expect: texts.optional(),
    expect_not: texts.optional(),
    /** The bot must not answer (e.g. during a hand-over). */
    silent: z.boolean().optional(),
  }),
  /** Stop and start the bot again on the same database (a restart mid-conversation). */
  z.object({ restart: z.literal(true) }),
  /** Staff close the hand-over of this chat from the panel. */
  z.object({ staff_close_handoff: z.union([z.literal(true), z.string()]), expect: texts.optional() }),
]);

const ticketSchema = z.object({
  type: z.string().optional(),
  team: z.string().optional(),
  status: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const storySchema = z.object({
  name: z.string(),
  from: z.string().default('5511999990001'),
  /** The clock at the first message (ISO-8601). */
  start: z.string().default('2026-11-27T15:00:00Z'),
  env: z.record(z.string(), z.string()).default({}),
  orders: z.array(z.record(z.string(), z.string())).default([]),
  partners: z.array(z.record(z.string(), z.string())).default([]),
  turns: z.array(turnSchema).min(1),
  tickets: z.array(ticketSchema).optional(),
});

export type Story = z.infer<typeof storySchema>;

export interface StoryResult {
  name: string;
  file: string;
  ok: boolean;
  /** The dialogue up to where it went wrong (or whole). */
  transcript: string;
  failure?: string;
}

function toCsv(headers: readonly string[], rows: Array<Record<string, string>>): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [headers.join(','), ...rows.map((r) => headers.map((h) => cell(r[h] ?? '')).join(','))].join('\n');
}

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Does `actual` contain everything `expected` says (recursively, for objects)? */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    return actual !== null && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
  }
  return JSON.stringify(actual) === JSON.stringify(expected) || String(actual) === String(expected);
}

export function loadStories(file: string): Story[] {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const list = Array.isArray(doc) ? doc : (doc as { stories?: unknown[] })?.stories ?? [doc];
  return list.map((s, i) => {
    const r = storySchema.safeParse(s);
    if (!r.success) throw new Error(`${path.basename(file)}: história #${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return r.data;
  });
}

export async function runStory(story: Story, file: string, logger: Logger): Promise<StoryResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'story-'));
  const transcript: string[] = [];
  let now = Date.parse(story.start);
  let app: App | null = null;
  const start = async () => {
    const config = loadConfig({ DATABASE_PATH: path.join(dir, 'bot.db'), GREETING_ENABLED: 'false', ...story.env });
    app = await createApp(config, logger, { clock: () => now });
  };
  const fail = (failure: string): StoryResult => ({ name: story.name, file, ok: false, failure, transcript: transcript.join('\n') });
  try {
    await start();
    const a = () => app!;
    if (story.orders.length) {
      const r = importOrders(a().db, toCsv([...ORDER_HEADERS, ...ORDER_OPTIONAL_HEADERS], story.orders));
      if (r.errors.length) return fail(`pedidos inválidos na história: ${JSON.stringify(r.errors)}`);
    }
    if (story.partners.length) {
      const r = importPartners(a().db, toCsv(PARTNER_HEADERS, story.partners));
      if (r.errors.length) return fail(`parceiros inválidos na história: ${JSON.stringify(r.errors)}`);
    }
    let n = 0;
    for (const turn of story.turns) {
      if ('restart' in turn) {
        await a().close();
        await start();
        transcript.push('--- (bot reiniciado) ---');
        continue;
      }
      if ('staff_close_handoff' in turn) {
        const replies = a().engine.notify(turn.staff_close_handoff === true ? story.from : turn.staff_close_handoff, { type: 'handoff.closed' });
        const reply = replies.map((r) => r.text).join('\n\n');
        transcript.push('--- (equipe encerrou o atendimento humano) ---', ...(reply ? [`bot: ${reply}`] : []));
        for (const e of turn.expect ?? []) if (!reply.toLowerCase().includes(e.toLowerCase())) return fail(`a resposta deveria conter "${e}"`);
        continue;
      }
      n++;
      if (turn.after) now += Number(turn.after.slice(0, -1)) * UNIT[turn.after.slice(-1)];
      else now += 5_000;
      const from = turn.from ?? story.from;
      transcript.push(`${from === story.from ? 'pessoa' : from}: ${turn.say}`);
      const out = simulateLine(a(), JSON.stringify({ from, text: turn.say, id: `story-${n}`, timestamp: now }), n);
      const reply = out.map((o) => ('text' in o ? o.text : `ERRO: ${o.error}`)).join('\n\n');
      if (reply) transcript.push(`bot: ${reply.split('\n').join('\n     ')}`);
      if (turn.silent && reply) return fail('o bot deveria ficar em silêncio');
      if (!turn.silent && !reply) return fail('o bot não respondeu');
      const lower = reply.toLowerCase();
      for (const e of turn.expect ?? []) if (!lower.includes(e.toLowerCase())) return fail(`a resposta deveria conter "${e}"`);
      for (const e of turn.expect_not ?? []) if (lower.includes(e.toLowerCase())) return fail(`a resposta não deveria conter "${e}"`);
    }
    if (story.tickets) {
      const tickets = listTickets(a().db).map(ticketView);
      if (tickets.length !== story.tickets.length) {
        return fail(`esperava ${story.tickets.length} ticket(s), existem ${tickets.length}: ${JSON.stringify(tickets.map((t) => ({ protocol: t.protocol, type: t.type, data: t.data })))}`);
      }
      for (const [i, want] of story.tickets.entries()) {
        const got = tickets[i];
        if (!matches(got, want)) return fail(`ticket #${i + 1} não confere.\n  esperado: ${JSON.stringify(want)}\n  obtido:   ${JSON.stringify({ type: got.type, team: got.team, status: got.status, data: got.data })}`);
      }
    }
    return { name: story.name, file, ok: true, transcript: transcript.join('\n') };
  } catch (e) {
    return fail(`erro: ${(e as Error).stack ?? e}`);
  } finally {
    if (app) await (app as App).close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFailure(r: StoryResult): string {
  return `✗ ${r.name} (${path.basename(r.file)})\n${r.transcript
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n  → ${r.failure}`;
}
