import type { Db } from '../db/database.js';
import type { Team, TicketRating } from '../db/schema.js';
import { addEvent, getTicketById } from './tickets.js';

// Customer satisfaction after a resolved ticket: the survey row (asked once per ticket), the
// rating the conversation reads ("5", "nota 4", "⭐⭐⭐⭐") and the figures per team and clerk.

/** Starts a ticket's survey; false when it already had one (reopened and resolved again: not asked twice). */
export function startSurvey(db: Db, ticketId: number, at: string): boolean {
  const t = getTicketById(db, ticketId);
  if (!t) return false;
  const r = db.run(
    db.kysely
      .insertInto('ticket_ratings')
      .values({ ticket_id: t.id, team: t.team, assignee_id: t.assignee_id, created_at: at, asked_at: null, rating: null, comment: null, rated_at: null })
      .onConflict((oc) => oc.column('ticket_id').doNothing()),
  );
  return r.changes > 0;
}

export function markSurveyAsked(db: Db, ticketId: number, at: string): void {
  db.run(db.kysely.updateTable('ticket_ratings').set({ asked_at: at }).where('ticket_id', '=', ticketId));
}

/**
 * The customer's answer: a rating 1-5 and, maybe, a comment (a second call with the comment
 * keeps the rating; a later call without one keeps the comment). Shown on the ticket and its history.
 */
export function recordRating(db: Db, r: { ticketId: number; rating: number; comment: string | null; at: Date }): void {
  if (!Number.isInteger(r.rating) || r.rating < 1 || r.rating > 5) return;
  const comment = r.comment?.trim().slice(0, 1000) || null;
  db.transaction(() => {
    const t = getTicketById(db, r.ticketId);
    if (!t) return;
    const at = r.at.toISOString();
    const before = db.first(db.kysely.selectFrom('ticket_ratings').selectAll().where('ticket_id', '=', t.id));
    db.run(
      db.kysely
        .insertInto('ticket_ratings')
        .values({ ticket_id: t.id, team: t.team, assignee_id: t.assignee_id, created_at: at, asked_at: null, rating: r.rating, comment, rated_at: at })
        .onConflict((oc) => oc.column('ticket_id').doUpdateSet((eb) => ({ rating: r.rating, comment: eb.fn.coalesce(eb.val(comment), eb.ref('ticket_ratings.comment')), rated_at: at }))),
    );
    if (before?.rating !== r.rating || (comment && comment !== before?.comment)) addEvent(db, { ticketId: t.id, actor: 'customer', kind: 'rating', detail: { rating: r.rating, comment }, at });
  });
}

export function ratingOf(db: Db, ticketId: number): TicketRating | undefined {
  return db.first(db.kysely.selectFrom('ticket_ratings').selectAll().where('ticket_id', '=', ticketId));
}

export interface RatingFigures {
  /** Surveys asked, answered, the average and how many gave each score. */
  asked: number;
  answered: number;
  average: number | null;
  scores: [number, number, number, number, number];
}

export interface RatingsReport {
  teams: Array<{ team: Team } & RatingFigures>;
  clerks: Array<{ assigneeId: number | null; name: string } & RatingFigures>;
  comments: Array<{ protocol: string; team: Team; rating: number; comment: string; at: string; clerk: string }>;
}

/** Figures since `fromIso` (surveys started then), per team and per clerk, and the latest comments. */
export function ratingsReport(db: Db, fromIso: string | null, names: Map<number, string>): RatingsReport {
  let q = db.kysely.selectFrom('ticket_ratings').select(['team', 'assignee_id', 'asked_at', 'rating']);
  if (fromIso) q = q.where('created_at', '>=', fromIso);
  const rows = db.all(q);
  const empty = (): RatingFigures => ({ asked: 0, answered: 0, average: null, scores: [0, 0, 0, 0, 0] });
  const add = (f: RatingFigures, r: { asked_at: string | null; rating: number | null }) => {
    if (r.asked_at || r.rating) f.asked++;
    if (r.rating) {
      f.scores[r.rating - 1]++;
      f.average = ((f.average ?? 0) * f.answered + r.rating) / (f.answered + 1);
      f.answered++;
    }
  };
  const teams = new Map<Team, RatingFigures>();
  const clerks = new Map<number | null, RatingFigures>();
  for (const r of rows) {
    if (!teams.has(r.team)) teams.set(r.team, empty());
    if (!clerks.has(r.assignee_id)) clerks.set(r.assignee_id, empty());
    add(teams.get(r.team)!, r);
    add(clerks.get(r.assignee_id)!, r);
  }
  let c = db.kysely
    .selectFrom('ticket_ratings')
    .innerJoin('tickets', 'tickets.id', 'ticket_ratings.ticket_id')
    .select(['tickets.protocol', 'ticket_ratings.team', 'ticket_ratings.rating', 'ticket_ratings.comment', 'ticket_ratings.rated_at', 'ticket_ratings.assignee_id'])
    .where('ticket_ratings.comment', 'is not', null)
    .orderBy('ticket_ratings.rated_at', 'desc')
    .limit(20);
  if (fromIso) c = c.where('ticket_ratings.created_at', '>=', fromIso);
  const clerkName = (id: number | null) => (id === null ? 'Sem responsável' : (names.get(id) ?? `Usuário ${id}`));
  return {
    teams: (['finance', 'support'] as const).filter((t) => teams.has(t)).map((team) => ({ team, ...teams.get(team)! })),
    clerks: [...clerks].map(([assigneeId, f]) => ({ assigneeId, name: clerkName(assigneeId), ...f })).sort((a, b) => b.answered - a.answered || a.name.localeCompare(b.name)),
    comments: db.all(c).map((r) => ({ protocol: r.protocol, team: r.team, rating: r.rating ?? 0, comment: r.comment ?? '', at: r.rated_at ?? '', clerk: clerkName(r.assignee_id) })),
  };
}
