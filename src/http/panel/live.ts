import type { Request, Response } from 'express';
import type { Db } from '../../db/database.js';
import type { StaffSession, Team } from '../../db/schema.js';
import type { Logger } from '../../logger.js';
import type { RequestRegistry } from '../../requests.js';
import { ticketChanges, type TicketChange } from '../../tickets/changes.js';

// The live queue: one Server-Sent Events stream per open page. Ticket changes made in this
// process arrive through the change bus (src/tickets/changes.ts); changes made by another
// process on the same database are noticed by one cheap query every few seconds
// (max(updated_at) and max(id), both indexed), whoever many pages are open. Each stream gets
// the waiting counts of its user's teams and the tickets that changed among them; pages fetch
// their own rows again (one request per page and change, never per row).

export interface Waiting {
  open: number;
  in_progress: number;
}

/** The list a queue page shows: its key (shared by every page showing the same) and its rendered rows. */
export interface LiveList {
  key: string;
  rows: () => string;
}

interface Client {
  res: Response;
  teams: Team[];
  session: StaffSession | undefined;
  list: LiveList | undefined;
}

/** Distinct lists rendered for one change; pages showing others fetch their rows themselves. */
export const PUSHED_LISTS = 16;

export interface LiveOptions {
  /** How often another process's changes are looked for (ms). */
  checkMs: number;
  /** Comment line that keeps proxies from closing an idle stream (ms); also re-checks the session. */
  heartbeatMs: number;
  /** A stream ends after this long (ms); the browser reconnects at once and the session is checked again. */
  maxStreamMs: number;
  maxStreams: number;
}

/** The longest a cached queue list is reused without a ticket event telling it changed. */
export const LIST_MAX_AGE_MS = 2000;

export const LIVE_DEFAULTS: LiveOptions = { checkMs: 2000, heartbeatMs: 25_000, maxStreamMs: 10 * 60_000, maxStreams: 2000 };

export class LiveQueue {
  private readonly clients = new Set<Client>();
  private readonly waitingCache = new Map<string, { at: number; value: Waiting }>();
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastSeen = '';
  private readonly lists = new Map<string, { stamp: string; at: number; value: unknown }>();

  constructor(
    private readonly db: Db,
    private readonly requests: RequestRegistry,
    private readonly logger: Logger,
    private readonly o: LiveOptions = LIVE_DEFAULTS,
    private readonly clock: () => number = Date.now,
  ) {}

  get streams(): number {
    return this.clients.size;
  }

  /** Open and in-progress tickets of these teams (reused for a second; a change makes it fresh). */
  waiting(teams: Team[]): Waiting {
    const key = teams.join(',');
    const hit = this.waitingCache.get(key);
    const now = this.clock();
    if (hit && now - hit.at < 1000) return hit.value;
    const rows = this.db.all(
      this.db.kysely
        .selectFrom('tickets')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('team', 'in', teams)
        .where('status', 'in', ['open', 'in_progress'])
        .groupBy('status'),
    );
    const value: Waiting = { open: 0, in_progress: 0 };
    for (const r of rows) value[r.status as keyof Waiting] = Number(r.n);
    this.waitingCache.set(key, { at: now, value });
    return value;
  }

  /** GET handler of the stream (the session and its teams were checked by the caller). */
  stream(req: Request, res: Response, teams: Team[], session: StaffSession | undefined, list?: LiveList): void {
    if (this.clients.size >= this.o.maxStreams) {
      res.status(503).set('Retry-After', '30').type('text/plain').send('Muitas páginas abertas ao mesmo tempo.');
      return;
    }
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const client: Client = { res, teams, session, list };
    this.clients.add(client);
    this.start();
    this.send(client, 'hello', { waiting: this.waiting(teams) }, 5000);
    const end = setTimeout(() => res.end(), this.o.maxStreamMs);
    end.unref();
    req.on('close', () => {
      clearTimeout(end);
      this.clients.delete(client);
      if (!this.clients.size) this.stop();
    });
  }

