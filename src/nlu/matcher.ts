import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analyzer, boundedDistance, isFunctionWord, isMark, stripData, type Analysis } from './analyzer.js';
import { OUT_OF_SCOPE_LABEL, requestLabel, requestOfLabel, type KnowledgeBase } from '../faq/knowledge.js';
import { ABBREVIATIONS, fold } from './spelling.js';
import { stripCourtesy } from './courtesy.js';
import { BaseModel, type QueryStats, type Scores } from './model.js';
import { dot, fitConditionalLogit, fitLogistic, sigmoid } from './calibration.js';

/** Label of messages that the FAQ does not cover. */
export const OUT_OF_SCOPE = OUT_OF_SCOPE_LABEL;
const SMALLTALK = ['saudacao', 'agradecimento', 'despedida'] as const;
export type Smalltalk = (typeof SMALLTALK)[number];
/** Training labels of the out-of-scope topics: `fora-do-escopo/<topic>`; candidates show them as `fora-do-escopo`. */
const TOPIC_PREFIX = `${OUT_OF_SCOPE_LABEL}/`;

export interface Candidate {
  /** An FAQ entry id, `request:<id>`, an intent (atendente, status-protocolo) or `fora-do-escopo`. */
  id: string;
  /** Calibrated probability that this label is what the text asks (0..1). */
  score: number;
  /** Closest training example's cosine similarity: how much the text looks like this label's examples. */
  similarity: number;
  /** For `fora-do-escopo`: the closest out-of-scope topic (faq/fora-do-escopo.yaml). */
  topic?: string;
}

export type Classification =
  | {
      kind: 'answer';
      id: string;
      confidence: number;
      candidates: Candidate[];
      greeting: boolean;
      /**
       * The FAQ entries to offer if the person says "não era isso" (best first, at most 3): the
       * runner-ups with some evidence, whatever their (calibrated, often small) probability.
       */
      alternatives: string[];
    }
  | { kind: 'clarify'; options: string[]; confidence: number; candidates: Candidate[]; greeting: boolean }
  | { kind: 'smalltalk'; id: Smalltalk; confidence: 1; candidates: Candidate[]; greeting: boolean }
  | {
      kind: 'none';
      reason: 'empty' | 'out-of-scope' | 'low-confidence';
      confidence: number;
      candidates: Candidate[];
      greeting: boolean;
      /** When out of scope: the topic it is about (faq/fora-do-escopo.yaml id), if one stands out. */
      topic?: string;
    };

/** What the engine needs from a matcher: the holder that swaps retrained matchers has it too. */
export interface Classifier {
  classify(text: string): Classification;
}

