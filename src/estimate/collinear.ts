// Perfect-collinearity checks on demeaned regressors. Pure.
//
// A regressor is absorbed by the fixed effects when its weighted sum of squares after demeaning is a tiny share
// (< tol) of the one before; it is collinear with other regressors when the Cholesky pivot of the (scaled)
// X̃ᵀWX̃ — the part of it that the regressors before it do not explain — is a tiny share of its own diagonal.
import { choleskyDropCollinear, cholesky, cholSolve } from './linalg.ts';
import type { CollinearReport } from './result.ts';

export function findCollinear(
  X: Float64Array[],
  Xt: Float64Array[],
  w: Float64Array | null,
  names: string[],
  hasFixedEffects: boolean,
  tol = 1e-9,
): { kept: number[]; reports: CollinearReport[] } {
  const p = X.length;
  const n = p ? X[0].length : 0;
  const reports: CollinearReport[] = [];
  const candidates: number[] = [];
  for (let j = 0; j < p; j++) {
    let raw = 0;
    let dem = 0;
    const x = X[j];
    const xt = Xt[j];
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      raw += wi * x[i] * x[i];
      dem += wi * xt[i] * xt[i];
    }
    if (raw === 0) reports.push({ name: names[j], reason: 'is zero for every observation used' });
    else if (!(dem > tol * raw)) {
      reports.push({ name: names[j], reason: hasFixedEffects ? 'is absorbed by the fixed effects (constant within their groups)' : 'is constant' });
    } else candidates.push(j);
  }
  // Cross products of the remaining demeaned regressors, scaled to unit diagonal.
  const q = candidates.length;
  const A = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b <= a; b++) {
      const xa = Xt[candidates[a]];
      const xb = Xt[candidates[b]];
      let s = 0;
      if (w) for (let i = 0; i < n; i++) s += w[i] * xa[i] * xb[i];
      else for (let i = 0; i < n; i++) s += xa[i] * xb[i];
      A[a * q + b] = s;
      A[b * q + a] = s;
    }
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
