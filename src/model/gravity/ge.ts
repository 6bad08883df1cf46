// One-sector structural gravity general equilibrium (Anderson–van Wincoop endowment economy), in changes
// ("exact hat algebra"), as in Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy
// Analysis, ch. 2, and Baier, Yotov & Zylkin (2019) / Zylkin's ge_gravity. Pure; equations (G1)–(G9) are
// written out in docs/gravity.md.
//
// Notation: θ = σ − 1 > 0 the trade elasticity; x̂ = x'/x; B_ij = exp(b_ij) the partial effect of the shock
// on the trade cost term, b_ij = Δ ln t_ij^{−θ} (e.g. an estimated agreement coefficient for pairs that sign);
// π_ij = X_ij / E_j import shares; Y_i = Σ_j X_ij, E_j = Σ_i X_ij, D_j = E_j − Y_j.
//
// Full (endowment) GE — unknowns the factory-gate price changes p̂_i:
//   Φ_j ≡ P̂_j^{−θ} = Σ_i π_ij B_ij p̂_i^{−θ}                                   (G1) inward MR / CES price index
//   X'_ij = π_ij B_ij p̂_i^{−θ} / Φ_j · E'_j                                    (G2) gravity
//   p̂_i^{1+θ} = Σ_j π_ij B_ij (E'_j / Φ_j) / Y_i                               (G3) market clearing Y_i p̂_i = Σ_j X'_ij
//   E'_j = p̂_j Y_j + D_j (additive deficits)  or  E'_j = p̂_j E_j (multiplicative) (G4)
//   normalisation: Σ_i Y_i p̂_i = Σ_i Y_i (world output, ge_gravity)  or  P̂_ref = 1 (Yotov et al.)  (G5)
//   Π̂_i^{−θ} = (Ŷ_i / Ŷ_W) p̂_i^{θ}                                           (G6) outward MR
//   welfare Ŵ_j = Ê_j / P̂_j,  real GDP = Ŷ_j / P̂_j = p̂_j / P̂_j                 (G7)
//   with B_jj = 1: p̂_j / P̂_j = (π'_jj / π_jj)^{−1/θ}   (Arkolakis, Costinot & Rodríguez-Clare 2012)  (G8)
// Solved by the fixed point of (G3) with (G1), (G4), (G5), as ge_gravity does.
//
// Conditional GE (Yotov et al. ch. 2): output and expenditure fixed, only the multilateral resistances adjust:
//   Π̂_i^{−θ} = Σ_j (X_ij/Y_i) B_ij / P̂_j^{−θ},   P̂_j^{−θ} = Σ_i (X_ij/E_j) B_ij / Π̂_i^{−θ},
//   X'_ij = X_ij B_ij / (Π̂_i^{−θ} P̂_j^{−θ}),   normalised by P̂_ref = 1                               (G9)
import { ConvergenceError, InputError } from '../../errors.ts';
import type { GravityData } from './data.ts';

export interface GeOptions {
  /** Trade elasticity θ = σ − 1 > 0. */
  theta: number;
  mode?: 'full' | 'conditional';
  deficits?: 'additive' | 'multiplicative';
  /** (G5): 'world-output' (default, as ge_gravity) or a reference country whose price index stays fixed. */
  normalization?: 'world-output' | { reference: string };
  /** Shocks on domestic pairs (i == i): 'zero' sets them to 0 (as ge_gravity does), 'keep' uses them. */
  domestic?: 'zero' | 'keep';
  /** Convergence: max |Δ ln X'_ij| between iterations. Default 1e−10. */
  tol?: number;
  maxIter?: number;
}

