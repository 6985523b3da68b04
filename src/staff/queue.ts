import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, Team, Ticket, TicketStatus, TicketType } from '../db/schema.js';
import { searchTerm } from '../tickets/search.js';

// The queue: filtered, searched, keyset-paginated lists of tickets (oldest first), always limited
// to the teams the user may see. Every query is built by kysely with bound parameters; the only
// literal SQL is the constant status list that matches the partial index tickets_active*.

export const STATUSES: TicketStatus[] = ['open', 'in_progress', 'resolved', 'rejected'];
export type StatusFilter = 'active' | 'all' | TicketStatus;

export interface QueueFilter {
  /** Teams the user may see (the access rule; never from the request). */
  teams: Team[];
  /** Narrowing chosen by an admin. */
  team?: Team;
  status?: StatusFilter;
  type?: TicketType;
  /** A user id, or 'none' for unassigned tickets. */
  assignee?: number | 'none';
  /** Created on or after / before the end of, as ISO instants. */
  from?: string;
  to?: string;
  q?: string;
  after?: Cursor;
  limit?: number;
}

export interface Cursor {
  createdAt: string;
  id: number;
}

export interface QueueRow {
  id: number;
  protocol: string;
  type: TicketType;
  team: Team;
  status: TicketStatus;
  chat_id: string;
  phone: string | null;
  contact_name: string | null;
  order_number: string | null;
  document: string | null;
  email: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');
}

export function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s || s.length > 100) return undefined;
  const [createdAt, id] = Buffer.from(s, 'base64url').toString().split('|');
  const n = Number(id);
  if (!createdAt || !Number.isInteger(n) || Number.isNaN(Date.parse(createdAt))) return undefined;
  return { createdAt, id: n };
}

/** What a search string looks like: a protocol, an e-mail, a CPF/CNPJ, or an order number. */
export function classifySearch(q: string): { kind: 'protocol' | 'email' | 'document' | 'order'; value: string; digits?: string } | undefined {
  const s = q.trim().slice(0, 100);
  if (!s) return undefined;
  const proto = /^(FIN|SUP)[\s-]?(\d{1,9})$/i.exec(s);
  if (proto) return { kind: 'protocol', value: `${proto[1].toUpperCase()}-${proto[2].padStart(6, '0')}` };
  if (s.includes('@')) return { kind: 'email', value: s };
  // CPF digits, or a CNPJ (numeric or alphanumeric, stored upper case).
  const digits = s.replace(/[.\-/\s]/g, '').toUpperCase();
  if (/^\d{11}$|^[0-9A-Z]{12}\d{2}$/.test(digits)) return { kind: 'document', value: s, digits };
  return { kind: 'order', value: s };
}

function baseQuery(db: Db, f: QueueFilter) {
  const search = f.q ? classifySearch(f.q) : undefined;
  const term = search && search.kind !== 'protocol' ? searchTerm(search.value) : undefined;
  // A CPF/CNPJ, e-mail or order number: the few matching tickets come from the ticket_search
  // index (normalised as when the ticket was indexed). CROSS JOIN keeps ticket_search as the
  // outer loop: left to itself the planner walks the team's index in queue order and checks
  // every ticket against the list, which is the scan this table exists to avoid.
  let q = (
    term !== undefined
      ? db.kysely.selectFrom('ticket_search').crossJoin('tickets').where('ticket_search.term', '=', term).whereRef('tickets.id', '=', 'ticket_search.ticket_id')
      : db.kysely.selectFrom('tickets')
  ) as SelectQueryBuilder<Database, 'tickets', object>;
  const teams = f.team ? f.teams.filter((t) => t === f.team) : f.teams;
  if (teams.length === 0) q = q.where(sql<boolean>`0`);
  else if (teams.length === 1) q = q.where('tickets.team', '=', teams[0]);
  const status = f.status ?? (search ? 'all' : 'active');
  if (status === 'active') q = q.where(sql<boolean>`tickets.status in ('open', 'in_progress')`);
  else if (status !== 'all') q = q.where('tickets.status', '=', status);
  if (f.type) q = q.where('tickets.type', '=', f.type);
  if (f.assignee === 'none') q = q.where('tickets.assignee_id', 'is', null);
  else if (f.assignee !== undefined) q = q.where('tickets.assignee_id', '=', f.assignee);
  if (f.from) q = q.where('tickets.created_at', '>=', f.from);
  if (f.to) q = q.where('tickets.created_at', '<', f.to);
  if (search?.kind === 'protocol') q = q.where('tickets.protocol', '=', search.value);
  return q;
}

