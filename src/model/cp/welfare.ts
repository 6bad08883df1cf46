// Welfare effects and their decomposition, Caliendo & Parro (2015) §4.1 — (CP9) in docs/cp2015.md; the path
// integration and reports are in the "Reports" section there:
//
//   d ln W_n = (1/I_n) Σ_j Σ_i (E_ni^j d ln c_n^j − M_ni^j d ln c_i^j)            terms of trade      (W1)
//            + (1/I_n) Σ_j Σ_i τ_ni^j M_ni^j (d ln M_ni^j − d ln c_i^j)            volume of trade     (W2)
//            − (1/I_n) Σ_j Σ_i (1 + τ_ni^j) M_ni^j d ln d_ni^j                     trade costs (NTB)   (W3)
//            + (1/I_n) d D_n                                                       deficit change      (W4)
//
// W_n = I_n / P_n is real income, E_ni^j are n's exports to i and M_ni^j its imports from i (both net of
// tariffs), I_n = w_n L_n + R_n + D_n. For an infinitesimal change the identity is exact (docs/cp2015.md
// derives it from the price index, zero profits and goods-market clearing); (W4) is zero under both shipped
// closures, where D_n is fixed in units of the numéraire.
//
// Two ways to apply it to a discrete counterfactual:
//  - `decomposeWelfareOneStep`: CP2015's published evaluation (Table 2): baseline weights, each d ln x taken as
//    x̂ − 1 in one step from the baseline. It leaves out the second-order terms (e.g. the deadweight loss above
//    the baseline tariff), so for large shocks it can differ from the exact Î/P̂ − 1 by much more than its size.
//  - `WelfarePath`: the same formula integrated along the path of the shock (./path.ts), step by step with the
//    trapezoid rule on the current weights; the steps are chained in the log-mean of real income, so that the
//    parts add up to the exact real-income change up to the integration error, which is reported (`gap`).
import type { CpEconomy } from './economy.ts';
import type { CpEquilibrium } from './solve.ts';

export interface WelfareDecomposition {
  /** Percent of baseline real income, per region (length N). */
  termsOfTrade: Float64Array;
  volumeOfTrade: Float64Array;
  tradeCosts: Float64Array;
  /** (W4): change in the deficit over income (zero when deficits are fixed in units of the numéraire). */
  deficits: Float64Array;
  /** Sum of the parts. */
  total: Float64Array;
  /** Contributions by (region n, partner i, sector j), percent of n's baseline real income, bil(j,n,i). */
  totDetail: Float64Array;
  votDetail: Float64Array;
  costDetail: Float64Array;
}

/**
 * CP2015 §4.1 decomposition evaluated in one step from the baseline (the paper's Table 2 numbers).
 * `baseIncome` is I_n at the baseline; baseline flows come from `e` (M_ni^j = π_ni^j X_n^j / (1 + τ_ni^j));
 * changes from `eq`.
 */
export function decomposeWelfareOneStep(e: CpEconomy, eq: CpEquilibrium, baseIncome: Float64Array): WelfareDecomposition {
  const { N, J, pi, tau, X } = e;
  const out = emptyDecomposition(N, J);
  const { totDetail, votDetail, costDetail } = out;
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
        totDetail[x] += (-100 * M * dlnCi) / baseIncome[n];
        totDetail[(j * N + i) * N + n] += (100 * M * dlnCi) / baseIncome[i]; // i's exports to n, valued at i's cost change
        // Volume of trade: tariff wedge times the change in the quantity imported.
        votDetail[x] = (100 * tau[x] * M * (Mnew / M - 1 - dlnCi)) / baseIncome[n];
        const dHat = shock.dHat ? shock.dHat[x] : 1;
        costDetail[x] = (-100 * (1 + tau[x]) * M * (dHat - 1)) / baseIncome[n];
      }
    }
  }
  for (let n = 0; n < N; n++) out.deficits[n] = (100 * (shock.Dnew[n] - e.D[n])) / baseIncome[n];
  return sumDetails(out, N, J);
}

/** A point on the path of the shock: levels of the quantities in (W1)–(W4) and real income relative to the baseline. */
export interface WelfarePoint {
  /** ĉ_i^j relative to the baseline, rs. */
  cHat: Float64Array;
  /** M_ni^j, imports net of tariffs, bil. */
  M: Float64Array;
  /** τ_ni^j, bil. */
  tau: Float64Array;
  /** ln d_ni^j relative to the baseline (null: no iceberg change), bil. */
  lnd: Float64Array | null;
  /** I_n and D_n, N. */
  income: Float64Array;
  D: Float64Array;
  /** W_n / W_n(baseline) = Î_n / P̂_n, N. */
  realIncome: Float64Array;
}

/** The baseline as a path point. */
export function baselinePoint(e: CpEconomy, baseIncome: Float64Array): WelfarePoint {
  const { N, J } = e;
  const M = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) {
    const x = (j * N + n) * N + i;
    M[x] = (e.pi[x] * e.X[n * J + j]) / (1 + e.tau[x]);
  }
  return { cHat: new Float64Array(N * J).fill(1), M, tau: e.tau, lnd: null, income: baseIncome.slice(), D: e.D.slice(), realIncome: new Float64Array(N).fill(1) };
}

