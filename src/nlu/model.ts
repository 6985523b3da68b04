// The matcher's base scorers, trained at start-up on the labelled examples:
//  - multinomial naive Bayes ("these words are typical of X"),
//  - nearest neighbours on TF-IDF vectors ("this looks like an example of X": best and
//    three best similarities),
//  - the label's centroid ("this looks like X's examples as a whole").
// Every scorer can leave one training example out exactly and cheaply (its counts, its
// posting, its share of the centroid), which is what the calibration is fitted on: each example
// scored by a model that never saw it.

export interface TrainingDoc {
  label: number;
  features: Map<string, number>;
}

/**
 * Base scores for one text (index = label), rewritten by each call. Only the labels in
 * `labels[0..count)` (those sharing a feature with the text) are written; the others have no
 * evidence at all and are left out by every reader.
 */
export interface Scores {
  labels: Int32Array;
  count: number;
  /** Naive Bayes log-posterior (0 is certain). */
  nbLogPost: Float64Array;
  /** Best cosine similarity to one of the label's examples. */
  knnMax: Float64Array;
  /** Mean of the three best. */
  knnTop3: Float64Array;
  /** Cosine similarity to the label's centroid. */
  centroid: Float64Array;
  /**
   * Share of the text's squared TF-IDF weight on features the label's examples have: low when
   * the text says something (a "revogado", a "leitora") the label never spoke of, however
   * much of the rest it shares ("o que é", "certificado").
   */
  coverage: Float64Array;
}

export interface QueryStats {
  /** Share of the text's feature weight the training vocabulary knows (0..1). */
  known: number;
  /** Content features of the text. */
  size: number;
}

const NB_ALPHA = 0.1;

/** Sublinear term weight: 1 + log(count) from one occurrence up, the raw weight below (pairs, context). */
const tfWeight = (w: number): number => (w >= 1 ? 1 + Math.log(w) : w);
/**
 * Features in more than this share of the examples ("certificado", "cliente", "?como") are left
 * out of the nearest-example similarities (they still weigh in the vectors' norms, naive Bayes
 * and the centroids): they decide little there and make most of the work.
 */
const KNN_COMMON_SHARE = 0.06;

export class BaseModel {
  readonly featureIds = new Map<string, number>();
  private idf = new Float64Array(0);
  private maxIdf = 1;
  /** Per doc: feature ids, raw weights, TF-IDF unit vector. */
  private docIdx: Int32Array[] = [];
  private docTf: Float64Array[] = [];
  private docVec: Float64Array[] = [];
  private docLabel = new Int32Array(0);
  private docTfSum = new Float64Array(0);
  /** Inverted index: feature -> docs and their vector weights (flat arrays). */
  private postDoc: Int32Array[] = [];
  private postW: Float64Array[] = [];
  /** Centroid sums per label (unnormalised), as feature -> (label, weight) postings, and their norms. */
  private centDoc: Int32Array[] = [];
  private centW: Float64Array[] = [];
  private centNorm2 = new Float64Array(0);
  /** Each doc's dot product with its own label's centroid sum (leave-one-out). */
  private docDotCent = new Float64Array(0);
  /**
   * Naive Bayes, sparse: per feature, aligned with its centroid postings (the labels that have
   * it), the count and log((scale * count + alpha) / alpha). A label without the feature scores
   * log(alpha / den) like every other label without it: that term is the same for all and
   * cancels in the posterior, so only the labels that have the feature are visited.
   */
  private nbCount: Float64Array[] = [];
  private nbDelta: Float64Array[] = [];
  private nbTotal = new Float64Array(0);
  private nbMass = 1;
  private knnMaxPostings = Infinity;
  // Scratch space reused by every query: no allocation proportional to the training set.
  private sims = new Float64Array(0);
  private touched = new Int32Array(0);
  private qIdx = new Int32Array(64);
  private qTf = new Float64Array(64);
  private qVec = new Float64Array(64);
  private best3 = new Float64Array(0);
  private cent = new Float64Array(0);
  private nbScore = new Float64Array(0);
  private cov = new Float64Array(0);
  private labelSeen = new Uint8Array(0);
  /** The last call's scores (shared: read them before the next call). */
  readonly out: Scores;

