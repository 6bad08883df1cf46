// Weighted cross products of demeaned columns, X̃ᵀWX̃ and X̃ᵀWz̃, for the p×p normal equations (row-major
// p×p A and length-p b), and weighted sums of squares; run in chunks by a RowRunner (./row-kernels.ts). Pure.
import { chunkBounds, sequentialRunner, type RowRunner } from './runner.ts';

export function crossProducts(Xt: Float64Array[], zt: Float64Array, w: Float64Array | null, runner: RowRunner = sequentialRunner): { A: Float64Array; b: Float64Array } {
  const p = Xt.length;
  const n = zt.length;
  const s = runner.run(`cross:${p}`, chunkBounds(n), [w === null ? null : runner.share(w), runner.share(zt), ...Xt.map((x) => runner.share(x))], p * (p + 1));
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    b[a] = s[a * (p + 1) + p];
    for (let c = 0; c <= a; c++) {
      A[a * p + c] = s[a * (p + 1) + c];
      A[c * p + a] = s[a * (p + 1) + c];
    }
  }
  return { A, b };
}

/** Σ_i w_i x_ji² for every column j (w null = 1). */
export function sumsOfSquares(X: Float64Array[], w: Float64Array | null, runner: RowRunner = sequentialRunner): Float64Array {
  if (X.length === 0) return new Float64Array(0);
  return runner.run(`sumsq:${X.length}`, chunkBounds(X[0].length), [w === null ? null : runner.share(w), ...X.map((x) => runner.share(x))], X.length);
}
