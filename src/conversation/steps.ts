import { fold } from '../nlu/spelling.js';
import { maskPii } from '../pii.js';
import { parseOrdinal, parseYesNo } from '../nlu/replies.js';
import { addDays, compareLocalDate, findDatesPtBr, formatDatePtBr, localDateOf, makeLocalDate, parseDatePtBr, parsePeriod, parseTimePtBr, type LocalDate, type Period, type TimeOfDay } from '../validation/datetime.js';
import { formatDocument, maskCpf, maskDocument, onlyDigits, parseDocument, type ParsedDocument } from '../validation/document.js';
import { isValidEmail, maskEmail, normalizeEmail, suggestEmailFix } from '../validation/email.js';
import { scanMessage } from '../validation/extract.js';
import { maskPhone, normalizeBrPhone } from '../validation/phone.js';
import { maskPixKey, parsePixKey, PIX_KIND_LABEL, type PixKey } from '../validation/pix.js';
import type { Extracted, FormEnv, MessageFacts, Parsed, Step, Values } from './form.js';

// The kinds of question the requests ask, each once: how an answer is read (`parse`), how the
// value is found inside any message, also unasked (`extract`), the business rule that holds on
// every path (`validate`), how it is shown back masked (`show`), what "não sei" means
// (`unknown`) and an example for "como assim?". Flows in flows/ compose these.

/** Text before a value in the message (lower case, no accents): where cues like "marcada pra" sit. */
function before(m: MessageFacts, index: number, width = 40): string {
  return fold(m.raw.slice(Math.max(0, index - width), index));
}

/** The first value of a list not already claimed in this message. */
function firstFree<T>(m: MessageFacts, list: Array<{ value: T; index: number }>, token: (v: T) => string): { value: T; index: number; token: string } | undefined {
  for (const f of list) {
    const t = token(f.value);
    if (!m.used.has(t)) return { ...f, token: t };
  }
  return undefined;
}

// ---------------------------------------------------------------- CPF / CNPJ

export function documentStep(key: string, label: string, question: string, opts: { cpfOnly?: boolean; mentions?: RegExp } = {}): Step {
  const invalid = (text: string): string => {
    const digits = onlyDigits(text);
    if (digits.length === 11 || digits.length === 14) {
      return `Esse ${digits.length === 11 ? 'CPF' : 'CNPJ'} não é válido (os dígitos verificadores não conferem). Confira e envie de novo, por exemplo *529.982.247-25* ou só os números.`;
    }
    return opts.cpfOnly
      ? 'Não reconheci um CPF. Envie os *11 números* do CPF, com ou sem pontos (ex.: *529.982.247-25*).'
      : 'Não reconheci um CPF ou CNPJ. Envie o *CPF* (11 números) ou o *CNPJ* (14 caracteres), com ou sem pontos.';
  };
  return {
    key,
    label,
    kind: 'document',
    ask: () => question,
    mentions: opts.mentions ?? /\b(cpf|cnpj|documento)\b/,
    example: opts.cpfOnly ? '*529.982.247-25*' : '*529.982.247-25* (CPF) ou *11.222.333/0001-81* (CNPJ)',
    parse: (text, _v, env) => {
      const doc = parseDocument(text) ?? scanDocument(text, env.now);
      if (doc) return { ok: true, value: doc.value };
      return { ok: false, error: invalid(text) };
    },
    extract: (m, v, env, how) => {
      const found = firstFree(m, m.scan.documents, (d) => `doc:${d.value}`);
      // "o cpf é o mesmo que te passei": the document of this chat's latest request (its own data, same chat).
      if (!found && !how.filled && SAME_DOCUMENT.test(m.folded) && !m.used.has('doc:same')) {
        const last = env.services.ticketsOfChat(env.chatId).find((t) => t.document && (!opts.cpfOnly || t.document.length === 11)); // newest first
        if (last?.document) return { value: last.document, token: 'doc:same' };
      }
      if (!found) {
        // An asked document that fails its check digits is this field's error, not something else.
        const bad = how.asked ? m.scan.invalidDocuments[0] : undefined;
        return bad ? { error: invalid(bad.value), token: `baddoc:${bad.value}` } : undefined;
      }
      if (how.filled && found.value.value === v[key]) return { same: true, token: found.token };
      return { value: found.value.value, token: found.token };
    },
    validate: (value) => {
      const doc = parseDocument(String(value));
      if (!doc) return invalid(String(value));
      if (opts.cpfOnly && doc.kind !== 'cpf') return 'Aqui eu preciso do *CPF* da pessoa (11 números), não de um CNPJ.';
      return null;
    },
    show: (value) => (opts.cpfOnly ? maskCpf(String(value)) : maskDocument(String(value))),
    unknown: () => ({ hint: `Sem o ${opts.cpfOnly ? 'CPF' : 'CPF ou CNPJ'} eu não consigo localizar a compra. 🙏 Ele aparece no e-mail de confirmação da compra e nos documentos de quem comprou. Se preferir, digite *atendente* para falar com uma pessoa.` }),
  };
}

const SAME_DOCUMENT = /\b(cpf|cnpj|documento)\b.{0,20}\b(o mesmo|mesmo (de antes|do outro|da outra)|que (eu )?(te )?(passei|mandei|informei|enviei|dei))\b/;

/** parseDocument reads a message that is only the document; a sentence needs the scanner. */
function scanDocument(text: string, now: Date): ParsedDocument | null {
  return scanMessage(text, now).documents[0]?.value ?? null;
}

// ---------------------------------------------------------------- order number

