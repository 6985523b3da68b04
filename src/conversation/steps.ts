import { fold } from '../nlu/spelling.js';
import { parseYesNo } from '../nlu/replies.js';
import { addDays, compareLocalDate, formatDatePtBr, localDateOf, makeLocalDate, parseDatePtBr, parsePeriod, parseTimePtBr, type LocalDate, type Period, type TimeOfDay } from '../validation/datetime.js';
import { formatCnpj, formatCpf, isValidCnpj, isValidCpf, maskDocument, onlyDigits, parseDocument } from '../validation/document.js';
import { isValidEmail, maskEmail, normalizeEmail, suggestEmailFix } from '../validation/email.js';
import { extractFields } from '../validation/extract.js';
import { maskPixKey, parsePixKey, type PixKey } from '../validation/pix.js';
import type { Parsed, PrefillSuggestion, Step, Values } from './form.js';

// Questions several flows ask, each with its validation and its friendly re-ask in pt-BR.

export const DONT_KNOW = /\b(nao sei|nao lembro|nao tenho|esqueci|sei la|nao sabe|nao lembra|perdi)\b/;

export function documentStep<S>(key: string, label: string, question: string): Step<S> {
  return {
    key,
    label,
    ask: () => question,
    prefill: (f) => f.documents[0]?.value,
    parse: (text) => {
      const doc = parseDocument(text) ?? extractFields(text, new Date()).documents[0] ?? null;
      if (doc) return { ok: true, value: doc.value };
      const digits = onlyDigits(text);
      if (digits.length === 11 || digits.length === 14) {
        return { ok: false, error: `Esse ${digits.length === 11 ? 'CPF' : 'CNPJ'} não é válido (os dígitos verificadores não conferem). Confira e envie de novo, por exemplo *123.456.789-09* ou só os números.` };
      }
      return { ok: false, error: 'Não reconheci um CPF ou CNPJ. Envie o *CPF* (11 números) ou o *CNPJ* (14 números), com ou sem pontos.' };
    },
    show: (v) => maskDocument(String(v)),
  };
}

/** Order number, or "não sei" (then `orderUnknown` is set and an e-mail step may follow). */
export function orderStep<S>(opts: { allowUnknown: boolean }): Step<S> {
  return {
    key: 'orderNumber',
    label: 'Número do pedido',
    ask: () =>
      opts.allowUnknown
        ? 'Qual é o *número do pedido*? (Ele está no e-mail de confirmação da compra.) Se não souber, responda *não sei*.'
        : 'Qual é o *número do pedido*? (Ele está no e-mail de confirmação da compra.)',
    prefill: (f) => f.orderNumber,
    parse: (text) => {
      if (opts.allowUnknown && DONT_KNOW.test(fold(text))) return { ok: true, value: null, set: { orderUnknown: true } };
      const fromText = extractFields(text, new Date()).orderNumber;
      const digits = fromText ?? (/^\s*#?\s*\d[\d\s.-]*$/.test(text) ? onlyDigits(text) : '');
      if (digits.length >= 4 && digits.length <= 12) return { ok: true, value: digits };
      return {
        ok: false,
        error: `O número do pedido tem de 4 a 12 algarismos, por exemplo *48213*.${opts.allowUnknown ? ' Se não souber, responda *não sei*.' : ''}`,
      };
    },
    show: (v) => (v ? String(v) : 'não informado'),
  };
}

export function emailStep<S>(key: string, label: string, question: string, opts: { optional?: boolean } = {}): Step<S> {
  return {
    key,
    label,
    ask: () => question,
    prefill: (f) => {
      if (!f.email) return undefined;
      const fix = suggestEmailFix(f.email);
      return fix ? emailSuggestion(fix, f.email) : f.email;
    },
    parse: (text): Parsed => {
      if (opts.optional && parseYesNo(text, false) === 'no') return { ok: true, value: null };
      const candidate = extractFields(text, new Date()).email ?? normalizeEmail(text);
      if (!isValidEmail(candidate)) {
        return { ok: false, error: `Esse e-mail não parece válido. Envie no formato *nome@provedor.com*${opts.optional ? ', ou *não*' : ''}.` };
      }
      const fix = suggestEmailFix(candidate);
      if (fix) return { ok: 'suggest', ...emailSuggestion(fix, candidate) };
      return { ok: true, value: candidate };
    },
    show: (v) => (v ? maskEmail(String(v)) : 'não'),
  };
}

function emailSuggestion(fix: string, original: string): PrefillSuggestion {
  return { suggest: true, value: fix, original, question: `Você quis dizer *${fix}*? Responda *sim* para usar esse endereço ou *não* para manter *${original}*.` };
}

export function choiceStep<S, T extends string>(key: string, label: string, question: string, options: Array<{ value: T; label: string; words: RegExp }>): Step<S> {
  const list = options.map((o, i) => `*${i + 1}*) ${o.label}`).join('\n');
  return {
    key,
    label,
    ask: () => `${question}\n${list}`,
    parse: (text) => {
      const n = Number(text.trim().replace(/[).]$/, ''));
      if (Number.isInteger(n) && n >= 1 && n <= options.length) return { ok: true, value: options[n - 1].value };
      const t = fold(text);
      const hit = options.filter((o) => o.words.test(t));
      if (hit.length === 1) return { ok: true, value: hit[0].value };
      return { ok: false, error: `Responda com o número da opção:\n${list}` };
    },
    show: (v) => options.find((o) => o.value === v)?.label ?? String(v),
  };
}