  constructor(readonly labelCount: number) {
    const L = labelCount;
    this.out = { nbLogPost: new Float64Array(L), knnMax: new Float64Array(L), knnTop3: new Float64Array(L), centroid: new Float64Array(L), coverage: new Float64Array(L), labels: new Int32Array(L), count: 0 };
    this.labelSeen = new Uint8Array(L);
  }

  train(docs: TrainingDoc[]): void {
    const L = this.labelCount;
    const df: number[] = [];
    const ids = (features: Map<string, number>) => {
      const idx: number[] = [];
      const tf: number[] = [];
      for (const [f, w] of features) {
        if (w <= 0) continue;
        let id = this.featureIds.get(f);
        if (id === undefined) {
          id = this.featureIds.size;
          this.featureIds.set(f, id);
          df.push(0);
        }
        idx.push(id);
        tf.push(w);
      }
      return { idx, tf };
    };
    const raw = docs.map((d) => ({ ...ids(d.features), label: d.label }));
    for (const r of raw) for (const id of r.idx) df[id]++;
    const V = this.featureIds.size;
    const n = raw.length;
    this.idf = new Float64Array(V);
    for (let f = 0; f < V; f++) this.idf[f] = Math.log((n + 1) / (df[f] + 1)) + 1;
    this.maxIdf = Math.log(n + 1) + 1;

    this.docLabel = Int32Array.from(raw, (r) => r.label);
    this.docIdx = raw.map((r) => Int32Array.from(r.idx));
    this.docTf = raw.map((r) => Float64Array.from(r.tf));
    this.docTfSum = Float64Array.from(raw, (r) => r.tf.reduce((a, b) => a + b, 0));
    this.docVec = raw.map((r) => {
      const v = Float64Array.from(r.idx, (id, k) => tfWeight(r.tf[k]) * this.idf[id]);
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < v.length; k++) v[k] /= norm;
      return v;
    });