/** Order number; "não sei" gives `orderUnknown` (then an e-mail step may follow) when allowed. */
export function orderStep(opts: { allowUnknown: boolean }): Step {
  const error = `O número do pedido tem de 4 a 12 algarismos, por exemplo *48213*.${opts.allowUnknown ? ' Se não souber, responda *não sei*.' : ''}`;
  return {
    key: 'orderNumber',
    label: 'Número do pedido',
    kind: 'order',
    mentions: /\b(pedido|numero(?! d[oae] (cpf|cnpj|telefone|celular|documento|whatsapp))|compra)\b/,
    example: '*48213* (o número está no e-mail de confirmação da compra)',
    ask: () =>
      opts.allowUnknown
        ? 'Qual é o *número do pedido*? (Ele está no e-mail de confirmação da compra.) Se não souber, responda *não sei*.'
        : 'Qual é o *número do pedido*? (Ele está no e-mail de confirmação da compra.)',
    parse: (text, _v, env) => {
      const scan = scanMessage(text, env.now);
      const digits = scan.orders[0]?.value ?? (scan.numbers.length === 1 && scan.documents.length === 0 ? scan.numbers[0].value : /^\s*#?\s*\d[\d\s.-]*$/.test(text) ? onlyDigits(text) : '');
      if (digits.length >= 4 && digits.length <= 12) return { ok: true, value: digits };
      return { ok: false, error };
    },
    extract: (m, v, _env, how) => {
      // Unasked, only a number announced as an order ("pedido 48213") is one; asked, any
      // number in the sentence ("acho que é 48213") is the answer.
      const cued = firstFree(m, m.scan.orders, (n) => `num:${n}`);
      // "errei, o certo é 50608" about the order: a bare number corrects it too.
      const correcting = how.filled && m.signals.correction && /\b(pedido|numero)\b/.test(m.folded);
      // The message that starts a request, or one that speaks of the order ("o pedido acho que é 48213"):
      // a lone bare number is the order.
      // (A year is not: "certificado válido até 2027".)
      const lone = !how.filled && m.scan.numbers.length === 1 && !/^(19[5-9]\d|20\d\d)$/.test(m.scan.numbers[0]!.value) && (m.first || /\bpedido\b/.test(m.folded));
      const found = cued ?? (how.asked || correcting || lone ? firstFree(m, m.scan.numbers, (n) => `num:${n}`) : undefined);
      if (!found || (how.filled && found.value === v.orderNumber)) return undefined;
      return { value: found.value, token: found.token, set: { orderUnknown: undefined } };
    },
    validate: (value) => (value === null || /^\d{4,12}$/.test(String(value)) ? null : error),
    show: (value) => (value ? String(value) : 'não informado'),
    unknown: () =>
      opts.allowUnknown
        ? { value: null, set: { orderUnknown: true } }
        : { hint: 'O número do pedido está no *e-mail de confirmação da compra* (assunto com o resumo do pedido). 🔎 Se não encontrar, digite *atendente* para falar com uma pessoa.' },
  };
}

// ---------------------------------------------------------------- e-mail

function emailSuggestion(fix: string, original: string): { value: string; question: string } {
  return { value: fix, question: `Você quis dizer *${fix}*? Responda *sim* para usar esse endereço ou *não* para manter *${original}*.` };
}

export interface EmailStepOptions {
  /** "não" is an answer (no other address); the value is then null. */
  optional?: boolean;
  /** Unasked, an address only goes to this field after words like these ("outro e-mail", "manda pro"). */
  cue?: RegExp;
  /** Unasked, an address after words like these belongs to another field ("manda pros dois: ..."). */
  avoid?: RegExp;
  mentions?: RegExp;
}

export function emailStep(key: string, label: string, question: string, opts: EmailStepOptions = {}): Step {
  const error = `Esse e-mail não parece válido. Envie no formato *nome@provedor.com*${opts.optional ? ', ou *não*' : ''}.`;
  return {
    key,
    label,
    kind: 'email',
    mentions: opts.mentions ?? /\b(email|endereco de email)\b/,
    example: '*maria.silva@gmail.com*',
    ask: () => question,
    parse: (text, _v, env): Parsed => {
      if (opts.optional && parseYesNo(text, false) === 'no' && !text.includes('@')) return { ok: true, value: null };
      const candidate = scanMessage(text, env.now).emails[0]?.value ?? normalizeEmail(text);
      if (!isValidEmail(candidate)) return { ok: false, error };
      const fix = suggestEmailFix(candidate);
      if (fix) return { ok: 'suggest', original: candidate, ...emailSuggestion(fix, candidate) };
      return { ok: true, value: candidate };
    },
    extract: (m, v, _env, how): Extracted | undefined => {
      for (const e of m.scan.emails) {
        const token = `email:${e.value}`;
        if (m.used.has(token)) continue;
        if (!how.asked && opts.cue && !opts.cue.test(before(m, e.index, 60))) continue;
        if (!how.asked && opts.avoid?.test(before(m, e.index, 60))) continue;
        if (how.filled && e.value === v[key]) return undefined;
        const fix = suggestEmailFix(e.value);
        return fix ? { suggest: emailSuggestion(fix, e.value), original: e.value, token } : { value: e.value, token };
      }
      return undefined;
    },
    validate: (value) => (value === null && opts.optional) || isValidEmail(String(value)) ? null : error,
    // Shown whole to the person who typed it: a masked address hides the typo the summary is there to catch.
    show: (value) => (value ? String(value) : 'não'),
    echo: (value) => (value ? String(value) : 'não'),
    unknown: () =>
      opts.optional
        ? { value: null }
        : { hint: 'É o e-mail que foi digitado no carrinho na hora da compra (para onde vão as mensagens da compra). Se não lembrar, tente o e-mail que você mais usa, ou digite *atendente*.' },
  };
}

// ---------------------------------------------------------------- choices

export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
  /** Words that pick this option when asked ("cartão", "pix"). */
  words: RegExp;
  /** Words that pick it even when not asked, anywhere in a message ("paguei no cartão"). */
  strong?: RegExp;
  /** How staff read the stored value (defaults to `label`). */
  staff?: string;
}