export interface GeResult {
  countries: string[];
  mode: 'full' | 'conditional';
  theta: number;
  deficits: 'additive' | 'multiplicative';
  normalization: string;
  iterations: number;
  /** Max |Δ ln X| at the last iteration and the largest market-clearing error relative to output. */
  residuals: { trade: number; marketClearing: number };
  /** Counterfactual flows X'[i*N + j]. */
  trade: Float64Array;
  /** Per country, ratios new/old (hats). Undefined in the conditional GE, where prices do not move. */
  welfare?: Float64Array;
  realGdp?: Float64Array;
  factoryPrice?: Float64Array;
  output: Float64Array;
  expenditure: Float64Array;
  /** Foreign sales Σ_{j≠i} X_ij, new/old. */
  exports: Float64Array;
  imports: Float64Array;
  /** Inward multilateral resistance (price index) P̂_j and outward multilateral resistance Π̂_i. */
  inwardMR: Float64Array;
  outwardMR: Float64Array;
  /** Domestic trade shares π_jj before and after. */
  domesticShare: { before: Float64Array; after: Float64Array };
  notes: string[];
}

/**
 * Solves the counterfactual for partial effects `shock[i*N + j]` = b_ij = Δ ln(trade cost term), i.e. the
 * change in log trade that the shock would cause with everything else fixed (an estimated coefficient times
 * the change in the policy variable).
 */
