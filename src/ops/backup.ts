import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Task } from './maintenance.js';
import { audit } from './audit.js';

// Backups: better-sqlite3's online backup API copies a consistent snapshot page by page while
// the bot goes on writing. A backup is written under a temporary name, checked, then renamed,
// so a file named bot-*.db is always a complete, valid database.

export const BACKUP_PREFIX = 'bot-';

/** A refusal the operator should read as is (no stack trace). */
export class OpsError extends Error {
  override name = 'OpsError';
}

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

/** `YYYYMMDD-HHMMSS` in UTC: names sort by time. */
function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A SQLite file that opens and passes quick_check; throws with the reason otherwise. */
export function checkDatabaseFile(file: string): void {
  if (!fs.existsSync(file)) throw new OpsError(`${file}: arquivo não encontrado`);
  let s: SqliteDatabase.Database;
  try {
    s = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new OpsError(`${file}: não abre como banco SQLite (${(err as Error).message})`);
  }
  try {
    let r: unknown;
    try {
      r = s.pragma('quick_check', { simple: true });
    } catch (err) {
      throw new OpsError(`${file}: não é um banco SQLite válido (${(err as Error).message})`);
    }
    if (r !== 'ok') throw new OpsError(`${file}: verificação falhou (${String(r)})`);
    const t = s.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!t) throw new OpsError(`${file}: não é um banco do bot (sem a tabela de migrações)`);
  } finally {
    s.close();
  }
}

/**
 * Backs the database up to `dest`: a file path, or a folder (then bot-YYYYMMDD-HHMMSS.db in it).
 * Safe while the bot runs.
 */
export async function backupTo(db: Db, dest: string, now = Date.now()): Promise<BackupResult> {
  if (db.file === ':memory:') throw new OpsError('Um banco em memória (:memory:) não tem backup.');
  const isDir = dest.endsWith('/') || (fs.existsSync(dest) && fs.statSync(dest).isDirectory());
  const file = path.resolve(isDir ? path.join(dest, `${BACKUP_PREFIX}${stamp(now)}.db`) : dest);
  if (file === path.resolve(db.file)) throw new OpsError('O destino do backup é o próprio banco de dados.');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const t0 = Date.now();
  try {
    await db.sqlite.backup(partial);
    checkDatabaseFile(partial);
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return { file, bytes: fs.statSync(file).size, ms: Date.now() - t0 };
}

/** The automatic backups in a folder, newest first. */
export function listBackups(dir: string): Array<{ file: string; mtimeMs: number }> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(BACKUP_PREFIX) && f.endsWith('.db'))
    .sort()
    .reverse()
    .map((f) => ({ file: path.join(dir, f), mtimeMs: fs.statSync(path.join(dir, f)).mtimeMs }));
}

/** Keeps the newest `keep` automatic backups; returns the files removed. */
export function rotateBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(keep).map((b) => b.file);
  for (const f of old) fs.rmSync(f, { force: true });
  return old;
}

/**
 * The daily backup: when the newest one in the folder is older than the interval (checked every
 * 10 minutes, so restarts neither skip nor repeat it), then rotation.
 */
export function backupTask(db: Db, logger: Logger, cfg: { dir: string; intervalMs: number; keep: number }, clock: () => number = Date.now): Task {
  return {
    name: 'backup',
    everyMs: 10 * 60_000,
    firstInMs: 60_000,
    async run() {
      fs.mkdirSync(cfg.dir, { recursive: true });
      const newest = listBackups(cfg.dir)[0];
      if (newest && clock() - newest.mtimeMs < cfg.intervalMs) return;
      const r = await backupTo(db, cfg.dir, clock());
      const removed = rotateBackups(cfg.dir, cfg.keep);
      logger.info({ file: r.file, bytes: r.bytes, ms: r.ms, removed: removed.length }, 'backup done');
      try {
        audit(db, { actor: 'system', action: 'backup', subject: path.basename(r.file), detail: { bytes: r.bytes, ms: r.ms, removed: removed.map((f) => path.basename(f)) } });
      } catch (err) {
        logger.warn({ err }, 'backup: could not write the audit log');
      }
    },
  };
}

/**
 * `restore SRC`: puts a backup in place of the database file. Refuses while a bot holds the
 * instance lock on it; the current file is first backed up next to it (…antes-da-restauracao-…),
 * then the copy is opened and migrated once to prove it starts.
 */
export async function restoreFrom(src: string, target: string, o: { now?: number; staleMs?: number } = {}): Promise<{ previous: string | null }> {
  const now = o.now ?? Date.now();
  checkDatabaseFile(src);
  if (path.resolve(src) === path.resolve(target)) throw new OpsError('O backup e o destino são o mesmo arquivo.');
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.antes-da-restauracao-${stamp(now)}`;
    const current = await Db.open(target).catch(() => undefined);
    if (current) {
      try {
        const lock = current.first(current.kysely.selectFrom('whatsapp_locks').select(['pid', 'host', 'heartbeat_at']).orderBy('heartbeat_at', 'desc').limit(1));
        if (lock && now - Date.parse(lock.heartbeat_at) < (o.staleMs ?? 45_000)) {
          throw new OpsError(`O bot está rodando neste banco (pid ${lock.pid} em ${lock.host}). Pare o bot (SIGTERM) e rode o restore de novo.`);
        }
        await current.sqlite.backup(previous);
      } finally {
        await current.close();
      }
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(target + ext, { force: true });
    } else {
      // Damaged (the usual reason to restore): kept aside as it is, byte for byte.
      for (const ext of ['', '-wal']) if (fs.existsSync(target + ext)) fs.renameSync(target + ext, previous + ext);
      fs.rmSync(`${target}-shm`, { force: true });
    }
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.copyFileSync(src, target);
  const restored = await Db.open(target); // migrates a backup taken by an older version
  try {
    audit(restored, { actor: 'cli', action: 'restore', subject: path.basename(src), detail: { previous: previous ? path.basename(previous) : null } });
  } finally {
    await restored.close();
  }
  return { previous };
}
