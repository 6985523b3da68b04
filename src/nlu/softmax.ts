// Multinomial logistic regression over sparse features, trained by SGD at start-up.
// The nearest-neighbour scores say "this looks like an example of X"; the regression learns
// which words tell entries apart ("atendente" alone vs "falar com atendente").

export type Sparse = Map<string, number>;

export class SoftmaxRegression {
  private readonly weights = new Map<string, Float64Array>(); // feature -> weight per class
  private readonly bias: Float64Array;

  constructor(readonly classes: string[]) {
    this.bias = new Float64Array(classes.length);
  }

  private w(f: string): Float64Array {
    let w = this.weights.get(f);
    if (!w) this.weights.set(f, (w = new Float64Array(this.classes.length)));
    return w;
  }

  /** Deterministic SGD (fixed shuffle seed) so every start trains the same model. */
  train(data: Array<{ x: Sparse; y: number }>, opts = { epochs: 20, rate: 0.5, l2: 1e-4 }): void {
    const order = data.map((_, i) => i);
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const k = this.classes.length;
    const p = new Float64Array(k);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rate = opts.rate / (1 + epoch * 0.1);
      for (const idx of order) {
        const { x, y } = data[idx];
        this.probabilities(x, p);
        for (let c = 0; c < k; c++) {
          const g = p[c] - (c === y ? 1 : 0);
          this.bias[c] -= rate * g;
        }
        for (const [f, v] of x) {
          const w = this.w(f);
          for (let c = 0; c < k; c++) w[c] -= rate * ((p[c] - (c === y ? 1 : 0)) * v + opts.l2 * w[c]);
        }
      }
    }
  }

  probabilities(x: Sparse, out = new Float64Array(this.classes.length)): Float64Array {
    const k = this.classes.length;
    for (let c = 0; c < k; c++) out[c] = this.bias[c];
    for (const [f, v] of x) {
      const w = this.weights.get(f);
      if (w) for (let c = 0; c < k; c++) out[c] += w[c] * v;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (out[c] > max) max = out[c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[c] = Math.exp(out[c] - max);
    for (let c = 0; c < k; c++) out[c] /= sum;
    return out;
  }
}