export function solveGravityGE(data: GravityData, shock: Float64Array, options: GeOptions): GeResult {
  const N = data.countries.length;
  const X = data.X;
  if (shock.length !== N * N) throw new Error(`solveGravityGE: shock has ${shock.length} entries, expected ${N * N}`);
  const theta = options.theta;
  if (!(theta > 0) || !Number.isFinite(theta)) throw new InputError(`theta must be a positive number, got ${theta}`, { field: 'theta' }, 'the trade elasticity θ = σ − 1 is typically 4–8');
  const mode = options.mode ?? 'full';
  const deficits = options.deficits ?? 'additive';
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 100000;
  const notes: string[] = [];

  // B_ij = exp(b_ij).
  const B = new Float64Array(N * N);
  let diagNonZero = 0;
  for (let q = 0; q < N * N; q++) {
    const b = shock[q];
    if (!Number.isFinite(b)) {
      throw new InputError(`the shock is ${b} for ${data.countries[Math.floor(q / N)]} → ${data.countries[q % N]}`, { field: 'shock', id: `${data.countries[Math.floor(q / N)]}-${data.countries[q % N]}` }, 'give every pair a finite partial effect (0 for no change)');
    }
    B[q] = Math.exp(b);
  }
  for (let i = 0; i < N; i++) {
    if (shock[i * N + i] !== 0) {
      diagNonZero++;
      if ((options.domestic ?? 'zero') === 'zero') B[i * N + i] = 1;
    }
  }
  if (diagNonZero) {
    notes.push(
      (options.domestic ?? 'zero') === 'zero'
        ? `${diagNonZero} non-zero shocks on domestic pairs were set to zero (as ge_gravity does); pass domestic: 'keep' to use them`
        : `${diagNonZero} domestic pairs carry a shock`,
    );
  }

  const Y = new Float64Array(N);
  const E = new Float64Array(N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      Y[i] += X[i * N + j];
      E[j] += X[i * N + j];
    }
  const D = E.map((e, j) => e - Y[j]);
  const refIndex = (() => {
    const nm = options.normalization;
    if (nm && nm !== 'world-output') {
      const k = data.countries.indexOf(nm.reference);
      if (k < 0) throw new InputError(`reference country '${nm.reference}' is not in the data`, { field: 'normalization' }, `countries: ${data.countries.join(', ')}`);
      return k;
    }
    return -1;
  })();

  const Xn = new Float64Array(N * N);
  const Xprev = new Float64Array(N * N);
  const Phi = new Float64Array(N).fill(1); // P̂^{−θ}
  const Pi = new Float64Array(N).fill(1); // Π̂^{−θ}
  const p = new Float64Array(N).fill(1);
  const En = Float64Array.from(E);
  let iterations = 0;
  let crit = Infinity;
  Xprev.set(X);

  const stall = stallDetector();
  if (mode === 'full') {
    const Yw = Y.reduce((a, b) => a + b, 0);
    for (iterations = 1; iterations <= maxIter; iterations++) {
      // (G3)
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let j = 0; j < N; j++) {
          const q = i * N + j;
          s += (X[q] / E[j]) * B[q] * (En[j] / Phi[j]);
        }
        p[i] = Math.pow(s / Y[i], 1 / (1 + theta));
      }
      // (G5), world output
      if (refIndex < 0) {
        let s = 0;
        for (let i = 0; i < N; i++) s += Y[i] * p[i];
        const c = Yw / s;
        for (let i = 0; i < N; i++) p[i] *= c;
      }
      // (G1)
      computePhi(X, E, B, p, theta, N, Phi);
      // (G5), reference price index: p → c·p scales Φ by c^{−θ}; choose c with Φ_ref = 1.
      if (refIndex >= 0) {
        const c = Math.pow(Phi[refIndex], 1 / theta);
        for (let i = 0; i < N; i++) p[i] *= c;
        computePhi(X, E, B, p, theta, N, Phi);
      }
      // (G4)
      for (let j = 0; j < N; j++) En[j] = deficits === 'additive' ? Y[j] * p[j] + D[j] : E[j] * p[j];
      // (G2)
      crit = 0;
      for (let i = 0; i < N; i++) {
        const pi = Math.pow(p[i], -theta);
        for (let j = 0; j < N; j++) {
          const q = i * N + j;
          const v = ((X[q] / E[j]) * B[q] * pi * En[j]) / Phi[j];
          Xn[q] = v;
          if (v > 0 && Xprev[q] > 0) crit = Math.max(crit, Math.abs(Math.log(v / Xprev[q])));
        }
      }
      if (!Number.isFinite(crit)) throw new ConvergenceError('the GE solver produced non-finite trade flows', iterations, { trade: crit }, NON_FINITE);
      if (crit <= tol) break;
      stall.check(crit, iterations, 'the full GE');
      Xprev.set(Xn);
    }
    if (crit > tol) throw new ConvergenceError('the full GE did not converge', maxIter, { trade: crit }, STALLED);
    const YwNew = p.reduce((a, pi, i) => a + pi * Y[i], 0);
    for (let i = 0; i < N; i++) Pi[i] = ((p[i] * Y[i]) / YwNew / (Y[i] / Yw)) * Math.pow(p[i], theta); // (G6)
  } else {
    // (G9)
    const ref = refIndex >= 0 ? refIndex : argmax(E);
    for (iterations = 1; iterations <= maxIter; iterations++) {
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += (X[i * N + j] / Y[i]) * B[i * N + j] / Phi[j];
        Pi[i] = s;
      }
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += (X[i * N + j] / E[j]) * B[i * N + j] / Pi[i];
        Phi[j] = s;
      }
      const c = Phi[ref];
      for (let j = 0; j < N; j++) Phi[j] /= c;
      for (let i = 0; i < N; i++) Pi[i] *= c;
      crit = 0;
      for (let q = 0; q < N * N; q++) {
        const v = (X[q] * B[q]) / (Pi[Math.floor(q / N)] * Phi[q % N]);
        Xn[q] = v;
        if (v > 0 && Xprev[q] > 0) crit = Math.max(crit, Math.abs(Math.log(v / Xprev[q])));
      }
      if (!Number.isFinite(crit)) throw new ConvergenceError('the conditional GE produced non-finite trade flows', iterations, { trade: crit }, NON_FINITE);
      if (crit <= tol) break;
      stall.check(crit, iterations, 'the conditional GE');
      Xprev.set(Xn);
    }
    if (crit > tol) throw new ConvergenceError('the conditional GE did not converge', maxIter, { trade: crit }, STALLED);
    notes.push(`conditional GE: output and expenditure fixed; multilateral resistances normalised by P̂ = 1 for ${data.countries[ref]}`);
  }

  // Results.
  const out = new Float64Array(N);
  const exp = new Float64Array(N);
  const exportsHat = new Float64Array(N);
  const importsHat = new Float64Array(N);
  const before = new Float64Array(N);
  const after = new Float64Array(N);
  let mc = 0;
  for (let i = 0; i < N; i++) {
    let yNew = 0;
    let eNew = 0;
    let xOld = 0;
    let xNew = 0;
    let mOld = 0;
    let mNew = 0;
    for (let j = 0; j < N; j++) {
      yNew += Xn[i * N + j];
      eNew += Xn[j * N + i];
      if (j !== i) {
        xOld += X[i * N + j];
        xNew += Xn[i * N + j];
        mOld += X[j * N + i];
        mNew += Xn[j * N + i];
      }
    }
    out[i] = yNew / Y[i];
    exp[i] = eNew / E[i];
    exportsHat[i] = xOld > 0 ? xNew / xOld : 1;
    importsHat[i] = mOld > 0 ? mNew / mOld : 1;
    before[i] = X[i * N + i] / E[i];
    after[i] = Xn[i * N + i] / eNew;
    const target = mode === 'full' ? Y[i] * p[i] : Y[i];
    mc = Math.max(mc, Math.abs(yNew - target) / Y[i]);
  }
  const inward = Phi.map((f) => Math.pow(f, -1 / theta));
  const outward = Pi.map((f) => Math.pow(f, -1 / theta));
  const result: GeResult = {
    countries: data.countries.slice(),
    mode,
    theta,
    deficits,
    normalization: refIndex >= 0 ? `P̂ = 1 for ${data.countries[refIndex]}` : mode === 'full' ? 'world output unchanged' : 'reference price index',
    iterations,
    residuals: { trade: crit, marketClearing: mc },
    trade: Xn,
    output: out,
    expenditure: exp,
    exports: exportsHat,
    imports: importsHat,
    inwardMR: inward,
    outwardMR: outward,
    domesticShare: { before, after },
    notes,
  };
  if (mode === 'full') {
    result.factoryPrice = p;
    result.realGdp = p.map((pi, i) => pi / inward[i]);
    result.welfare = exp.map((e, i) => e / inward[i]);
  }
  for (const [k, v] of Object.entries(result)) {
    if (v instanceof Float64Array) for (let q = 0; q < v.length; q++) if (!Number.isFinite(v[q])) throw new ConvergenceError(`GE result '${k}' is not finite`, iterations, { [k]: v[q] });
  }
  return result;
}

