// Small models fitted by Newton's method on the cross-validated (left-out) scores of the
// training examples, so the numbers they output mean probabilities:
//  - a conditional logit over the candidate labels of a text (one weight per base score,
//    shared by all labels): P(label | text);
//  - a logistic regression on the decision's features: P(the best label is right).

/** Solves A x = b for a small symmetric positive definite A (Gaussian elimination, in place). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  for (let i = 0; i < n; i++) {
    let pivot = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(A[r][i]) > Math.abs(A[pivot][i])) pivot = r;
    [A[i], A[pivot]] = [A[pivot], A[i]];
    [b[i], b[pivot]] = [b[pivot], b[i]];
    const d = A[i][i] || 1e-12;
    for (let r = i + 1; r < n; r++) {
      const f = A[r][i] / d;
      if (f === 0) continue;
      for (let c = i; c < n; c++) A[r][c] -= f * A[i][c];
      b[r] -= f * b[i];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < n; c++) s -= A[i][c] * x[c];
    x[i] = s / (A[i][i] || 1e-12);
  }
  return x;
}

/**
 * Conditional logit: weights w so that P(candidate c of sample i) = softmax_c(w . x_c).
 * `x` holds every candidate's `dims` features back to back; sample i's candidates are
 * `start[i] .. start[i + 1] - 1`, the right one is `y[i]` (an index into the same range).
 */
export function fitConditionalLogit(x: Float64Array, dims: number, start: Int32Array, y: Int32Array, weight: Float64Array, l2 = 1e-2, iterations = 30): number[] {
  const w = new Float64Array(dims);
  const samples = y.length;
  const u = new Float64Array(x.length / dims);
  const mean = new Float64Array(dims);
  const g = new Float64Array(dims);
  const H = new Float64Array(dims * dims);
  /** Penalised log-likelihood at `v`; with `grad`, also fills g and H. */
  const evaluate = (v: Float64Array, grad: boolean): number => {
    if (grad) {
      g.fill(0);
      H.fill(0);
    }
    let ll = 0;
    for (let i = 0; i < samples; i++) {
      const a = start[i];
      const b = start[i + 1];
      let max = -Infinity;
      for (let c = a; c < b; c++) {
        let s = 0;
        for (let k = 0; k < dims; k++) s += v[k] * x[c * dims + k];
        u[c] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let c = a; c < b; c++) z += Math.exp(u[c] - max);
      const sw = weight[i];
      ll += sw * (u[y[i]] - max - Math.log(z));
      if (!grad) continue;
      mean.fill(0);
      for (let c = a; c < b; c++) {
        const p = (u[c] = Math.exp(u[c] - max) / z);
        for (let k = 0; k < dims; k++) mean[k] += p * x[c * dims + k];
      }
      const yo = y[i] * dims;
      for (let k = 0; k < dims; k++) g[k] += sw * (x[yo + k] - mean[k]);
      for (let c = a; c < b; c++) {
        const pw = sw * u[c];
        if (pw < 1e-12) continue;
        const o = c * dims;
        for (let k = 0; k < dims; k++) {
          const dk = x[o + k] - mean[k];
          if (dk === 0) continue;
          for (let j = 0; j < dims; j++) H[k * dims + j] += pw * dk * (x[o + j] - mean[j]);
        }
      }
    }
    let pen = 0;
    for (let k = 0; k < dims; k++) pen += v[k] * v[k];
    return ll - 0.5 * l2 * pen;
  };
  let current = evaluate(w, true);
  const trial = new Float64Array(dims);
  for (let it = 0; it < iterations; it++) {
    const A: number[][] = [];
    const r: number[] = [];
    for (let k = 0; k < dims; k++) {
      A.push(Array.from(H.subarray(k * dims, (k + 1) * dims)));
      A[k][k] += l2;
      r.push(g[k] - l2 * w[k]);
    }
    const step = solve(A, r);
    // Backtracking: Newton steps overshoot on nearly separable data.
    let t = 1;
    let next = -Infinity;
    for (let tries = 0; tries < 20; tries++, t /= 2) {
      for (let k = 0; k < dims; k++) trial[k] = w[k] + t * step[k];
      next = evaluate(trial, false);
      if (next >= current) break;
    }
    if (!(next >= current)) break;
    let change = 0;
    for (let k = 0; k < dims; k++) change = Math.max(change, Math.abs(trial[k] - w[k]));
    w.set(trial);
    current = evaluate(w, true);
    if (change < 1e-3) break;
  }
  return Array.from(w);
}

/** Logistic regression (first feature should be a constant 1 for the intercept). */
export function fitLogistic(x: number[][], y: number[], l2 = 1e-2, iterations = 30, weights?: number[]): number[] {
  const dims = x[0]?.length ?? 0;
  let w = new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(dims).fill(0);
    const H = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    x.forEach((xi, n) => {
      const sw = weights?.[n] ?? 1;
      const p = sigmoid(dot(w, xi));
      const r = p * (1 - p) * sw;
      for (let i = 0; i < dims; i++) {
        g[i] += sw * (y[n] - p) * xi[i];
        if (xi[i] === 0) continue;
        for (let j = 0; j < dims; j++) H[i][j] += r * xi[i] * xi[j];
      }
    });
    for (let i = 1; i < dims; i++) {
      g[i] -= l2 * w[i];
      H[i][i] += l2;
    }
    H[0][0] += 1e-9;
    const step = solve(H, g);
    let change = 0;
    w = w.map((v, i) => {
      change = Math.max(change, Math.abs(step[i]));
      return v + step[i];
    });
    if (change < 1e-6) break;
  }
  return w;
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
