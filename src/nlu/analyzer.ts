import stemmerPt from 'natural/lib/natural/stemmers/porter_stemmer_pt.js';
import { words as stopwordsPt } from 'natural/lib/natural/util/stopwords_pt.js';
import { findFrames } from './frames.js';
import { ABBREVIATIONS, fold } from './spelling.js';

// Question words and negation decide between entries ("quando recebo" vs "quanto ganho",
// "sem CNH", "não chegou"), so they stay even though natural lists them as stop words.
const KEEP = new Set(['quando', 'quem', 'sem', 'nao', 'depois', 'antes', 'quanto', 'onde', 'porque']);
const STOPWORDS = new Set(
  [...stopwordsPt.map((w) => fold(w)), 'ola', 'oi', 'boa', 'bom', 'dia', 'tarde', 'noite', 'gostaria', 'queria', 'saber', 'favor', 'por', 'ai', 'ah', 'ne', 'entao', 'ok', 'tipo', 'gente', 'moco', 'moca', 'senhor', 'senhora', 'so', 'pode', 'podem', 'poderia', 'consegue', 'alguem', 'la', 'aqui', 'ja', 'esta', 'estou', 'e', 'o', 'a', 'ter', 'tem', 'ta', 'ser', 'sera', 'foi', 'fazer', 'faco', 'faz', 'tudo', 'coisa', 'duvida', 'pergunta', 'ajuda', 'ajudar', 'preciso', 'sobre', 'prezados', 'prezado', 'prezada', 'caro', 'cara', 'gentileza', 'grato', 'grata', 'att', 'atenciosamente', 'cordialmente', 'desde', 'eh', 'sao', 'esse', 'essa', 'isso', 'posso', 'consigo', 'devo', 'seria', 'existe', 'ha', 'algum', 'alguma', 'qualquer', 'vou', 'vai', 'ainda', 'sim', 'mim', 'comigo', 'afinal', 'adequadamente', 'realmente', 'basicamente']
    .filter((w) => !KEEP.has(w)),
);

const FUNCTION_WORDS = new Set(stopwordsPt.map((w) => fold(w)));
/** Articles, pronouns, prepositions...: natural's Portuguese stop words. */
export const isFunctionWord = (w: string): boolean => FUNCTION_WORDS.has(w);

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/g;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const LABELLED_DOCUMENT = /\b(cpf|cnpj)\s*(n[ºo°.]?\s*|:\s*|e\s+)?\d[\d.\-/]{9,}/gi;

/**
 * Addresses and labelled document numbers are data, not meaning: the extractors read them,
 * the topic is in the other words ("nao chegou o email joao@gmial.com, cpf 529..." is about an
 * e-mail that did not arrive).
 */
export function stripData(text: string): string {
  let raw = text.length > 2000 ? text.slice(0, 2000) : text;
  // Cheap tests first: most messages have no address, no link and no number.
  if (raw.includes('@')) raw = raw.replace(EMAIL, /e-?mail/i.test(raw) ? ' ' : ' email ');
  if (/http|www\./i.test(raw)) raw = raw.replace(URL, ' link ');
  if (/\d/.test(raw)) raw = raw.replace(LABELLED_DOCUMENT, ' ');
  return raw;
}

export interface Analysis {
  /** Folded words after spelling and synonyms (stop words kept): for display and rules. */
  words: string[];
  /** Stems of the content words (question words and negation kept). */
  stems: string[];
  /** The matcher's features: content stems, neighbouring pairs, question frames. */
  features: Map<string, number>;
}

/** A phrase rewritten to a canonical word; contextual ones only when the message fits. */
export interface PhraseRule {
  phrase: string;
  to: string;
  /** Rewrite only when one of these words (compared by stem) is in the message. */
  when?: string[];
  /** Never rewrite when one of these words (compared by stem) is in the message. */
  unless?: string[];
}

interface CompiledRule {
  words: string[];
  to: string;
  when: string[] | null;
  unless: string[] | null;
}

