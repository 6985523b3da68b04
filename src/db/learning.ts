import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type Compilable } from 'kysely';
import type { Db } from './database.js';
import type { Database, LearnedExample, UnansweredKind, UnansweredMessage, UnansweredStatus } from './schema.js';

// The learning loop's storage: unanswered messages and the examples taught from them.
// Texts arrive here already masked (src/learning/unanswered.ts); these are plain queries.

type NewUnanswered = { chatKey: string; text: string; kind: UnansweredKind; guesses: string; at: string };
const qInsertUnanswered = (k: Kysely<Database>, p: NewUnanswered) =>
  k.insertInto('unanswered_messages').values({ chat_key: p.chatKey, text: p.text, kind: p.kind, guesses: p.guesses, at: p.at });

export function insertUnanswered(db: Db, row: NewUnanswered): number {
  return db.prepared(qInsertUnanswered).run(row).lastInsertRowid;
}

/** Open (not yet handled) unanswered messages, newest first. */
export function listOpenUnanswered(db: Db, limit = 1000): UnansweredMessage[] {
  return db.all(db.kysely.selectFrom('unanswered_messages').selectAll().where('status', '=', 'open').orderBy('at', 'desc').orderBy('id', 'desc').limit(limit));
}

export function countOpenUnanswered(db: Db): number {
  return Number(db.first(db.kysely.selectFrom('unanswered_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open'))?.n ?? 0);
}

export function findUnanswered(db: Db, ids: number[]): UnansweredMessage[] {
  if (ids.length === 0) return [];
  return db.all(db.kysely.selectFrom('unanswered_messages').selectAll().where('id', 'in', ids));
}

/** Marks open messages as handled; returns how many changed (already handled ones are left alone). */
export function resolveUnanswered(db: Db, ids: number[], r: { status: Exclude<UnansweredStatus, 'open'>; resolution: string | null; by: number | null; at: string }): number {
  if (ids.length === 0) return 0;
  return db.run(
    db.kysely
      .updateTable('unanswered_messages')
      .set({ status: r.status, resolution: r.resolution, resolved_by: r.by, resolved_at: r.at })
      .where('id', 'in', ids)
      .where('status', '=', 'open'),
  ).changes;
}

/** Questions written down to add to the FAQ, newest first. */
export function listWrittenDown(db: Db, limit = 200): UnansweredMessage[] {
  return db.all(db.kysely.selectFrom('unanswered_messages').selectAll().where('status', '=', 'new_question').orderBy('resolved_at', 'desc').orderBy('id', 'desc').limit(limit));
}

/** Adds a learned example; the same text for the same label is kept once. Returns whether it was new. */
export function insertLearned(db: Db, e: { label: string; text: string; unansweredId: number | null; by: number | null; at: string }): boolean {
  return (
    db.run(
      db.kysely
        .insertInto('learned_examples')
        .values({ label: e.label, text: e.text, unanswered_id: e.unansweredId, created_by: e.by, created_at: e.at })
        .onConflict((oc) => oc.columns(['label', 'text']).doNothing()),
    ).changes > 0
  );
}

export function listLearned(db: Db, opts: { unexportedOnly?: boolean } = {}): LearnedExample[] {
  let q = db.kysely.selectFrom('learned_examples').selectAll().orderBy('id');
  if (opts.unexportedOnly) q = q.where('exported_at', 'is', null);
  return db.all(q);
}

export function markLearnedExported(db: Db, ids: number[], at: string): void {
  if (ids.length) db.run(db.kysely.updateTable('learned_examples').set({ exported_at: at }).where('id', 'in', ids));
}

/**
 * The learned examples not yet written into faq/, read from a database file without opening it
 * for writing (no migration): `faq check` validates them with the FAQ. A missing file or one
 * from before the learning loop has none.
 */
export function readUnexportedLearned(file: string): Array<{ label: string; text: string }> {
  if (file === ':memory:' || !fs.existsSync(file)) return [];
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const exists = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'learned_examples'`).get();
    if (!exists) return [];
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const query: Compilable<{ label: string; text: string }> = kysely.selectFrom('learned_examples').select(['label', 'text']).where('exported_at', 'is', null).orderBy('id');
    const { sql, parameters } = query.compile();
    return sqlite.prepare(sql).all(...(parameters as unknown[])) as Array<{ label: string; text: string }>;
  } finally {
    sqlite.close();
  }
}