export function choiceStep<T extends string>(
  key: string,
  label: string,
  question: string,
  options: Array<ChoiceOption<T>>,
  opts: { keepText?: string; mentions?: RegExp } = {},
): Step {
  const list = options.map((o, i) => `*${i + 1}*) ${o.label}`).join('\n');
  /** The person's own words go along with the option ("comprei o modelo errado"). */
  const withText = (value: T, text: string): { ok: true; value: T; set?: Values } => {
    const words = text.trim().replace(/\s+/g, ' ');
    return opts.keepText && words.split(' ').length >= 3 ? { ok: true, value, set: { [opts.keepText]: words.slice(0, 500) } } : { ok: true, value };
  };
  return {
    key,
    label,
    kind: 'choice',
    options: options.map((o) => ({ value: o.value, label: o.staff ?? o.label })),
    mentions: opts.mentions,
    example: `o número da opção, por exemplo *1*`,
    ask: () => `${question}\n${list}`,
    parse: (text) => {
      const n = Number(text.trim().replace(/^(op[cç][aã]o|n[ºo°.]?)\s*/i, '').replace(/[).]$/, ''));
      if (Number.isInteger(n) && n >= 1 && n <= options.length) return { ok: true, value: options[n - 1].value };
      const ordinal = parseOrdinal(text, options.length);
      if (ordinal) return { ok: true, value: options[ordinal - 1].value };
      const t = fold(text);
      const hit = options.filter((o) => o.words.test(t) || o.strong?.test(t));
      if (hit.length === 1) return withText(hit[0].value, text);
      // "desistimos, contratamos outro fornecedor": one option said in so many words outweighs a word of another.
      const strong = hit.filter((o) => o.strong?.test(t));
      if (strong.length === 1) return withText(strong[0].value, text);
      return { ok: false, error: `Responda com o número da opção:\n${list}` };
    },
    extract: (m, v, _env, how) => {
      if (how.asked) return undefined; // asked, `parse` reads the whole message
      // "cartao" alone, while another question is on screen and not answered by it: this field's answer.
      if (!how.filled && !m.first && m.filledNow.size === 0 && m.folded.split(' ').length <= 3) {
        const weak = options.filter((o) => o.words.test(m.folded));
        if (weak.length === 1) return { value: weak[0].value, token: `choice:${key}` };
      }
      const hit = options.filter((o) => o.strong?.test(m.folded));
      if (hit.length === 1 && how.filled && hit[0].value === v[key]) return { same: true, token: `choice:${key}` };
      if (hit.length !== 1 || (how.filled && !m.signals.correction)) return undefined;
      const clause = clauseAround(m.raw, hit[0].strong!);
      return { ...withText(hit[0].value, clause), token: `choice:${key}` };
    },
    validate: (value) => (options.some((o) => o.value === value) ? null : `Responda com o número da opção:\n${list}`),
    show: (value) => options.find((o) => o.value === value)?.label ?? String(value),
  };
}

/** The clause (between punctuation) of `raw` whose folded form matches `re`. */
function clauseAround(raw: string, re: RegExp): string {
  const parts = raw.split(/[.;!?\n]|,(?=\s*\D)/);
  const clause = (parts.find((p) => re.test(fold(p))) ?? raw).trim();
  // A run-on without punctuation (a voice message typed out): the words around the match, not all
  // of it (the CPF and the e-mail said further on are not the reason).
  const words = clause.split(/\s+/);
  if (words.length <= 30) return clause;
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= Math.min(words.length, i + 8); j++) {
      if (re.test(fold(words.slice(i, j).join(' ')))) return words.slice(Math.max(0, i - 10), Math.min(words.length, j + 6)).join(' ');
    }
  }
  return words.slice(0, 30).join(' ');
}

// ---------------------------------------------------------------- yes / no

/** A "não" that opens a statement of its own ("não preciso mais, ..."), not an answer word after it. */
const STATEMENT_NO = /^nao (preciso|uso|vou|consigo|consegui|tenho mais|serve|vai|da mais|posso)\b(?! (nao|sim)\b)/;

export function yesNoStep(key: string, label: string, question: string, opts: { strongYes?: RegExp; strongNo?: RegExp; mentions?: RegExp } = {}): Step {
  const words = (t: string): boolean | undefined => (opts.strongNo?.test(t) ? false : opts.strongYes?.test(t) ? true : undefined);
  return {
    key,
    label,
    kind: 'yesno',
    mentions: opts.mentions,
    example: '*sim* ou *não*',
    ask: () => `${question} Responda *sim* ou *não*.`,
    parse: (text, _v, _env) => {
      const folded = fold(text);
      // "não preciso mais, a prefeitura aceitou o papel": a sentence that begins with "não" tells
      // something (here the reason again); it is not a bare "não" to the question on screen.
      const statement = STATEMENT_NO.test(folded) && !/^\s*n[ãa]o\s*[,.!;:-]/i.test(text) && folded.split(' ').length >= 5;
      const a = statement ? null : parseYesNo(text);
      const w = a ? undefined : words(folded);
      return a ? { ok: true, value: a === 'yes' } : w !== undefined ? { ok: true, value: w } : { ok: false, error: 'Responda *sim* ou *não*, por favor.' };
    },
    extract: (m, v, _env, how) => {
      if (how.asked) return undefined;
      const value = words(m.folded);
      if (value === undefined || (how.filled && (!m.signals.correction || value === v[key]))) return undefined;
      return { value, token: `yesno:${key}` };
    },
    show: (value) => (value ? 'sim' : 'não'),
  };
}