  private send(c: Client, event: string, data: unknown, retryMs?: number): void {
    c.res.write(`${retryMs ? `retry: ${retryMs}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = ticketChanges(this.db).subscribe((batch) => this.broadcast(batch));
    this.lastSeen = this.fingerprint();
    const check = setInterval(() => {
      const now = this.fingerprint();
      if (now !== this.lastSeen) {
        this.lastSeen = now;
        this.broadcast(null); // someone else changed tickets: which ones is not known
      }
    }, this.o.checkMs);
    const heartbeat = setInterval(() => this.heartbeat(), this.o.heartbeatMs);
    check.unref();
    heartbeat.unref();
    this.timers = [check, heartbeat];
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Ends every stream (shutdown). */
  close(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    this.stop();
  }

  private fingerprint(): string {
    try {
      const r = this.db.first(this.db.kysely.selectFrom('tickets').select((eb) => [eb.fn.max('updated_at').as('u'), eb.fn.max('id').as('i')]));
      return `${String(r?.u ?? '')}|${String(r?.i ?? '')}`;
    } catch (err) {
      this.logger.warn({ err }, 'live queue: could not check for changes');
      return this.lastSeen;
    }
  }

  /**
   * A queue list's data (rows, count, partners, assignees) or its rendered results, shared by
   * every request for the same list until a ticket event of this process, a commit of another
   * connection (SQLite's data_version) or two seconds. So ages and SLA colours in the rows lag
   * by two seconds at most (the page's script turns them at their instant anyway), and writes
   * that are no ticket event (the nightly purge, new staff) show within those two seconds.
   */
  list<T>(key: string, build: () => T): T {
    const now = this.clock();
    const stamp = `${ticketChanges(this.db).version}|${String(this.db.sqlite.pragma('data_version', { simple: true }))}`;
    const hit = this.lists.get(key);
    if (hit && hit.stamp === stamp && now - hit.at < LIST_MAX_AGE_MS) return hit.value as T;
    const value = build();
    if (this.lists.size > 500) this.lists.clear();
    this.lists.set(key, { stamp, at: now, value });
    return value;
  }

  /** Tells each stream what changed among its teams' tickets (`null`: something, changed elsewhere). */
  private broadcast(batch: TicketChange[] | null): void {
    this.waitingCache.clear();
    if (batch) this.lastSeen = this.fingerprint(); // our own change is not news for the periodic check
    type Message = { waiting: Waiting; changed: string[] | null; created: Array<{ protocol: string; title: string; handoff: boolean }>; at: number | null };
    const byTeams = new Map<string, Message | null>();
    // The new rows of each list on screen, rendered once per list and sent in the stream: a
    // hundred open pages do not each ask for them again. The message is serialised once per list.
    const rows = new Map<string, string | null>();
    const encoded = new Map<string, string>();
    for (const c of this.clients) {
      const key = c.teams.join(',');
      let msg = byTeams.get(key);
      if (msg === undefined) {
        const mine = batch?.filter((t) => c.teams.includes(t.team)) ?? null;
        msg = mine && !mine.length ? null : {
          waiting: this.waiting(c.teams),
          changed: mine ? mine.map((t) => t.protocol) : null,
          created: (mine ?? []).filter((t) => t.kinds.includes('created')).map((t) => ({ protocol: t.protocol, title: this.requests.title(t.type), handoff: t.type === 'human_handoff' })),
          at: mine ? Math.min(...mine.map((t) => t.at)) : null,
        };
        byTeams.set(key, msg);
      }
      if (!msg) continue;
      const listKey = c.list?.key ?? '';
      let html = c.list ? rows.get(listKey) : null;
      if (c.list && html === undefined) {
        html = rows.size < PUSHED_LISTS ? this.renderRows(c.list) : null;
        rows.set(listKey, html);
      }
      const id = `${key}\u0000${html ? listKey : ''}`;
      let data = encoded.get(id);
      if (data === undefined) encoded.set(id, (data = JSON.stringify(html ? { ...msg, rows: html } : msg)));
      c.res.write(`event: queue\ndata: ${data}\n\n`);
    }
  }

  private renderRows(list: LiveList): string | null {
    try {
      return list.rows();
    } catch (err) {
      this.logger.warn({ err }, 'live queue: could not render the rows of a list; the pages fetch them');
      return null;
    }
  }

  private heartbeat(): void {
    const now = this.clock();
    for (const c of this.clients) {
      // A session that ended (log-out, expiry, a disabled user) ends its streams.
      const s = c.session ? this.db.first(this.db.kysely.selectFrom('staff_sessions').select('expires_at').where('id', '=', c.session.id)) : undefined;
      if (c.session && (!s || Date.parse(s.expires_at) <= now)) {
        c.res.end();
        continue;
      }
      c.res.write(': ping\n\n');
    }
  }
}
