// Welfare in the Ossa (2014) model and its adjoint seeds. Pure.
//
// Consumer welfare (real income):        Ŵ_j = Ê_j / P̂_j,   P̂_j = Π_s P̂_js^μ_js
// Government welfare (Ossa 2014, §I.B, following Grossman–Helpman 1994; replication code mycongov.m):
//   G_j = Σ_s λ_js (Y_js + δ_js R_j) / P_j
// i.e. industry s's income (its sales, which pay its wage bill and profits, plus its share δ_js of the tariff
// revenue, in proportion to its wage bill) weighted by the political-economy weight λ_js, deflated by the
// price index. With λ ≡ 1 and balanced trade, Ĝ_j = Ŵ_j. Counterfactual δ'_js is recomputed from the
// counterfactual sales: δ'_js = κ_s Y'_js / Σ_s κ_s Y'_js.
import type { OssaEquilibrium } from './equilibrium.ts';

export interface AdjointSeed {
  uBar: Float64Array;
  vBar: Float64Array;
  yBar: Float64Array;
  rBar: Float64Array;
  aBar: Float64Array;
}

export function emptySeed(N: number, S: number): AdjointSeed {
  return {
    uBar: new Float64Array(N),
    vBar: new Float64Array(N),
    yBar: new Float64Array(N * S),
    rBar: new Float64Array(N),
    aBar: new Float64Array(S * N),
  };
}

export type WelfareKind = 'government' | 'consumer';

/** Ŵ_j = Ê_j / P̂_j at the solved state. */
export function consumerWelfareHat(eq: OssaEquilibrium, out = new Float64Array(eq.N)): Float64Array {
  const lnP = eq.lnPriceHat();
  for (let j = 0; j < eq.N; j++) out[j] = Math.exp(eq.z[eq.N + j] - lnP[j]);
  return out;
}

/** Numerator of government welfare Σ_s λ_js (Y'_js + δ'_js R'_j) at the solved state, and its pieces. */
function govNumerator(eq: OssaEquilibrium, j: number): { num: number; lamK: number; kSum: number } {
  const { S, base } = eq;
  let lamY = 0;
  let lamK = 0;
  let kSum = 0;
  for (let s = 0; s < S; s++) {
    const y = eq.salesC[j * S + s];
    const l = base.lambda[j * S + s];
    lamY += l * y;
    lamK += l * base.kappa[s] * y;
    kSum += base.kappa[s] * y;
  }
  return { num: lamY + (eq.revenueC[j] * lamK) / kSum, lamK, kSum };
}

/** Ĝ_j = [Σ_s λ_js (Y'_js + δ'_js R'_j)] / [Σ_s λ_js (Y_js + δ_js R_j)] / P̂_j at the solved state. */
export function governmentWelfareHat(eq: OssaEquilibrium, out = new Float64Array(eq.N)): Float64Array {
  const lnP = eq.lnPriceHat();
  for (let j = 0; j < eq.N; j++) out[j] = (govNumerator(eq, j).num / eq.base.govBase[j]) * Math.exp(-lnP[j]);
  return out;
}

/** Adds the adjoint seeds of Φ = Σ_j ω_j ln Ĝ_j (or ln Ŵ_j) into `seed`. */
export function addWelfareSeed(eq: OssaEquilibrium, weights: Float64Array, kind: WelfareKind, seed: AdjointSeed): void {
  const { N, S, base } = eq;
  for (let j = 0; j < N; j++) {
    const w = weights[j];
    if (w === 0) continue;
    // − ln P̂_j = − Σ_s μ_js ln A_js / (1 − σ_s)
    for (let s = 0; s < S; s++) seed.aBar[s * N + j] -= (w * base.mu[j * S + s]) / (1 - base.sigma[s]);
    if (kind === 'consumer') {
      seed.vBar[j] += w;
      continue;
    }
    const { num, lamK, kSum } = govNumerator(eq, j);
    const R = eq.revenueC[j];
    const c = w / num;
    for (let s = 0; s < S; s++) {
      const l = base.lambda[j * S + s];
      // ∂num/∂Y'_js = λ_js + R' κ_s (λ_js − Λ/K) / K
      seed.yBar[j * S + s] += c * (l + (R * base.kappa[s] * (l - lamK / kSum)) / kSum);
    }
    seed.rBar[j] += (c * lamK) / kSum;
  }
}