// ---------------------------------------------------------------- dates and times

/** The earliest date wanted may be "as soon as possible": stored as this text. */
export const ASAP = 'o quanto antes';
const ASAP_WORDS = /\b(assim que (der|possivel|puder|tiver)|(o|pro|pra|para o|no) (mais )?(rapido|cedo|breve) (possivel|que (der|puder))|mais (rapido|cedo|breve) possivel|o quanto antes|quanto antes|qualquer (dia|data|momento|horario disponivel)|primeira (data|vaga|agenda|oportunidade)( disponivel)?|mais (proxima|perto) possivel|urgente|urgencia|asap|ja que der|quando tiver vaga|o mais rapido)\b/;
/** "adiantar pro mais rápido possível": the way to advance is the date asked for. */
const ASAP_ADVANCE = new RegExp(`\\b(antecip\\w*|adiant\\w*|puxar|trazer)\\b(\\W+\\w+){0,3}?\\W+${ASAP_WORDS.source.slice(2)}`);

export interface DateStepOptions {
  /** A purchase date: "segunda" and "dia 20" mean the last one, not the next. */
  past?: boolean;
  /** "assim que der" is a valid answer (stored as ASAP). */
  asap?: boolean;
  /** Unasked, a date goes to this field only after words like these ("marcada pra"); without cues, any date. */
  cue?: RegExp;
  /** Unasked dates without a cue do not go to this field (two date fields in one request). */
  cueRequired?: boolean;
  /** ...or with these words right after the date ("amanhã já pode"). */
  cueAfter?: RegExp;
  /** Unasked, a date after these words belongs to another field ("antecipar para dia 10"). */
  avoid?: RegExp;
  /** The request's only date: any date said unasked is this one (unless `avoid` says otherwise). */
  anyDate?: boolean;
  mentions?: RegExp;
}

