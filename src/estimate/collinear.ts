// Perfect-collinearity checks on demeaned regressors. Pure.
//
// A regressor is absorbed by the fixed effects when its weighted sum of squares after demeaning is a tiny share
// (< tol) of the one before; it is collinear with other regressors when the Cholesky pivot of the (scaled)
// X̃ᵀWX̃ — the part of it that the regressors before it do not explain — is a tiny share of its own diagonal.
import { crossProducts, sumsOfSquares } from './cross.ts';
import { choleskyDropCollinear, cholesky, cholSolve } from './linalg.ts';
import { sequentialRunner, type RowRunner } from './runner.ts';
import type { CollinearReport } from './result.ts';

export function findCollinear(
  X: Float64Array[],
  Xt: Float64Array[],
  w: Float64Array | null,
  names: string[],
  hasFixedEffects: boolean,
  tol = 1e-9,
  runner: RowRunner = sequentialRunner,
): { kept: number[]; reports: CollinearReport[] } {
  const p = X.length;
  const reports: CollinearReport[] = [];
  const candidates: number[] = [];
  // Weighted sums of squares before and after demeaning (the diagonals of XᵀWX and X̃ᵀWX̃), and X̃ᵀWX̃.
  const raw = sumsOfSquares(X, w, runner);
  const full = p ? crossProducts(Xt, Xt[0], w, runner).A : new Float64Array(0);
  for (let j = 0; j < p; j++) {
    const r = raw[j];
    const dem = full[j * p + j];
    if (r === 0) reports.push({ name: names[j], reason: 'is zero for every observation used' });
    else if (!(dem > tol * r)) {
      reports.push({ name: names[j], reason: hasFixedEffects ? 'is absorbed by the fixed effects (constant within their groups)' : 'is constant' });
    } else candidates.push(j);
  }
  // Cross products of the remaining demeaned regressors, scaled to unit diagonal.
  const q = candidates.length;
  const A = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) A[a * q + b] = full[candidates[a] * p + candidates[b]];
  const d = new Float64Array(q);
  for (let a = 0; a < q; a++) d[a] = Math.sqrt(A[a * q + a]);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) A[a * q + b] /= d[a] * d[b];
  const { kept, dropped } = choleskyDropCollinear(A, q, tol);
  for (const j of dropped) {
    // Which kept regressors explain it: solve the scaled normal equations on the kept set.
    const kq = kept.filter((k) => k < j);
    const m = kq.length;
    const M = new Float64Array(m * m);
    const rhs = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      rhs[a] = A[kq[a] * q + j];
      for (let b = 0; b < m; b++) M[a * m + b] = A[kq[a] * q + kq[b]];
    }
    const L = cholesky(M, m);
    const coef = L ? cholSolve(L, m, rhs) : new Float64Array(m);
    const partners = kq.filter((_, a) => Math.abs(coef[a]) > 1e-6).map((k) => names[candidates[k]]);
    reports.push({
      name: names[candidates[j]],
      reason: `is perfectly collinear with ${partners.length ? partners.join(', ') : 'the other regressors'}${hasFixedEffects ? ' (after removing the fixed effects)' : ''}`,
    });
  }
  return { kept: kept.map((k) => candidates[k]).sort((a, b) => a - b), reports };
}
