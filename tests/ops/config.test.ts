import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config.js';
import { loadOpsConfig } from '../../src/ops/config.js';
import { projectRoot } from '../../src/paths.js';

// Backups and retention are configured like the rest: defaults documented in .env.example, a bad
// value stops the start with a message naming the variable.

describe('operation settings', () => {
  it('.env.example documents the defaults; backups go next to the database unless BACKUP_DIR says otherwise', () => {
    const vars = Object.fromEntries(
      fs
        .readFileSync(path.join(projectRoot, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^(BACKUP|RETENTION)_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['BACKUP_INTERVAL_HOURS', 'BACKUP_KEEP', 'RETENTION_MESSAGES_DAYS', 'RETENTION_ATTACHMENTS_DAYS', 'RETENTION_CLOSED_TICKETS_DAYS']));
    const c = loadOpsConfig('data/bot.db', vars);
    expect(c).toEqual(loadOpsConfig('data/bot.db', {}));
    expect(c).toEqual({
      backup: { dir: path.resolve('data/backups'), intervalMs: 24 * 3_600_000, keep: 7 },
      retention: { enabled: true, messagesDays: 180, closedTicketsDays: 1825, attachmentsDays: 90 },
    });
    expect(loadOpsConfig('/srv/bot/bot.db', { BACKUP_DIR: '/mnt/copias' }).backup.dir).toBe('/mnt/copias');
  });

  it.each([
    ['BACKUP_KEEP', '0'],
    ['BACKUP_INTERVAL_HOURS', 'diario'],
    ['RETENTION_MESSAGES_DAYS', '-5'],
    ['RETENTION_ENABLED', 'talvez'],
  ])('%s=%s is rejected naming the variable', (name, value) => {
    expect(() => loadOpsConfig('data/bot.db', { [name]: value })).toThrow(ConfigError);
    expect(() => loadOpsConfig('data/bot.db', { [name]: value })).toThrow(name);
  });
});
