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

export function formatDocument(doc: string | null | undefined): string {
  const d = (doc ?? '').replace(/\D/g, '');
  if (d.length === 11) return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
  if (d.length === 14) return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
  return doc ?? '';
}

export function maskDocument(doc: string | null | undefined): string {
  const d = (doc ?? '').replace(/\D/g, '');
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

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('pt-BR', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    dateTimeFormats.set(timeZone, f);
  }
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : f.format(t);
}

/** Midnight of a YYYY-MM-DD date in a time zone, as an ISO instant (for date filters). */
export function zonedMidnight(date: string, timeZone: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const noon = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(noon)) return undefined;
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(noon).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetMin * 60_000 + plusDays * 86_400_000).toISOString();
}