/** The query of one queue page (limit + 1 rows: the extra one tells there is a next page). */
export function queuePageQuery(db: Db, f: QueueFilter, limit: number) {
  let q = baseQuery(db, f).select([
    'tickets.id', 'tickets.protocol', 'tickets.type', 'tickets.team', 'tickets.status', 'tickets.chat_id', 'tickets.phone',
    'tickets.contact_name', 'tickets.order_number', 'tickets.document', 'tickets.email', 'tickets.assignee_id',
    'tickets.created_at', 'tickets.updated_at', 'tickets.closed_at',
  ]);
  if (f.after) {
    const a = f.after;
    q = q.where((eb) => eb(eb.refTuple('tickets.created_at', 'tickets.id'), '>', eb.tuple(a.createdAt, a.id)));
  }
  return q.orderBy('tickets.created_at', 'asc').orderBy('tickets.id', 'asc').limit(limit + 1);
}

/** One page of the queue, oldest first, and the cursor of the next page. */
export function queuePage(db: Db, f: QueueFilter): { rows: QueueRow[]; next?: Cursor } {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const rows = db.all(queuePageQuery(db, f, limit)) as QueueRow[];
  if (rows.some((r) => r.assignee_id !== null)) {
    const ids = [...new Set(rows.map((r) => r.assignee_id).filter((id): id is number => id !== null))];
    const names = new Map(db.all(db.kysely.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', ids)).map((u) => [u.id, u.name]));
    for (const r of rows) r.assignee_name = r.assignee_id === null ? null : (names.get(r.assignee_id) ?? null);
  } else for (const r of rows) r.assignee_name = null;
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? { createdAt: last.created_at, id: last.id } : undefined };
}

const countCache = new WeakMap<Db, Map<string, { n: number; at: number }>>();
/** How long a queue count is reused: the list itself is always fresh, the total may lag a second. */
export const COUNT_TTL_MS = 1000;

/** How many tickets match, counted up to `cap` (a count of 100,000 rows is not worth its time). */
export function queueCount(db: Db, f: QueueFilter, cap = 1000, now = Date.now()): { count: number; capped: boolean } {
  const inner = baseQuery(db, f).select(sql<number>`1`.as('one')).limit(cap + 1);
  const query = db.kysely.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<number>().as('n'));
  const { sql: text, parameters } = query.compile();
  const key = `${text}|${JSON.stringify(parameters)}`;
  let cache = countCache.get(db);
  if (!cache) countCache.set(db, (cache = new Map()));
  let hit = cache.get(key);
  if (!hit || now - hit.at > COUNT_TTL_MS) {
    hit = { n: Number(db.first(query)?.n ?? 0), at: now };
    if (cache.size > 1000) cache.clear();
    cache.set(key, hit);
  }
  return { count: Math.min(hit.n, cap), capped: hit.n > cap };
}

/** A ticket by protocol, only when the user's teams include its team (else undefined: a 404). */
export function findVisibleTicket(db: Db, protocol: string, teams: Team[]): Ticket | undefined {
  if (!/^(FIN|SUP)-\d{1,9}$/i.test(protocol)) return undefined;
  const t = db.first(db.kysely.selectFrom('tickets').selectAll().where('protocol', '=', protocol.toUpperCase()));
  return t && teams.includes(t.team) ? t : undefined;
}

/** The same customer's other tickets (same chat or same CPF/CNPJ), among the visible teams. */
export function otherTickets(db: Db, t: Ticket, teams: Team[], limit = 20): Array<Pick<Ticket, 'protocol' | 'type' | 'status' | 'created_at' | 'team'>> {
  const byChat = db.all(
    db.kysely.selectFrom('tickets').select(['id', 'protocol', 'type', 'status', 'created_at', 'team']).where('chat_id', '=', t.chat_id).where('id', '!=', t.id).where('team', 'in', teams).orderBy('created_at', 'desc').limit(limit),
  );
  const byDoc = t.document
    ? db.all(
        db.kysely.selectFrom('tickets').select(['id', 'protocol', 'type', 'status', 'created_at', 'team']).where('document', '=', t.document).where('id', '!=', t.id).where('team', 'in', teams).orderBy('created_at', 'desc').limit(limit),
      )
    : [];
  const seen = new Map<number, (typeof byChat)[number]>();
  for (const r of [...byChat, ...byDoc]) seen.set(r.id, r);
  return [...seen.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).slice(0, limit);
}
