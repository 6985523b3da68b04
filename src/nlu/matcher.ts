import { Analyzer, stripData } from './analyzer.js';
import { requestLabel, requestOfLabel, type KnowledgeBase } from '../faq/knowledge.js';
import { fold } from './spelling.js';
import { SoftmaxRegression } from './softmax.js';

/** Label of messages that the FAQ does not cover. */
export const OUT_OF_SCOPE = 'fora-do-escopo';
const SMALLTALK = ['saudacao', 'agradecimento', 'despedida'] as const;
export type Smalltalk = (typeof SMALLTALK)[number];

export interface Candidate {
  id: string;
  /** Blend of the nearest-neighbour score and the regression's probability (0..1). */
  score: number;
  /** The nearest-neighbour part alone: how much the text looks like this entry's examples. */
  similarity: number;
}

export type Classification =
  | { kind: 'answer'; id: string; confidence: number; candidates: Candidate[]; greeting: boolean }
  | { kind: 'clarify'; options: string[]; confidence: number; candidates: Candidate[]; greeting: boolean }
  | { kind: 'smalltalk'; id: Smalltalk; confidence: 1; candidates: Candidate[]; greeting: boolean }
  | { kind: 'none'; reason: 'empty' | 'out-of-scope' | 'low-confidence'; confidence: number; candidates: Candidate[]; greeting: boolean };

export interface MatcherOptions {
  /** Answer at once at or above this score (0..1) when the runner-up is far enough. */
  minConfidence: number;
  /** Minimum distance to the runner-up to answer without asking. */
  minMargin: number;
  /** Below this score nothing fits: say so and show the menu. */
  clarifyFloor: number;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = { minConfidence: 0.5, minMargin: 0.08, clarifyFloor: 0.3 };

type SparseVector = Map<string, number>;

interface Doc {
  label: string;
  text: string;
  vector: SparseVector;
}

function features(stems: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (let i = 0; i < stems.length; i++) {
    tf.set(stems[i], (tf.get(stems[i]) ?? 0) + 1);
    // Bigrams keep a little word order: "nao cheg" vs "cheg" alone.
    if (i + 1 < stems.length) {
      const bg = `${stems[i]}_${stems[i + 1]}`;
      tf.set(bg, (tf.get(bg) ?? 0) + 0.5);
    }
  }
  return tf;
}

function normalize(v: SparseVector): SparseVector {
  let norm = 0;
  for (const w of v.values()) norm += w * w;
  norm = Math.sqrt(norm) || 1;
  for (const [k, w] of v) v.set(k, w / norm);
  return v;
}

/**
 * TF-IDF nearest-neighbour matcher over stemmed features, trained at start-up on the FAQ's
 * questions and examples. The score of a label blends its closest example, its three closest
 * and its centroid, so one lucky example cannot carry a wrong answer alone. Out-of-scope
 * examples compete as a label of their own, and words never seen in training weigh on the
 * query's norm, which pulls the score of unrelated messages down.
 */
export class Matcher {
  readonly analyzer: Analyzer;
  private readonly docs: Doc[] = [];
  private readonly index = new Map<string, Array<{ doc: number; weight: number }>>();
  private readonly idf = new Map<string, number>();
  private maxIdf = 1;
  private readonly centroids = new Map<string, SparseVector>();
  private readonly labels: string[] = [];
  private readonly smalltalkWords = new Map<Smalltalk, Set<string>>();
  private readonly smalltalkPhrases = new Map<string, Smalltalk>();
  private readonly anySmalltalk = new Set<string>();
  private regression!: SoftmaxRegression;
  private docLabel!: Int32Array;
  /** feature -> (label index, centroid weight), so centroid similarity is one pass over the query. */
  private readonly centroidIndex = new Map<string, Array<{ label: number; weight: number }>>();
  /** Per-query similarity scratch space (zeroed again after use): no 1,500-float allocation per message. */
  private simBuffer!: Float64Array;
  /** Every labelled text the matcher learns from (FAQ questions, examples, intents), in order. */
  training: Array<{ label: string; text: string }> = [];

