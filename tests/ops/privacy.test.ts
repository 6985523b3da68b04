import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import SqliteDatabase from 'better-sqlite3';
import { Db } from '../../src/db/database.js';
import { purgeExpired } from '../../src/ops/privacy.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { startHarness, tempDir } from '../support/harness.js';
import { runTs } from '../core/support/process.js';

// LGPD: the privacy notice at a contact's first message, the retention purge, and a person's
// export and erasure through the CLI, each in the audit log.

const dir = tempDir('bot-lgpd-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;
const CPF = '529.982.247-25';
const CPF_DIGITS = '52998224725';
const PHONE = '5511988887777';

describe('privacy notice', () => {
  it('goes with the first message of a contact only, after the greeting; it can be turned off', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'true' } });
    try {
      const first = h.ask('oi');
      expect(first).toMatch(/Sou o assistente virtual[\s\S]*🔒 Seus dados \(como CPF e e-mail\) são usados só para atender você, conforme a LGPD/);
      expect(h.ask('menu')).not.toContain('LGPD');
      expect(h.ask('oi', { from: '5511900000002' })).toContain('LGPD');
    } finally {
      await h.close();
    }
    const off = await startHarness({ env: { PRIVACY_NOTICE_ENABLED: 'false' } });
    try {
      expect(off.ask('oi')).not.toContain('LGPD');
    } finally {
      await off.close();
    }
  });
});

describe('retention', () => {
  it('purges message texts, files and closed tickets past their age, and nothing recent or open', async () => {
    const db = await Db.open(path.join(dir, 'retention.db'));
    const now = Date.parse('2026-12-01T12:00:00Z');
    const iso = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    try {
      const inbound = db.sqlite.prepare("insert into inbound_messages (channel, chat_id, participant, message_id, text, received_at) values ('whatsapp', ?, '', ?, ?, ?)");
      const outbound = db.sqlite.prepare("insert into outbound_messages (channel, chat_id, text, status, attempts, created_at) values ('whatsapp', ?, ?, ?, 0, ?)");
      for (const [id, age] of [['old', 200], ['recent', 10]] as const) {
        inbound.run(PHONE, id, `meu cpf é ${CPF}`, iso(age));
        outbound.run(PHONE, `resposta ${id}`, 'sent', iso(age));
      }
      outbound.run(PHONE, 'ainda na fila', 'queued', iso(300));
      db.sqlite.prepare("insert into attachments (channel, chat_id, message_id, kind, size, data, created_at) values ('whatsapp', ?, ?, 'image', 3, x'010203', ?)").run(PHONE, 'a-old', iso(95));
      db.sqlite.prepare("insert into attachments (channel, chat_id, message_id, kind, size, data, created_at) values ('whatsapp', ?, ?, 'image', 3, x'010203', ?)").run(PHONE, 'a-new', iso(30));
      const t = (status: string, closedDaysAgo: number | null) => {
        const ticket = createTicket(db, { type: 'refund', team: 'finance', chatId: PHONE, phone: PHONE, contactName: 'Joana', document: CPF_DIGITS, data: {}, excerpt: [], now: iso(2000) });
        db.sqlite.prepare('update tickets set status = ?, closed_at = ? where id = ?').run(status, closedDaysAgo === null ? null : iso(closedDaysAgo), ticket.id);
        return ticket.protocol;
      };
      const [oldClosed, recentClosed, oldOpen] = [t('resolved', 1900), t('rejected', 100), t('open', null)];

      const report = purgeExpired(db, { messagesDays: 180, closedTicketsDays: 1825, attachmentsDays: 90 }, now);
      expect(report).toEqual({ inbound: 1, outbound: 1, conversations: 0, attachments: 1, tickets: 1 });
      const left = (sql: string) => db.sqlite.prepare(sql).pluck().all();
      expect(left('select message_id from inbound_messages')).toEqual(['recent']);
      expect(left('select text from outbound_messages order by id')).toEqual(['resposta recent', 'ainda na fila']);
      expect(left('select message_id from attachments')).toEqual(['a-new']);
      expect(left('select protocol from tickets order by id')).toEqual([recentClosed, oldOpen]);
      expect(left('select protocol from tickets')).not.toContain(oldClosed);
      // Its history and search terms went with it.
      expect(left('select count(*) from ticket_events e left join tickets t on t.id = e.ticket_id where t.id is null')).toEqual([0]);
      expect(left('select count(*) from ticket_search s left join tickets t on t.id = s.ticket_id where t.id is null')).toEqual([0]);
    } finally {
      await db.close();
    }
  });
});

