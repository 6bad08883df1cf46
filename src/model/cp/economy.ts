// The CP2015 economy in the solver's terms, derived from a World in levels, and back.
// Notation (Caliendo & Parro 2015, §3; docs/cp2015.md): n importer, i exporter, j/k sectors.
//   π_ni^j  expenditure share of n on goods from i in sector j (tariff inclusive), bil(j,n,i)
//   γ_n^j   value-added share of gross output, rs(n,j)
//   γ_n^{k,j} share of input k in the gross output of sector j: IO share × (1 − γ_n^j), io(n,k,j)
//   α_n^j   final-demand share, rs(n,j);  θ^j trade elasticity;  X_n^j expenditure, rs(n,j)
//   w_n L_n value added;  D_n deficit (imports − exports);  τ_ni^j tariff (fraction)
import type { World } from '../../data/world.ts';

export interface CpEconomy {
  N: number;
  J: number;
  theta: Float64Array;
  gammaVA: Float64Array;
  gammaIO: Float64Array;
  alpha: Float64Array;
  pi: Float64Array;
  tau: Float64Array;
  X: Float64Array;
  VA: Float64Array;
  D: Float64Array;
  /** 1 if sector j has any international trade at the baseline, else 0 (hat algebra cannot create trade). */
  traded: Uint8Array;
}

/** CP2015 §3: shares and parameters of a World. Trade shares are tariff-inclusive expenditure shares. */
export function economyOf(w: World): CpEconomy {
  const N = w.regions.length;
  const J = w.sectors.length;
  const theta = Float64Array.from(w.sectors, (s) => s.theta);
  const gammaIO = new Float64Array(N * J * J);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < J; k++) {
      for (let j = 0; j < J; j++) {
        const x = (n * J + k) * J + j;
        gammaIO[x] = w.io[x] * (1 - w.vaShare[n * J + j]);
      }
    }
  }
  const pi = new Float64Array(J * N * N);
  const X = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      let s = 0;
      for (let i = 0; i < N; i++) s += w.trade[base + i] * (1 + w.tariff[base + i]);
      X[n * J + j] = s;
      if (s > 0) for (let i = 0; i < N; i++) pi[base + i] = (w.trade[base + i] * (1 + w.tariff[base + i])) / s;
      else pi[base + n] = 1; // no expenditure: autarky share so that the price index is defined
    }
  }
  const traded = new Uint8Array(J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N && !traded[j]; n++) {
      for (let i = 0; i < N; i++) if (i !== n && pi[(j * N + n) * N + i] > 0) traded[j] = 1;
    }
  }
  return {
    N,
    J,
    theta,
    traded,
    gammaVA: w.vaShare.slice(),
    gammaIO,
    alpha: w.alpha.slice(),
    pi,
    tau: w.tariff.slice(),
    X,
    VA: w.valueAdded.slice(),
    D: w.deficit.slice(),
  };
}

/**
 * A World in levels from an equilibrium: trade M_ni^j = π'_ni^j X'_n^j / (1 + τ'_ni^j), value added ŵ_n w_n L_n,
 * deficits D'_n. Parameters (α, γ, θ, IO) are unchanged. Used to materialise a re-solved baseline.
 */
export function worldFromEquilibrium(
  base: World,
  eq: { pi: Float64Array; X: Float64Array; tau: Float64Array; VA: Float64Array; D: Float64Array },
  name: string,
): World {
  const N = base.regions.length;
  const J = base.sectors.length;
  const trade = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base_ = (j * N + n) * N;
      const x = eq.X[n * J + j];
      for (let i = 0; i < N; i++) trade[base_ + i] = (eq.pi[base_ + i] * x) / (1 + eq.tau[base_ + i]);
    }
  }
  return {
    ...base,
    name,
    trade,
    tariff: eq.tau.slice(),
    valueAdded: eq.VA.slice(),
    deficit: eq.D.slice(),
  };
}
