import type { Request } from 'express';
import type { Config } from '../../config.js';
import type { Engine } from '../../conversation/engine.js';
import type { Db } from '../../db/database.js';
import type { StaffSession, StaffUser, Team, TicketType } from '../../db/schema.js';
import type { LearningService } from '../../learning/service.js';
import type { Logger } from '../../logger.js';
import type { KnowledgeBase } from '../../faq/knowledge.js';
import type { RequestRegistry } from '../../requests.js';
import type { PanelConfig } from '../../staff/config.js';
import type { SlaClock } from '../../staff/sla.js';
import type { LiveQueue } from './live.js';
import { zonedMidnight } from '../../staff/format.js';
import { decodeCursor, STATUSES, type QueueFilter, type StatusFilter } from '../../staff/queue.js';
import { visibleTeams } from '../../staff/users.js';

export interface PanelContext {
  db: Db;
  engine: Engine;
  /** The registered request types (labels, teams, SLA targets, templates). */
  requests: RequestRegistry;
  logger: Logger;
  config: Config;
  panel: PanelConfig;
  clock: () => number;
  sla: SlaClock;
  /** The FAQ, for the overview's question labels (optional: ids are shown without it). */
  kb?: KnowledgeBase;
  /** Live queue streams and the waiting counts every page shows. */
  live: LiveQueue;
  /** "Perguntas não respondidas" (the page exists when the app has a learning service). */
  learning?: LearningService;
}

/** What the auth middleware attaches to a request. */
export interface StaffLocals {
  user: StaffUser;
  session?: StaffSession;
}

export function staffOf(req: Request): StaffLocals {
  return (req as Request & { staff: StaffLocals }).staff;
}

export function setStaff(req: Request, s: StaffLocals): void {
  (req as Request & { staff: StaffLocals }).staff = s;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 200) : '');

/** Queue filters from a query string, restricted to what the user may see; invalid values are ignored. */
export function parseQueueQuery(query: Record<string, unknown>, user: StaffUser, timeZone: string, requests: RequestRegistry): { filter: QueueFilter; echo: Record<string, string> } {
  const teams = visibleTeams(user);
  const echo: Record<string, string> = {};
  const filter: QueueFilter = { teams };
  const status = str(query.status);
  if (status === 'all' || STATUSES.includes(status as never)) {
    filter.status = status as StatusFilter;
    echo.status = status;
  } else if (status === 'active') filter.status = 'active';
  const type = str(query.type);
  if (requests.has(type)) {
    filter.type = type as TicketType;
    echo.type = type;
  }
  const team = str(query.team);
  if (teams.includes(team as Team)) {
    filter.team = team as Team;
    echo.team = team;
  }
  const assignee = str(query.assignee);
  if (assignee === 'me') filter.assignee = user.id;
  else if (assignee === 'none') filter.assignee = 'none';
  else if (/^\d{1,9}$/.test(assignee)) filter.assignee = Number(assignee);
  if (filter.assignee !== undefined) echo.assignee = assignee;
  const from = str(query.from);
  const fromIso = zonedMidnight(from, timeZone);
  if (fromIso) {
    filter.from = fromIso;
    echo.from = from;
  }
  const to = str(query.to);
  const toIso = zonedMidnight(to, timeZone, 1);
  if (toIso) {
    filter.to = toIso;
    echo.to = to;
  }
  const q = str(query.q).trim();
  if (q) {
    filter.q = q;
    echo.q = q;
  }
  const after = decodeCursor(str(query.after));
  if (after) filter.after = after;
  return { filter, echo };
}
