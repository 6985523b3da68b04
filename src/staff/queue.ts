import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
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

/** What the queue page shows of a ticket. */
export type QueueListRow = Omit<QueueRow, 'order_number' | 'document' | 'email' | 'updated_at'>;

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

/**
 * A filter resolved into the shape of its query (what the SQL looks like) and the values bound
 * to it. Requests with the same shape share one prepared statement: the queue page is asked for
 * all day with the same few filters, and building and compiling it with kysely each time cost
 * more than running it.
 */
interface Resolved {
  shape: string;
  /** Parts of the query that change the SQL. */
  s: { noTeams: boolean; team: boolean; status: StatusFilter; type: boolean; assignee: 'none' | 'id' | undefined; from: boolean; to: boolean; term: boolean; protocol: boolean; after: boolean };
  /** Values bound to the query's parameters. */
  p: QueryValues;
}

type QueryValues = {
  team: Team | undefined;
  status: TicketStatus | undefined;
  type: TicketType | undefined;
  assignee: number | undefined;
  from: string | undefined;
  to: string | undefined;
  term: string | undefined;
  protocol: string | undefined;
  afterCreated: string | undefined;
  afterId: number | undefined;
  limit: number;
};

function resolve(f: QueueFilter, limit: number): Resolved {
  const search = f.q ? classifySearch(f.q) : undefined;
  const term = search && search.kind !== 'protocol' ? searchTerm(search.value) : undefined;
  const teams = f.team ? f.teams.filter((t) => t === f.team) : f.teams;
  const status = f.status ?? (search ? 'all' : 'active');
  const assignee = f.assignee === 'none' ? 'none' : f.assignee !== undefined ? 'id' : undefined;
  const s: Resolved['s'] = {
    noTeams: teams.length === 0,
    team: teams.length === 1,
    status: status === 'active' || status === 'all' ? status : 'open', // one shape for every single status
    type: !!f.type,
    assignee,
    from: !!f.from,
    to: !!f.to,
    term: term !== undefined,
    protocol: search?.kind === 'protocol',
    after: !!f.after,
  };
  const p: QueryValues = {
    team: teams.length === 1 ? teams[0] : undefined,
    status: status === 'active' || status === 'all' ? undefined : status,
    type: f.type,
    assignee: typeof f.assignee === 'number' ? f.assignee : undefined,
    from: f.from,
    to: f.to,
    term,
    protocol: search?.kind === 'protocol' ? search.value : undefined,
    afterCreated: f.after?.createdAt,
    afterId: f.after?.id,
    limit,
  };
  const shape = `${+s.noTeams}${+s.team}${s.status === 'active' ? 'a' : s.status === 'all' ? '*' : 's'}${+s.type}${s.assignee ?? '-'}${+s.from}${+s.to}${+s.term}${+s.protocol}${+s.after}`;
  return { shape, s, p };
}

function baseQuery(k: Kysely<Database>, s: Resolved['s'], p: QueryValues) {
  // A CPF/CNPJ, e-mail or order number: the few matching tickets come from the ticket_search
  // index (normalised as when the ticket was indexed). CROSS JOIN keeps ticket_search as the
  // outer loop: left to itself the planner walks the team's index in queue order and checks
  // every ticket against the list, which is the scan this table exists to avoid.
  let q = (
    s.term
      ? k.selectFrom('ticket_search').crossJoin('tickets').where('ticket_search.term', '=', p.term!).whereRef('tickets.id', '=', 'ticket_search.ticket_id')
      : k.selectFrom('tickets')
  ) as SelectQueryBuilder<Database, 'tickets', object>;
  if (s.noTeams) q = q.where(sql<boolean>`0`);
  else if (s.team) q = q.where('tickets.team', '=', p.team!);
  if (s.status === 'active') q = q.where(sql<boolean>`tickets.status in ('open', 'in_progress')`);
  else if (s.status !== 'all') q = q.where('tickets.status', '=', p.status!);
  if (s.type) q = q.where('tickets.type', '=', p.type!);
  if (s.assignee === 'none') q = q.where('tickets.assignee_id', 'is', null);
  else if (s.assignee === 'id') q = q.where('tickets.assignee_id', '=', p.assignee!);
  if (s.from) q = q.where('tickets.created_at', '>=', p.from!);
  if (s.to) q = q.where('tickets.created_at', '<', p.to!);
  if (s.protocol) q = q.where('tickets.protocol', '=', p.protocol!);
  return q;
}

/** The page's columns, in the order the raw rows carry them: what the queue page shows first, then what the API and CSV add. */
const LIST_COLUMNS = [
  'tickets.id', 'tickets.protocol', 'tickets.type', 'tickets.team', 'tickets.status', 'tickets.chat_id', 'tickets.phone',
  'tickets.contact_name', 'tickets.assignee_id', 'staff_users.name as assignee_name', 'tickets.created_at', 'tickets.closed_at',
] as const;
const ALL_COLUMNS = [...LIST_COLUMNS, 'tickets.order_number', 'tickets.document', 'tickets.email', 'tickets.updated_at'] as const;

