import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { ApiToken, Database, StaffRole, StaffSession, StaffUser, Team } from '../db/schema.js';
import { hashPassword, MIN_PASSWORD_LENGTH, randomSecret, sha256 } from './passwords.js';
import { storageProblem } from '../db/errors.js';

/**
 * A bookkeeping write on a read (last seen, last used): when the database cannot take it (full
 * disk, read-only file, contention), the read goes on without it.
 */
function bestEffort(write: () => void): void {
  try {
    write();
  } catch (err) {
    if (!storageProblem(err)) throw err;
  }
}

// Staff accounts, sessions, API tokens and log-in throttling. Queries as plain functions, db first.

export const ROLES: StaffRole[] = ['finance', 'support', 'admin'];
export const ROLE_LABEL: Record<StaffRole, string> = { finance: 'Financeiro', support: 'Suporte', admin: 'Administrador' };

export class StaffError extends Error {
  override name = 'StaffError';
}

/** The teams whose tickets a user sees: one team, or both for admins. */
export function visibleTeams(user: Pick<StaffUser, 'role'>): Team[] {
  return user.role === 'admin' ? ['finance', 'support'] : [user.role];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(db: Db, u: { name: string; email: string; role: string; password: string; now: string }): Promise<StaffUser> {
  const email = normalizeEmail(u.email);
  const name = u.name.trim();
  if (!name) throw new StaffError('Informe o nome.');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new StaffError('E-mail inválido.');
  if (!ROLES.includes(u.role as StaffRole)) throw new StaffError(`Papel inválido: use ${ROLES.join(', ')}.`);
  if (u.password.length < MIN_PASSWORD_LENGTH) throw new StaffError(`A senha precisa ter pelo menos ${MIN_PASSWORD_LENGTH} caracteres.`);
  if (findUserByEmail(db, email)) throw new StaffError('Já existe um usuário com esse e-mail.');
  const password_hash = await hashPassword(u.password);
  const { lastInsertRowid } = db.run(
    db.kysely.insertInto('staff_users').values({ name, email, role: u.role as StaffRole, password_hash, active: 1, created_at: u.now, updated_at: u.now }),
  );
  return findUserById(db, lastInsertRowid)!;
}

export async function setPassword(db: Db, userId: number, password: string, now: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new StaffError(`A senha precisa ter pelo menos ${MIN_PASSWORD_LENGTH} caracteres.`);
  const password_hash = await hashPassword(password);
  db.transaction(() => {
    db.run(db.kysely.updateTable('staff_users').set({ password_hash, updated_at: now }).where('id', '=', userId));
    db.run(db.kysely.deleteFrom('staff_sessions').where('user_id', '=', userId));
  });
}

export function setUserActive(db: Db, userId: number, active: boolean, now: string): void {
  db.transaction(() => {
    db.run(db.kysely.updateTable('staff_users').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', userId));
    if (!active) {
      db.run(db.kysely.deleteFrom('staff_sessions').where('user_id', '=', userId));
      db.run(db.kysely.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null));
    }
  });
}

const qUserById = (k: Kysely<Database>, p: { id: number }) => k.selectFrom('staff_users').selectAll().where('id', '=', p.id);

export function findUserById(db: Db, id: number): StaffUser | undefined {
  return db.prepared(qUserById).first({ id });
}

export function findUserByEmail(db: Db, email: string): StaffUser | undefined {
  return db.first(db.kysely.selectFrom('staff_users').selectAll().where('email', '=', normalizeEmail(email)));
}

export function listUsers(db: Db): StaffUser[] {
  return db.all(db.kysely.selectFrom('staff_users').selectAll().orderBy('name').orderBy('id'));
}

export function hasAdmin(db: Db): boolean {
  return !!db.first(db.kysely.selectFrom('staff_users').select('id').where('role', '=', 'admin').where('active', '=', 1).limit(1));
}

/** Users who can be assigned a ticket of this team: its members and the admins. */
const qAssignable = (k: Kysely<Database>, p: { team: Team }) =>
  k.selectFrom('staff_users').select(['id', 'name', 'role']).where('active', '=', 1).where('role', 'in', [p.team, 'admin']).orderBy('name');

export function assignableUsers(db: Db, team: Team): Array<Pick<StaffUser, 'id' | 'name' | 'role'>> {
  return db.prepared(qAssignable).all({ team });
}

export function userNames(db: Db): Map<number, string> {
  return new Map(db.all(db.kysely.selectFrom('staff_users').select(['id', 'name'])).map((u) => [u.id, u.name]));
}

// ---- sessions -------------------------------------------------------------------------------

export interface SessionInfo {
  session: StaffSession;
  user: StaffUser;
}

/** Creates a session; returns the cookie value (only its hash is stored). */
export function createSession(db: Db, userId: number, now: number, ttlMs: number): { cookie: string; csrf: string } {
  // Log-ins are rare: a good moment to drop the sessions that expired since the last one.
  purgeExpiredSessions(db, now);
  const cookie = randomSecret();
  const csrf = randomSecret();
  const iso = new Date(now).toISOString();
  db.run(
    db.kysely.insertInto('staff_sessions').values({
      id: sha256(cookie),
      user_id: userId,
      csrf_token: csrf,
      created_at: iso,
      last_seen_at: iso,
      expires_at: new Date(now + ttlMs).toISOString(),
    }),
  );
  return { cookie, csrf };
}

/** The live session of a cookie value, or undefined (expired or idle sessions are deleted). */
const qSession = (k: Kysely<Database>, p: { id: string }) => k.selectFrom('staff_sessions').selectAll().where('id', '=', p.id);

export function findSession(db: Db, cookie: string, now: number, idleMs: number): SessionInfo | undefined {
  const id = sha256(cookie);
  const session = db.prepared(qSession).first({ id });
  if (!session) return undefined;
  const user = findUserById(db, session.user_id);
  if (!user || !user.active || Date.parse(session.expires_at) <= now || Date.parse(session.last_seen_at) + idleMs <= now) {
    bestEffort(() => db.run(db.kysely.deleteFrom('staff_sessions').where('id', '=', id)));
    return undefined;
  }
  // Sliding idle window, written at most once a minute.
  if (now - Date.parse(session.last_seen_at) > 60_000) {
    const iso = new Date(now).toISOString();
    bestEffort(() => db.run(db.kysely.updateTable('staff_sessions').set({ last_seen_at: iso }).where('id', '=', id)));
    session.last_seen_at = iso;
  }
  return { session, user };
}

export function deleteSession(db: Db, cookie: string): void {
  db.run(db.kysely.deleteFrom('staff_sessions').where('id', '=', sha256(cookie)));
}

export function purgeExpiredSessions(db: Db, now: number): void {
  db.run(db.kysely.deleteFrom('staff_sessions').where('expires_at', '<=', new Date(now).toISOString()));
}

// ---- API tokens -----------------------------------------------------------------------------

export const TOKEN_PREFIX = 'icp_';

/** Creates an API token; the returned secret is shown once and never stored. */
export function createApiToken(db: Db, userId: number, name: string, now: string): { token: string; row: ApiToken } {
  const label = name.trim().slice(0, 80) || 'token';
  const token = TOKEN_PREFIX + randomSecret();
  const { lastInsertRowid } = db.run(
    db.kysely.insertInto('api_tokens').values({
      user_id: userId,
      name: label,
      token_hash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    }),
  );
  return { token, row: db.first(db.kysely.selectFrom('api_tokens').selectAll().where('id', '=', lastInsertRowid))! };
}

export function listApiTokens(db: Db, userId?: number): Array<ApiToken & { user_name: string }> {
  let q = db.kysely
    .selectFrom('api_tokens')
    .innerJoin('staff_users', 'staff_users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select('staff_users.name as user_name');
  if (userId !== undefined) q = q.where('api_tokens.user_id', '=', userId);
  return db.all(q.orderBy('api_tokens.id', 'desc'));
}

/** Revokes a token; only its owner (or an admin, with ownerId undefined) may. */
export function revokeApiToken(db: Db, tokenId: number, ownerId: number | undefined, now: string): boolean {
  let q = db.kysely.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).where('revoked_at', 'is', null);
  if (ownerId !== undefined) q = q.where('user_id', '=', ownerId);
  return db.run(q).changes > 0;
}

/** The active user of a bearer token, or undefined. */
const qToken = (k: Kysely<Database>, p: { hash: string }) => k.selectFrom('api_tokens').selectAll().where('token_hash', '=', p.hash);

export function authenticateToken(db: Db, token: string, now: number): { user: StaffUser; tokenId: number } | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const row = db.prepared(qToken).first({ hash: sha256(token) });
  if (!row || row.revoked_at) return undefined;
  const user = findUserById(db, row.user_id);
  if (!user || !user.active) return undefined;
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > 60_000) {
    bestEffort(() => db.run(db.kysely.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', row.id)));
  }
  return { user, tokenId: row.id };
}

// ---- log-in throttling ----------------------------------------------------------------------

export interface ThrottlePolicy {
  maxFailures: number;
  lockMs: number;
  /** Failures older than this (since the first one) are forgotten. */
  windowMs: number;
}

/** Milliseconds left on a lock for this key, or 0. */
export function lockRemaining(db: Db, key: string, now: number): number {
  const row = db.first(db.kysely.selectFrom('login_attempts').selectAll().where('key', '=', key));
  if (!row?.locked_until) return 0;
  return Math.max(0, Date.parse(row.locked_until) - now);
}

/** Records a failed log-in; returns the failure count in the current window. */
export function recordFailure(db: Db, key: string, now: number, policy: ThrottlePolicy): number {
  return db.transaction(() => {
    const iso = new Date(now).toISOString();
    const row = db.first(db.kysely.selectFrom('login_attempts').selectAll().where('key', '=', key));
    const fresh = !row || now - Date.parse(row.first_failure_at) > policy.windowMs || (row.locked_until !== null && Date.parse(row.locked_until) <= now);
    const failures = fresh ? 1 : row!.failures + 1;
    const locked_until = failures >= policy.maxFailures ? new Date(now + policy.lockMs).toISOString() : null;
    db.run(
      db.kysely
        .insertInto('login_attempts')
        .values({ key, failures, first_failure_at: iso, locked_until })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until, ...(fresh ? { first_failure_at: iso } : {}) })),
    );
    return failures;
  });
}