export interface MatcherOptions {
  /** Answer when the calibrated probability that the best label is right reaches this (0..1). */
  minConfidence: number;
  /** ...and the best label leads the runner-up by at least this much probability. */
  minMargin: number;
  /** Ask back ("Você quis dizer") when the right entry is among the options with at least this probability. */
  clarifyFloor: number;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = { minConfidence: 0.4, minMargin: 0.08, clarifyFloor: 0.3 };

/** A labelled text the matcher learns from. */
export interface TrainingText {
  label: string;
  text: string;
}

/** Per-label features of the conditional logit (stage 1). */
const STAGE1_DIMS = 7;
/**
 * Words said around a greeting, thanks or goodbye that ask nothing ("bom dia, equipe!",
 * "obrigada pela paciência", "era só isso, fico por aqui"): smalltalk only beside a smalltalk word.
 */
const COURTESY = new Set(('equipe pessoal galera gente time turma todos todas voces vcs vc pela pelo paciencia atencao ajuda forca coracao ' +
  'mesmo mesma muito muita demais tudo perfeito otimo otima show beleza entendi combinado so isso por aqui ' +
  'breve outro outra dia tenha tenham excelente semana tarde noite de da do e a o um uma nossa ai entao ok ' +
  'prezados prezadas prezado prezada senhores senhoras caros caras cordialmente atenciosamente ' +
  'imensamente antecipadamente esclarecimento esclarecimentos prestado prestados prestada prestadas dispensada dispensado').split(' '));
/** Words of smalltalk examples that make no smalltalk on their own (only inside the example's phrase). */
const PHRASE_ONLY = new Set('preciso precisa precisava quero queria gostaria pode posso outro outra novo nova mais nada'.split(' '));
/** The word of `words` (as [spelling, word], five letters or more) that `form` misses by one letter, or null. */
function slipOf(form: string, words: Iterable<readonly [string, string]>): string | null {
  for (const [c, word] of words) if (c.length >= 5 && boundedDistance(form, c, 1) <= 1) return word;
  return null;
}
/** Cosine similarity to one example that makes a text a paraphrase of it, and its lead over out of scope. */
const NEAR_EXAMPLE = 0.7;
const NEAR_EXAMPLE_LEAD = 0.3;
/**
 * Or a smaller lead over everything out of scope when the entry has some probability of its
 * own: the topics' summed share does not outweigh an entry whose examples are clearly closer.
 */
const CLOSER_LEAD = 0.2;
const CLOSER_FLOOR = 0.15;
/** Below this share of known words the text is another language or gibberish: not understood. */
const MIN_KNOWN = 0.35;
/** Share of out-of-scope messages the calibration assumes. */
const OUT_OF_SCOPE_SHARE = 0.3;
/** Left-out examples per label the calibration is fitted on (all of them below this). */
const CALIBRATION_PER_LABEL = 30;
/** Candidates kept per training example when fitting stage 1 (plus the right one). */
const STAGE1_CANDIDATES = 6;

function writeStage1(sc: Scores, l: number, isOutOfScope: boolean, out: Float64Array, o: number): void {
  const nb = sc.nbLogPost[l];
  const knn = sc.knnMax[l];
  out[o] = (nb > -30 ? nb : -30) / 10;
  out[o + 1] = knn;
  out[o + 2] = sc.knnTop3[l];
  out[o + 3] = sc.centroid[l];
  out[o + 4] = isOutOfScope ? 1 : 0;
  out[o + 5] = knn * knn;
  out[o + 6] = sc.coverage[l];
}

/** Labels with some evidence (a similar example or centroid). */
function evidence(sc: Scores): number[] {
  const pool: number[] = [];
  for (let i = 0; i < sc.count; i++) {
    const l = sc.labels[i];
    if (sc.knnMax[l] > 0 || sc.centroid[l] > 0) pool.push(l);
  }
  return pool;
}

/** Stage 2: P(best label right) from the decision's shape. */
function stage2Features(p1: number, p2: number, knnMax: number, centroid: number, stats: QueryStats): number[] {
  const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
  return [1, logit(p1), p1 - p2, knnMax, centroid, stats.known, Math.log1p(stats.size)];
}

interface Ranked {
  label: number;
  p: number;
  knnMax: number;
  centroid: number;
}

/**
 * The understanding: trained at start-up on the FAQ's questions and examples, the request types'
 * phrasings, the intents and the out-of-scope topics. Three base scorers (naive Bayes, nearest
 * examples, centroids) are combined by a conditional logit and a second calibration, both
 * fitted on each training example scored by a model that never saw it (leave-one-out), so the
 * confidence is a probability of being right; the decision answers when it is high and the lead
 * is clear, asks back when the right entry is likely among a few, and says "não sei" otherwise.
 */
export class Matcher implements Classifier {
  readonly analyzer: Analyzer;
  /** Every labelled text the matcher learns from (FAQ questions, examples, intents, topics), in order. */
  readonly training: TrainingText[] = [];
  /** Index in `training` where the examples learned in the staff panel begin. */
  learnedFrom = 0;
  private readonly labels: string[] = [];
  private readonly isTopic: boolean[] = [];
  /** Scratch for alternatives(): each label's probability in the current decision (0 elsewhere). */
  private labelP = new Float64Array(0);
  private readonly model: BaseModel;
  private w1: number[] = new Array<number>(STAGE1_DIMS).fill(0);
  private w2: number[] = [];
  private readonly smalltalkWords = new Map<Smalltalk, Set<string>>();
  private readonly smalltalkPhrases = new Map<string, Smalltalk>();
  private readonly anySmalltalk = new Set<string>();
  /** Smalltalk words with repeated letters collapsed, to their word; and the variants met so far. */
  private readonly smallCollapsed = new Map<string, string>();
  private readonly courtesySlips = new Map<string, boolean>();
  /** The smalltalk phrases of two words or more, padded for a whole-word search, weighing their words but one. */
  private readonly smalltalkMultiword: Array<{ padded: string; kind: Smalltalk; weight: number }> = [];
  private readonly smallVariants = new Map<string, string | null>();
  private utilities = new Float64Array(0);
  private readonly entryOfRequest = new Map<string, string>();
  /** Per label: the labels that lead to the same place (a request and the entries that describe it). */
  private related: number[][] = [];

