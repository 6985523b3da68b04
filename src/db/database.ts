import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

/**
 * The database handle used everywhere. Kysely builds every query (bound parameters only);
 * the hot path then runs the compiled SQL synchronously on better-sqlite3, so one inbound
 * message is one synchronous transaction: no interleaving, no async overhead.
 */
export class Db {
  readonly kysely: Kysely<Database>;
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  private constructor(readonly sqlite: SqliteDatabase.Database) {
    this.kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  /** Opens (creating folders as needed) and migrates to the latest schema. */
  static async open(file: string): Promise<Db> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Db(sqlite);
    const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      sqlite.close();
      throw new Error(`Falha ao migrar o banco ${file}: ${failed?.migrationName ?? ''} ${String(error)}`);
    }
    return db;
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

  /** Synchronous transaction; nested calls become savepoints. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  async close(): Promise<void> {
    this.statements.clear();
    await this.kysely.destroy(); // closes the better-sqlite3 handle too
  }
}
