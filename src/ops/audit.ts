import os from 'node:os';
import type { Db } from '../db/database.js';

// The audit log: operations on personal data (export, erasure, purges) and on the database as a
// whole (backup, restore). Subjects are masked; the detail never holds raw personal data.

export function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function audit(db: Db, e: { actor: string; action: string; subject: string; detail?: Record<string, unknown>; at?: string }): void {
  db.run(
    db.kysely.insertInto('audit_log').values({ at: e.at ?? new Date().toISOString(), actor: e.actor, action: e.action, subject: e.subject, detail: JSON.stringify(e.detail ?? {}) }),
  );
}

export function auditEntries(db: Db, limit = 100) {
  return db.all(db.kysely.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit));
}