/**
 * Counts a log-in attempt against every key before its password is checked, in one write
 * transaction: parallel guesses each take a slot, so no more than the limit are ever checked.
 * When a key is locked nothing is counted and `lockedMs` says for how long. A successful log-in
 * gives its slots back (releaseAttempt), so only failures stay counted.
 */
export function reserveAttempt(db: Db, keys: Array<{ key: string; policy: ThrottlePolicy }>, now: number): { lockedMs: number; failures: number[] } {
  return db.transaction(() => {
    const lockedMs = Math.max(0, ...keys.map((k) => lockRemaining(db, k.key, now)));
    if (lockedMs > 0) return { lockedMs, failures: [] };
    return { lockedMs: 0, failures: keys.map((k) => recordFailure(db, k.key, now, k.policy)) };
  });
}

/** Gives back the slot a successful log-in took (and the lock it may have set). */
export function releaseAttempt(db: Db, key: string, policy: ThrottlePolicy): void {
  db.transaction(() => {
    const row = db.first(db.kysely.selectFrom('login_attempts').selectAll().where('key', '=', key));
    if (!row) return;
    const failures = Math.max(0, row.failures - 1);
    if (failures === 0) return void clearFailures(db, key);
    db.run(db.kysely.updateTable('login_attempts').set({ failures, locked_until: failures >= policy.maxFailures ? row.locked_until : null }).where('key', '=', key));
  });
}

export function clearFailures(db: Db, key: string): void {
  db.run(db.kysely.deleteFrom('login_attempts').where('key', '=', key));
}