export function dateStep(key: string, label: string, question: string, validate?: (d: LocalDate, v: Values, now: Date) => string | null, opts: DateStepOptions = {}): Step {
  const error = 'Não entendi a data. Envie como *12/03*, *12/03/2026*, *hoje*, *amanhã* ou o dia da semana (ex.: *segunda-feira*).';
  const read = (text: string, now: Date) => (opts.past ? pastDate(text, now) : parseDatePtBr(text, now));
  return {
    key,
    label,
    kind: 'date',
    mentions: opts.mentions ?? /\b(data|dia)\b/,
    example: opts.asap ? '*10/12*, *segunda-feira*, *amanhã* ou *o quanto antes*' : opts.past ? '*12/11*, *ontem* ou *segunda passada*' : '*10/12*, *segunda-feira* ou *amanhã*',
    ask: () => question,
    parse: (text, _v, env) => {
      // Asked for one date, "tá marcado dia 11/12" gives the other field's (its cue before the date).
      if (opts.avoid) {
        const first = findDatesPtBr(text, env.now)[0];
        const lead = first ? fold(text.slice(0, first.index)) : '';
        if (first && opts.avoid.test(lead) && !opts.cue?.test(lead)) return { ok: false, error };
      }
      // A date said with it wins: "qualquer dia da próxima semana" is from next Monday.
      const d = read(text, env.now);
      if (d) return { ok: true, value: d };
      if (opts.asap && ASAP_WORDS.test(fold(text))) return { ok: true, value: ASAP };
      return { ok: false, error };
    },
    extract: (m, v, env, how) => {
      // "o mais rápido possível, ela precisa pra ontem": urgency, not a date.
      const today = localDateOf(env.now);
      const hasDate = m.scan.dates.some((f) => !m.used.has(`date:${f.index}`) && !(opts.asap && compareLocalDate(f.value, today) < 0 && /\b(pra|para) ontem\b/.test(m.folded)));
      // "adiantar pro mais rápido possível" says the wanted date itself, whatever other date is told around it.
      const asapSaid = opts.asap && ASAP_ADVANCE.test(m.folded);
      if (opts.asap && (!hasDate || asapSaid) && !m.used.has('asap') && ASAP_WORDS.test(m.folded) && (how.asked || asapSaid || (opts.cue?.test(m.folded) ?? false))) {
        return how.filled && v[key] === ASAP ? undefined : { value: ASAP, token: 'asap' };
      }
      let first: { value: LocalDate; token: string } | undefined;
      for (const f of m.scan.dates) {
        const token = `date:${f.index}`;
        if (m.used.has(token)) continue;
        const context = before(m, f.index, 30);

        const cued = (opts.cue?.test(context) ?? false) || (opts.cueAfter?.test(fold(m.raw.slice(f.index + f.length, f.index + f.length + 25))) ?? false);
        // Unasked and without its cue, a date only counts in the message that started the request.
        const loose = !opts.cueRequired && !how.filled && !opts.avoid?.test(context) && (m.first || !opts.cue || !!opts.anyDate);
        if (!how.asked && !cued && !loose) continue;
        if (how.asked && !cued && opts.avoid?.test(context)) continue;
        const value = opts.past ? pastDate(m.raw.slice(f.index, f.index + f.length), env.now) ?? f.value : f.value;
        if (how.filled && JSON.stringify(value) === JSON.stringify(v[key])) return undefined;
        // "dia 7 é depois, então depois de amanhã": of two dates, the one that fits the question.
        if (!validate || !validate(value, v, env.now)) return { value, token };
        first ??= { value, token };
      }
      // "o mais rápido possível, ele vai viajar na sexta": no date that fits, and "as soon as possible" said.
      if (first && opts.asap && how.asked && !m.used.has('asap') && ASAP_WORDS.test(m.folded)) return how.filled && v[key] === ASAP ? undefined : { value: ASAP, token: 'asap' };
      return first;
    },
    validate: (value, v, env) => {
      if (value === ASAP) return opts.asap ? null : error;
      const d = value as LocalDate;
      if (!d || typeof d.year !== 'number' || !makeLocalDate(d.year, d.month, d.day)) return error;
      return validate?.(d, v, env.now) ?? null;
    },
    show: (value) => (value === ASAP ? ASAP : formatDatePtBr(value as LocalDate)),
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
  if (/\d\s*[/.-]\s*\d/.test(text)) return d; // an explicit dd/mm stays as written
  const t = fold(text);
  // "segunda-feira, dia 23": the day of the month decides, the weekday only names it.
  if (/\b(domingo|segunda|terca|quarta|quinta|sexta|sabado)\b/.test(t) && !/\d/.test(t)) return addDays(d, -7);
  if (/\b(dia\s+)?\d/.test(t)) {
    for (let back = 1; back <= 12; back++) {
      const mo = d.month - back;
      const prev = makeLocalDate(mo >= 1 ? d.year : d.year - 1, ((mo - 1 + 120) % 12) + 1, d.day);
      if (prev && compareLocalDate(prev, today) <= 0) return prev;
    }
  }
  return d;
}

export function timeStep(key: string, label: string, question: string, opts: { with?: string; optional?: boolean } = {}): Step {
  const error = 'Não entendi o horário. Envie como *14h*, *14:30* ou *9h da manhã*.';
  return {
    key,
    label,
    kind: 'time',
    mentions: /\b(horario|hora|horas)\b/,
    example: '*14h*, *14:30* ou *9h da manhã*',
    ask: () => question,
    parse: (text) => {
      const t = parseTimePtBr(text);
      return t ? { ok: true, value: t } : { ok: false, error };
    },
    extract: (m, v, _env, how) => {
      // Unasked, a time belongs to the date it came with ("15/12 às 14h"), or corrects this one ("na verdade é às 15h").
      // ...or, its date known, names itself ("ah esqueci, o horário é 9h30").
      const named = !!opts.with && v[opts.with] !== undefined && !how.filled && /\b(horario|hora)\b/.test(m.folded);
      if (!how.asked && !named && !(opts.with && m.filledNow.has(opts.with)) && !(how.filled && m.signals.correction)) return undefined;
      const found = firstFree(m, m.scan.times, (t) => `time:${t.hour}:${t.minute}`);
      if (!found || (how.filled && JSON.stringify(found.value) === JSON.stringify(v[key]))) return undefined;
      return { value: found.value, token: found.token };
    },
    validate: (value) => {
      const t = value as TimeOfDay;
      return t && t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 ? null : error;
    },
    show: (value) => (value ? formatTime(value as TimeOfDay) : 'não informado'),
    unknown: opts.optional ? () => ({ value: null }) : undefined,
  };
}

export function periodStep(key: string, label: string, question: string, opts: { with?: string } = {}): Step {
  const labels: Record<Period, string> = { manha: 'manhã', tarde: 'tarde', qualquer: 'qualquer horário' };
  return {
    key,
    label,
    kind: 'choice',
    options: (['manha', 'tarde', 'qualquer'] as Period[]).map((p) => ({ value: p, label: labels[p] })),
    mentions: /\b(periodo|turno)\b/,
    example: '*1* (manhã), *2* (tarde) ou *3* (qualquer horário)',
    ask: () => `${question}\n*1*) Manhã\n*2*) Tarde\n*3*) Qualquer horário`,
    parse: (text) => {
      const n = text.trim().replace(/[).]$/, '');
      const ordinal = parseOrdinal(text, 3);
      const p: Period | null = n === '1' || ordinal === 1 ? 'manha' : n === '2' || ordinal === 2 ? 'tarde' : n === '3' || ordinal === 3 ? 'qualquer' : parsePeriod(text);
      return p ? { ok: true, value: p } : { ok: false, error: 'Responda *1* (manhã), *2* (tarde) ou *3* (qualquer horário).' };
    },
    extract: (m, v, _env, how) => {
      // Unasked, "de manhã" belongs to the date it came with ("dia 9 de manhã").
      if (how.asked || !(opts.with && m.filledNow.has(opts.with)) || m.used.has('period')) return undefined;
      const p = parsePeriod(m.raw);
      if (!p || (how.filled && p === v[key])) return undefined;
      return { value: p, token: 'period' };
    },
    show: (value) => labels[value as Period] ?? String(value),
  };
}

// ---------------------------------------------------------------- Pix key

const PIX_CUE = /\b(pix|chave)\b/;

