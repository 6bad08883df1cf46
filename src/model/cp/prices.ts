// Input-bundle costs and sectoral price indices in changes (CP2015 §3.3, equilibrium in relative changes).
// Equations (CP1)–(CP3) in docs/cp2015.md (the paper's (9)–(11)).
// Index order: rs(n,j) = n*J + j; bil(j,n,i) = (j*N + n)*N + i (see src/data/world.ts).
import type { CpEconomy } from './economy.ts';

/**
 * (CP1) input-bundle cost in changes: ln ĉ_n^j = γ_n^j ln ŵ_n + Σ_k γ_n^{k,j} ln P̂_n^k.  Writes rs(n,j) into `out`.
 */
export function logInputCosts(e: CpEconomy, logw: Float64Array, logP: Float64Array, out: Float64Array): void {
  const { N, J, gammaVA, gammaIO } = e;
  for (let n = 0; n < N; n++) {
    const lw = logw[n];
    for (let j = 0; j < J; j++) out[n * J + j] = gammaVA[n * J + j] * lw;
    for (let k = 0; k < J; k++) {
      const lp = logP[n * J + k];
      if (lp === 0) continue;
      const row = (n * J + k) * J;
      for (let j = 0; j < J; j++) out[n * J + j] += gammaIO[row + j] * lp;
    }
  }
}

/**
 * The shock-dependent part of the price index (CP2): A_ni^j = π_ni^j (κ̂_ni^j)^(−θ^j), with
 * κ̂_ni^j = d̂_ni^j (1 + τ'_ni^j)/(1 + τ_ni^j) (iceberg change × tariff-factor change). bil(j,n,i).
 */
export function shockedShares(e: CpEconomy, tauNew: Float64Array, dHat: Float64Array | null): Float64Array {
  const { N, J, pi, tau, theta } = e;
  const A = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) {
    const th = theta[j];
    for (let x = j * N * N; x < (j + 1) * N * N; x++) {
      const p = pi[x];
      if (p === 0) continue;
      const kappa = ((1 + tauNew[x]) / (1 + tau[x])) * (dHat ? dHat[x] : 1);
      A[x] = kappa === 1 ? p : p * Math.exp(-th * Math.log(kappa));
    }
  }
  return A;
}

/**
 * (CP2) sectoral price index in changes: P̂_n^j = [Σ_i π_ni^j (κ̂_ni^j ĉ_i^j)^(−θ^j)]^(−1/θ^j).
 * Writes ln P̂ (rs) into `logP` and the unnormalised terms' sums s_n^j = (P̂_n^j)^(−θ^j) into `sums` (rs),
 * using `v` (length N) as scratch for (ĉ_i^j)^(−θ^j).
 */
export function logPriceIndex(e: CpEconomy, A: Float64Array, logc: Float64Array, logP: Float64Array, sums: Float64Array, v: Float64Array): void {
  const { N, J, theta } = e;
  for (let j = 0; j < J; j++) {
    const th = theta[j];
    if (!e.traded[j]) {
      // Only domestic sales: P̂_n^j = ĉ_n^j (up to the own-market shock factor).
      for (let n = 0; n < N; n++) {
        const s = A[(j * N + n) * N + n] * Math.exp(-th * logc[n * J + j]);
        sums[n * J + j] = s;
        logP[n * J + j] = -Math.log(s) / th;
      }
      continue;
    }
    for (let i = 0; i < N; i++) v[i] = Math.exp(-th * logc[i * J + j]);
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      let s = 0;
      for (let i = 0; i < N; i++) s += A[base + i] * v[i];
      sums[n * J + j] = s;
      logP[n * J + j] = -Math.log(s) / th;
    }
  }
}

/**
 * (CP3) bilateral trade shares in changes: π'_ni^j = π_ni^j (κ̂_ni^j ĉ_i^j / P̂_n^j)^(−θ^j) = A_ni^j (ĉ_i^j)^(−θ^j) / s_n^j. bil(j,n,i).
 */
export function tradeShares(e: CpEconomy, A: Float64Array, logc: Float64Array, sums: Float64Array, out: Float64Array, v: Float64Array): void {
  const { N, J, theta } = e;
  for (let j = 0; j < J; j++) {
    const th = theta[j];
    if (!e.traded[j]) {
      for (let n = 0; n < N; n++) {
        const x = (j * N + n) * N + n;
        out[x] = (A[x] * Math.exp(-th * logc[n * J + j])) / sums[n * J + j];
      }
      continue;
    }
    for (let i = 0; i < N; i++) v[i] = Math.exp(-th * logc[i * J + j]);
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      const inv = 1 / sums[n * J + j];
      for (let i = 0; i < N; i++) out[base + i] = A[base + i] * v[i] * inv;
    }
  }
}