describe('contact export and erase', () => {
  it('export shows the data masked unless --reveal, writes it whole with --out; erase anonymises the tickets and keeps their statistics', async () => {
    const db = path.join(dir, 'person.db');
    const env = { DATABASE_PATH: db, GREETING_ENABLED: 'false', LOG_LEVEL: 'warn' };
    const refund = ['quero o estorno da minha compra', '1', CPF, '48213', '1', 'ontem', 'nao', '1', 'isso'];
    const sim = await runTs('src/cli.ts', ['simulate'], { env, input: refund.map((text, i) => JSON.stringify({ from: PHONE, text, id: `r${i}`, name: 'Joana Silva' })).join('\n') + '\n' });
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(sim.stdout)?.[1];
    expect(protocol).toBeDefined();
    await runTs('src/cli.ts', ['simulate'], { env, input: JSON.stringify({ from: '5511900001111', text: 'oi', id: 'other' }) + '\n' });

    const masked = await runTs('src/cli.ts', ['contact', 'export', '(11) 98888-7777'], { env });
    expect(masked.code).toBe(0);
    const data = JSON.parse(masked.stdout) as { tickets: Array<{ protocol: string }>; messagesReceived: unknown[] };
    expect(data.tickets.map((t) => t.protocol)).toEqual([protocol]);
    expect(data.messagesReceived).toHaveLength(refund.length);
    expect(masked.stdout).not.toContain(CPF);
    expect(masked.stdout).not.toContain(CPF_DIGITS);
    expect(masked.stdout).not.toContain(PHONE);
    expect(masked.stdout).not.toContain('Joana Silva');
    expect(masked.stdout).not.toContain('5511900001111'); // nobody else's data

    const revealed = await runTs('src/cli.ts', ['contact', 'export', PHONE, '--reveal'], { env });
    expect(revealed.stdout).toContain(CPF_DIGITS);
    const out = path.join(dir, 'joana.json');
    const toFile = await runTs('src/cli.ts', ['contact', 'export', PHONE, '--out', out], { env });
    expect(toFile.stdout).toContain(`gravados em ${out}`);
    expect(toFile.stdout).not.toContain(PHONE);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toContain('Joana Silva');

    // Erase: without --yes nothing happens.
    const dry = await runTs('src/cli.ts', ['contact', 'erase', PHONE], { env });
    expect(dry.stdout).toMatch(/Seriam apagados de \+55 11 9\*\*\*\*-7777: \d+ mensagens.*--yes/);
    const s0 = new SqliteDatabase(db, { readonly: true });
    expect(s0.prepare('select count(*) from inbound_messages where chat_id = ?').pluck().get(PHONE)).toBe(refund.length);
    s0.close();

    const erase = await runTs('src/cli.ts', ['contact', 'erase', PHONE, '--yes'], { env });
    expect({ code: erase.code, stdout: erase.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('1 tickets anonimizados') });

    const s = new SqliteDatabase(db, { readonly: true });
    try {
      // No trace of the person in any table (the other contact is untouched).
      const tables = s.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
      for (const table of tables) {
        const cols = (s.prepare(`select name, type from pragma_table_info('${table}')`).all() as Array<{ name: string; type: string }>).filter((c) => !/blob/i.test(c.type));
        for (const c of cols) {
          const hits = s.prepare(`select count(*) from "${table}" where cast("${c.name}" as text) like ? or cast("${c.name}" as text) like ? or cast("${c.name}" as text) like ?`).pluck().get(`%${CPF_DIGITS}%`, `%${PHONE}%`, '%Joana Silva%');
          expect({ table, column: c.name, hits }).toEqual({ table, column: c.name, hits: 0 });
        }
      }
      // The ticket stays for the statistics: type, team, status, dates.
      const t = s.prepare('select type, team, status, created_at, closed_at, document, data from tickets where protocol = ?').get(protocol) as Record<string, unknown>;
      expect(t).toMatchObject({ type: 'refund', team: 'finance', status: 'rejected', document: null, data: '{}' });
      expect(s.prepare("select count(*) from inbound_messages where chat_id = '5511900001111'").pluck().get()).toBe(1);
      // Every operation is in the audit log, with the phone masked.
      const log = s.prepare('select action, subject from audit_log order by id').all();
      expect(log).toEqual([
        { action: 'contact.export', subject: '+55 11 9****-7777' },
        { action: 'contact.export', subject: '+55 11 9****-7777' },
        { action: 'contact.export', subject: '+55 11 9****-7777' },
        { action: 'contact.erase', subject: '+55 11 9****-7777' },
      ]);
    } finally {
      s.close();
    }
    const audit = await runTs('src/cli.ts', ['audit'], { env });
    expect(audit.stdout.trim().split('\n')).toHaveLength(4);
  }, 90_000);
});
