// Multinomial logistic regression over sparse features, trained by SGD at start-up.
// The nearest-neighbour scores say "this looks like an example of X"; the regression learns
// which words tell entries apart ("atendente" alone vs "falar com atendente").
// Weights live in one flat array (feature x class) so training allocates nothing per step.

export type Sparse = Map<string, number>;

interface Row {
  idx: Int32Array;
  val: Float64Array;
  y: number;
}

export class SoftmaxRegression {
  private readonly features = new Map<string, number>();
  private weights = new Float64Array(0);
  private readonly bias: Float64Array;
  private readonly k: number;

  constructor(readonly classes: string[]) {
    this.k = classes.length;
    this.bias = new Float64Array(this.k);
  }

  private row(x: Sparse, grow: boolean): { idx: Int32Array; val: Float64Array } {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [f, v] of x) {
      let i = this.features.get(f);
      if (i === undefined) {
        if (!grow) continue;
        i = this.features.size;
        this.features.set(f, i);
      }
      idx.push(i);
      val.push(v);
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val) };
  }

  /** Deterministic SGD (fixed shuffle seed) so every start trains the same model. */
  train(data: Array<{ x: Sparse; y: number }>, opts = { epochs: 20, rate: 0.5, l2: 1e-4 }): void {
    const rows: Row[] = data.map(({ x, y }) => ({ ...this.row(x, true), y }));
    const k = this.k;
    this.weights = new Float64Array(this.features.size * k);
    const w = this.weights;
    const order = rows.map((_, i) => i);
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const p = new Float64Array(k);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rate = opts.rate / (1 + epoch * 0.1);
      const decay = 1 - rate * opts.l2;
      for (const r of order) {
        const { idx, val, y } = rows[r];
        this.scores(idx, val, p);
        for (let c = 0; c < k; c++) {
          const g = p[c] - (c === y ? 1 : 0);
          this.bias[c] -= rate * g;
          p[c] = g; // reuse as the gradient
        }
        for (let n = 0; n < idx.length; n++) {
          const base = idx[n] * k;
          const v = val[n];
          for (let c = 0; c < k; c++) w[base + c] = w[base + c] * decay - rate * p[c] * v;
        }
      }
    }
  }

  private scores(idx: Int32Array, val: Float64Array, out: Float64Array): Float64Array {
    const k = this.k;
    const w = this.weights;
    for (let c = 0; c < k; c++) out[c] = this.bias[c];
    for (let n = 0; n < idx.length; n++) {
      const base = idx[n] * k;
      const v = val[n];
      for (let c = 0; c < k; c++) out[c] += w[base + c] * v;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (out[c] > max) max = out[c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[c] = Math.exp(out[c] - max);
    for (let c = 0; c < k; c++) out[c] /= sum;
    return out;
  }

  /** Class probabilities for a feature vector (features never seen in training are ignored). */
  probabilities(x: Sparse): Float64Array {
    const { idx, val } = this.row(x, false);
    return this.scores(idx, val, new Float64Array(this.k));
  }
}
