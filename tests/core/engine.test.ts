import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { texts } from '../../src/conversation/texts.js';
import { defineRequest } from '../../src/requests.js';
import { requestTypes } from '../../flows/index.js';
import { CUSTOMER, NOON, startHarness, tempDir, type Harness } from '../support/harness.js';
import { ECHO_DONE, ECHO_STEP1, ECHO_STEP2, echoFlowMachine } from './support/echo-flow.js';

// The engine end to end: real SQLite file, real matcher, real router, fake clock.

const COMMISSION = '15º dia útil do mês subsequente';
const MAIN_MENU_LAST = '*11* - Falar com um atendente';
const MIN = 60_000;
// A request type with a machine of its own, registered first (menu item 1) next to flows/index.ts's.
const ECHO = [
  defineRequest({
    id: 'echo', team: 'support', title: 'Teste', called: 'teste', menuTitle: 'Teste', examples: [], expectedTime: 'já', slaHours: 1,
    templates: { resolved: () => 'ok', rejected: () => 'não' },
    machine: () => echoFlowMachine as never,
  }),
  ...requestTypes,
];

const open: Harness[] = [];
const dirs: string[] = [];
async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ ...opts, env: { GREETING_ENABLED: 'false', ...opts.env } });
  open.push(h);
  return h;
}
/** A harness on a given file, kept after close (for restarts). */
async function onFile(dbPath: string, opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  return harness({ ...opts, dbPath });
}
function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, 'bot.db');
}
async function closeAll(): Promise<void> {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
}
afterEach(async () => {
  await closeAll();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const count = (h: Harness, sql: string, ...params: unknown[]) => (h.app.db.sqlite.prepare(sql).get(...params) as { n: number }).n;

describe('redelivered messages', () => {
  it('a repeated message id is processed once: one inbound row, one reply, no second machine step', async () => {
    const h = await harness();
    h.say('menu');
    h.say('5');
    expect(h.ask('2', { id: 'wa-1' })).toContain(COMMISSION);
    const outboundBefore = count(h, 'select count(*) n from outbound_messages');
    // Redelivery of the same id (same text, or even different text) is ignored.
    expect(h.say('2', { id: 'wa-1' })).toEqual([]);
    expect(h.say('menu', { id: 'wa-1' })).toEqual([]);
    expect(count(h, "select count(*) n from inbound_messages where message_id = 'wa-1'")).toBe(1);
    expect(count(h, 'select count(*) n from outbound_messages')).toBe(outboundBefore);
    // The ignored "menu" did not move the conversation: still in the Benefícios submenu.
    expect(h.app.engine.stateOf(CUSTOMER)).toBe('category');
    expect(h.ask('3')).toContain('25%');
  });

  it('the same id from two different chats is two different messages', async () => {
    const h = await harness();
    expect(h.say('menu', { id: 'same', from: '5511999990001' })).toHaveLength(1);
    expect(h.say('menu', { id: 'same', from: '5511999990002' })).toHaveLength(1);
  });
});

describe('persistence across restarts', () => {
  it('a new app on the same SQLite file resumes the chat in the same submenu', async () => {
    const file = dbFile();
    const first = await onFile(file);
    first.say('menu');
    expect(first.ask('5')).toContain('*Benefícios*');
    await first.close();

    const second = await onFile(file);
    // (ids restart at m1 in a new harness: give the message a fresh one)
    const answer = second.ask('2', { id: 'after-restart' });
    expect(answer).toContain(COMMISSION);
    expect(answer).not.toContain(texts.restoreFailed);
    expect(second.app.engine.stateOf(CUSTOMER)).toBe('category');
  });
});

describe('idle timeout (default 30 min)', () => {
  it('after 31 minutes of silence mid-submenu the next message starts fresh with a note', async () => {
    const h = await harness();
    h.say('menu', { at: NOON });
    h.say('5', { at: NOON + 1000 });
    const reply = h.ask('2', { at: NOON + 1000 + 31 * MIN });
    expect(reply).toContain('retomando do início');
    // Fresh start: "2" now means the second item of the main menu, not the commission question.
    expect(reply).not.toContain(COMMISSION);
    expect(reply).toContain('*Portal do Parceiro*');
  });

  it('within 29 minutes the chat simply continues where it was', async () => {
    const h = await harness();
    h.say('menu', { at: NOON });
    h.say('5', { at: NOON + 1000 });
    const reply = h.ask('2', { at: NOON + 1000 + 29 * MIN });
    expect(reply).toContain(COMMISSION);
    expect(reply).not.toContain('retomando do início');
  });

  it('IDLE_TIMEOUT_MINUTES changes the limit', async () => {
    const h = await harness({ env: { IDLE_TIMEOUT_MINUTES: '5' } });
    h.say('menu', { at: NOON });
    h.say('5', { at: NOON + 1000 });
    expect(h.ask('2', { at: NOON + 1000 + 6 * MIN })).toContain('retomando do início');
  });
});

describe('greeting once per day per contact (São Paulo calendar day)', () => {
  const at = (iso: string) => Date.parse(iso);

  it('first message of the day has the greeting, the second not, the next day again', async () => {
    const h = await harness({ env: { GREETING_ENABLED: 'true' } });
    const greeting = h.app.config.greeting.text;
    expect(h.ask('menu', { at: at('2026-11-28T09:00:00-03:00') })).toContain(greeting);
    expect(h.ask('5', { at: at('2026-11-28T09:01:00-03:00') })).not.toContain(greeting);
    // Another contact gets their own greeting the same day.
    expect(h.ask('menu', { from: '5511988887777', at: at('2026-11-28T09:02:00-03:00') })).toContain(greeting);
    expect(h.ask('menu', { at: at('2026-11-29T08:00:00-03:00') })).toContain(greeting);
  });

  it('the day changes at midnight in São Paulo, not at midnight UTC', async () => {
    const h = await harness({ env: { GREETING_ENABLED: 'true' } });
    const greeting = h.app.config.greeting.text;
    // 20:50 and 21:10 in São Paulo: same local day, although UTC crosses midnight (23:50Z -> 00:10Z).
    expect(h.ask('menu', { at: at('2026-11-28T20:50:00-03:00') })).toContain(greeting);
    expect(h.ask('menu', { at: at('2026-11-28T21:10:00-03:00') })).not.toContain(greeting);
    // 23:50 -> 00:10 in São Paulo: a new local day, although UTC is the same day (29th).
    expect(h.ask('menu', { at: at('2026-11-28T23:50:00-03:00') })).not.toContain(greeting);
    expect(h.ask('menu', { at: at('2026-11-29T00:10:00-03:00') })).toContain(greeting);
  });

  it('GREETING_ENABLED=false never greets', async () => {
    const h = await harness({ env: { GREETING_ENABLED: 'false' } });
    expect(h.ask('menu')).not.toContain(h.app.config.greeting.text);
  });
});

describe('a stored snapshot that no longer fits', () => {
  const breakers: Array<[string, string]> = [
    ['garbage text', "update conversations set snapshot = 'garbage{'"],
    ['JSON that is not a snapshot', "update conversations set snapshot = '42'"],
    ['an old machine_version', 'update conversations set machine_version = 0'],
    ['another machine id', "update conversations set machine_id = 'old-router'"],
    ['a state that does not exist', `update conversations set snapshot = json_set(snapshot, '$.value', 'noSuchState')`],
  ];
  it.each(breakers)('%s: polite restart reply, no crash, and the chat works again', async (_name, sql) => {
    const h = await harness();
    h.say('menu');
    h.say('5');
    h.app.db.sqlite.prepare(sql).run();
    const reply = h.ask('menu');
    expect(reply).toContain(texts.restoreFailed);
    expect(reply).toContain(MAIN_MENU_LAST);
    expect(h.ask('5')).toContain('*Benefícios*');
    expect(h.ask('2')).toContain(COMMISSION);
  });
});

describe('bad input', () => {
  const worksAfterwards = (h: Harness) => {
    expect(h.ask('qdo recebo minha comissao?')).toContain(COMMISSION);
    h.say('menu');
    h.say('5');
    expect(h.ask('2')).toContain(COMMISSION);
  };
  const lastInbound = (h: Harness) => h.app.db.sqlite.prepare('select text from inbound_messages order by id desc limit 1').get() as { text: string };

  it('empty and whitespace-only text are ignored: no reply, the submenu is kept', async () => {
    const h = await harness();
    h.say('menu');
    h.say('5');
    for (const t of ['', '   ', '\n\t  \n', '\u200B\u200B']) expect(h.say(t)).toEqual([]);
    expect(h.ask('2')).toContain(COMMISSION);
    worksAfterwards(h);
  });

  it('a 100 KB message gets a polite "too long" reply and is stored truncated', async () => {
    const h = await harness();
    h.say('menu');
    h.say('5');
    const huge = 'quando recebo minha comissao '.repeat(Math.ceil(100_000 / 29)).slice(0, 100_000);
    const reply = h.ask(huge);
    expect(reply).toMatch(/mensagem ficou bem longa/);
    const stored = lastInbound(h).text;
    expect(stored.length).toBeLessThan(10_000);
    expect(huge.startsWith(stored)).toBe(true);
    // The conversation did not move: still in the submenu.
    expect(h.ask('2')).toContain(COMMISSION);
    worksAfterwards(h);
  });

  it('emoji-only gets a polite reply pointing to the menu', async () => {
    const h = await harness();
    const reply = h.ask('😀😂👍🔥');
    expect(reply).toMatch(/menu/);
    expect(reply).not.toContain(texts.internalError);
    worksAfterwards(h);
  });

  it('control characters are stripped before reading and storing', async () => {
    const h = await harness();
    expect(h.ask('me\u0000n\u0007u\u001B')).toContain(MAIN_MENU_LAST);
    expect(lastInbound(h).text).toBe('menu');
    worksAfterwards(h);
  });

  it.each([
    ['English', 'Where is the nearest train station?'],
    ['English', 'Hello, could you please tell me the weather forecast for tomorrow?'],
    ['Spanish', '¿Dónde está la biblioteca municipal?'],
  ])('%s text gets an honest "não encontrei" with the menu: %s', async (_lang, text) => {
    const h = await harness();
    const reply = h.ask(text);
    expect(reply).toMatch(/não encontrei|não tenho|apenas em português/);
    expect(reply).toContain(MAIN_MENU_LAST);
    worksAfterwards(h);
  });

  it('SQL fragments are just text: polite reply, every table intact, stored verbatim', async () => {
    const h = await harness();
    const tables = () => h.app.db.sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all();
    const before = tables();
    expect(before).toContainEqual({ name: 'tickets' });
    for (const sql of ["'; DROP TABLE tickets; --", '1; DELETE FROM conversations; --', "\" OR 1=1; UPDATE contacts SET name='x' --"]) {
      const reply = h.ask(sql);
      expect(reply.length).toBeGreaterThan(0);
      expect(reply).not.toContain(texts.internalError);
      expect(lastInbound(h).text).toBe(sql);
    }
    expect(tables()).toEqual(before);
    expect(count(h, 'select count(*) n from conversations')).toBe(1);
    worksAfterwards(h);
  });

  it('HTML is just text: polite reply that does not echo the markup', async () => {
    const h = await harness();
    const reply = h.ask('<script>alert(1)</script>');
    expect(reply).toMatch(/não encontrei|não tenho|menu/);
    expect(reply).not.toContain('<script>');
    expect(reply).not.toContain(texts.internalError);
    worksAfterwards(h);
  });
});

describe('independent chats', () => {
  it('two chats in different submenus do not see each other', async () => {
    const h = await harness();
    const A = '5511911110001';
    const B = '5511922220002';
    h.say('menu', { from: A });
    h.say('menu', { from: B });
    h.say('5', { from: A });
    h.say('3', { from: B });
    const docs = h.app.kb.categories[2];
    expect(docs.title).toBe('Documentação');
    const b = h.ask('2', { from: B });
    const a = h.ask('2', { from: A });
    expect(a).toContain(COMMISSION);
    expect(b).toContain(docs.entries[1].question);
    expect(b).not.toContain(COMMISSION);
    expect(h.app.engine.stateOf(A)).toBe('category');
    expect(h.app.engine.stateOf(B)).toBe('category');
  });
});

describe('flows plug in as child machines', () => {
  const withEcho = (dbPath?: string) => harness({ overrides: { requests: ECHO }, ...(dbPath ? { dbPath } : {}) });

  it('menu 10 lists the flow and choosing it starts it; its replies reach the person', async () => {
    const h = await withEcho();
    h.say('menu');
    const requests = h.ask('10');
    expect(requests).toContain('*Solicitações*');
    expect(requests).toContain('*1* - Teste');
    expect(h.ask('1')).toBe(ECHO_STEP1);
    expect(h.ask('Ana')).toBe(ECHO_STEP2('Ana'));
    expect(h.ask('azul')).toBe(ECHO_DONE('Ana', 'azul'));
    // Finished: back at rest, free text is the FAQ again.
    expect(h.app.engine.stateOf(CUSTOMER)).toBe('home');
    expect(h.ask('qdo recebo minha comissao?')).toContain(COMMISSION);
  });

  it('a restart mid-flow resumes at the same step', async () => {
    const file = dbFile();
    const first = await withEcho(file);
    first.say('menu');
    first.say('10');
    first.say('1');
    expect(first.ask('Bia')).toBe(ECHO_STEP2('Bia'));
    await first.close();

    const second = await withEcho(file);
    expect(second.ask('verde', { id: 'after-restart' })).toBe(ECHO_DONE('Bia', 'verde'));
  });

  it('"menu" leaves the flow', async () => {
    const h = await withEcho();
    h.say('menu');
    h.say('10');
    h.say('1');
    const reply = h.ask('menu');
    expect(reply).toContain(MAIN_MENU_LAST);
    expect(h.app.engine.stateOf(CUSTOMER)).toBe('mainMenu');
    // The flow is gone: a name is now free text, not the flow's step 1 answer.
    expect(h.ask('Ana')).not.toContain('Teste passo 2');
  });

  it('an action that throws inside the flow gives the internal-error reply and keeps the previous state', async () => {
    const h = await withEcho();
    h.say('menu');
    h.say('10');
    h.say('1');
    h.say('Caio');
    const snapshotBefore = (h.app.db.sqlite.prepare('select snapshot from conversations').get() as { snapshot: string }).snapshot;
    expect(h.ask('boom')).toBe(texts.internalError);
    const snapshotAfter = (h.app.db.sqlite.prepare('select snapshot from conversations').get() as { snapshot: string }).snapshot;
    expect(snapshotAfter).toBe(snapshotBefore);
    // The reply was queued in the outbox like any other.
    expect(count(h, 'select count(*) n from outbound_messages where text = ?', texts.internalError)).toBe(1);
    // Same step as before the failure: the next answer completes the flow with the stored name.
    expect(h.ask('roxo')).toBe(ECHO_DONE('Caio', 'roxo'));
  });

  it('a step that fails twice in a row restarts the chat instead of leaving it stuck', async () => {
    const h = await withEcho();
    h.say('menu');
    h.say('10');
    h.say('1');
    h.say('Caio');
    expect(h.ask('boom')).toBe(texts.internalError);
    expect(h.ask('boom')).toBe(texts.restarted);
    expect(h.app.engine.stateOf(CUSTOMER)).toBeNull();
    // The next message is a fresh conversation, answered normally.
    expect(h.ask('menu')).toContain(MAIN_MENU_LAST);
  });
});

describe('hot path', () => {
  it('prepares each per-message query once, however many messages and chats (no memory growth)', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    const cache = () => (h.app.db as unknown as { preparedCache: Map<unknown, unknown> }).preparedCache.size;
    for (let i = 0; i < 20; i++) h.say('menu', { from: `55119000000${String(i).padStart(2, '0')}` });
    h.say('menu', { from: '5511900000000' }); // a chat already stored: its conversation is updated, not inserted
    const after20 = cache();
    for (let i = 0; i < 200; i++) h.say(i % 2 ? '5' : 'qdo recebo a comissao', { from: `55119000001${String(i % 50).padStart(2, '0')}` });
    expect(cache()).toBe(after20);
    expect(after20).toBeLessThan(12);
    await h.close();
  });
});
