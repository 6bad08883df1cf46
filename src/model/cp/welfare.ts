// Welfare effects and their decomposition, Caliendo & Parro (2015) §4.1:
// (CP9) in docs/cp2015.md
//
//   d ln W_n = (1/I_n) Σ_j Σ_i (E_ni^j d ln c_n^j − M_ni^j d ln c_i^j)            terms of trade
//            + (1/I_n) Σ_j Σ_i τ_ni^j M_ni^j (d ln M_ni^j − d ln c_i^j)            volume of trade
//            − (1/I_n) Σ_j Σ_i (1 + τ_ni^j) M_ni^j d ln d_ni^j                     trade costs (iceberg / NTB)
//
// E_ni^j are n's exports to i and M_ni^j its imports from i (both net of tariffs), I_n income, all at the
// baseline. For a discrete counterfactual each d ln x is evaluated as the relative change x̂ − 1 (as in the
// authors' published results), so the three parts add up to the reported total. The exact change in real
// income, Î_n / P̂_n − 1, is reported beside it.
import type { CpEconomy } from './economy.ts';
import type { CpEquilibrium } from './solve.ts';

export interface WelfareDecomposition {
  /** Percent of baseline income, per region (length N). */
  termsOfTrade: Float64Array;
  volumeOfTrade: Float64Array;
  tradeCosts: Float64Array;
  total: Float64Array;
  /** Contributions by (region n, partner i, sector j), percent of n's income, bil(j,n,i). */
  totDetail: Float64Array;
  votDetail: Float64Array;
  costDetail: Float64Array;
}

/**
 * CP2015 §4.1 decomposition. `baseIncome` is I_n at the baseline; baseline flows come from `e`
 * (M_ni^j = π_ni^j X_n^j / (1 + τ_ni^j)); changes from `eq`.
 */
export function decomposeWelfare(e: CpEconomy, eq: CpEquilibrium, baseIncome: Float64Array): WelfareDecomposition {
  const { N, J, pi, tau, X } = e;
  const termsOfTrade = new Float64Array(N);
  const volumeOfTrade = new Float64Array(N);
  const tradeCosts = new Float64Array(N);
  const totDetail = new Float64Array(J * N * N);
  const votDetail = new Float64Array(J * N * N);
  const costDetail = new Float64Array(J * N * N);
  const { cHat, piNew, X: Xnew, shock } = eq;
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        const x = base + i;
        const M = (pi[x] * X[n * J + j]) / (1 + tau[x]); // n's imports from i
        if (M === 0) continue;
        const Mnew = (piNew[x] * Xnew[n * J + j]) / (1 + shock.tauNew[x]);
        const dlnCi = cHat[i * J + j] - 1;
        // Terms of trade: the flow M (n imports from i) is at once n's import and i's export.
        const importSide = (-M * dlnCi) / baseIncome[n];
        const exportSide = (M * dlnCi) / baseIncome[i]; // i's exports to n, valued at i's cost change
        totDetail[x] += 100 * importSide;
        totDetail[(j * N + i) * N + n] += 100 * exportSide;
        // Volume of trade: tariff wedge times the change in the quantity imported.
        const vot = (tau[x] * M * (Mnew / M - 1 - dlnCi)) / baseIncome[n];
        votDetail[x] = 100 * vot;
        const dHat = shock.dHat ? shock.dHat[x] : 1;
        costDetail[x] = (-100 * (1 + tau[x]) * M * (dHat - 1)) / baseIncome[n];
      }
    }
  }
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        termsOfTrade[n] += totDetail[base + i];
        volumeOfTrade[n] += votDetail[base + i];
        tradeCosts[n] += costDetail[base + i];
      }
    }
  }
  const total = new Float64Array(N);
  for (let n = 0; n < N; n++) total[n] = termsOfTrade[n] + volumeOfTrade[n] + tradeCosts[n];
  return { termsOfTrade, volumeOfTrade, tradeCosts, total, totDetail, votDetail, costDetail };
}