  constructor(
    readonly kb: KnowledgeBase,
    private readonly options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
    /** Cross-validation support: train only on the examples this keeps (by index in `training`). */
    keep?: (index: number) => boolean,
  ) {
    this.analyzer = new Analyzer(kb.synonyms);
    const training: Array<{ label: string; text: string }> = [];
    for (const entry of kb.entries.values()) {
      for (const text of [entry.question, ...entry.examples]) training.push({ label: entry.id, text });
    }
    for (const request of kb.requests) {
      for (const text of request.examples) training.push({ label: requestLabel(request.id), text });
    }
    for (const intent of kb.intents) {
      if ((SMALLTALK as readonly string[]).includes(intent.id)) {
        const words = new Set<string>();
        for (const ex of intent.examples) {
          this.smalltalkPhrases.set(fold(ex), intent.id as Smalltalk);
          for (const w of fold(ex).split(' ')) {
            if (!w || /\d/.test(w)) continue;
            words.add(w);
            this.anySmalltalk.add(w);
          }
        }
        this.smalltalkWords.set(intent.id as Smalltalk, words);
        continue;
      }
      for (const text of intent.examples) training.push({ label: intent.id, text });
    }
    for (const t of training) this.analyzer.learn(t.text);
    this.analyzer.freeze();

    this.training = training;
    const tfs = training.filter((_, i) => !keep || keep(i)).map((t) => ({ label: t.label, text: t.text, tf: features(this.analyzer.analyze(t.text).stems) }));
    const df = new Map<string, number>();
    for (const { tf } of tfs) for (const f of tf.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    const n = tfs.length;
    for (const [f, d] of df) this.idf.set(f, Math.log((n + 1) / (d + 1)) + 1);
    this.maxIdf = Math.log(n + 1) + 1;

    const sums = new Map<string, SparseVector>();
    for (const { label, text, tf } of tfs) {
      if (tf.size === 0) continue;
      const v = this.weigh(tf, false);
      const docIndex = this.docs.push({ label, text, vector: v }) - 1;
      for (const [f, w] of v) {
        if (!this.index.has(f)) this.index.set(f, []);
        this.index.get(f)!.push({ doc: docIndex, weight: w });
      }
      if (!sums.has(label)) {
        sums.set(label, new Map());
        this.labels.push(label);
      }
      const sum = sums.get(label)!;
      for (const [f, w] of v) sum.set(f, (sum.get(f) ?? 0) + w);
    }
    for (const [label, sum] of sums) this.centroids.set(label, normalize(sum));
    this.regression = new SoftmaxRegression(this.labels);
    this.docLabel = Int32Array.from(this.docs, (d) => this.labels.indexOf(d.label));
    this.simBuffer = new Float64Array(this.docs.length);
    this.labels.forEach((label, l) => {
      for (const [f, weight] of this.centroids.get(label)!) {
        if (!this.centroidIndex.has(f)) this.centroidIndex.set(f, []);
        this.centroidIndex.get(f)!.push({ label: l, weight });
      }
    });
    const classOf = new Map(this.labels.map((l, i) => [l, i]));
    this.regression.train(this.docs.map((d) => ({ x: d.vector, y: classOf.get(d.label)! })));
  }

  private weigh(tf: Map<string, number>, query: boolean): SparseVector {
    const v: SparseVector = new Map();
    for (const [f, count] of tf) {
      const idf = this.idf.get(f) ?? (query ? this.maxIdf : 0);
      if (idf > 0) v.set(f, (1 + Math.log(count)) * idf);
    }
    return normalize(v);
  }

  /** Splits a leading/trailing run of greeting/thanks words off the message. */
  private smalltalk(text: string): { kind: Smalltalk | null; rest: string; restWords?: string[]; greeting: boolean } {
    const words = fold(text).split(' ').filter(Boolean);
    const isSmall = (w: string) => this.anySmalltalk.has(w);
    let start = 0;
    while (start < words.length && isSmall(words[start])) start++;
    let end = words.length;
    while (end > start && isSmall(words[end - 1])) end--;
    const greeting = start > 0 && words.slice(0, start).some((w) => this.smalltalkWords.get('saudacao')?.has(w));
    if (start === end && words.length > 0) {
      // Only smalltalk: a known phrase, else the intent whose vocabulary covers most words.
      const exact = this.smalltalkPhrases.get(words.join(' '));
      if (exact) return { kind: exact, rest: '', greeting };
      let best: Smalltalk = 'saudacao';
      let bestCount = -1;
      for (const kind of ['agradecimento', 'despedida', 'saudacao'] as const) {
        const vocab = this.smalltalkWords.get(kind);
        const count = vocab ? words.filter((w) => vocab.has(w)).length : 0;
        if (count > bestCount) {
          best = kind;
          bestCount = count;
        }
      }
      return { kind: best, rest: '', greeting };
    }
    return { kind: null, rest: words.slice(start, end).join(' '), restWords: words.slice(start, end), greeting };
  }

  /** Scores every label for the analysed text, best first. */
  private rankStems(stems: string[]): Candidate[] {
    if (stems.length === 0) return [];
    const q = this.weigh(features(stems), true);
    const k = this.labels.length;
    // Similarity to every example and every label's centroid, through the inverted indexes.
    const sims = this.simBuffer;
    const touched: number[] = [];
    const centroidSim = new Float64Array(k);
    for (const [f, w] of q) {
      const postings = this.index.get(f);
      if (postings) {
        for (const p of postings) {
          if (sims[p.doc] === 0) touched.push(p.doc);
          sims[p.doc] += w * p.weight;
        }
      }
      const inCentroids = this.centroidIndex.get(f);
      if (inCentroids) for (const c of inCentroids) centroidSim[c.label] += w * c.weight;
    }
    // Three best similarities per label, in a flat array: labels x 3.
    const best = new Float64Array(k * 3);
    const seen = new Uint8Array(k);
    for (const i of touched) {
      const s = sims[i];
      sims[i] = 0; // leave the shared buffer clean for the next query
      if (s <= 0) continue;
      const l = this.docLabel[i];
      seen[l] = 1;
      const o = l * 3;
      if (s > best[o]) {
        best[o + 2] = best[o + 1];
        best[o + 1] = best[o];
        best[o] = s;
      } else if (s > best[o + 1]) {
        best[o + 2] = best[o + 1];
        best[o + 1] = s;
      } else if (s > best[o + 2]) best[o + 2] = s;
    }
    const out: Candidate[] = [];
    const probs = this.regression.probabilities(q);
    for (let l = 0; l < k; l++) {
      if (!seen[l]) continue;
      const o = l * 3;
      const knn = 0.5 * best[o] + 0.2 * ((best[o] + best[o + 1] + best[o + 2]) / 3) + 0.3 * centroidSim[l];
      out.push({ id: this.labels[l], score: 0.5 * knn + 0.5 * probs[l], similarity: knn });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  classify(input: string): Classification {
    const text = stripData(input);
    const small = this.smalltalk(text);
    if (small.kind) return { kind: 'smalltalk', id: small.kind, confidence: 1, candidates: [], greeting: small.greeting };
    const { stems } = small.restWords?.length ? this.analyzer.analyzeFolded(small.restWords) : this.analyzer.analyze(text);
    const candidates = this.rankStems(stems).slice(0, 5);
    const greeting = small.greeting;
    if (candidates.length === 0) {
      // No word at all (emoji, punctuation) is "empty"; words the FAQ never uses (another
      // language, gibberish) are text we did not understand, not a non-text message.
      const reason = stems.length === 0 ? 'empty' : 'low-confidence';
      return { kind: 'none', reason, confidence: 0, candidates, greeting };
    }
    const [first, second] = candidates;
    if (first.id === OUT_OF_SCOPE && first.score >= this.options.clarifyFloor) {
      return { kind: 'none', reason: 'out-of-scope', confidence: first.score, candidates, greeting };
    }
    const inScope = candidates.filter((c) => c.id !== OUT_OF_SCOPE);
    const best = inScope[0];
    if (!best || best.score < this.options.clarifyFloor) {
      return { kind: 'none', reason: 'low-confidence', confidence: best?.score ?? 0, candidates, greeting };
    }
    // One keyword ("senha", "comissão") that several entries share: ask which one.
    if (stems.length === 1) {
      const close = inScope.filter((c) => this.kb.entries.has(c.id) && c.similarity >= 0.75 * best.similarity).slice(0, 3);
      if (close.length > 1) return { kind: 'clarify', options: close.map((c) => c.id), confidence: best.score, candidates, greeting };
    }
    // A request's own label and the FAQ entry that describes it lead to the same place: they
    // are not rivals ("quero um boleto novo" may score both).
    const topic = (id: string) => requestOfLabel(id) ?? this.kb.entries.get(id)?.flow ?? id;
    const rival = candidates.find((c) => c !== best && topic(c.id) !== topic(best.id));
    const margin = best.score - (rival ? rival.score : 0);
    if (best === first && best.score >= this.options.minConfidence && margin >= this.options.minMargin) {
      return { kind: 'answer', id: best.id, confidence: best.score, candidates, greeting };
    }
    // Unsure: offer the closest FAQ entries (never conversational intents) as options.
    const options = inScope
      .filter((c) => this.kb.entries.has(c.id) && c.score >= this.options.clarifyFloor && c.score >= best.score * 0.75)
      .slice(0, 3)
      .map((c) => c.id);
    if (options.length === 0) {
      // The best label is an intent such as "atendente" without a clear win: take it.
      return { kind: 'answer', id: best.id, confidence: best.score, candidates, greeting };
    }
    return { kind: 'clarify', options, confidence: best.score, candidates, greeting };
  }
}
