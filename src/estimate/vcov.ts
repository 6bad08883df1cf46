// Variance–covariance matrices of fixed-effect estimators: iid, heteroskedasticity-robust and one-way clustered
// sandwiches with named small-sample corrections. Pure.
//
// With the fixed effects partialled out (Frisch–Waugh–Lovell; for Poisson at the IRLS fixed point, see
// Correia, Guimarães & Zylkin 2020, "Fast Poisson estimation with high-dimensional fixed effects", Stata J.
// 20(1), eqs. (5)–(7)), the score of observation i is s_i = x̃_i r_i with x̃ the weighted-demeaned regressors and
// r_i = y_i − μ_i (Poisson) or the residual e_i (OLS). Bread B = (X̃ᵀ W X̃)⁻¹ (W = diag(μ) for Poisson, I for OLS).
//   robust:   V = c · B (Σ_i s_i s_iᵀ) B
//   cluster:  V = c · B (Σ_g (Σ_{i∈g} s_i)(Σ_{i∈g} s_i)ᵀ) B
//   iid:      V = B (Poisson: the inverse information) or σ̂² B with σ̂² = Σ e²/(n − K) (OLS)
// Small-sample factor c (`ssc`):
//   'stata'  — what Stata's estimators report: ML models (poisson, glm, ppml, ppmlhdfe, ppml_panel_sg):
//              robust n/(n−1), cluster G/(G−1); OLS (regress, reghdfe): robust (n−1)/(n−K), cluster
//              (n−1)/(n−K)·G/(G−1).
//   'fixest' — fixest's defaults (ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE)) for every model:
//              robust (n−1)/(n−K); cluster (n−1)/(n−K)·G/(G−1).
//   'none'   — c = 1.
// K counts the regressors plus the fixed-effect coefficients that are not nested in the clusters
// (Σ_k G_k − (K_fe − 1), the usual count when the fixed effects are connected).
import { crossProducts } from './cross.ts';
import { cholesky, cholInverse, sandwich } from './linalg.ts';
import { sequentialRunner, type RowRunner } from './runner.ts';

export type VcovType = 'iid' | 'robust' | 'cluster';
export type SmallSample = 'stata' | 'fixest' | 'none';

export interface VcovInput {
  method: 'ppml' | 'ols';
  /** Demeaned regressors (p columns of length n). */
  Xt: Float64Array[];
  /** Weights of the bread (μ for Poisson), null = 1. */
  w: Float64Array | null;
  /** Score residual r_i. */
  r: Float64Array;
  type: VcovType;
  cluster?: { codes: Int32Array; size: number };
  ssc: SmallSample;
  /** Number of fixed-effect coefficients counted in K (not nested in the clusters). */
  feParams: number;
  /** Runs the row loops of the bread and the robust meat (default: sequentially). */
  runner?: RowRunner;
}

export interface VcovResult {
  V: Float64Array;
  /** The factor c applied, and how it was formed. */
  factor: number;
  factorText: string;
  clusters?: number;
}

export function computeVcov(inp: VcovInput): VcovResult {
  const p = inp.Xt.length;
  const n = inp.r.length;
  const { Xt, w, r } = inp;
  const runner = inp.runner ?? sequentialRunner;
  // Bread.
  const A = crossProducts(Xt, r, w, runner).A;
  const L = choleskyOrThrow(A, p);
  const B = cholInverse(L, p);
  const K = p + inp.feParams;
  if (inp.type === 'iid') {
    if (inp.method === 'ppml') return { V: B, factor: 1, factorText: 'none (inverse information)' };
    let sse = 0;
    for (let i = 0; i < n; i++) sse += r[i] * r[i];
    const s2 = sse / (n - K);
    const V = B.map((x) => x * s2);
    return { V, factor: s2, factorText: `σ² = SSR/(n−K), K = ${K}` };
  }
  const meat = new Float64Array(p * p);
  let clusters: number | undefined;
  if (inp.type === 'robust') {
    // Σ_i r_i² x̃_i x̃_iᵀ: the weighted cross products with weights r².
    const r2 = runner.f64(n);
    for (let i = 0; i < n; i++) r2[i] = r[i] * r[i];
    meat.set(crossProducts(Xt, r, r2, runner).A);
  } else {
    const cl = inp.cluster!;
    const G = cl.size;
    const sums = new Float64Array(G * p);
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      const base = cl.codes[i] * p;
      for (let a = 0; a < p; a++) sums[base + a] += Xt[a][i] * ri;
    }
    let used = 0;
    const seen = new Uint8Array(G);
    for (let i = 0; i < n; i++) if (!seen[cl.codes[i]]) {
      seen[cl.codes[i]] = 1;
      used++;
    }
    clusters = used;
    for (let g = 0; g < G; g++) {
      const base = g * p;
      for (let a = 0; a < p; a++) {
        const sa = sums[base + a];
        if (sa === 0) continue;
        for (let b = 0; b <= a; b++) meat[a * p + b] += sa * sums[base + b];
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) meat[b * p + a] = meat[a * p + b];
  const V = sandwich(B, meat, p);
  const { factor, text } = smallSample(inp, n, K, clusters);
  for (let q = 0; q < V.length; q++) V[q] *= factor;
  return { V, factor, factorText: text, clusters };
}

function smallSample(inp: VcovInput, n: number, K: number, G: number | undefined): { factor: number; text: string } {
  if (inp.ssc === 'none') return { factor: 1, text: 'none' };
  const gAdj = G !== undefined ? G / (G - 1) : 1;
  const gText = G !== undefined ? `G/(G−1) with G = ${G}` : '';
  const kAdj = (n - 1) / (n - K);
  const kText = `(n−1)/(n−K) with n = ${n}, K = ${K}`;
  if (inp.ssc === 'stata' && inp.method === 'ppml') {
    if (G !== undefined) return { factor: gAdj, text: `${gText} (Stata ML estimators: poisson, ppmlhdfe)` };
    return { factor: n / (n - 1), text: `n/(n−1) with n = ${n} (Stata ML estimators)` };
  }
  if (G !== undefined) return { factor: kAdj * gAdj, text: `${kText} × ${gText}` };
  return { factor: kAdj, text: kText };
}

function choleskyOrThrow(A: Float64Array, p: number): Float64Array {
  const L = cholesky(A, p);
  if (!L) throw new Error('vcov: the regressor matrix is singular (not positive definite)');
  return L;
}

export function normalPValue(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Complementary error function: the Chebyshev fit of Press et al., Numerical Recipes §6.2 (|rel. error| < 1.2e−7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Number of fixed-effect coefficients to count in K: dimensions nested in the clusters count 0. */
export function fixedEffectParams(fes: { index: Int32Array; size: number }[], cluster?: { codes: Int32Array; size: number }): number {
  let total = 0;
  let counted = 0;
  for (const fe of fes) {
    if (cluster && nestedIn(fe, cluster)) continue;
    total += fe.size;
    counted++;
  }
  // One normalisation per additional dimension (connected fixed effects).
  return counted > 0 ? total - (fes.length - 1 >= 0 ? Math.min(fes.length - 1, counted) : 0) : 0;
}

function nestedIn(fe: { index: Int32Array; size: number }, cl: { codes: Int32Array; size: number }): boolean {
  const owner = new Int32Array(fe.size).fill(-1);
  for (let i = 0; i < fe.index.length; i++) {
    const g = fe.index[i];
    const c = cl.codes[i];
    if (owner[g] < 0) owner[g] = c;
    else if (owner[g] !== c) return false;
  }
  return true;
}