/** "pode ser o cpf que te passei", "o mesmo e-mail", "o número deste whatsapp": a key already known. */
function referencedKey(t: string, v: Values, env: FormEnv, documentKeys: string[], explicit = false): PixKey | { error: string } | null {
  // "o cpf que te passei", "o mesmo cnpj", "a chave do próprio CNPJ", "o documento dele".
  // (Only in the clause that speaks of the key: the message may carry the document itself elsewhere.)
  // ("pode ser o próprio cnpj da empresa como chave pix": said before the key's name, the whole message.)
  const after = t.split(/\b(?=chave|pix)\b/).slice(1).join(' ');
  // (A message that also types a key itself, "no cpf não tenho pix, coloca o email ...@...", keeps to the key's clause.)
  const clause = (after && /\b(cpf|cnpj|documento)\b/.test(after)) || explicit ? after || t : t;
  const sameDoc = /\b(cpf|cnpj|documento)\b/.test(clause) && /\b(mesm[oa]|propri[oa]|passei|mandei|informei|falei|enviei|dei|antes|informado|acima|cima|meu|minha|nosso|nossa|dele|dela|da empresa|do cliente|pode ser)\b/.test(clause) && !/\d{3}/.test(clause);
  if (sameDoc) {
    const doc = documentKeys.map((k) => v[k]).find((d) => typeof d === 'string');
    if (!doc) return null;
    const parsed = parseDocument(String(doc));
    if (!parsed) return null;
    const wanted = /\bcnpj\b/.test(t) ? 'cnpj' : /\bcpf\b/.test(t) ? 'cpf' : parsed.kind;
    if (wanted !== parsed.kind) return { error: `O documento que você me passou é um *${parsed.kind.toUpperCase()}*, não um ${wanted.toUpperCase()}. Qual chave Pix devo usar?` };
    return { kind: parsed.kind, value: parsed.value };
  }
  if (/\b(mesmo|meu|o) email\b/.test(t) && /\b(mesmo|que (te )?passei|da compra|meu email)\b/.test(t)) {
    const email = ['email', 'orderEmail'].map((k) => v[k]).find((e) => typeof e === 'string');
    return email ? { kind: 'email', value: String(email) } : null;
  }
  if (/\b(este|esse|deste|desse|o meu|meu|o mesmo|mesmo|daqui|o) (numero|celular|telefone|whatsapp|zap|contato)( daqui| deste whatsapp| desse whatsapp| do whatsapp| que (estou|to) (usando|falando)| de onde (estou|to) falando)?\b/.test(t) && /\b(este|esse|deste|desse|daqui|mesmo|whatsapp|zap|usando|falando|meu celular|meu numero|meu telefone)\b/.test(t)) {
    const phone = normalizeBrPhone(env.services.contact(env.chatId).phone ?? '');
    return phone ? { kind: 'phone', value: `+${phone}` } : { error: 'Não consegui ver o número deste WhatsApp por aqui. 🙏 Pode digitar o celular com DDD (ex.: *11 99999-0001*)?' };
  }
  return null;
}

/** A key written inside a sentence ("minha chave pix é fulano@gmail.com"). */
function keyInSentence(m: MessageFacts): { key: PixKey; token: string } | null {
  const email = m.scan.emails.find((e) => !m.used.has(`email:${e.value}`));
  if (email) return { key: { kind: 'email', value: email.value }, token: `email:${email.value}` };
  const doc = m.scan.documents.find((d) => !m.used.has(`doc:${d.value.value}`));
  if (doc) return { key: { kind: doc.value.kind, value: doc.value.value }, token: `doc:${doc.value.value}` };
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(m.raw);
  if (uuid) return { key: { kind: 'random', value: uuid[0].toLowerCase() }, token: `uuid:${uuid[0]}` };
  const phone = /(?:\+?55\s*)?\(?\d{2}\)?\s*9?\s*\d{4}[\s-]?\d{4}/.exec(m.raw);
  if (phone) {
    const e164 = normalizeBrPhone(phone[0]);
    if (e164) return { key: { kind: 'phone', value: `+${e164}` }, token: `phone:${e164}` };
  }
  return null;
}

export function pixStep(opts: { documentKeys: string[] }): Step {
  const invalidError = 'Não reconheci essa chave Pix. Envie um CPF ou CNPJ válido, um e-mail, um celular com DDD (ex.: *11 99999-0001*) ou a chave aleatória (ex.: *123e4567-e89b-42d3-a456-426614174000*).';
  const confirmEmail = (key: PixKey): Parsed | null => {
    if (key.kind !== 'email') return null;
    // Money goes to this key: a likely domain typo is confirmed first (gmial.com -> gmail.com).
    const fix = suggestEmailFix(key.value);
    return fix ? { ok: 'suggest', value: { kind: 'email', value: fix }, original: key, question: `Você quis dizer *${fix}*? Responda *sim* para usar essa chave ou *não* para manter *${key.value}*.` } : null;
  };
  return {
    key: 'pixKey',
    label: 'Chave Pix para o estorno',
    kind: 'pix',
    mentions: /\b(pix|chave)\b/,
    example: 'um CPF, CNPJ, e-mail, celular com DDD ou a chave aleatória — ou *o mesmo CPF que te passei*',
    ask: () => 'Para devolver o valor, qual *chave Pix* devemos usar? Pode ser CPF, CNPJ, e-mail, celular ou chave aleatória.',
    parse: (text, v, env): Parsed => {
      const t = fold(text);
      // ("meu sócio vai precisar de um e-cnpj, qual documento precisa?" is a question, not a key.)
      const asks = /\?/.test(text) && /\b(qual|quais|como|onde|quando|o que|porque|por que|quanto)\b/.test(t);
      const ref = asks ? null : referencedKey(t, v, env, opts.documentKeys, /@|\d{4}/.test(text));
      if (ref && 'error' in ref) return { ok: false, error: ref.error };
      if (ref) return { ok: true, value: ref };
      const key = parsePixKey(text.trim()) ?? (/\s/.test(text.trim()) ? keyInSentenceText(text, env) : null);
      if (key) return confirmEmail(key) ?? { ok: true, value: key };
      const digits = onlyDigits(text);
      if (/^[\d\s./-]+$/.test(text.trim()) && (/^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(text.trim()) || digits.length === 14)) {
        return { ok: false, error: `Esse ${digits.length === 11 ? 'CPF' : 'CNPJ'} não é válido (os dígitos verificadores não conferem). Confira e envie a chave Pix de novo.` };
      }
      return { ok: false, error: invalidError };
    },
    extract: (m, v, env, how) => {
      if (how.asked) return undefined; // asked, `parse` reads it
      if (how.filled && !m.signals.correction) return undefined;
      // Unasked, a key needs its name ("chave pix"), unless it corrects a key of the same kind ("o email na verdade é ...").
      const current = v.pixKey as PixKey | undefined;
      if (!PIX_CUE.test(m.folded)) {
        const found = how.filled && current ? keyInSentence(m) : null;
        return found && found.key.kind === current!.kind && found.key.value !== current!.value ? { value: found.key, token: found.token } : undefined;
      }
      const ref = referencedKey(m.folded, v, env, opts.documentKeys, /@|\d{4}/.test(m.raw));
      if (ref && !('error' in ref)) return { value: ref, token: 'pix:ref' };
      const found = keyInSentence(m);
      if (!found) return undefined;
      const sug = confirmEmail(found.key);
      if (sug && sug.ok === 'suggest') return { suggest: { value: sug.value, question: sug.question }, original: found.key, token: found.token };
      return { value: found.key, token: found.token };
    },
    validate: (value) => {
      const k = value as PixKey;
      return k && typeof k.value === 'string' && parsePixKey(k.kind === 'phone' ? k.value : k.value) ? null : invalidError;
    },
    // An e-mail key is shown whole (where the money goes must be checkable); documents and phones stay masked.
    show: (value) => `${(value as PixKey).kind === 'email' ? (value as PixKey).value : maskPixKey(value as PixKey)} (${PIX_KIND_LABEL[(value as PixKey).kind]})`,
    unknown: () => ({ hint: 'A chave Pix é o dado que você cadastrou no seu banco para receber Pix: pode ser o seu *CPF*, *e-mail*, *celular* ou uma chave aleatória. Se quiser usar o CPF que já me passou, responda *o mesmo CPF*.' }),
  };
}

