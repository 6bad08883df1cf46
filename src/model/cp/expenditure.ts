// Goods-market clearing in levels after the shock (CP2015 §3.3, total expenditure / goods-market clearing), (CP4)
// in docs/cp2015.md (the paper's (12)):
//   X'_n^j = Σ_k γ_n^{j,k} Σ_i (π'_in^k / (1 + τ'_in^k)) X'_i^k + α_n^j I'_n,                          (CP4)
//   I'_n   = ŵ_n w_n L_n + R'_n + D'_n,   R'_n = Σ_j X'_n^j Σ_i τ'_ni^j π'_ni^j / (1 + τ'_ni^j).
// With Ψ_ni^j = π'_ni^j / (1 + τ'_ni^j): gross output Y'_i^j = Σ_n Ψ_ni^j X'_n^j and, because Σ_i π'_ni^j = 1,
// R'_n = Σ_j X'_n^j (1 − Σ_i Ψ_ni^j). The system is linear in X' for given shares and wages; it is solved by
// Anderson-accelerated fixed-point iteration, warm-started from the previous X'.
import { Anderson } from '../anderson.ts';
import type { CpEconomy } from './economy.ts';

/** Gross output Y_i^j = Σ_n Ψ_ni^j X_n^j (rs) — sales of i net of tariffs. */
export function grossOutputOf(e: CpEconomy, psi: Float64Array, X: Float64Array, out: Float64Array): void {
  const { N, J } = e;
  // Accumulated per sector over importers in a contiguous scratch column (length N), then scattered to rs(i,j).
  const col = scratchColumn(N);
  for (let j = 0; j < J; j++) {
    if (!e.traded[j]) {
      for (let n = 0; n < N; n++) out[n * J + j] = psi[(j * N + n) * N + n] * X[n * J + j];
      continue;
    }
    col.fill(0);
    for (let n = 0; n < N; n++) {
      const xn = X[n * J + j];
      if (xn === 0) continue;
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) col[i] += psi[base + i] * xn;
    }
    for (let i = 0; i < N; i++) out[i * J + j] = col[i];
  }
}

let column = new Float64Array(0);
/** A reusable scratch array of length ≥ n (the model layer is single-threaded per realm). */
function scratchColumn(n: number): Float64Array {
  if (column.length < n) column = new Float64Array(n);
  return column.length === n ? column : column.subarray(0, n);
}

/** Tariff revenue R_n = Σ_j X_n^j (1 − Σ_i Ψ_ni^j), given the per-(n,j) retained share `netShare` = Σ_i Ψ_ni^j. */
export function tariffRevenueOf(e: CpEconomy, netShare: Float64Array, X: Float64Array, out: Float64Array): void {
  const { N, J } = e;
  for (let n = 0; n < N; n++) {
    let r = 0;
    for (let j = 0; j < J; j++) r += X[n * J + j] * (1 - netShare[n * J + j]);
    out[n] = r;
  }
}

export interface ExpenditureWork {
  aa: Anderson;
  Y: Float64Array;
  R: Float64Array;
  next: Float64Array;
  netShare: Float64Array;
}

export function expenditureWork(e: CpEconomy): ExpenditureWork {
  return { aa: new Anderson(e.N * e.J, { memory: 5 }), Y: new Float64Array(e.N * e.J), R: new Float64Array(e.N), next: new Float64Array(e.N * e.J), netShare: new Float64Array(e.N * e.J) };
}

/** One application of the right-hand side of the goods-market condition to X; writes into w.next. Returns nothing. */
function applyMarketClearing(e: CpEconomy, psi: Float64Array, wVA: Float64Array, Dnew: Float64Array, X: Float64Array, w: ExpenditureWork): void {
  const { N, J, gammaIO, alpha } = e;
  grossOutputOf(e, psi, X, w.Y);
  tariffRevenueOf(e, w.netShare, X, w.R);
  const Y = w.Y;
  for (let n = 0; n < N; n++) {
    const income = wVA[n] + w.R[n] + Dnew[n];
    const rs = n * J;
    // X_n^j = α_n^j I_n + Σ_k γ_n^{j,k} Y_n^k: a dot product over the contiguous row gammaIO[(n*J + j)*J + k].
    for (let j = 0; j < J; j++) {
      const row = (rs + j) * J;
      let s = alpha[rs + j] * income;
      for (let k = 0; k < J; k++) s += gammaIO[row + k] * Y[rs + k];
      w.next[rs + j] = s;
    }
  }
}

/**
 * Solves the goods-market condition for X' given Ψ, wage bills ŵ_n w_n L_n and deficits D'. X is the warm start and receives
 * the solution. Returns iterations and the final max relative residual.
 */
export function solveExpenditure(
  e: CpEconomy,
  psi: Float64Array,
  wVA: Float64Array,
  Dnew: Float64Array,
  X: Float64Array,
  w: ExpenditureWork,
  tol: number,
  maxIter: number,
  /** Stop early when the residual has not halved for this many iterations (no solution, or a stall). */
  stallAfter = Infinity,
): { iterations: number; residual: number } {
  const { N, J } = e;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < J; j++) {
      let s = 0;
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) s += psi[base + i];
      w.netShare[n * J + j] = s;
    }
  }
  const aa = w.aa;
  aa.reset();
  let residual = Infinity;
  let best = Infinity;
  let bestAt = 0;
  let it = 0;
  for (; it < maxIter; it++) {
    applyMarketClearing(e, psi, wVA, Dnew, X, w);
    // Residual relative to each region's total expenditure, so small economies converge as tightly as large ones.
    residual = 0;
    for (let n = 0; n < N; n++) {
      let total = 0;
      let dev = 0;
      for (let j = 0; j < J; j++) {
        total += Math.abs(w.next[n * J + j]);
        dev = Math.max(dev, Math.abs(w.next[n * J + j] - X[n * J + j]));
      }
      if (total > 0) residual = Math.max(residual, dev / total);
    }
    if (residual < tol) {
      X.set(w.next);
      return { iterations: it + 1, residual };
    }
    if (residual < 0.5 * best) {
      best = residual;
      bestAt = it;
    } else if (!Number.isFinite(residual) || it - bestAt > stallAfter) {
      return { iterations: it + 1, residual: Number.isFinite(residual) ? residual : Infinity };
    }
    aa.step(X, w.next, X);
    for (let x = 0; x < X.length; x++) if (X[x] < 0) X[x] = 0;
  }
  return { iterations: it, residual };
}