    // Inverted index and centroid sums.
    const postCount = new Int32Array(V);
    for (const idx of this.docIdx) for (const id of idx) postCount[id]++;
    this.postDoc = Array.from(postCount, (c) => new Int32Array(c));
    this.postW = Array.from(postCount, (c) => new Float64Array(c));
    const fill = new Int32Array(V);
    const centSum = new Float64Array(V * L); // [feature * L + label]: per-label sums
    for (let d = 0; d < n; d++) {
      const idx = this.docIdx[d];
      const vec = this.docVec[d];
      for (let k = 0; k < idx.length; k++) {
        const f = idx[k];
        this.postDoc[f][fill[f]] = d;
        this.postW[f][fill[f]++] = vec[k];
        centSum[f * L + this.docLabel[d]] += vec[k];
      }
    }
    this.centNorm2 = new Float64Array(L);
    this.centDoc = new Array(V);
    this.centW = new Array(V);
    for (let f = 0; f < V; f++) {
      const sums = centSum.subarray(f * L, (f + 1) * L);
      const labels: number[] = [];
      const weights: number[] = [];
      for (let l = 0; l < L; l++) {
        if (sums[l] !== 0) {
          labels.push(l);
          weights.push(sums[l]);
          this.centNorm2[l] += sums[l] * sums[l];
        }
      }
      this.centDoc[f] = Int32Array.from(labels);
      this.centW[f] = Float64Array.from(weights);
    }
    this.docDotCent = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const idx = this.docIdx[d];
      const vec = this.docVec[d];
      const l = this.docLabel[d];
      let dot = 0;
      for (let k = 0; k < idx.length; k++) dot += vec[k] * centSum[idx[k] * L + l];
      this.docDotCent[d] = dot;
    }

    // Naive Bayes counts.
    const counts = new Float64Array(V * L);
    this.nbTotal = new Float64Array(L);
    for (let d = 0; d < n; d++) {
      const l = this.docLabel[d];
      const idx = this.docIdx[d];
      const tf = this.docTf[d];
      for (let k = 0; k < idx.length; k++) {
        counts[idx[k] * L + l] += tf[k];
        this.nbTotal[l] += tf[k];
      }
    }
    // Every label's counts are scaled to the same total, so a topic with 20 examples and an
    // entry with 90 are smoothed alike (otherwise the small ones win every weak match).
    let mass = 0;
    for (const t of this.nbTotal) mass += t;
    this.nbMass = mass / Math.max(L, 1);
    const scale = Float64Array.from(this.nbTotal, (t) => (t > 0 ? this.nbMass / t : 0));
    this.nbCount = new Array(V);
    this.nbDelta = new Array(V);
    for (let f = 0; f < V; f++) {
      const labels = this.centDoc[f];
      const c = new Float64Array(labels.length);
      const delta = new Float64Array(labels.length);
      for (let p = 0; p < labels.length; p++) {
        c[p] = counts[f * L + labels[p]];
        delta[p] = Math.log((scale[labels[p]] * c[p] + NB_ALPHA) / NB_ALPHA);
      }
      this.nbCount[f] = c;
      this.nbDelta[f] = delta;
    }

    this.knnMaxPostings = Math.max(60, Math.round(KNN_COMMON_SHARE * n));
    this.sims = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.best3 = new Float64Array(L * 3);
    this.cent = new Float64Array(L);
    this.nbScore = new Float64Array(L);
    this.cov = new Float64Array(L);
  }

  get docCount(): number {
    return this.docLabel.length;
  }

  labelOfDoc(d: number): number {
    return this.docLabel[d];
  }

  /** Scores of a text given as features, into `this.out`. */
  score(features: Map<string, number>): QueryStats {
    if (features.size > this.qIdx.length) {
      this.qIdx = new Int32Array(features.size * 2);
      this.qTf = new Float64Array(features.size * 2);
      this.qVec = new Float64Array(features.size * 2);
    }
    const idx = this.qIdx;
    const tf = this.qTf;
    const vec = this.qVec;
    let n = 0;
    let unknown = 0;
    let total = 0;
    // Words never seen in training weigh on the query's norm: unrelated messages score lower.
    let norm = 0;
    for (const [f, w] of features) {
      if (w <= 0) continue;
      total += w;
      const id = this.featureIds.get(f);
      if (id === undefined) {
        unknown += w;
        const u = tfWeight(w) * this.maxIdf;
        norm += u * u;
        continue;
      }
      idx[n] = id;
      tf[n] = w;
      const v = tfWeight(w) * this.idf[id];
      vec[n++] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < n; k++) vec[k] /= norm;
    this.scoreVector(n, idx, tf, vec, -1);
    return { known: total ? 1 - unknown / total : 0, size: features.size };
  }

  /** Scores of training doc `d` by the model without it (leave-one-out), into `this.out`. */
  scoreLeftOut(d: number): QueryStats {
    const idx = this.docIdx[d];
    const tf = this.docTf[d];
    this.scoreVector(idx.length, idx, tf, this.docVec[d], d);
    // Features only this doc had would be unknown without it.
    let unknown = 0;
    let total = 0;
    for (let k = 0; k < idx.length; k++) {
      total += tf[k];
      if (this.postDoc[idx[k]].length === 1) unknown += tf[k];
    }
    return { known: total ? 1 - unknown / total : 0, size: idx.length };
  }

  private scoreVector(n: number, idx: Int32Array, tf: Float64Array, vec: Float64Array, leftOut: number): void {
    const L = this.labelCount;
    const sims = this.sims;
    const touched = this.touched;
    let touchedCount = 0;
    const cent = this.cent;
    const nb = this.nbScore;
    const cov = this.cov;
    const out = this.out;
    const seen = this.labelSeen;
    const labels = out.labels;
    let count = 0;
    const leftLabel = leftOut >= 0 ? this.docLabel[leftOut] : -1;
    // Without the left-out doc its label has fewer counts, hence a larger scale.
    const leftScale = leftLabel >= 0 ? this.nbMass / Math.max(this.nbTotal[leftLabel] - this.docTfSum[leftOut], 1e-9) : 0;
    for (let k = 0; k < n; k++) {
      const f = idx[k];
      const w = vec[k];
      const pd = this.postDoc[f];
      const pw = this.postW[f];
      // (Short texts keep them: "senha" alone is all they say.)
      const limit = n > 4 && pd.length > this.knnMaxPostings ? 0 : pd.length;
      for (let p = 0; p < limit; p++) {
        const doc = pd[p];
        if (doc === leftOut) continue;
        if (sims[doc] === 0) touched[touchedCount++] = doc;
        sims[doc] += w * pw[p];
      }
      const cd = this.centDoc[f];
      const cw = this.centW[f];
      const nd = this.nbDelta[f];
      const x = tf[k];
      for (let p = 0; p < cd.length; p++) {
        const l = cd[p];
        if (seen[l] === 0) {
          seen[l] = 1;
          labels[count++] = l;
          cent[l] = 0;
          nb[l] = 0;
          cov[l] = 0;
        }
        cent[l] += w * cw[p];
        nb[l] += x * nd[p];
        if (l === leftLabel) {
          // This doc's own counts leave its label.
          const c = this.nbCount[f][p] - x;
          nb[l] += x * (Math.log((leftScale * (c > 0 ? c : 0) + NB_ALPHA) / NB_ALPHA) - nd[p]);
          if (c > 1e-9) cov[l] += w * w;
        } else cov[l] += w * w;
      }
    }
    const best = this.best3;
    for (let i = 0; i < count; i++) {
      const o = labels[i] * 3;
      best[o] = best[o + 1] = best[o + 2] = 0;
    }
    for (let t = 0; t < touchedCount; t++) {
      const d = touched[t];
      const s = sims[d];
      sims[d] = 0; // leave the shared buffer clean for the next query
      if (s <= 0) continue;
      const o = this.docLabel[d] * 3;
      if (s > best[o]) {
        best[o + 2] = best[o + 1];
        best[o + 1] = best[o];
        best[o] = s;
      } else if (s > best[o + 1]) {
        best[o + 2] = best[o + 1];
        best[o + 1] = s;
      } else if (s > best[o + 2]) best[o + 2] = s;
    }
    // Naive Bayes posterior: the labels without any of the features all score 0.
    let max = count < L ? 0 : -Infinity;
    for (let i = 0; i < count; i++) if (nb[labels[i]] > max) max = nb[labels[i]];
    let z = (L - count) * Math.exp(-max);
    for (let i = 0; i < count; i++) z += Math.exp(nb[labels[i]] - max);
    const logZ = max + Math.log(z);
    for (let i = 0; i < count; i++) {
      const l = labels[i];
      seen[l] = 0;
      let c = cent[l];
      let n2 = this.centNorm2[l];
      if (l === leftLabel) {
        // cos(q, S - q) for the doc's own label, q being the doc itself (unit vector).
        c -= 1;
        n2 = n2 - 2 * this.docDotCent[leftOut] + 1;
      }
      const centroid = n2 > 1e-12 ? c / Math.sqrt(n2) : 0;
      const o = l * 3;
      out.nbLogPost[l] = nb[l] - logZ;
      out.knnMax[l] = best[o];
      out.knnTop3[l] = (best[o] + best[o + 1] + best[o + 2]) / 3;
      out.centroid[l] = centroid > 0 ? centroid : 0;
      out.coverage[l] = cov[l];
    }
    out.count = count;
  }

}
