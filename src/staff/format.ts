import { normalizeDocument } from '../validation/document.js';

// Display helpers for the panel (pt-BR).

/** 5511999990001 -> +55 11 9****-0001 (enough to recognise, not to dial). */
export function maskPhone(phone: string | null | undefined): string {
  const d = (phone ?? '').replace(/\D/g, '');
  if (d.length < 8) return d ? '****' : '';
  if (d.startsWith('55') && d.length >= 12) return `+55 ${d.slice(2, 4)} ${d[4]}****-${d.slice(-4)}`;
  return `****${d.slice(-4)}`;
}

export function formatPhone(phone: string | null | undefined): string {
  const d = (phone ?? '').replace(/\D/g, '');
  if (d.startsWith('55') && (d.length === 12 || d.length === 13)) {
    const local = d.slice(4);
    return `+55 ${d.slice(2, 4)} ${local.slice(0, local.length - 4)}-${local.slice(-4)}`;
  }
  return phone ?? '';
}

export { formatDocument } from '../validation/document.js';

/** Stronger than the chat's mask: an admin's export keeps only a few middle characters. */
export function maskDocument(doc: string | null | undefined): string {
  const d = normalizeDocument(doc ?? '');
  if (d.length === 11) return `***.${d.slice(3, 6)}.***-**`;
  if (d.length === 14) return `**.${d.slice(2, 5)}.***/****-**`;
  return d ? '***' : '';
}

export function maskEmail(email: string | null | undefined): string {
  if (!email) return '';
  const [user, domain] = email.split('@');
  return `${(user ?? '').slice(0, 1)}***@${domain ?? ''}`;
}

export function maskName(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return parts.map((p) => `${p[0]}.`).join(' ');
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** The zone's UTC offset (ms) at an instant; Intl is asked once per zone and hour (it is slow). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  const key = `${timeZone}|${Math.floor(ms / 3_600_000)}`;
  let off = offsets.get(key);
  if (off === undefined) {
    let f = offsetFormats.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
      offsetFormats.set(timeZone, f);
    }
    const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
    if (offsets.size > 20_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(timeZone, ms)).toISOString().slice(0, 10);
}

const formatted = new Map<string, Map<string, string>>();

/**
 * dd/mm/aaaa, hh:mm in a time zone (what pt-BR Intl prints, without its cost per call). Kept per
 * instant: a queue page shows the same tickets' dates request after request.
 */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  let zone = formatted.get(timeZone);
  if (!zone) formatted.set(timeZone, (zone = new Map()));
  let out = zone.get(iso);
  if (out === undefined) {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) out = '';
    else {
      const d = new Date(t + zoneOffsetMs(timeZone, t)).toISOString();
      out = `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}, ${d.slice(11, 16)}`;
    }
    if (zone.size >= 20_000) zone.clear();
    zone.set(iso, out);
  }
  return out;
}

/** Midnight of a YYYY-MM-DD date in a time zone, as an ISO instant (for date filters). */
export function zonedMidnight(date: string, timeZone: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) return undefined;
  const offset = zoneOffsetMs(timeZone, utcMidnight + 12 * 3_600_000);
  return new Date(utcMidnight - offset + plusDays * 86_400_000).toISOString();
}
