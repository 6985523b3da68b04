import type { TicketType } from '../db/schema.js';

// SLA colour of a ticket: green while under 75 % of its type's target, amber up to the target,
// red past it. Age is in calendar hours (no business-hours helper exists in the project yet).

export type SlaLevel = 'ok' | 'warn' | 'late' | 'done';

export const SLA_LABEL: Record<SlaLevel, string> = { ok: 'no prazo', warn: 'perto do prazo', late: 'atrasado', done: 'encerrado' };

export function elapsedHours(createdAt: string, now: number): number {
  return Math.max(0, (now - Date.parse(createdAt)) / 3_600_000);
}

export function slaLevel(t: { type: TicketType; status: string; created_at: string; closed_at: string | null }, targets: Record<TicketType, number>, now: number): SlaLevel {
  if (t.status === 'resolved' || t.status === 'rejected') return 'done';
  const ratio = elapsedHours(t.created_at, now) / targets[t.type];
  return ratio >= 1 ? 'late' : ratio >= 0.75 ? 'warn' : 'ok';
}

/** "12 min", "3 h", "2 d 4 h". */
export function formatAge(createdAt: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(createdAt)) / 60_000);
  if (minutes < 60) return `${Math.max(0, minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
