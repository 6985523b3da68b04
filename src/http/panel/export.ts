import type { Response } from 'express';
import type { Db } from '../../db/database.js';
import type { StaffUser } from '../../db/schema.js';
import { formatDateTime, formatDocument, maskDocument, maskEmail, maskName, maskPhone } from '../../staff/format.js';
import { queuePage, type QueueFilter } from '../../staff/queue.js';
import type { RequestRegistry } from '../../requests.js';
import { STATUS_LABEL, TEAM_LABEL } from '../../tickets/tickets.js';

// CSV export of a filtered queue: UTF-8 with BOM and ';' (what Excel in pt-BR expects).
// Personal data (name, phone, CPF/CNPJ, e-mail) is written only for the team that owns the
// tickets; an admin's export masks it.

export const MAX_EXPORT_ROWS = 100_000;

function cell(value: unknown): string {
  let s = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // no formulas in a spreadsheet
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sendCsv(res: Response, db: Db, requests: RequestRegistry, user: StaffUser, filter: QueueFilter, timeZone: string, now: number): void {
  const stamp = new Date(now).toISOString().slice(0, 10);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="tickets-${stamp}.csv"`);
  res.set('Cache-Control', 'no-store');
  const header = ['protocolo', 'tipo', 'equipe', 'status', 'aberto_em', 'atualizado_em', 'encerrado_em', 'responsavel', 'pedido', 'nome', 'telefone', 'cpf_cnpj', 'email'];
  const chunks: string[] = ['\uFEFF' + header.join(';')];
  let after = filter.after;
  let written = 0;
  for (;;) {
    const page = queuePage(db, { ...filter, after, limit: 500 });
    for (const r of page.rows) {
      const owner = user.role === r.team; // the owning team's own members
      chunks.push(
        [
          r.protocol, requests.title(r.type), TEAM_LABEL[r.team], STATUS_LABEL[r.status],
          formatDateTime(r.created_at, timeZone), formatDateTime(r.updated_at, timeZone), formatDateTime(r.closed_at, timeZone),
          r.assignee_name ?? '', r.order_number ?? '',
          owner ? (r.contact_name ?? '') : maskName(r.contact_name),
          owner ? (r.phone ?? r.chat_id) : maskPhone(r.phone ?? r.chat_id),
          owner ? formatDocument(r.document) : maskDocument(r.document),
          owner ? (r.email ?? '') : maskEmail(r.email),
        ]
          .map(cell)
          .join(';'),
      );
    }
    written += page.rows.length;
    if (!page.next || written >= MAX_EXPORT_ROWS) break;
    after = page.next;
  }
  res.send(chunks.join('\r\n') + '\r\n');
}