  constructor(
    readonly kb: KnowledgeBase,
    private readonly options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
    /** Cross-validation support: train only on the examples this keeps (by index in `training`). */
    keep?: (index: number) => boolean,
    /** Examples learned in the staff panel (label = an entry id, `request:<id>` or `fora-do-escopo`). */
    extra: TrainingText[] = [],
  ) {
    this.analyzer = new Analyzer(kb.synonyms, kb.contextual);
    const training = this.training;
    for (const entry of kb.entries.values()) {
      for (const text of [entry.question, ...entry.examples]) training.push({ label: entry.id, text });
      if (entry.flow && !this.entryOfRequest.has(entry.flow)) this.entryOfRequest.set(entry.flow, entry.id);
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
            if (!COURTESY.has(w) && !isFunctionWord(w)) this.smallCollapsed.set(w.replace(/(.)\1+/g, '$1'), w);
          }
        }
        this.smalltalkWords.set(intent.id as Smalltalk, words);
        continue;
      }
      for (const text of intent.examples) training.push({ label: intent.id, text });
    }
    for (const [phrase, kind] of this.smalltalkPhrases) {
      const n = phrase.split(' ').length;
      if (n > 1) this.smalltalkMultiword.push({ padded: ` ${phrase} `, kind, weight: n - 1 });
    }
    for (const topic of kb.outOfScope ?? []) for (const text of topic.examples) training.push({ label: `${TOPIC_PREFIX}${topic.id}`, text });
    this.learnedFrom = training.length;
    for (const t of extra) training.push(t);
    // Folded once: the vocabulary is learned from it, then the features are read from it.
    const folded = training.map((t) => this.analyzer.segment(t.text));
    for (const words of folded) this.analyzer.learnFolded(words);
    this.analyzer.freeze();

    const labelIndex = new Map<string, number>();
    const docs: Array<{ label: number; features: Map<string, number> }> = [];
    training.forEach((t, i) => {
      if (keep && !keep(i)) return;
      const features = this.analyzer.analyzeFolded(folded[i]).features;
      if (features.size === 0) return;
      let l = labelIndex.get(t.label);
      if (l === undefined) {
        l = this.labels.push(t.label) - 1;
        labelIndex.set(t.label, l);
        this.isTopic.push(t.label === OUT_OF_SCOPE || t.label.startsWith(TOPIC_PREFIX));
      }
      docs.push({ label: l, features });
    });
    // A request's label and the entries that describe it (their flow:) lead to the same place.
    this.related = this.labels.map((id) => {
      const flow = requestOfLabel(id);
      const entryFlow = kb.entries.get(id)?.flow;
      return this.labels
        .map((other, j) => ({ other, j }))
        .filter(({ other }) => (flow !== null && kb.entries.get(other)?.flow === flow) || (!!entryFlow && requestOfLabel(other) === entryFlow))
        .map(({ j }) => j);
    });
    this.utilities = new Float64Array(this.labels.length);
    this.labelP = new Float64Array(this.labels.length);
    this.model = new BaseModel(this.labels.length);
    this.model.train(docs);
    // Cross-validation folds (keep) calibrate afresh; the whole model reads its fit from the cache.
    if (keep) this.calibrate();
    else this.calibrateCached(training, options);
  }

  /**
   * The calibration is the slowest part of a start-up and depends only on the training texts,
   * the options and the understanding code: its two small weight vectors are kept in the temp
   * folder under a hash of all three (a changed example or a changed line of code fits afresh).
   */
  private calibrateCached(training: TrainingText[], options: MatcherOptions): void {
    let file: string | null = null;
    try {
      const h = createHash('sha1').update(codeHash()).update(JSON.stringify(options)).update(String(this.learnedFrom)).update(JSON.stringify([this.kb.synonyms, this.kb.contextual, [...this.kb.entries.values()].map((e) => [e.id, e.flow ?? null])]));
      for (const t of training) h.update(t.label).update('\u0000').update(t.text).update('\u0001');
      file = path.join(os.tmpdir(), 'indique-certo-bot-nlu', `${h.digest('hex')}.json`);
      const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as { w1: number[]; w2: number[] };
      if (Array.isArray(cached.w1) && cached.w1.length === STAGE1_DIMS && Array.isArray(cached.w2)) {
        this.w1 = cached.w1;
        this.w2 = cached.w2;
        return;
      }
    } catch {
      // not cached yet (or unreadable): fit it
    }
    this.calibrate();
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ w1: Array.from(this.w1), w2: this.w2 }));
      fs.renameSync(tmp, file); // atomic: a concurrent reader never sees half a file
      // Every changed example or line of code leaves a fit behind: a week-old one is gone.
      const dir = path.dirname(file);
      for (const f of fs.readdirSync(dir)) {
        const other = path.join(dir, f);
        if (other !== file && Date.now() - fs.statSync(other).mtimeMs > 7 * 86_400_000) fs.rmSync(other, { force: true });
      }
    } catch {
      // a read-only temp folder only costs speed
    }
  }

  /** Fits both stages on the left-out scores of every training example. */
  private calibrate(): void {
    const n = this.model.docCount;
    const L = this.labels.length;
    if (n === 0 || L < 2) return;
    const D = STAGE1_DIMS;
    const perLabel = new Array<number>(L).fill(0);
    for (let d = 0; d < n; d++) perLabel[this.model.labelOfDoc(d)]++;
    // Calibration needs a fair sample, not every example: at most CALIBRATION_PER_LABEL per
    // label, spread over its examples (start-up time stays flat as the FAQ grows).
    const sample: number[] = [];
    const taken = new Array<number>(L).fill(0);
    const seen = new Array<number>(L).fill(0);
    for (let d = 0; d < n; d++) {
      const l = this.model.labelOfDoc(d);
      // Take the example when the share taken so far falls behind the share wanted.
      const want = Math.min(1, CALIBRATION_PER_LABEL / perLabel[l]);
      seen[l]++;
      if (taken[l] < want * seen[l]) {
        taken[l]++;
        sample.push(d);
      }
    }
    const m = sample.length;
    // Each label weighs the same in the fit, whatever its number of examples; out of scope as a
    // whole weighs OUT_OF_SCOPE_SHARE (its topics share it), about its share among first
    // messages, however many topics the company writes down.
    const topics = this.isTopic.filter(Boolean).length;
    const entries = L - topics;
    const topicWeight = topics && entries ? (OUT_OF_SCOPE_SHARE / (1 - OUT_OF_SCOPE_SHARE)) * (entries / topics) : 1;
    const weight = Float64Array.from(sample, (d) => {
      const l = this.model.labelOfDoc(d);
      return (30 / Math.max(taken[l], 1)) * (this.isTopic[l] ? topicWeight : 1);
    });
    // Every left-out example's pool of labels with evidence: their stage-1 features.
    let pools = new Float64Array(m * 24 * D);
    let poolLabels = new Int32Array(m * 24);
    const poolStart = new Int32Array(m + 1);
    const stats: QueryStats[] = [];
    // Stage-1 fitting samples: the best candidates of each example plus the right one.
    const x = new Float64Array(m * (STAGE1_CANDIDATES + 1) * D);
    const start = new Int32Array(m + 1);
    const y = new Int32Array(m);
    let used = 0;
    let cand = 0;
    const pre: Array<{ l: number; v: number }> = [];
    for (let i = 0; i < m; i++) {
      const d = sample[i];
      stats.push(this.model.scoreLeftOut(d));
      const sc = this.model.out;
      const right = this.model.labelOfDoc(d);
      const pool = evidence(sc);
      if (!pool.includes(right)) pool.push(right);
      if ((used + pool.length) * D > pools.length) {
        const grown = new Float64Array(Math.max(pools.length * 2, (used + pool.length) * D));
        grown.set(pools);
        pools = grown;
        const grownLabels = new Int32Array(grown.length / D);
        grownLabels.set(poolLabels);
        poolLabels = grownLabels;
      }
      poolStart[i] = used;
      pre.length = 0;
      for (const l of pool) {
        writeStage1(sc, l, this.isTopic[l], pools, used * D);
        poolLabels[used++] = l;
        pre.push({ l, v: sc.nbLogPost[l] / 10 + 3 * sc.knnMax[l] + sc.centroid[l] });
      }
      pre.sort((a, b) => b.v - a.v);
      start[i] = cand;
      const chosen = pre.slice(0, STAGE1_CANDIDATES).map((c) => c.l);
      if (!chosen.includes(right)) chosen.push(right);
      for (const l of chosen) {
        if (l === right) y[i] = cand;
        writeStage1(sc, l, this.isTopic[l], x, cand * D);
        cand++;
      }
    }
    poolStart[m] = used;
    start[m] = cand;
    this.w1 = fitConditionalLogit(x.subarray(0, cand * D), D, start, y, weight);

    // Stage 2: on the examples whose best label would be answered (not out of scope), was it right?
    const xs: number[][] = [];
    const ys: number[] = [];
    const ws: number[] = [];
    const w1 = this.w1;
    const ps: number[] = [];
    const ls: number[] = [];
    for (let i = 0; i < m; i++) {
      let best = -1;
      let max = -Infinity;
      ps.length = 0;
      ls.length = 0;
      for (let c = poolStart[i]; c < poolStart[i + 1]; c++) {
        let u = 0;
        for (let k = 0; k < D; k++) u += w1[k] * pools[c * D + k];
        ps.push(u);
        ls.push(poolLabels[c]);
        if (u > max) {
          max = u;
          best = c;
        }
      }
      let z = 0;
      for (let j = 0; j < ps.length; j++) z += ps[j] = Math.exp(ps[j] - max);
      for (let j = 0; j < ps.length; j++) ps[j] /= z;
      const label = poolLabels[best];
      if (this.isTopic[label]) continue;
      const { p1, p2 } = this.lead(label, ls, ps);
      xs.push(stage2Features(p1, p2, pools[best * D + 1], pools[best * D + 3], stats[i]));
      // An out-of-scope example answered with an entry is as wrong as another entry.
      const right = this.model.labelOfDoc(sample[i]);
      ys.push(label === right || this.related[label].includes(right) ? 1 : 0);
      ws.push(weight[i]);
    }
    this.w2 = xs.length ? fitLogistic(xs, ys, 1e-2, 30, ws) : [];
  }

  /**
   * The best label's probability with the labels that lead to the same place (a request and the
   * entry that describes it), and the best rival's (any other label).
   */
  private lead(best: number, labels: ArrayLike<number>, probs: ArrayLike<number>): { p1: number; p2: number } {
    let p1 = 0;
    let p2 = 0;
    const related = this.related[best];
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l === best || related.includes(l)) p1 += probs[i];
      else if (probs[i] > p2) p2 = probs[i];
    }
    return { p1, p2 };
  }

  /**
   * Stage 1 over the labels with evidence: probabilities, best first. Labels below 1e-4 are left
   * out of the list (they change no decision), but at least the eight best are kept. No label
   * with evidence: an empty list.
   */
  private probabilities(sc: Scores): Ranked[] {
    const u = this.utilities;
    const n = sc.count;
    const ids = sc.labels;
    let max = -Infinity;
    // writeStage1's features times the weights, inlined: this runs for every label of every message.
    const { nbLogPost, knnMax, knnTop3, centroid, coverage } = sc;
    const [w0, w1, w2, w3, w4, w5, w6] = this.w1;
    for (let i = 0; i < n; i++) {
      const l = ids[i];
      const knn = knnMax[l];
      const cen = centroid[l];
      if (!(knn > 0 || cen > 0)) {
        u[i] = -Infinity;
        continue;
      }
      const nb = nbLogPost[l];
      const v = w0 * ((nb > -30 ? nb : -30) / 10) + w1 * knn + w2 * knnTop3[l] + w3 * cen + (this.isTopic[l] ? w4 : 0) + w5 * knn * knn + w6 * coverage[l];
      u[i] = v;
      if (v > max) max = v;
    }
    if (max === -Infinity) return [];
    let z = 0;
    for (let i = 0; i < n; i++) {
      const d = u[i] - max;
      // exp(-30) is 1e-13: no share of probability worth an exp().
      if (d > -30) z += u[i] = Math.exp(d);
      else if (u[i] > -Infinity) u[i] = 0;
    }
    // Objects only for the labels kept, in order by insertion (a handful): no sort of every label.
    const out: Ranked[] = [];
    const keep = (i: number) => {
      const l = ids[i];
      const r = { label: l, p: u[i] / z, knnMax: knnMax[l], centroid: centroid[l] };
      let j = out.length;
      out.push(r);
      while (j > 0 && out[j - 1].p < r.p) out[j] = out[--j];
      out[j] = r;
    };
    let below = 0;
    for (let i = 0; i < n; i++) {
      if (u[i] === -Infinity) continue;
      if (u[i] / z >= 1e-4) keep(i);
      else below++;
    }
    if (out.length < 8 && below > 0) {
      // The best of the rest up to eight: picked one by one (they are few and this is rare).
      const want = Math.min(8 - out.length, below);
      const taken = new Uint8Array(n);
      for (let k = 0; k < want; k++) {
        let bi = -1;
        for (let i = 0; i < n; i++) if (!taken[i] && u[i] !== -Infinity && u[i] / z < 1e-4 && (bi < 0 || u[i] > u[bi])) bi = i;
        taken[bi] = 1;
        out.push({ label: ids[bi], p: u[bi] / z, knnMax: knnMax[ids[bi]], centroid: centroid[ids[bi]] });
      }
    }
    return out;
  }



  /**
   * The smalltalk word `w` is a variant of ("oiee", "obrigaduuu", "valeuzão", "brigadão",
   * "xau"), or null. Letters typed again and again count once; an augmentative or diminutive
   * ending comes off; a longer word may differ by one letter.
   */
  private smalltalkWord(w: string): string | null {
    if (this.anySmalltalk.has(w)) return w;
    const cached = this.smallVariants.get(w);
    if (cached !== undefined) return cached;
    const collapsed = w.replace(/(.)\1+/g, '$1');
    let found: string | null = null;
    for (const form of [collapsed, collapsed.replace(/(z?ao|z?inho|z?inha)$/, ''), collapsed.replace(/(z?ao|z?inho|z?inha)$/, 'o')]) {
      if (form.length < 2) continue;
      found = this.smallCollapsed.get(form) ?? null;
      if (found) break;
      // A four-letter slip of a longer word ("tade", "noit") when the FAQ does not know the word.
      if (form.length >= 5 || (form.length === 4 && !this.analyzer.knows(w))) {
        found = slipOf(form, this.smallCollapsed);
        if (found) break;
      }
    }
    if (this.smallVariants.size < 4096) this.smallVariants.set(w, found);
    return found;
  }

  /** A greeting/thanks/goodbye word, a variant of one, or a courtesy word said around them ("equipe", "pela paciência"). */
  private isSmall(w: string): boolean {
    return isMark(w) || this.smalltalkWord(w) !== null || COURTESY.has(w) || this.courtesySlip(w);
  }

  /** A slip of a longer courtesy word the FAQ does not know ("obgda pela ajdua"). */
  private courtesySlip(w: string): boolean {
    if (w.length < 5 || this.analyzer.knows(w)) return false;
    const cached = this.courtesySlips.get(w);
    if (cached !== undefined) return cached;
    const found = slipOf(w, COURTESY.entries()) !== null;
    if (this.courtesySlips.size < 4096) this.courtesySlips.set(w, found);
    return found;
  }

  /**
   * The smalltalk kind of words that are all smalltalk: a known phrase, else the kind with most
   * words of its own (said by no other kind: "grato", "até logo", "oi"; courtesy words do not
   * count), thanks before a goodbye before a greeting on a tie ("bom dia, equipe!" is a greeting).
   */
  private smalltalkKind(ws: string[]): Smalltalk {
    const exact = this.smalltalkPhrases.get(ws.join(' '));
    if (exact) return exact;
    const kinds = ['agradecimento', 'despedida', 'saudacao'] as const;
    const counts = [0, 0, 0];
    // A known phrase of two words or more inside ("blz, até mais": "até mais" is a goodbye, though
    // "até" and "mais" alone are function words).
    const joined = ` ${ws.filter((w) => !isMark(w)).join(' ')} `;
    for (const { padded, kind, weight } of this.smalltalkMultiword) if (joined.includes(padded)) counts[kinds.indexOf(kind)] += weight;
    for (const w of ws) {
      const word = this.smalltalkWord(w);
      if (word === null || COURTESY.has(word) || isFunctionWord(word)) continue;
      const saidBy = kinds.map((k) => this.smalltalkWords.get(k)?.has(word) === true);
      if (saidBy.filter(Boolean).length === 1) counts[saidBy.indexOf(true)]++;
    }
    if (counts[0] + counts[1] + counts[2] === 0) {
      // Only words the kinds share ("obrigado, bom dia"): the kind that says most of them.
      for (const w of ws) {
        const word = this.smalltalkWord(w);
        if (word !== null && !isFunctionWord(word)) kinds.forEach((k, i) => this.smalltalkWords.get(k)?.has(word) && counts[i]++);
      }
      counts[2] += 0.5; // a tie there is a greeting: "bom dia" opens more often than it closes
    }
    let best = 2;
    for (let k = 1; k >= 0; k--) if (counts[k] > 0 && counts[k] >= counts[best]) best = k;
    return kinds[best];
  }

  /**
   * Splits a leading/trailing run of greeting/thanks words off the message: `rest` is the
   * folded words between them (`|` marks a sentence end), `lead` the kind of the run.
   */
  private smalltalk(text: string): { kind: Smalltalk | null; rest: string[]; greeting: boolean; lead: Smalltalk | null } {
    const words: string[] = [];
    for (const w of this.analyzer.segment(text, false)) {
      const expanded = ABBREVIATIONS.get(w);
      if (expanded) words.push(...expanded.split(' '));
      else words.push(w);
    }
    let start = 0;
    while (start < words.length && this.isSmall(words[start])) start++;
    let end = words.length;
    while (end > start && this.isSmall(words[end - 1])) end--;
    // A run of courtesy words without a smalltalk word in it ("...quantos dias mesmo?") is part of the question.
    const real = (from: number, to: number) => {
      for (let i = from; i < to; i++) if (!isMark(words[i]) && !COURTESY.has(words[i]) && !PHRASE_ONLY.has(words[i]) && this.smalltalkWord(words[i]) !== null) return true;
      return false;
    };
    if (start < end) {
      if (!real(0, start)) start = 0;
      if (!real(end, words.length)) end = words.length;
    }
    let greeting = false;
    const hello = this.smalltalkWords.get('saudacao');
    // (A greeting word, not a function word its examples also have: "o que é..." greets nobody.)
    for (let i = 0; i < start && !greeting; i++) greeting = !isFunctionWord(words[i]) && !COURTESY.has(words[i]) && (hello?.has(words[i]) ?? false);
    if (start >= end) {
      // Nothing but smalltalk (or nothing at all): a known phrase, else the closest kind; courtesy
      // words alone ("entendi", "perfeito") are not smalltalk.
      const all = words.filter((w) => !isMark(w));
      if (all.length === 0) return { kind: null, rest: [], greeting, lead: null };
      const phrase = this.smalltalkPhrases.get(all.join(' '));
      if (phrase) return { kind: phrase, rest: [], greeting, lead: null };
      // ("preciso de outro": words of "não preciso de mais nada" are no goodbye on their own.)
      if (all.some((w) => this.smalltalkWord(w) !== null && !COURTESY.has(w) && !PHRASE_ONLY.has(w))) return { kind: this.smalltalkKind(all), rest: [], greeting, lead: null };
      return { kind: null, rest: words, greeting, lead: null };
    }
    // Only words that never occur in a question ("obrigado", "tchau"; not "preciso", "me") make a run smalltalk.
    let lead: Smalltalk | null = null;
    if (start > 0 || end < words.length) {
      const small = [...words.slice(0, start), ...words.slice(end)].filter((w) => !isMark(w) && !isFunctionWord(w) && !this.analyzer.knows(w));
      if (small.length) lead = this.smalltalkKind(small);
    }
    // The sentence mark after the rest stays: "...? e pra empresa?" keeps its last question in focus.
    let mark = '|';
    for (let i = end; i < words.length; i++) if (isMark(words[i])) { mark = words[i]; break; }
    const rest = start === 0 && end === words.length ? words : [...words.slice(start, end), mark];
    return { kind: null, rest, greeting, lead };
  }


  /** Every label's calibrated probability for a text's features, best first. */
  private rank(features: Map<string, number>): { ranked: Ranked[]; stats: QueryStats } {
    const stats = this.model.score(features);
    const sc = this.model.out;
    return { ranked: this.probabilities(sc), stats };
  }

  /** The public candidate list: out-of-scope topics merged into one `fora-do-escopo`, best first. */
  private candidates(ranked: Ranked[]): Candidate[] {
    const out: Candidate[] = [];
    let oos: Candidate | null = null;
    for (const r of ranked) {
      const { p } = r;
      const label = this.labels[r.label];
      if (r.p < 1e-4 && out.length >= 5) break;
      if (this.isTopic[r.label]) {
        if (!oos) {
          oos = { id: OUT_OF_SCOPE, score: 0, similarity: 0, ...(label.startsWith(TOPIC_PREFIX) ? { topic: label.slice(TOPIC_PREFIX.length) } : {}) };
          out.push(oos);
        }
        oos.score += p;
        oos.similarity = Math.max(oos.similarity, r.knnMax);
      } else out.push({ id: label, score: p, similarity: r.knnMax });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, 5);
  }

  /**
   * Runner-up FAQ entries after `best`, most probable first, with some evidence (a similar
   * example or 1 % of probability: a runner-up's calibrated probability is often tiny after a
   * clear answer, yet it is the next best): at most 3.
   */
  private alternatives(ranked: Ranked[], best: Ranked): string[] {
    const own = this.entryFor(this.labels[best.label]);
    const sc = this.model.out; // the scores of the text being decided
    // Runs for every answer: a label-indexed scratch array, not a Map per call.
    const p = this.labelP;
    for (const r of ranked) p[r.label] = r.p;
    const scored: Array<{ entry: string; v: number }> = [];
    for (let i = 0; i < sc.count; i++) {
      const l = sc.labels[i];
      if (l === best.label || this.isTopic[l]) continue;
      const knn = sc.knnMax[l];
      const pl = p[l];
      if (knn < 0.35 && pl < 0.01) continue;
      const entry = this.entryFor(this.labels[l]);
      if (!entry || entry === own) continue;
      const v = pl + knn * 1e-3; // probability first, similarity breaks ties
      const seen = scored.find((x) => x.entry === entry);
      if (seen) seen.v = Math.max(seen.v, v);
      else scored.push({ entry, v });
    }
    for (const r of ranked) p[r.label] = 0;
    return scored.sort((a, b) => b.v - a.v).slice(0, 3).map((x) => x.entry);
  }

  /** The most probable label after `best` that is neither out of scope nor leads where `best` does. */
  private bestEntryRival(ranked: Ranked[], best: Ranked): number {
    const related = this.related[best.label];
    for (const r of ranked) if (r.label !== best.label && !this.isTopic[r.label] && !related.includes(r.label)) return r.p;
    return 0;
  }

  private entryFor(id: string): string | null {
    if (this.kb.entries.has(id)) return id;
    const flow = requestOfLabel(id);
    return flow ? (this.entryOfRequest.get(flow) ?? null) : null;
  }

  /** `options` overrides the thresholds for this call (the evaluation draws its curve with it). */
  classify(input: string, t: MatcherOptions = this.options): Classification {
    const courtesy = stripCourtesy(stripData(input));
    const text = courtesy.body;
    const small = this.smalltalk(text);
    if (small.kind) return { kind: 'smalltalk', id: small.kind, confidence: 1, candidates: [], greeting: small.greeting };
    // Only who is writing, or only a sign-off: a greeting, a goodbye.
    if (!small.rest.some((w) => !isMark(w)) && (courtesy.introduced || courtesy.signedOff)) {
      return { kind: 'smalltalk', id: courtesy.introduced ? 'saudacao' : 'despedida', confidence: 1, candidates: [], greeting: small.greeting };
    }
    const c = this.decide(this.analyzer.analyzeFolded(small.rest), small.greeting, t);
    // A greeting and words the FAQ does not know ("oiii boa tade", "bom dia, tudo certinho por aí?"): a greeting.
    if (small.greeting && c.kind === 'none' && c.candidates.length === 0) return { kind: 'smalltalk', id: 'saudacao', confidence: 1, candidates: [], greeting: true };
    // Thanks or goodbye around words that ask nothing ("valeu, ajudou muito"): the smalltalk.
    // ("perfeito, tirou minha dúvida. grato!": a few words between thanks ask nothing either.)
    const fewWords = small.rest.filter((w) => !isMark(w) && !isFunctionWord(w)).length <= 3;
    if (small.lead && small.lead !== 'saudacao' && !/\?/.test(text) && (c.kind === 'none' ? c.reason !== 'out-of-scope' || fewWords : c.kind === 'clarify' && fewWords)) {
      return { kind: 'smalltalk', id: small.lead, confidence: 1, candidates: [], greeting: small.greeting };
    }
    return c;
  }

  private decide(analysis: Analysis, greeting: boolean, t: MatcherOptions): Classification {
    if (analysis.features.size === 0) return { kind: 'none', reason: 'empty', confidence: 0, candidates: [], greeting };
    const { ranked, stats } = this.rank(analysis.features);
    const candidates = this.candidates(ranked);
    const first = ranked[0];
    if (!first || stats.known < MIN_KNOWN) {
      // Words the FAQ never uses (another language, gibberish) are text we did not understand.
      return { kind: 'none', reason: 'low-confidence', confidence: 0, candidates, greeting };
    }
    // One keyword several entries share ("senha", "comissão"): ask which one, even when an
    // out-of-scope topic shares it too (a word alone says too little to decline).
    // (Not when the word is out-of-scope territory itself: "o que é leitora?", "smart card?".)
    const surelyOutside = candidates[0]?.id === OUT_OF_SCOPE && candidates[0].score >= 0.9;
    if (new Set(analysis.stems).size === 1 && !(this.isTopic[first.label] && first.p >= 0.9) && !surelyOutside) {
      const lead = ranked.find((r) => !this.isTopic[r.label]);
      if (lead && lead.p < 0.97) {
        const close: string[] = [];
        for (const r of ranked) {
          const entry = this.isTopic[r.label] ? null : this.entryFor(this.labels[r.label]);
          if (entry && !close.includes(entry) && r.knnMax >= 0.75 * lead.knnMax) close.push(entry);
          if (close.length === 3) break;
        }
        if (close.length > 1) return { kind: 'clarify', options: close, confidence: lead.p, candidates, greeting };
      }
    }
    const top = candidates[0];
    // Almost the words of one of an entry's examples, far closer than anything out of scope
    // ("tem alguém de verdade aí?"): the out-of-scope topics' summed probability does not outvote that.
    const near = top.id === OUT_OF_SCOPE ? ranked.find((r) => !this.isTopic[r.label]) : undefined;
    const closerBy = near ? near.knnMax - top.similarity : 0;
    const nearExample = near !== undefined && analysis.features.size >= 2 && ((near.knnMax >= NEAR_EXAMPLE && closerBy >= NEAR_EXAMPLE_LEAD) || (closerBy >= CLOSER_LEAD && near.p >= CLOSER_FLOOR));
    if (top.id === OUT_OF_SCOPE && !nearExample) {
      const inScope = candidates.find((c) => c.id !== OUT_OF_SCOPE);
      // Out of scope, unless an entry is nearly as likely: then it is worth asking.
      if (!inScope || top.score - inScope.score >= t.minMargin || inScope.score < t.clarifyFloor / 2) {
        return { kind: 'none', reason: 'out-of-scope', confidence: top.score, candidates, greeting, ...(top.topic ? { topic: top.topic } : {}) };
      }
    }
    const best = ranked.find((r) => !this.isTopic[r.label])!;
    const bestId = this.labels[best.label];
    // A request's own label and the FAQ entry that describes it lead to the same place: they
    // are not rivals ("quero um boleto novo" may score both), and their probabilities add up.
    const { p1: pBest, p2: runnerUp } = this.lead(best.label, ranked.map((r) => r.label), ranked.map((r) => r.p));
    const pRight = this.w2.length ? sigmoid(dot(this.w2, stage2Features(pBest, runnerUp, best.knnMax, best.centroid, stats))) : pBest;
    // (`best` is `near` here: both are the most probable entry.)
    // Closer than anything out of scope: only another entry is a rival (a topic's share is not).
    if (nearExample && pBest - this.bestEntryRival(ranked, best) >= t.minMargin) {
      return { kind: 'answer', id: bestId, confidence: Math.max(pRight, t.minConfidence), candidates, greeting, alternatives: this.alternatives(ranked, best) };
    }
    if ((best === first || this.related[best.label].includes(first.label)) && pRight >= t.minConfidence && pBest - runnerUp >= t.minMargin) {
      return { kind: 'answer', id: bestId, confidence: pRight, candidates, greeting, alternatives: this.alternatives(ranked, best) };
    }
    // Unsure: offer the likely FAQ entries (never conversational intents) as options, when the
    // right one is likely among them (stage 2's correction of the best label applied to them all).
    const options: string[] = [];
    let covered = 0;
    for (const c of candidates) {
      if (c.id === OUT_OF_SCOPE || c.score < best.p * 0.25) continue;
      const entry = this.entryFor(c.id);
      if (!entry || options.includes(entry)) continue;
      options.push(entry);
      covered += c.score;
      if (options.length === 3) break;
    }
    if (options.length && covered * Math.min(1, pRight / pBest) >= t.clarifyFloor) {
      return { kind: 'clarify', options, confidence: pRight, candidates, greeting };
    }
    if (!this.kb.entries.has(bestId) && !requestOfLabel(bestId) && pRight >= t.minConfidence) {
      // The best label is an intent such as "atendente" without a clear lead: take it.
      return { kind: 'answer', id: bestId, confidence: pRight, candidates, greeting, alternatives: this.alternatives(ranked, best) };
    }
    const oos = candidates.find((c) => c.id === OUT_OF_SCOPE);
    if (oos && oos.score >= pBest) return { kind: 'none', reason: 'out-of-scope', confidence: oos.score, candidates, greeting, ...(oos.topic ? { topic: oos.topic } : {}) };
    return { kind: 'none', reason: 'low-confidence', confidence: pRight, candidates, greeting };
  }
}

// The understanding code itself (this folder, as source under tsx or compiled in dist/).
let codeDigest: string | undefined;
function codeHash(): string {
  if (codeDigest) return codeDigest;
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha1');
  for (const f of fs.readdirSync(dir).filter((n) => /\.(ts|js)$/.test(n) && !n.endsWith('.d.ts')).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return (codeDigest = h.digest('hex'));
}