function pageQuery(k: Kysely<Database>, s: Resolved['s'], p: QueryValues, all: boolean) {
  let q = baseQuery(k, s, p).leftJoin('staff_users', 'staff_users.id', 'tickets.assignee_id').select(all ? ALL_COLUMNS : LIST_COLUMNS);
  if (s.after) q = q.where((eb) => eb(eb.refTuple('tickets.created_at', 'tickets.id'), '>', eb.tuple(p.afterCreated!, p.afterId!)));
  // limit + 1 rows: the extra one tells there is a next page.
  return q.orderBy('tickets.created_at', 'asc').orderBy('tickets.id', 'asc').limit(sql<number>`${p.limit} + 1`);
}

/** The query of one queue page with its values in place (how SQLite runs it can be asked of it). */
export function queuePageQuery(db: Db, f: QueueFilter, limit: number) {
  const { s, p } = resolve(f, limit);
  return pageQuery(db.kysely, s, p, true);
}

const toListRow = (r: unknown[]): QueueListRow => ({
  id: r[0] as number,
  protocol: r[1] as string,
  type: r[2] as TicketType,
  team: r[3] as Team,
  status: r[4] as TicketStatus,
  chat_id: r[5] as string,
  phone: r[6] as string | null,
  contact_name: r[7] as string | null,
  assignee_id: r[8] as number | null,
  assignee_name: r[8] === null ? null : ((r[9] as string | null) ?? null),
  created_at: r[10] as string,
  closed_at: r[11] as string | null,
});

// Written out (no spread of toListRow): a spread copies the object key by key, row after row.
const toRow = (r: unknown[]): QueueRow => ({
  id: r[0] as number,
  protocol: r[1] as string,
  type: r[2] as TicketType,
  team: r[3] as Team,
  status: r[4] as TicketStatus,
  chat_id: r[5] as string,
  phone: r[6] as string | null,
  contact_name: r[7] as string | null,
  assignee_id: r[8] as number | null,
  assignee_name: r[8] === null ? null : ((r[9] as string | null) ?? null),
  created_at: r[10] as string,
  closed_at: r[11] as string | null,
  order_number: r[12] as string | null,
  document: r[13] as string | null,
  email: r[14] as string | null,
  updated_at: r[15] as string,
});

/**
 * One page of the queue, oldest first, and the cursor of the next page. `list`: only what the
 * queue page shows (fewer values to read per row); otherwise every column (API, CSV).
 */
export function queuePage(db: Db, f: QueueFilter, columns: 'list'): { rows: QueueListRow[]; next?: Cursor };
export function queuePage(db: Db, f: QueueFilter, columns?: 'all'): { rows: QueueRow[]; next?: Cursor };
export function queuePage(db: Db, f: QueueFilter, columns: 'list' | 'all' = 'all'): { rows: QueueListRow[]; next?: Cursor } {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const { shape, s, p } = resolve(f, limit);
  const all = columns === 'all';
  const raw = db.prepared<QueryValues, unknown>((k, ph) => pageQuery(k, s, ph, all), `queue.page:${columns}:${shape}`).raw(p);
  const rows = raw.map(all ? toRow : toListRow);
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? { createdAt: last.created_at, id: last.id } : undefined };
}

const countCache = new WeakMap<Db, Map<string, { n: number; at: number }>>();
/** How long a queue count is reused: the list itself is always fresh, the total may lag a second. */
export const COUNT_TTL_MS = 1000;

function countQuery(k: Kysely<Database>, s: Resolved['s'], p: QueryValues) {
  const inner = baseQuery(k, s, p).select(sql<number>`1`.as('one')).limit(sql<number>`${p.limit} + 1`);
  return k.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<number>().as('n'));
}

/** How many tickets match, counted up to `cap` (a count of 100,000 rows is not worth its time). */
export function queueCount(db: Db, f: QueueFilter, cap = 1000, now = Date.now()): { count: number; capped: boolean } {
  const { shape, s, p } = resolve({ ...f, after: undefined }, cap);
  const key = `${shape}|${p.team}|${p.status}|${p.type}|${p.assignee}|${p.from}|${p.to}|${p.term}|${p.protocol}|${cap}`;
  let cache = countCache.get(db);
  if (!cache) countCache.set(db, (cache = new Map()));
  let hit = cache.get(key);
  if (!hit || now - hit.at > COUNT_TTL_MS) {
    hit = { n: Number(db.prepared<QueryValues, { n: number }>((k, ph) => countQuery(k, s, ph), `queue.count:${shape}`).first(p)?.n ?? 0), at: now };
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
