import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/harness.js';
import { runTs } from './support/process.js';

// `npm run chat -- --from N`: the terminal chat, as a real process on a real database file.
describe('terminal chat', () => {
  it('answers what is typed, as the given phone number, on the same database the bot uses', async () => {
    const dir = tempDir('chat-');
    const db = path.join(dir, 'bot.db');
    try {
      const r = await runTs('src/cli.ts', ['chat', '--from', '5511988887777'], {
        env: { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'silent' },
        input: 'qdo recebo minha comissao?\nmenu\n5\n',
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Conversando como 5511988887777');
      expect(r.stdout).toContain('15º dia útil');
      expect(r.stdout).toContain('*Benefícios*');
      // The chat is stored like any other: a new session on the same file resumes the submenu.
      const again = await runTs('src/cli.ts', ['chat', '--from', '5511988887777'], {
        env: { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'silent' },
        input: '3\n',
      });
      expect(again.stdout).toContain('25%');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows what staff sent to this chat while it was closed, and marks it sent', async () => {
    const dir = tempDir('chat-');
    const db = path.join(dir, 'bot.db');
    try {
      const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'silent' };
      await runTs('src/cli.ts', ['chat', '--from', '5511988887777'], { env, input: 'menu\n' });
      const sqlite = new (await import('better-sqlite3')).default(db);
      sqlite.prepare("insert into outbound_messages (channel, chat_id, text, status, attempts, created_at) values ('terminal', '5511988887777', 'Seu estorno foi aprovado.', 'queued', 0, ?)").run(new Date().toISOString());
      const again = await runTs('src/cli.ts', ['chat', '--from', '5511988887777'], { env, input: '' });
      expect(again.stdout).toContain('Seu estorno foi aprovado.');
      expect(sqlite.prepare("select status from outbound_messages where text = 'Seu estorno foi aprovado.'").get()).toEqual({ status: 'sent' });
      sqlite.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a phone number without area code with a clear message', async () => {
    const r = await runTs('src/cli.ts', ['chat', '--from', '9999'], { env: { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/telefone com DDD/);
  });
});
