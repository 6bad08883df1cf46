// Exact real income of each region from an equilibrium, without building a report. Pure.
//
//   I_n  = w_n L_n + R_n + D_n,   R_n = Σ_j Σ_i τ_ni^j M_ni^j,   M_ni^j = π_ni^j X_n^j / (1 + τ_ni^j)   (CP4) at the baseline
//   Ŵ_n  = Î_n / P̂_n,            ln P̂_n = Σ_j α_n^j ln P̂_n^j                                       (CP8)
//
// Ŵ_n is the ratio of real income after the shock to real income at the baseline (1 = no change); the report
// (./results.ts) shows (Ŵ_n − 1) × 100 as `realIncome`. Index order as in ./economy.ts.
import type { CpEconomy } from './economy.ts';
import type { CpEquilibrium } from './solve.ts';

/** Baseline income I_n = w_n L_n + R_n + D_n of each region (length N), summed in the report's order. */
export function baseIncomeOf(e: CpEconomy): Float64Array {
  const { N, J } = e;
  const revenue = new Float64Array(N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) revenue[n] += e.tau[base + i] * ((e.pi[base + i] * e.X[n * J + j]) / (1 + e.tau[base + i]));
    }
  }
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) out[n] = e.VA[n] + revenue[n] + e.D[n];
  return out;
}

/** ln P̂_n = Σ_j α_n^j ln P̂_n^j: the change of the consumer price level of each region (CP8). */
export function logConsumerPriceOf(e: CpEconomy, PHat: Float64Array, out = new Float64Array(e.N)): Float64Array {
  const { N, J } = e;
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += e.alpha[n * J + j] * Math.log(PHat[n * J + j]);
    out[n] = s;
  }
  return out;
}

/** Ŵ_n = (I'_n / I_n) / P̂_n per region (length N): exact real income relative to the baseline (CP8). */
export function realIncomeOf(e: CpEconomy, eq: Pick<CpEquilibrium, 'income' | 'PHat'>, baseIncome: Float64Array, out = new Float64Array(e.N)): Float64Array {
  logConsumerPriceOf(e, eq.PHat, out);
  for (let n = 0; n < e.N; n++) out[n] = eq.income[n] / baseIncome[n] / Math.exp(out[n]);
  return out;
}