function keyInSentenceText(text: string, env: FormEnv): PixKey | null {
  const m = { raw: text, folded: fold(text), scan: scanMessage(text, env.now), used: new Set<string>() } as unknown as MessageFacts;
  return keyInSentence(m)?.key ?? null;
}

// ---------------------------------------------------------------- phone

const PHONE_IN_TEXT = /(?:\+?55[\s.-]*)?\(?\d{2}\)?[\s.-]*9?[\s.-]*\d{4}[\s.-]?\d{4}/g;
const THIS_WHATSAPP = /\b(este|esse|deste|desse|daqui|o mesmo|mesmo|o meu|meu) (numero|celular|telefone|whatsapp|zap)\b/;

/** A Brazilian phone (mobile or landline, with DDD), or "o número deste WhatsApp". Stored as E.164 digits. */
export function phoneStep(key: string, label: string, question: string, opts: { cue?: RegExp; mentions?: RegExp } = {}): Step {
  const error = 'Não reconheci esse telefone. Envie com o DDD, por exemplo *11 99999-0001*.';
  const found = (text: string): string | null => {
    for (const m of text.matchAll(PHONE_IN_TEXT)) {
      const e164 = normalizeBrPhone(m[0]);
      if (e164) return e164;
    }
    return null;
  };
  return {
    key,
    label,
    kind: 'text',
    mentions: opts.mentions ?? /\b(telefone|celular|numero|whatsapp)\b/,
    example: '*11 99999-0001* (com o DDD)',
    ask: () => question,
    parse: (text, _v, env) => {
      const phone = found(text) ?? (THIS_WHATSAPP.test(fold(text)) ? normalizeBrPhone(env.services.contact(env.chatId).phone ?? '') : null);
      return phone ? { ok: true, value: phone } : { ok: false, error };
    },
    extract: (m, v, _env, how) => {
      if (how.asked) return undefined; // asked, `parse` reads the whole message
      if (!opts.cue?.test(m.folded) || (how.filled && !m.signals.correction)) return undefined;
      const phone = found(m.raw);
      return phone && phone !== v[key] ? { value: phone, token: `phone:${phone}` } : undefined;
    },
    validate: (value) => (typeof value === 'string' && normalizeBrPhone(value) ? null : error),
    show: (value) => maskPhone(String(value)),
  };
}

// ---------------------------------------------------------------- free text

export function textStep(key: string, label: string, question: string, opts: { min: number; max: number; error: string }): Step {
  return {
    key,
    label,
    kind: 'text',
    free: true,
    example: 'uma frase curta, por exemplo *fui cobrado duas vezes*',
    ask: () => question,
    parse: (text) => {
      const t = text.trim().replace(/\s+/g, ' ');
      return t.length >= opts.min && t.length <= opts.max && /\p{L}/u.test(t) ? { ok: true, value: t } : { ok: false, error: opts.error };
    },
    // The summary masks what the person wrote along (a CPF, an e-mail, a phone) like every other field.
    show: (value) => maskPersonalData(String(value)),
  };
}

/**
 * Free text with its CPFs/CNPJs and e-mails masked as the summary shows fields (the scan knows
 * the alphanumeric CNPJ), then whatever else looks personal (phones, document-like digits) by the
 * logs' own scrubber.
 */
export function maskPersonalData(text: string): string {
  const scan = scanMessage(text, new Date());
  const spans = [
    ...scan.documents.map((d) => ({ index: d.index, length: d.length, masked: maskDocument(d.value.value) })),
    ...scan.emails.map((e) => ({ index: e.index, length: e.length, masked: maskEmail(e.value) })),
  ].sort((a, b) => b.index - a.index);
  let out = text;
  for (const sp of spans) out = out.slice(0, sp.index) + sp.masked + out.slice(sp.index + sp.length);
  return maskPii(out);
}