// Noun suffixes (after folding and stemming) that link a noun to its verb: "revogação" ->
// "revogaca" -> "revog" (revogar), "emissão" -> "emissa" -> "emit" (emitir), "desistência" ->
// "desist", "pagamento" -> "pag", "assinatura" -> "assin". Applied only when the verb's stem is
// in the training vocabulary, so "comissão" never becomes "comit".
const NOUN_SUFFIXES: Array<[string, string]> = [
  ['aco', ''], ['aca', ''], ['icao', ''], ['issa', 'it'], ['isso', 'it'], ['encia', ''], ['enc', ''], ['ament', ''], ['iment', ''], ['atur', ''], ['ment', ''],
];

// Words the Portuguese stemmer conflates with another meaning: "pedido" (an order) is not
// "pedir" (to ask for).
// "pedi", "solicitei", "abri" (I asked, I opened: a request already made, its status) are not
// "pedir", "solicitar", "abrir".
const STEM_EXCEPTIONS: ReadonlyMap<string, string> = new Map(Object.entries({ pedido: 'pedid', pedidos: 'pedid', pedi: 'pedi', pedimos: 'pedi', solicitei: 'solicitei', solicitamos: 'solicitei', solicitacao: 'solicitaca', solicitacoes: 'solicitaca', abri: 'abri', abrimos: 'abri' }));

const SENTENCE_SPLIT = /([.!?;\n]+)/;
/** A sentence mark the segmenter leaves between sentences ('|', '|?' after a question). */
export const isMark = (w: string) => w === '|' || w === '|?';
/**
 * A last question that starts with "e" / "mas" ("Qual a documentação para pessoa física? E pra
 * empresa?") asks the same thing of something else: the sentences before it are context and
 * weigh this much. (Other messages of several sentences weigh every sentence alike: their
 * context tells the topic as often as their question.)
 */
const CONTEXT_WEIGHT = 0.5;
const FOLLOW_UP_START = new Set(['e', 'mas']);
const PAST_PLURAL = /(aram|eram|iram)$/;

/**
 * Text -> features: fold, expand WhatsApp spelling, fix typos against the training vocabulary,
 * rewrite domain synonyms (some only in context), keep question words as frames, drop stop
 * words, stem (natural's Porter PT) and link -ção nouns to their verbs.
 */
export class Analyzer {
  private readonly vocabulary = new Map<string, number>(); // word -> frequency in training text
  /** Vocabulary by first letter and length: typos rarely touch the first letter. */
  private readonly buckets = new Map<string, string[]>();
  private readonly corrections = new Map<string, string>();
  private readonly rules: CompiledRule[] = [];
  /** Phrases by their first word, longest first: one lookup per word instead of a scan. */
  private readonly rulesByFirst = new Map<string, CompiledRule[]>();
  private readonly stemCache = new Map<string, string>();
  private readonly rawStemCache = new Map<string, string>();
  /** Stems of every training word: the verbs a -ção noun may be linked to. */
  private readonly knownStems = new Set<string>();
  private frozen = false;

  constructor(synonyms: Record<string, string[]> = {}, contextual: PhraseRule[] = []) {
    const add = (phrase: string, to: string, when?: string[], unless?: string[]) => {
      const raw = fold(phrase).split(' ').filter(Boolean);
      const words = this.spell(raw);
      // An abbreviation the spelling table expands ("pf" -> "por favor") never reaches the rules
      // as written; its expansion would turn every "por favor" into the synonym.
      if (!words.length || words.length !== raw.length) return;
      const stems = (list?: string[]) => (list?.length ? list.map((w) => this.rawStem(fold(w))) : null);
      this.rules.push({ words, to, when: stems(when), unless: stems(unless) });
    };
    for (const [canonical, variants] of Object.entries(synonyms)) for (const v of variants) add(v, canonical);
    for (const r of contextual) add(r.phrase, r.to, r.when, r.unless);
    // Longest phrases first so "dinheiro de volta" wins over "dinheiro".
    this.rules.sort((a, b) => b.words.length - a.words.length);
    for (const p of this.rules) {
      const list = this.rulesByFirst.get(p.words[0]) ?? [];
      list.push(p);
      this.rulesByFirst.set(p.words[0], list);
    }
  }

  /** Adds training text to the vocabulary that typos are corrected against. */
  learn(text: string): void {
    this.learnFolded(this.segment(text));
  }