export function yesNoStep<S>(key: string, label: string, question: string): Step<S> {
  return {
    key,
    label,
    ask: () => `${question} Responda *sim* ou *não*.`,
    parse: (text) => {
      const a = parseYesNo(text);
      return a ? { ok: true, value: a === 'yes' } : { ok: false, error: 'Responda *sim* ou *não*, por favor.' };
    },
    show: (v) => (v ? 'sim' : 'não'),
  };
}

export function dateStep<S>(
  key: string,
  label: string,
  question: string,
  validate?: (d: LocalDate, v: Values, now: Date) => string | null,
  opts: { past?: boolean } = {},
): Step<S> {
  return {
    key,
    label,
    ask: () => question,
    parse: (text, v, env) => {
      const d = opts.past ? pastDate(text, env.now) : parseDatePtBr(text, env.now);
      if (!d) return { ok: false, error: 'Não entendi a data. Envie como *12/03*, *12/03/2026*, *hoje*, *amanhã* ou o dia da semana (ex.: *segunda-feira*).' };
      const problem = validate?.(d, v, env.now);
      return problem ? { ok: false, error: problem } : { ok: true, value: d };
    },
    show: (v) => formatDatePtBr(v as LocalDate),
  };
}

/**
 * A date asked about the past (e.g. the purchase): 'segunda-feira' and 'dia 20' mean the last
 * one, not the next (parseDatePtBr reads them forward, as for appointments).
 */
export function pastDate(text: string, now: Date): LocalDate | null {
  const d = parseDatePtBr(text, now);
  const today = localDateOf(now);
  if (!d || compareLocalDate(d, today) <= 0) return d;
  const t = fold(text);
  if (/\d\s*[/.-]\s*\d/.test(t)) return d; // an explicit dd/mm stays as written
  if (/\b(domingo|segunda|terca|quarta|quinta|sexta|sabado)\b/.test(t)) return addDays(d, -7);
  if (/\bdia\s+\d/.test(t)) {
    for (let back = 1; back <= 12; back++) {
      const m = d.month - back;
      const prev = makeLocalDate(m >= 1 ? d.year : d.year - 1, ((m - 1 + 120) % 12) + 1, d.day);
      if (prev && compareLocalDate(prev, today) <= 0) return prev;
    }
  }
  return d;
}

