// Amounts in reais as people in Brazil write them ("1.234,56", "R$ 89,90"), kept as integer cents.

/** "1.234,56", "R$ 1.234,56", "1234,5", "89" -> cents; null when it is not a pt-BR amount ("12.50" is ambiguous: refused). */
export function parseBrl(text: string): number | null {
  const m = /^(?:R\$\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = Number(m[1].replace(/\./g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** 123456 -> "R$ 1.234,56" (thousands with dots, always two decimals). */
export function formatBrl(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const reais = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}R$ ${reais},${String(abs % 100).padStart(2, '0')}`;
}

/** How a ticket stores an amount (one shape every request shares; the panel formats it). */
export interface Money {
  currency: 'BRL';
  cents: number;
}

export const money = (cents: number): Money => ({ currency: 'BRL', cents });

export function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && (v as Money).currency === 'BRL' && Number.isInteger((v as Money).cents);
}
