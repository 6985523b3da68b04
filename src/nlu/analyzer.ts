import stemmerPt from 'natural/lib/natural/stemmers/porter_stemmer_pt.js';
import { words as stopwordsPt } from 'natural/lib/natural/util/stopwords_pt.js';
import { ABBREVIATIONS, fold } from './spelling.js';

// Question words and negation decide between entries ("quando recebo" vs "quanto ganho",
// "sem CNH", "não chegou"), so they stay even though natural lists them as stop words.
const KEEP = new Set(['quando', 'quem', 'sem', 'nao', 'depois', 'antes', 'quanto', 'onde', 'porque']);
const STOPWORDS = new Set(
  [...stopwordsPt.map((w) => fold(w)), 'ola', 'oi', 'boa', 'bom', 'dia', 'tarde', 'noite', 'gostaria', 'queria', 'saber', 'favor', 'por', 'ai', 'ah', 'ne', 'entao', 'ok', 'tipo', 'gente', 'moco', 'moca', 'senhor', 'senhora', 'so', 'pode', 'podem', 'poderia', 'consegue', 'alguem', 'la', 'aqui', 'ja', 'esta', 'estou', 'e', 'o', 'a', 'ter', 'tem', 'ta', 'ser', 'sera', 'foi', 'fazer', 'faco', 'faz', 'tudo', 'coisa', 'duvida', 'pergunta', 'ajuda', 'ajudar', 'preciso', 'sobre']
    .filter((w) => !KEEP.has(w)),
);

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/g;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const LABELLED_DOCUMENT = /\b(cpf|cnpj)\s*(n[ºo°.]?\s*|:\s*|e\s+)?\d[\d.\-/]{9,}/gi;

/**
 * Addresses and labelled document numbers are data, not meaning: the extractors read them,
 * the topic is in the other words ("nao chegou o email joao@gmial.com, cpf 529..." is about an
 * e-mail that did not arrive).
 */
export function stripData(text: string): string {
  const raw = text.length > 2000 ? text.slice(0, 2000) : text;
  return raw
    .replace(EMAIL, /e-?mail/i.test(raw) ? ' ' : ' email ')
    .replace(URL, ' link ')
    .replace(LABELLED_DOCUMENT, ' ');
}

export interface Analysis {
  /** Folded words after spelling and synonyms (stop words kept): for display and rules. */
  words: string[];
  /** Stems of the content words: the matcher's features. */
  stems: string[];
}

/**
 * Text -> features: fold, expand WhatsApp spelling, fix typos against the training vocabulary,
 * rewrite domain synonyms to one canonical word, drop stop words, stem (natural's Porter PT).
 */
export class Analyzer {
  private readonly vocabulary = new Map<string, number>(); // word -> frequency in training text
  /** Vocabulary by first letter and length: typos rarely touch the first letter. */
  private readonly buckets = new Map<string, string[]>();
  private readonly corrections = new Map<string, string>();
  private readonly phrases: Array<{ words: string[]; to: string[] }> = [];
  /** Phrases by their first word, longest first: one lookup per word instead of a scan. */
  private readonly phrasesByFirst = new Map<string, Array<{ words: string[]; to: string[] }>>();
  private readonly stemCache = new Map<string, string>();

  constructor(synonyms: Record<string, string[]> = {}) {
    for (const [canonical, variants] of Object.entries(synonyms)) {
      for (const v of variants) {
        const words = this.spell(fold(v).split(' ').filter(Boolean));
        if (words.length) this.phrases.push({ words, to: [canonical] });
      }
    }
    // Longest phrases first so "dinheiro de volta" wins over "dinheiro".
    this.phrases.sort((a, b) => b.words.length - a.words.length);
    for (const p of this.phrases) {
      const list = this.phrasesByFirst.get(p.words[0]) ?? [];
      list.push(p);
      this.phrasesByFirst.set(p.words[0], list);
    }
  }

  /** Adds training text to the vocabulary that typos are corrected against. */
  learn(text: string): void {
    for (const w of this.spell(fold(text).split(' ').filter(Boolean))) {
      this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    }
  }

  /** Call once all training text is learned. */
  freeze(): void {
    for (const p of this.phrases) for (const w of p.words) this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    this.buckets.clear();
    for (const w of this.vocabulary.keys()) {
      const key = `${w[0]}${w.length}`;
      if (!this.buckets.has(key)) this.buckets.set(key, []);
      this.buckets.get(key)!.push(w);
    }
    this.corrections.clear();
  }

  private spell(tokens: string[]): string[] {
    const out: string[] = [];
    for (const t of tokens) {
      const expanded = ABBREVIATIONS[t];
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
    if (this.phrases.length === 0) return words;
    const out: string[] = [];
    outer: for (let i = 0; i < words.length; ) {
      for (const p of this.phrasesByFirst.get(words[i]) ?? []) {
        if (i + p.words.length > words.length) continue;
        let ok = true;
        for (let k = 1; k < p.words.length; k++) if (words[i + k] !== p.words[k]) { ok = false; break; }
        if (ok) {
          out.push(...p.to);
          i += p.words.length;
          continue outer;
        }
      }
      out.push(words[i]);
      i++;
    }
    return out;
  }

  stem(word: string): string {
    let s = this.stemCache.get(word);
    if (s === undefined) {
      s = stemmerPt.stem(word);
      if (this.stemCache.size > 100_000) this.stemCache.clear();
      this.stemCache.set(word, s);
    }
    return s;
  }

  analyze(text: string): Analysis {
    return this.analyzeFolded(fold(stripData(text)).split(' ').filter(Boolean));
  }

  /** The same, for words already folded (the matcher folds once for smalltalk and matching). */
  analyzeFolded(raw: string[]): Analysis {
    // Digit runs are order numbers, CPFs, dates: data, not meaning. "a3", "a1" stay.
    // A year keeps its meaning ("cnh de 2014 serve?" is about the CNH's date): it becomes "ano".
    const tokens = this.spell(raw)
      .map((t) => (/^(19|20)\d\d$/.test(t) ? 'ano' : t))
      .filter((t) => !/^\d+$/.test(t));
    const words = this.rewritePhrases(tokens.map((t) => this.correct(t)));
    const stems: string[] = [];
    for (const w of words) if (!STOPWORDS.has(w)) stems.push(this.stem(w));
    return { words, stems };
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
