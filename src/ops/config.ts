import path from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../config.js';

// Settings of the operations side: backups and retention of personal data.
// Read from the environment like src/config.ts, all optional.

const bool = z.enum(['true', 'false', '1', '0', 'sim', 'nao']).transform((v) => v === 'true' || v === '1' || v === 'sim');

const schema = z.object({
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  RETENTION_MESSAGES_DAYS: z.coerce.number().int().min(1).default(180),
  RETENTION_CLOSED_TICKETS_DAYS: z.coerce.number().int().min(1).default(1825),
  RETENTION_ATTACHMENTS_DAYS: z.coerce.number().int().min(1).default(90),
  RETENTION_ENABLED: bool.default(true),
});

export interface OpsConfig {
  backup: { dir: string; intervalMs: number; keep: number };
  retention: { enabled: boolean; messagesDays: number; closedTicketsDays: number; attachmentsDays: number };
}

export function loadOpsConfig(databasePath: string, env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const c = parseEnv(schema, env, ' de operação');
  const dataDir = databasePath === ':memory:' ? path.resolve('data') : path.dirname(path.resolve(databasePath));
  return {
    backup: { dir: path.resolve(c.BACKUP_DIR ?? path.join(dataDir, 'backups')), intervalMs: c.BACKUP_INTERVAL_HOURS * 3_600_000, keep: c.BACKUP_KEEP },
    retention: {
      enabled: c.RETENTION_ENABLED,
      messagesDays: c.RETENTION_MESSAGES_DAYS,
      closedTicketsDays: c.RETENTION_CLOSED_TICKETS_DAYS,
      attachmentsDays: c.RETENTION_ATTACHMENTS_DAYS,
    },
  };
}
