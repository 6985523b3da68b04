import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/harness.js';
import { exited, lineReader, runTs, spawnTs } from './support/process.js';

// `npm run bot -- simulate` as a real process: JSON lines in, JSON lines out.

const COMMISSION = '15º dia útil do mês subsequente';
const FROM = '5511999990001';
const dir = tempDir('bot-sim-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('bot simulate', () => {
  it('writes only reply JSON lines on stdout, ignores a repeated id, reports bad lines and exits 0', async () => {
    const input = [
      line({ from: FROM, text: 'menu', id: 's1' }),
      line({ from: FROM, text: 'menu', id: 's1' }), // redelivery: ignored
      'this is { not json',
      '',
      line({ from: FROM, text: '5', id: 's2' }),
      line({ from: FROM, text: '2', id: 's3' }),
      line({ from: '5511999990002', text: 'qdo recebo minha comissao?', id: 's1' }), // same id, other chat
    ].join('\n');
    const r = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: ':memory:', LOG_LEVEL: 'info' }, input: input + '\n' });
    expect(r.code).toBe(0);

    const out = r.stdout.split('\n').filter((l) => l !== '');
    const parsed = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const replies = parsed.filter((p) => !('error' in p));
    const errors = parsed.filter((p) => 'error' in p);

    // Every reply has exactly the documented shape.
    for (const p of replies) {
      expect(Object.keys(p).sort()).toEqual(['inReplyTo', 'text', 'to']);
      expect(typeof p.text).toBe('string');
    }
    expect(replies.map((p) => [p.to, p.inReplyTo])).toEqual([
      [FROM, 's1'],
      [FROM, 's2'],
      [FROM, 's3'],
      ['5511999990002', 's1'],
    ]);
    expect(replies[0].text).toContain('*11* - Falar com um atendente');
    expect(replies[1].text).toContain('*Benefícios*');
    expect(replies[2].text).toContain(COMMISSION);
    expect(replies[3].text).toContain(COMMISSION);

    // The invalid line got an error line, in order, and processing went on.
    expect(errors).toHaveLength(1);
    expect(String(errors[0].error)).toMatch(/linha 3/);
    expect(out.findIndex((l) => l.includes('"error"'))).toBe(1);

    // Logs went to stderr (the warning about the bad line), never to stdout.
    expect(r.stderr).toMatch(/not JSON/);
    expect(r.stdout).not.toMatch(/"level"/);
  });

  it('a message without "from" or "text" gets an error line, and the next one is still answered', async () => {
    const input = [line({ text: 'menu' }), line({ from: FROM }), line({ from: FROM, text: 'menu', id: 'x' })].join('\n');
    const r = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: ':memory:' }, input });
    expect(r.code).toBe(0);
    const parsed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => ('error' in p ? 'error' : 'reply'))).toEqual(['error', 'error', 'reply']);
  });

  it('kill -9 between two messages: a new process on the same file resumes exactly where it was', async () => {
    const db = path.join(dir, 'kill9.db');
    const env = { DATABASE_PATH: db, LOG_LEVEL: 'info' };

    const first = spawnTs('src/cli.ts', ['simulate'], env);
    const out1 = lineReader(first);
    first.stdin.write(line({ from: FROM, text: 'menu', id: 'k1' }) + '\n');
    expect(JSON.parse(await out1.next()).text).toContain('*5* - Benefícios');
    first.stdin.write(line({ from: FROM, text: '5', id: 'k2' }) + '\n');
    expect(JSON.parse(await out1.next()).text).toContain('*2* - Quando recebo minha comissão?');
    // Killed with stdin still open: no clean shutdown, no chance to flush anything.
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');

    const second = spawnTs('src/cli.ts', ['simulate'], env);
    const out2 = lineReader(second);
    // k2 again (a redelivery after the crash) is ignored; k3 is answered in the submenu.
    second.stdin.write(line({ from: FROM, text: '5', id: 'k2' }) + '\n');
    second.stdin.write(line({ from: FROM, text: '2', id: 'k3' }) + '\n');
    second.stdin.end();
    let reply = JSON.parse(await out2.next());
    // A reply written out just before the kill may not have been marked delivered yet: it is
    // written again at the start (never lost), as the stored row, not as a second answer.
    if (reply.inReplyTo === 'k2') {
      expect(reply.text).toContain('*2* - Quando recebo minha comissão?');
      reply = JSON.parse(await out2.next());
    }
    expect(reply).toEqual({ to: FROM, text: expect.stringContaining(COMMISSION), inReplyTo: 'k3' });
    expect(reply.text).not.toMatch(/reiniciar|retomando/);
    expect((await exited(second)).code).toBe(0);
    const sqlite = new (await import('better-sqlite3')).default(db, { readonly: true });
    expect(sqlite.prepare("select count(*) n from outbound_messages where in_reply_to = 'k2'").get()).toEqual({ n: 1 });
    sqlite.close();
  });

  it('timestamps out of range (1e20, ±8.64e15+1, 1e300, negative, text) are ignored: every message is answered and the process goes on', async () => {
    const bad = [1e20, 8.64e15 + 1, -8.64e15 - 1, 1e300, -1, 'amanhã', '+275760-09-13T00:00:00.001Z'];
    const input = [...bad.map((timestamp, i) => line({ from: FROM, text: 'menu', id: `t${i}`, timestamp })), line({ from: FROM, text: 'menu', id: 'last' })].join('\n');
    const r = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: path.join(dir, 'ts.db'), GREETING_ENABLED: 'false' }, input: input + '\n' });
    expect({ code: r.code, stderr: r.stderr.match(/RangeError.*/)?.[0] }).toEqual({ code: 0, stderr: undefined });
    const replies = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { inReplyTo?: string; error?: string });
    expect(replies.map((x) => x.inReplyTo)).toEqual([...bad.map((_, i) => `t${i}`), 'last']);
    // Run again on the same file: the stored times do not stop the next start either.
    const again = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: path.join(dir, 'ts.db'), GREETING_ENABLED: 'false' }, input: line({ from: FROM, text: 'menu', id: 'after' }) + '\n' });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim()).inReplyTo).toBe('after');
  });

  it('a raw carriage return inside a line does not split it, and a huge id is stored bounded and still dedupes', async () => {
    const hugeId = 'x'.repeat(100_000);
    const input = [
      `{"from":"${FROM}","text":"quando recebo\rminha comissão?","id":"cr1"}`,
      line({ from: FROM, text: 'menu', id: hugeId }),
      line({ from: FROM, text: 'menu', id: hugeId }),
      `{"from":"${FROM}","text":"menu","id":"crlf"}\r`,
    ].join('\n');
    const db = path.join(dir, 'cr.db');
    const r = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: db, GREETING_ENABLED: 'false' }, input: input + '\n' });
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { inReplyTo?: string; error?: string; text?: string });
    expect(out.map((o) => o.error ?? (o.inReplyTo === hugeId ? 'huge' : o.inReplyTo))).toEqual(['cr1', 'huge', 'crlf']);
    expect(out[0].text).toContain(COMMISSION);
    const sqlite = new (await import('better-sqlite3')).default(db, { readonly: true });
    const longest = (sqlite.prepare('select max(length(message_id)) n from inbound_messages').get() as { n: number }).n;
    sqlite.close();
    expect(longest).toBeLessThanOrEqual(128);
  });

  it('replies saved but not printed before a kill are printed at the next start; staff messages while it runs are printed too', async () => {
    const db = path.join(dir, 'outbox.db');
    const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false' };
    expect((await runTs('src/cli.ts', ['simulate'], { env, input: line({ from: FROM, text: 'menu', id: 'o1' }) + '\n' })).code).toBe(0);
    const sqlite = new (await import('better-sqlite3')).default(db);
    const queue = (text: string, inReplyTo: string | null) =>
      sqlite.prepare("insert into outbound_messages (channel, chat_id, text, in_reply_to, status, attempts, created_at) values ('simulate', ?, ?, ?, 'queued', 0, ?)").run(FROM, text, inReplyTo, new Date().toISOString());
    // As a kill right after the commit leaves it: saved, never written out.
    queue('Protocolo *FIN-000001*', 'o2');
    try {
      const child = spawnTs('src/cli.ts', ['simulate'], env);
      const out = lineReader(child);
      expect(JSON.parse(await out.next())).toEqual({ to: FROM, text: 'Protocolo *FIN-000001*', inReplyTo: 'o2' });
      // A staff message queued by the panel process while this one runs.
      queue('Olá! Aqui é a Fernanda, do financeiro.', null);
      expect(JSON.parse(await out.next())).toEqual({ to: FROM, text: 'Olá! Aqui é a Fernanda, do financeiro.' });
      child.stdin.end();
      expect((await exited(child)).code).toBe(0);
      expect(sqlite.prepare("select count(*) n from outbound_messages where status = 'queued'").get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });
});
