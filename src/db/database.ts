import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable, type Migration } from 'kysely';
import type { Database } from './schema.js';
import { migrations as allMigrations } from './migrations/index.js';
import { storageProblem } from './errors.js';

/** The database could not be opened or migrated; the message names the file and what to do. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

/** Why a database file could not be opened, and what to do, in pt-BR for the operator. */
export function openErrorMessage(file: string, err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? '');
  const e = err as NodeJS.ErrnoException;
  const where = `Não foi possível abrir o banco de dados ${path.resolve(file)}`;
  if (code === 'SQLITE_CANTOPEN' || e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'EPERM')
    return `${where}: o arquivo ou a pasta não pode ser criado ou escrito (pasta somente leitura, sem permissão ou inexistente). Verifique DATABASE_PATH e as permissões do usuário que roda o bot.`;
  if (code.startsWith('SQLITE_READONLY')) return `${where}: está somente leitura. Dê permissão de escrita ao arquivo, à pasta e aos arquivos -wal/-shm ao lado dele.`;
  if (code === 'SQLITE_FULL' || e.code === 'ENOSPC') return `${where}: o disco está cheio. Libere espaço e inicie de novo.`;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return `${where}: o arquivo não é um banco SQLite válido ou está corrompido. Restaure um backup (npm run bot -- restore ARQUIVO) ou aponte DATABASE_PATH para outro arquivo.`;
  return `${where}: ${(err as Error)?.message ?? String(err)}`;
}

/**
 * Largest WAL file kept after a checkpoint: above the ~41 MB the automatic checkpoint lets it
 * reach (10,000 frames of 4 KB), so under load the file is reused, not cut and grown again.
 */
export const WAL_SIZE_LIMIT = 48 * 1024 * 1024;

export interface Prepared<P, R> {
  all(params: P): R[];
  /** The rows as arrays of values in the select list's order (no object per row: lists of many rows). */
  raw(params: P): unknown[][];
  first(params: P): R | undefined;
  run(params: P): { changes: number; lastInsertRowid: number };
}

/**
 * The database handle used everywhere. Kysely builds every query (bound parameters only);
 * the hot path then runs the compiled SQL synchronously on better-sqlite3, so one inbound
 * message is one synchronous transaction: no interleaving, no async overhead.
 */
export class Db {
  readonly kysely: Kysely<Database>;
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  private readonly rawStatements = new Map<string, SqliteDatabase.Statement>();
  private readonly preparedCache = new Map<unknown, Prepared<never, unknown>>();

