// How the ticket page reads the fields the requests collect. Field labels and stored codes come
// from each request type's declaration (RequestRegistry.fieldLabel / valueLabel); this module
// only knows the shapes every request shares.

import { formatBrl, isMoney } from '../../../validation/money.js';
import { formatPixKey } from '../../../validation/pix.js';

/** Collected fields already shown from the ticket's own columns. */
export const SHOWN = new Set(['document', 'orderNumber', 'email', 'name', 'phone', 'attachments', 'orderAmount', 'buyerName']);

/** A collected value as staff read it; `label` names stored codes ("desistencia" -> "desistência"). */
export function fieldValue(v: unknown, label: (code: unknown) => string | undefined = () => undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const named = label(v);
  if (named) return named;
  if (v === true) return 'sim';
  if (v === false) return 'não';
  if (isMoney(v)) return formatBrl(v.cents);
  if (typeof v === 'object' && v !== null && 'kind' in v && 'value' in v) return formatPixKey(v as { kind: string; value: string });
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