  /** The same, for a text already through `segment`. */
  learnFolded(words: string[]): void {
    for (const w of this.spell(words)) {
      if (!isMark(w)) this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    }
  }

  /**
   * Folded words with `|` after each sentence (`|?` after a question): what `analyzeFolded`
   * reads. `strip: false` when the caller already took the data out (stripData).
   */
  segment(text: string, strip = true): string[] {
    const words: string[] = [];
    const parts = (strip ? stripData(text) : text).split(SENTENCE_SPLIT);
    for (let i = 0; i < parts.length; i += 2) {
      const folded = fold(parts[i]);
      if (!folded) continue;
      for (const w of folded.split(' ')) words.push(w);
      words.push(parts[i + 1]?.includes('?') ? '|?' : '|');
    }
    return words;
  }

  /** Whether a folded word occurs in the training text. */
  knows(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /** Call once all training text is learned. */
  freeze(): void {
    for (const p of this.rules) for (const w of p.words) this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    this.buckets.clear();
    this.knownStems.clear();
    for (const w of this.vocabulary.keys()) {
      const key = `${w[0]}${w.length}`;
      if (!this.buckets.has(key)) this.buckets.set(key, []);
      this.buckets.get(key)!.push(w);
      if (!STOPWORDS.has(w) && !/\d/.test(w)) this.knownStems.add(this.rawStem(w));
    }
    for (const p of this.rules) this.knownStems.add(this.rawStem(p.to));
    this.corrections.clear();
    this.stemCache.clear();
    this.frozen = true;
  }

  private spell(tokens: string[]): string[] {
    const out: string[] = [];
    for (const t of tokens) {
      const expanded = ABBREVIATIONS.get(t);
      if (expanded) out.push(...expanded.split(' '));
      else out.push(t);
    }
    return out;
  }

  private correct(word: string): string {
    if (word.length < 4 || this.vocabulary.has(word) || STOPWORDS.has(word) || /\d/.test(word)) return word;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    const maxDistance = word.length >= 7 ? 2 : 1;
    let best = word;
    let bestScore = Infinity;
    for (let len = word.length - maxDistance; len <= word.length + maxDistance; len++) {
      for (const candidate of this.buckets.get(`${word[0]}${len}`) ?? []) {
        const d = boundedDistance(word, candidate, maxDistance);
        if (d > maxDistance) continue;
        // Prefer the closest, then the most frequent word.
        const score = d * 1000 - Math.min(this.vocabulary.get(candidate) ?? 0, 999);
        if (score < bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
    }
    if (this.corrections.size > 50_000) this.corrections.clear();
    this.corrections.set(word, best);
    return best;
  }

  private rewritePhrases(words: string[]): string[] {
    if (this.rules.length === 0) return words;
    let context: Set<string> | null = null;
    const contextOf = () => (context ??= new Set(words.map((w) => this.rawStem(w))));
    const out: string[] = [];
    outer: for (let i = 0; i < words.length; ) {
      for (const p of this.rulesByFirst.get(words[i]) ?? []) {
        if (i + p.words.length > words.length) continue;
        let ok = true;
        for (let k = 1; k < p.words.length; k++) if (words[i + k] !== p.words[k]) { ok = false; break; }
        if (!ok) continue;
        if (p.when && !p.when.some((s) => contextOf().has(s))) continue;
        if (p.unless && p.unless.some((s) => contextOf().has(s))) continue;
        out.push(p.to);
        i += p.words.length;
        continue outer;
      }
      out.push(words[i]);
      i++;
    }
    return out;
  }

  private rawStem(word: string): string {
    let s = this.rawStemCache.get(word);
    if (s === undefined) {
      s = STEM_EXCEPTIONS.get(word) ?? stemmerPt.stem(word);
      if (this.rawStemCache.size > 100_000) this.rawStemCache.clear();
      this.rawStemCache.set(word, s);
    }
    return s;
  }

  /** Porter stem, with -ção/-ência/-mento nouns linked to their verb when the verb is known. */
  stem(word: string): string {
    const cached = this.stemCache.get(word);
    if (cached !== undefined) return cached;
    let s: string = this.rawStem(word);
    {
      if (this.frozen && !STEM_EXCEPTIONS.has(word) && !this.knownStemIsVerb(s)) {
        for (const [suffix, to] of NOUN_SUFFIXES) {
          if (s.length > suffix.length + 2 && s.endsWith(suffix)) {
            const root: string = s.slice(0, -suffix.length) + to;
            if (root.length >= 3 && this.knownStems.has(root) && root !== s) {
              s = root;
              break;
            }
          }
        }
      }
      if (this.stemCache.size > 100_000) this.stemCache.clear();
      this.stemCache.set(word, s);
    }
    return s;
  }

  /** A stem that already is a verb root the training text uses needs no linking. */
  private knownStemIsVerb(s: string): boolean {
    return !/(aca|aco|icao|issa|isso|encia|enc|ment|atur)$/.test(s);
  }

  analyze(text: string): Analysis {
    return this.analyzeWords(this.segment(text));
  }

  /** The same, for words already folded (the matcher folds once for smalltalk and matching). */
  analyzeFolded(raw: string[]): Analysis {
    return this.analyzeWords(raw);
  }

  /** `|` (or `|?` after a question) in `raw` marks a sentence end: pairs and frames never cross it. */
  private analyzeWords(raw: string[]): Analysis {
    // Digit runs are order numbers, CPFs, dates: data, not meaning. "a3", "a1" stay.
    // A year keeps its meaning ("cnh de 2014 serve?" is about the CNH's date): it becomes "ano".
    const tokens: string[] = [];
    for (const t of this.spell(raw)) {
      if (/^(19|20)\d\d$/.test(t)) tokens.push('ano');
      else if (!/^\d+$/.test(t)) tokens.push(isMark(t) ? t : this.correct(t));
    }
    const words = this.rewritePhrases(tokens);
    // Sentence of each word, and the one in focus: a last sentence that is a follow-up question
    // ("e pra empresa?") of a message with more than one (-1: every sentence weighs the same).
    const sentence = new Int32Array(words.length);
    let focus = -1;
    let sentences = 0;
    let open = false;
    let first = '';
    for (let i = 0; i < words.length; i++) {
      sentence[i] = sentences;
      if (isMark(words[i])) {
        if (open) focus = words[i] === '|?' && FOLLOW_UP_START.has(first) ? sentences : -1;
        if (open) sentences++;
        open = false;
      } else {
        if (!open) first = words[i];
        open = true;
      }
    }
    if (open) sentences++;
    if (sentences < 2) focus = -1;
    const weightAt = (i: number) => (focus < 0 || sentence[i] === focus ? 1 : CONTEXT_WEIGHT);
    const features = new Map<string, number>();
    const add = (f: string, w: number) => features.set(f, (features.get(f) ?? 0) + w);
    const stems: string[] = [];
    // Content stems per position (null for stop words and sentence marks), for pairs and frames.
    const at: Array<string | null> = new Array(words.length).fill(null);
    let prev: string | null = null;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (isMark(w)) {
        prev = null;
        continue;
      }
      if (STOPWORDS.has(w)) continue;
      const s = this.stem(w);
      at[i] = s;
      stems.push(s);
      const weight = weightAt(i);
      add(s, weight);
      // "já reenviaram?", "mandaram?": they did it already, a question about something asked
      // before (its status), not a request; the stem alone would read as "reenviar".
      if (w.length > 5 && PAST_PLURAL.test(w)) add('~feito', weight);
      // Pairs keep a little word order: "nao cheg" vs "cheg" alone.
      if (prev !== null) add(`${prev}_${s}`, 0.5 * weight);
      prev = s;
    }
    for (const hit of findFrames(words)) {
      const weight = weightAt(hit.end - 1);
      add(`?${hit.frame}`, weight);
      for (let j = hit.end; j < Math.min(words.length, hit.end + 4); j++) {
        if (isMark(words[j])) break;
        const s = at[j];
        if (s && !KEEP.has(words[j])) {
          add(`?${hit.frame}>${s}`, 0.5 * weight);
          break;
        }
      }
    }
    return { words: words.filter((w) => !isMark(w)), stems, features };
  }
}

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours), giving
 * up as soon as it must exceed `max`: typo correction runs on every unknown word.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}