  private constructor(
    readonly sqlite: SqliteDatabase.Database,
    /** The file as configured (DATABASE_PATH): logs and messages name it. */
    readonly file: string,
  ) {
    this.kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  /**
   * Opens (creating folders as needed) and migrates to the latest schema. `migrations` replaces
   * the app's list (tests of the migration runner).
   */
  static async open(file: string, opts: { migrations?: Record<string, Migration> } = {}): Promise<Db> {
    let sqlite: SqliteDatabase.Database | undefined;
    try {
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      sqlite = new SqliteDatabase(file);
      // Set first: switching a new file to WAL and migrating it wait for a process starting
      // alongside, whose migration may take longer than 5 s on a loaded machine (seen: eight
      // processes starting at once under a full test run). migrate() sets 5 s when done.
      sqlite.pragma('busy_timeout = 120000');
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      // Every message is a small write transaction on random pages (one chat among thousands):
      // a 16 MB page cache keeps the hot B-tree pages at hand. Checkpoints run in the background
      // (Db.checkpoint, which also empties the WAL file so it does not keep a small disk full)
      // and at the latest every ~40 MB of WAL, out of most messages' way. The size limit is above
      // those 40 MB on purpose: a WAL cut shorter at every automatic checkpoint is grown again by
      // the next messages' commits, and extending the file costs them more system time than
      // overwriting it (~15 µs a message under load); the limit only cuts a WAL that grew past it.
      sqlite.pragma('cache_size = -16384');
      sqlite.pragma('temp_store = MEMORY');
      sqlite.pragma('wal_autocheckpoint = 10000');
      sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    } catch (err) {
      sqlite?.close();
      throw new DatabaseOpenError(openErrorMessage(file, err), { cause: err });
    }
    const db = new Db(sqlite, file);
    try {
      await db.migrate(opts.migrations ?? allMigrations);
    } catch (err) {
      sqlite.close();
      const cause = (err as { cause?: unknown }).cause ?? err;
      throw new DatabaseOpenError(storageProblem(cause) || storageProblem(err) ? openErrorMessage(file, storageProblem(err) ? err : cause) : `Falha ao migrar o banco ${file}: ${(err as Error).message}`, { cause: err });
    }
    return db;
  }

  /**
   * Runs the pending migrations all-or-nothing: Kysely runs SQLite migrations without a
   * transaction, so a kill -9 mid-way would leave half a schema that never starts again. SQLite
   * DDL is transactional: one BEGIN IMMEDIATE around the whole run (Kysely's bookkeeping tables
   * included) makes it atomic, and a second process starting at the same time waits for the
   * write lock, then finds nothing left to do.
   */
  private async migrate(migrations: Record<string, Migration>): Promise<void> {
    const { sqlite } = this;
    // Branches number their migrations in separate ranges (0006-0019, 0020-0029, 0030-0039) and
    // land in any order: a database that already ran 0030 must still run a 0006 that arrives later.
    const migrator = new Migrator({ db: this.kysely, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
    // Waiting for another process's migration (a long journal rebuild) is expected here.
    sqlite.pragma('busy_timeout = 120000');
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) throw new Error(`${failed?.migrationName ?? ''} ${error instanceof Error ? error.message : String(error)}`.trim());
      sqlite.exec('COMMIT');
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw err;
    } finally {
      sqlite.pragma('busy_timeout = 5000');
    }
  }

  private prepare(sql: string): SqliteDatabase.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs a kysely query synchronously and returns its rows. */
  all<R>(query: Compilable<R>): R[] {
    const { sql, parameters } = query.compile();
    const stmt = this.prepare(sql);
    return (stmt.reader ? stmt.all(...(parameters as unknown[])) : (stmt.run(...(parameters as unknown[])), [])) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const { sql, parameters } = query.compile();
    const stmt = this.prepare(sql);
    return (stmt.reader ? stmt.get(...(parameters as unknown[])) : undefined) as R | undefined;
  }

  run(query: Compilable<unknown>): { changes: number; lastInsertRowid: number } {
    const { sql, parameters } = query.compile();
    const r = this.prepare(sql).run(...(parameters as unknown[]));
    return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
  }

  /**
   * A hot query built by kysely once: `build` receives named placeholders, the compiled SQL is
   * kept, and each call binds fresh values. `build` must be a module-level function: it is the
   * cache key. Saves rebuilding and recompiling the query on every
   * message. The query's shape must not depend on the values (no `in` lists of varying length).
   * A query whose shape varies (the queue's filters) passes `key`, a string naming its shape,
   * and may then build it with a closure.
   */
  prepared<P extends Record<string, unknown>, R>(build: (db: Kysely<Database>, p: P) => Compilable<R>, key: unknown = build): Prepared<P, R> {
    const cached = this.preparedCache.get(key);
    if (cached) return cached as Prepared<P, R>;
    const marker = (name: string) => `\u0000param:${name}`;
    const placeholders = new Proxy({} as P, { get: (_t, name) => marker(String(name)) });
    const { sql, parameters } = build(this.kysely, placeholders).compile();
    const slots = parameters.map((v) => (typeof v === 'string' && v.startsWith('\u0000param:') ? { name: v.slice(7) } : { value: v }));
    const stmt = this.prepare(sql);
    const bind = (params: P) => slots.map((s) => ('name' in s ? (params as Record<string, unknown>)[s.name!] : s.value));
    let rawStmt: SqliteDatabase.Statement | undefined;
    const prepared: Prepared<P, R> = {
      all: (params) => stmt.all(...bind(params)) as R[],
      raw: (params) => (rawStmt ??= this.prepareRaw(sql)).all(...bind(params)) as unknown[][],
      first: (params) => stmt.get(...bind(params)) as R | undefined,
      run: (params) => {
        const r = stmt.run(...bind(params));
        return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
      },
    };
    if (typeof key === 'string' && this.preparedCache.size > 2000) {
      for (const k of this.preparedCache.keys()) if (typeof k === 'string') this.preparedCache.delete(k);
    }
    this.preparedCache.set(key, prepared as Prepared<never, unknown>);
    return prepared;
  }

  /** A second statement for the same SQL in raw mode (a statement's mode is its own, and the first one is shared). */
  private prepareRaw(sql: string): SqliteDatabase.Statement {
    let stmt = this.rawStatements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql).raw(true);
      this.rawStatements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Synchronous write transaction; nested calls become savepoints. BEGIN IMMEDIATE takes the
   * write lock up front: a deferred transaction that reads first cannot wait for the lock when it
   * later writes (SQLITE_BUSY at once if another process committed meanwhile), an immediate one
   * waits up to the busy timeout like any single statement.
   */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  /**
   * A checkpoint that waits for nobody (run every 30 s by the running bot): it copies what it
   * can back into the database and, when nothing else holds the WAL, empties the WAL file (a
   * small disk does not keep the ~40 MB it grew to). Without a busy wait: a lock held by another
   * process makes it a passive checkpoint, which never blocks.
   */
  checkpoint(): void {
    this.sqlite.pragma('busy_timeout = 0');
    try {
      this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.sqlite.pragma('busy_timeout = 5000');
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.rawStatements.clear();
    await this.kysely.destroy(); // closes the better-sqlite3 handle too
  }
}