/** An equilibrium (relative to the baseline economy `e`) as a path point. */
export function equilibriumPoint(e: CpEconomy, eq: CpEquilibrium, baseIncome: Float64Array): WelfarePoint {
  const { N, J } = e;
  const M = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) {
    const x = (j * N + n) * N + i;
    M[x] = (eq.piNew[x] * eq.X[n * J + j]) / (1 + eq.shock.tauNew[x]);
  }
  const realIncome = new Float64Array(N);
  for (let n = 0; n < N; n++) realIncome[n] = eq.income[n] / baseIncome[n] / consumerPriceChange(e, eq.PHat, n);
  return { cHat: eq.cHat, M, tau: eq.shock.tauNew, lnd: eq.shock.dHat ? eq.shock.dHat.map(Math.log) : null, income: eq.income, D: eq.shock.Dnew, realIncome };
}

/** P̂_n = Π_j (P̂_n^j)^{α_n^j}: the change in the consumer price level of n (in the solver's numéraire). */
export function consumerPriceChange(e: CpEconomy, PHat: Float64Array, n: number): number {
  let logP = 0;
  for (let j = 0; j < e.J; j++) logP += e.alpha[n * e.J + j] * Math.log(PHat[n * e.J + j]);
  return Math.exp(logP);
}

/**
 * (W1)–(W4) integrated along a path of equilibria a → b → …: each step uses the trapezoid rule on the current
 * weights (M/I, τM/I, (1+τ)M/I at both ends) and log changes of c, M, d; the step's log change of real income
 * is turned into percent of baseline real income with the log-mean of W at the two ends, so the chained steps
 * add up to Ŵ − 1 exactly when each step's parts add up to its log change.
 */
export class WelfarePath {
  readonly parts: WelfareDecomposition;
  steps = 0;
  constructor(private readonly e: CpEconomy) {
    this.parts = emptyDecomposition(e.N, e.J);
  }

  addStep(a: WelfarePoint, b: WelfarePoint): void {
    const { N, J } = this.e;
    const { totDetail, votDetail, costDetail, deficits } = this.parts;
    // 100 × log-mean(W_a, W_b) / I at each end, per region.
    const sa = new Float64Array(N);
    const sb = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const wa = a.realIncome[n];
      const wb = b.realIncome[n];
      const lm = Math.abs(wb - wa) < 1e-14 * wa ? 0.5 * (wa + wb) : (wb - wa) / Math.log(wb / wa);
      sa[n] = (50 * lm) / a.income[n];
      sb[n] = (50 * lm) / b.income[n];
      deficits[n] += (sa[n] + sb[n]) * (b.D[n] - a.D[n]);
    }
    for (let j = 0; j < J; j++) {
      for (let n = 0; n < N; n++) {
        const base = (j * N + n) * N;
        for (let i = 0; i < N; i++) {
          if (i === n) continue;
          const x = base + i;
          const Ma = a.M[x];
          const Mb = b.M[x];
          if (Ma === 0 || Mb === 0) continue;
          const dlc = Math.log(b.cHat[i * J + j] / a.cHat[i * J + j]);
          totDetail[x] -= (sa[n] * Ma + sb[n] * Mb) * dlc;
          totDetail[(j * N + i) * N + n] += (sa[i] * Ma + sb[i] * Mb) * dlc;
          votDetail[x] += (sa[n] * a.tau[x] * Ma + sb[n] * b.tau[x] * Mb) * (Math.log(Mb / Ma) - dlc);
          const dlnd = (b.lnd ? b.lnd[x] : 0) - (a.lnd ? a.lnd[x] : 0);
          if (dlnd !== 0) costDetail[x] -= (sa[n] * (1 + a.tau[x]) * Ma + sb[n] * (1 + b.tau[x]) * Mb) * dlnd;
        }
      }
    }
    this.steps++;
  }

  /** The accumulated decomposition (totals summed from the details). */
  result(): WelfareDecomposition {
    const p = this.parts;
    const copy: WelfareDecomposition = {
      termsOfTrade: new Float64Array(this.e.N),
      volumeOfTrade: new Float64Array(this.e.N),
      tradeCosts: new Float64Array(this.e.N),
      deficits: p.deficits.slice(),
      total: new Float64Array(this.e.N),
      totDetail: p.totDetail.slice(),
      votDetail: p.votDetail.slice(),
      costDetail: p.costDetail.slice(),
    };
    return sumDetails(copy, this.e.N, this.e.J);
  }
}

function emptyDecomposition(N: number, J: number): WelfareDecomposition {
  return {
    termsOfTrade: new Float64Array(N),
    volumeOfTrade: new Float64Array(N),
    tradeCosts: new Float64Array(N),
    deficits: new Float64Array(N),
    total: new Float64Array(N),
    totDetail: new Float64Array(J * N * N),
    votDetail: new Float64Array(J * N * N),
    costDetail: new Float64Array(J * N * N),
  };
}

function sumDetails(d: WelfareDecomposition, N: number, J: number): WelfareDecomposition {
  d.termsOfTrade.fill(0);
  d.volumeOfTrade.fill(0);
  d.tradeCosts.fill(0);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        d.termsOfTrade[n] += d.totDetail[base + i];
        d.volumeOfTrade[n] += d.votDetail[base + i];
        d.tradeCosts[n] += d.costDetail[base + i];
      }
    }
  }
  for (let n = 0; n < N; n++) d.total[n] = d.termsOfTrade[n] + d.volumeOfTrade[n] + d.tradeCosts[n] + d.deficits[n];
  return d;
}