export function timeStep<S>(key: string, label: string, question: string): Step<S> {
  return {
    key,
    label,
    ask: () => question,
    parse: (text) => {
      const t = parseTimePtBr(text);
      return t ? { ok: true, value: t } : { ok: false, error: 'Não entendi o horário. Envie como *14h*, *14:30* ou *9h da manhã*.' };
    },
    show: (v) => formatTime(v as TimeOfDay),
  };
}

export function periodStep<S>(key: string, label: string, question: string): Step<S> {
  return {
    key,
    label,
    ask: () => `${question}\n*1*) Manhã\n*2*) Tarde\n*3*) Qualquer horário`,
    parse: (text) => {
      const n = text.trim();
      const p: Period | null = n === '1' ? 'manha' : n === '2' ? 'tarde' : n === '3' ? 'qualquer' : parsePeriod(text);
      return p ? { ok: true, value: p } : { ok: false, error: 'Responda *1* (manhã), *2* (tarde) ou *3* (qualquer horário).' };
    },
    show: (v) => ({ manha: 'manhã', tarde: 'tarde', qualquer: 'qualquer horário' })[v as Period],
  };
}

export function pixStep<S>(): Step<S> {
  return {
    key: 'pixKey',
    label: 'Chave Pix para o estorno',
    ask: () => 'Para devolver o valor, qual *chave Pix* devemos usar? Pode ser CPF, CNPJ, e-mail, celular ou chave aleatória.',
    parse: (text): Parsed => {
      const key = parsePixKey(text.trim());
      if (key?.kind === 'email') {
        // Money goes to this key: a likely domain typo is confirmed first (gmial.com -> gmail.com).
        const fix = suggestEmailFix(key.value);
        if (fix) return { ok: 'suggest', value: { kind: 'email', value: fix }, original: key, question: `Você quis dizer *${fix}*? Responda *sim* para usar essa chave ou *não* para manter *${key.value}*.` };
      }
      const digits = onlyDigits(text);
      if (!key && /^[\d\s./-]+$/.test(text.trim()) && (/^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(text.trim()) || digits.length === 14)) {
        return { ok: false, error: `Esse ${digits.length === 11 ? 'CPF' : 'CNPJ'} não é válido (os dígitos verificadores não conferem). Confira e envie a chave Pix de novo.` };
      }
      return key
        ? { ok: true, value: key }
        : { ok: false, error: 'Não reconheci essa chave Pix. Envie um CPF ou CNPJ válido, um e-mail, um celular com DDD (ex.: *11 99999-0001*) ou a chave aleatória (ex.: *123e4567-e89b-42d3-a456-426614174000*).' };
    },
    show: (v) => `${maskPixKey(v as PixKey)} (${PIX_LABEL[(v as PixKey).kind]})`,
  };
}

export function textStep<S>(key: string, label: string, question: string, opts: { min: number; max: number; error: string }): Step<S> {
  return {
    key,
    label,
    ask: () => question,
    parse: (text) => {
      const t = text.trim().replace(/\s+/g, ' ');
      return t.length >= opts.min && t.length <= opts.max && /\p{L}/u.test(t) ? { ok: true, value: t } : { ok: false, error: opts.error };
    },
  };
}

const PIX_LABEL: Record<PixKey['kind'], string> = { cpf: 'CPF', cnpj: 'CNPJ', email: 'e-mail', phone: 'celular', random: 'chave aleatória' };

export function formatTime(t: TimeOfDay): string {
  return t.minute ? `${t.hour}h${String(t.minute).padStart(2, '0')}` : `${t.hour}h`;
}

export function formatDocument(digits: string): string {
  return digits.length === 11 && isValidCpf(digits) ? formatCpf(digits) : isValidCnpj(digits) ? formatCnpj(digits) : digits;
}

export function isPast(d: LocalDate, now: Date): boolean {
  return compareLocalDate(d, localDateOf(now)) < 0;
}