function computePhi(X: Float64Array, E: Float64Array, B: Float64Array, p: Float64Array, theta: number, N: number, Phi: Float64Array): void {
  Phi.fill(0);
  for (let i = 0; i < N; i++) {
    const pi = Math.pow(p[i], -theta);
    for (let j = 0; j < N; j++) {
      const q = i * N + j;
      Phi[j] += (X[q] / E[j]) * B[q] * pi;
    }
  }
}

function argmax(a: Float64Array): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[k]) k = i;
  return k;
}

const NON_FINITE = { diagnosis: 'trade flows left floating-point range', hint: 'the shock or θ is too extreme: keep |shock| small (a coefficient times a 0/1 change) and θ within 0.1 … 100 (docs/limits.md)' };
const STALLED = { diagnosis: 'the iteration stopped making progress', hint: 'the shock is too large for the fixed-point iteration: use a smaller shock (docs/limits.md)' };

/** Stops an iteration whose criterion has not improved by 10% on its best value for 2000 iterations. */
function stallDetector(): { check(crit: number, iteration: number, what: string): void } {
  let best = Infinity;
  let bestAt = 0;
  return {
    check(crit, iteration, what) {
      if (crit < 0.9 * best) {
        best = crit;
        bestAt = iteration;
      } else if (iteration - bestAt >= 2000) {
        throw new ConvergenceError(`${what} did not converge`, iteration, { trade: crit }, { diagnosis: `the change in trade flows stopped improving (best ${best.toExponential(2)} at iteration ${bestAt})`, hint: STALLED.hint });
      }
    },
  };
}