// Words that are never part of a person's name in these chats.
const NOT_NAME = new Set(
  ('quero queria preciso gostaria pode poderia antecipar antecipacao video videoconferencia chamada cliente cliente dele dela nome completo cpf cnpj data dia hora horario ' +
    'marcada marcado agendada agendado para pra pro por favor obrigado obrigada oi ola bom boa tarde noite manha amanha hoje ontem sim nao ok certo tudo bem ' +
    'estorno boleto pedido email e-mail pix chave suporte financeiro atendente pessoa humano nao sei lembro sobrenome senhor senhora dona seu minha meu ele ela ' +
    'segunda terca quarta quinta sexta sabado domingo janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro as ate depois antes ' +
    'mais menos urgente rapido possivel qualquer que quando como onde qual quem porque isso esse essa este esta aqui ali la ja ainda tambem so com sem ' +
    'sou estou tenho temos parceiro parceira programa indique solicitar solicito empresa contador contadora despachante cartorio gostariamos ' +
    'ops opa errei erro pera desculpa desculpe corrigindo digo eae eai mano ta tava estava errado errada certa correto correta trocado trocada faltou falta').split(' '),
);
const NAME_CONNECTORS = new Set(['da', 'de', 'do', 'das', 'dos', 'e']);

/** "Maria da Silva Souza": at least a name and a surname, letters only, no chat words. */
export function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 8) return false;
  const folded = words.map((w) => fold(w));
  if (folded.some((w) => !/^[a-z]+$/.test(w.replace(/'/g, '')) || NOT_NAME.has(w))) return false;
  return folded.filter((w) => !NAME_CONNECTORS.has(w) && w.length >= 2).length >= 2 && !NAME_CONNECTORS.has(folded[0]);
}

const NAME_CUE = /(?:^|\b)(?:o\s+)?(?:nome(?:\s+(?:completo|certo|correto|verdadeiro))?(?:\s+d[oae]l?[ae]?\s+cliente|\s+dele|\s+dela|\s+do\s+cliente|\s+da\s+cliente)?|client[ea](?:\s+(?:meu|minha|nosso|nossa))?|chama-se|se\s+chama|ela\s+se\s+chama|ele\s+se\s+chama)\s*(?:é|e|:|-)?\s*/i;

const CAPITALISED = "[A-ZÀ-Ý][a-zà-ÿ']+";
const TITLED_NAME = new RegExp(`\\bclient[ea]\\s+(?:(?:o|a)\\s+)?(?:(?:[Ss]rt?a?|[Dd]ra?)\\.?\\s+|(?:[Ss]eu|[Dd]ona|[Ss]enhora?)\\s+)?(${CAPITALISED}(?:\\s+(?:(?:d[aeo]s?|e)\\s+)?${CAPITALISED})+)`);

export function nameStep(key: string, label: string, question: string): Step {
  const error = 'Envie o *nome completo* (nome e sobrenome), por exemplo *Maria da Silva*.';
  const clean = (s: string) => s.trim().replace(/^(o|a)\s+nome\s+(completo\s+)?(é|e)\s+/i, '').replace(/^(é|e|nome:?)\s+/i, '').replace(/^(é\s+)?(o|a)\s+(?=\p{Lu})/u, '').replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  return {
    key,
    label,
    kind: 'name',
    free: true,
    mentions: /\b(nome)\b/,
    example: '*Maria da Silva Souza*',
    ask: () => question,
    parse: (text) => {
      const t = clean(text);
      return looksLikeName(t) && t.length <= 120 ? { ok: true, value: t } : { ok: false, error };
    },
    extract: (m, v, _env, how) => {
      // Once known, only a correction or "o nome completo é ..." replaces it.
      const explicitOnly = how.filled && !m.signals.correction;
      // "meu cliente o Sr. Antônio Carlos Pereira marcou...": the capitalised words after the cue.
      const titled = explicitOnly ? null : TITLED_NAME.exec(m.raw);
      if (titled && looksLikeName(titled[1]) && titled[1] !== v[key]) return { value: titled[1], token: `name:${titled[1]}` };
      // A clause of the message that is a name: "Maria da Silva, cpf ..., marcada dia 15".
      const parts = m.raw.split(/[,;\n]|\.\s+|\s+-\s+|\s+(?=cpf\b)/i);
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        const cued = NAME_CUE.exec(part);
        if (explicitOnly && !(cued && /nome/i.test(cued[0]))) continue;
        const candidate = clean(cued ? part.slice(cued.index + cued[0].length) : part).replace(/\s+(cpf|cnpj)\b.*$/i, '');
        // Lower case too when the person's CPF follows at once ("jefferson luiz matos, cpf 827...").
        const cpfNext = /^\s*(o |a |com |e )?(cpf|cnpj)\b/i.test(parts.slice(i + 1).find((p) => p.trim()) ?? '') || /\s(cpf|cnpj)\b/i.test(part);
        if (!candidate || (!cued && !how.asked && !/^\p{Lu}/u.test(candidate) && !(cpfNext && !m.signals.correction))) continue;
        if (looksLikeName(candidate) && candidate !== v[key]) return { value: candidate, token: `name:${candidate}` };
      }
      return undefined;
    },
    validate: (value) => (typeof value === 'string' && looksLikeName(value) ? null : error),
  };
}

// ---------------------------------------------------------------- display helpers

export function formatTime(t: TimeOfDay): string {
  return t.minute ? `${t.hour}h${String(t.minute).padStart(2, '0')}` : `${t.hour}h`;
}

export { formatDocument };

export function isPast(d: LocalDate, now: Date): boolean {
  return compareLocalDate(d, localDateOf(now)) < 0;
}
