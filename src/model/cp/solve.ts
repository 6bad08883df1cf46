// The CP2015 equilibrium in relative changes ("exact hat algebra"), Caliendo & Parro (2015) §3.3; equations
// (CP1)–(CP7) in docs/cp2015.md.
//
// Unknowns: wage changes ŵ_n. For given ŵ, the inner blocks are solved exactly:
//   costs and prices (input-bundle cost, price index) fixed point in ln P̂ (contraction: Σ_k γ_n^{k,j} < 1), Anderson-accelerated
//   trade shares
//   expenditure (goods-market clearing), linear in X', see ./expenditure.ts
// The outer condition is labour-market clearing, w'_n L_n = Σ_j γ_n^j Y'_n^j (CP5), which with goods-market clearing is equivalent
// to CP2015's trade-balance condition (imports − D'_n = exports) (CP6). The wage update is a damped tâtonnement in
// logs, ln ŵ ← ln ŵ + ν ln(Σ_j γ_n^j Y'_n^j / (ŵ_n w_n L_n)), accelerated with Anderson mixing.
// Numéraire: world value added, Σ_n ŵ_n w_n L_n = Σ_n w_n L_n (CP7). Deficits D'_n are therefore in units of world GDP.
import { ConvergenceError, InputError } from '../../errors.ts';
import { tradeTotalsOf } from '../../data/world.ts';
import { Anderson } from '../anderson.ts';
import { solveDense } from '../dense.ts';
import type { CpEconomy } from './economy.ts';
import { expenditureWork, grossOutputOf, solveExpenditure, tariffRevenueOf } from './expenditure.ts';
import { logInputCosts, logPriceIndex, shockedShares, tradeShares } from './prices.ts';

export interface CpSolveOptions {
  /** Convergence tolerance on the max relative residual of every equilibrium condition. */
  tolerance: number;
  /** Maximum outer (wage) iterations. */
  maxIterations: number;
  /** Damping ν of the wage update, in (0, 1]. */
  damping: number;
  /** Anderson memory for the wage iteration (0 = plain damped iteration). */
  memory: number;
  /** Called after each outer iteration (for progress bars). */
  onIteration?: (iteration: number, residual: number) => void;
  /**
   * Weights ω_n of the numéraire: Σ_n ω_n ŵ_n w_n L_n = Σ_n ω_n w_n L_n. Default all 1 (world value added);
   * a unit vector makes one region's wage the numéraire. Deficits D'_n are in units of this numéraire.
   */
  numeraire?: Float64Array;
  /** Start from a previous solution of the same economy (e.g. a nearby shock) instead of ŵ = P̂ = 1. */
  warmStart?: Pick<CpEquilibrium, 'wHat' | 'PHat' | 'X'>;
  /** Region names (length N), used only to name regions in a failure diagnosis. */
  regionNames?: readonly string[];
  /**
   * Stop when the wage residual has not improved on its best value for this many iterations (the solve has
   * stalled: more iterations will not help). Default 100.
   */
  stallWindow?: number;
  /**
   * Jacobian ∂z/∂ln ŵ (N × N row-major, row n, column k) of the wage residual z_n = ln(Σ_j γ_n^j Y'_n^j /
   * ŵ_n w_n L_n) at a nearby equilibrium (`wageJacobian` of a previous solve with `estimateWageJacobian`). With
   * it the wage update is a chord-Newton step (CP10) in docs/cp2015.md instead of the damped tâtonnement; the
   * equilibrium conditions and the stopping rule are the same.
   */
  wageJacobian?: Float64Array;
  /** Return `wageJacobian` estimated at the solution (N forward differences of the inner blocks). */
  estimateWageJacobian?: boolean;
}

export const DEFAULT_SOLVE_OPTIONS: CpSolveOptions = { tolerance: 1e-11, maxIterations: 1000, damping: 0.5, memory: 8 };

/** The shock, in levels after the change: new tariffs τ', iceberg changes d̂ (null = none), deficits D'. */
export interface CpShock {
  tauNew: Float64Array;
  dHat: Float64Array | null;
  Dnew: Float64Array;
}

export interface CpConvergence {
  iterations: number;
  /** Max relative residual of each equilibrium condition at the solution. */
  residuals: { priceIndex: number; goodsMarket: number; laborMarket: number; tradeBalance: number };
  converged: boolean;
}

/** The solution: changes relative to the baseline economy and new levels. */
export interface CpEquilibrium {
  wHat: Float64Array; // N
  cHat: Float64Array; // rs
  PHat: Float64Array; // rs
  piNew: Float64Array; // bil
  X: Float64Array; // rs, expenditure after the shock (levels)
  Y: Float64Array; // rs, gross output after the shock (levels)
  R: Float64Array; // N, tariff revenue after the shock
  income: Float64Array; // N, I'_n = ŵ_n w_n L_n + R'_n + D'_n
  shock: CpShock;
  convergence: CpConvergence;
  /** ∂z/∂ln ŵ at the solution (N × N, row n, column k), when `estimateWageJacobian` was set. */
  wageJacobian?: Float64Array;
}

/**
 * How exactly the inner blocks (prices, expenditure) are solved at each outer iteration: to `ratio` × the wage
 * residual (`nearRatio` once it is below 1e-8), at most `cap`.
 */
interface InnerSchedule {
  ratio: number;
  nearRatio: number;
  cap: number;
}

/** About a quarter fewer inner sweeps than SAFE on CP2015 and world2024, for the same outer iterations. */
const FAST_INNER: InnerSchedule = { ratio: 1e-2, nearRatio: 1e-3, cap: 1e-4 };
/** Tighter inner solves: slower, but they carry extreme shocks (e.g. prohibitive tariffs under fixed deficits). */
const SAFE_INNER: InnerSchedule = { ratio: 1e-3, nearRatio: 1e-3, cap: 1e-6 };

/**
 * Solves the equilibrium (CP1)–(CP7). Inner blocks are first solved loosely far from the solution (FAST_INNER);
 * if that attempt does not converge, the solve starts again with tighter inner solves (SAFE_INNER), and a
 * failure of that attempt is the error.
 */
export function solveEquilibrium(e: CpEconomy, shock: CpShock, options: Partial<CpSolveOptions> = {}): CpEquilibrium {
  try {
    return solveWith(e, shock, options, FAST_INNER);
  } catch (err) {
    if (!(err instanceof ConvergenceError)) throw err;
    // The reported iterations count both attempts.
    const eq = solveWith(e, shock, options, SAFE_INNER);
    eq.convergence.iterations += err.iterations;
    return eq;
  }
}

function solveWith(e: CpEconomy, shock: CpShock, options: Partial<CpSolveOptions>, inner: InnerSchedule): CpEquilibrium {
  const opts = { ...DEFAULT_SOLVE_OPTIONS, ...options };
  const { N, J } = e;
  const NJ = N * J;
  const A = shockedShares(e, shock.tauNew, shock.dHat);
  const logw = opts.warmStart ? opts.warmStart.wHat.map(Math.log) : new Float64Array(N);
  const logP = opts.warmStart ? opts.warmStart.PHat.map(Math.log) : new Float64Array(NJ);
  const logc = new Float64Array(NJ);
  const sums = new Float64Array(NJ);
  const v = new Float64Array(N);
  const piNew = new Float64Array(J * N * N);
  const psi = new Float64Array(J * N * N);
  const X = opts.warmStart ? opts.warmStart.X.slice() : e.X.slice();
  if (opts.warmStart && (logw.length !== N || logP.length !== NJ || X.length !== NJ)) {
    throw new InputError('warm start does not match the economy\'s dimensions', { field: 'warmStart' });
  }
  const Y = new Float64Array(NJ);
  const wVA = new Float64Array(N);
  const work = expenditureWork(e);
  const omega = opts.numeraire ?? new Float64Array(N).fill(1);
  if (omega.length !== N || !omega.every((x) => x >= 0) || !omega.some((x, n) => x * e.VA[n] > 0)) {
    throw new InputError('numéraire weights must be N non-negative numbers with a positive weighted value added', { field: 'numeraire' });
  }
  const weightedVA = Float64Array.from(e.VA, (v, n) => v * omega[n]);
  const numeraireVA = weightedVA.reduce((a, b) => a + b, 0);
  const priceAA = new Anderson(NJ, { memory: 5 });
  const nextP = new Float64Array(NJ);
  // Inner blocks are solved inexactly while the wages are far from equilibrium (tolerance tied to the current
  // wage residual by `inner`, as in inexact Newton methods) and to full precision near the solution.
  const tolFloor = Math.min(opts.tolerance * 1e-2, 1e-12);
  // With chord-Newton steps (which converge in a few iterations from a close warm start) the inner blocks start
  // tighter, so that the first steps are not limited by inexact inner solves.
  let tolInner = opts.wageJacobian ? 1e-8 : inner.cap;
  // Inner blocks that could not reach their tolerance (they stop when their own residual stalls).
  let innerFailures = 0;

  /** Inner blocks for given ln ŵ; returns ln of labour demand over the wage bill, per region. */
  const evaluate = (lw: Float64Array, z: Float64Array): void => {
    // Prices: fixed point of the cost and price-index conditions, warm-started from the previous ln P̂.
    priceAA.reset();
    let bestD = Infinity;
    let bestAt = 0;
    for (let it = 0; it < 10_000; it++) {
      logInputCosts(e, lw, logP, logc);
      logPriceIndex(e, A, logc, nextP, sums, v);
      let d = 0;
      for (let x = 0; x < NJ; x++) d = Math.max(d, Math.abs(nextP[x] - logP[x]));
      if (d < tolInner) {
        logP.set(nextP);
        break;
      }
      if (d < 0.5 * bestD) {
        bestD = d;
        bestAt = it;
      } else if (!Number.isFinite(d) || it - bestAt > INNER_STALL) {
        innerFailures++;
        break;
      }
      priceAA.step(logP, nextP, logP);
    }
    logInputCosts(e, lw, logP, logc);
    logPriceIndex(e, A, logc, logP, sums, v);
    tradeShares(e, A, logc, sums, piNew, v);
    for (let x = 0; x < psi.length; x++) psi[x] = piNew[x] / (1 + shock.tauNew[x]);
    for (let n = 0; n < N; n++) wVA[n] = Math.exp(lw[n]) * e.VA[n];
    const ex = solveExpenditure(e, psi, wVA, shock.Dnew, X, work, tolInner, 10_000, INNER_STALL);
    if (!(ex.residual < tolInner)) innerFailures++;
    grossOutputOf(e, psi, X, Y);
    for (let n = 0; n < N; n++) {
      let labor = 0;
      for (let j = 0; j < J; j++) labor += e.gammaVA[n * J + j] * Y[n * J + j];
      z[n] = Math.log(labor / wVA[n]);
    }
  };

  const aa = new Anderson(N, { memory: opts.memory });
  let newton = opts.wageJacobian ? chordNewton(opts.wageJacobian, weightedVA, N) : null;
  let firstResidual = Infinity;
  const step = new Float64Array(N);
  const z = new Float64Array(N);
  const g = new Float64Array(N);
  let iterations = 0;
  let residual = Infinity;
  let best = Infinity;
  let bestAt = 0;
  let stalled = false;
  // When a fixed surplus looks unfinanceable from the start (see unfinancedSurpluses), give up on a stall sooner.
  const suspect = shock.Dnew.some((d) => d < 0) && unfinancedSurpluses(e, shock, A) !== null;
  const stallWindow = opts.stallWindow ?? (suspect ? 25 : 100);
  for (; iterations < opts.maxIterations; iterations++) {
    evaluate(logw, z);
    residual = 0;
    for (let n = 0; n < N; n++) residual = Math.max(residual, Math.abs(z[n]));
    if (Number.isNaN(residual)) residual = Infinity;
    opts.onIteration?.(iterations + 1, residual);
    if (!Number.isFinite(residual)) break;
    if (residual < opts.tolerance) break;
    // Stall: no 10% improvement on the best residual for `stallWindow` iterations.
    if (residual < 0.9 * best) {
      best = residual;
      bestAt = iterations;
    } else if (iterations - bestAt >= stallWindow) {
      stalled = true;
      break;
    }
    if (iterations === 0) firstResidual = residual;
    // The chord-Newton step relies on a Jacobian from a nearby equilibrium: when it does not pay off (the
    // residual grows, or it needs many steps), continue with the tâtonnement.
    if (newton && (residual > 2 * firstResidual || iterations >= NEWTON_MAX_ITERATIONS)) {
      newton = null;
      aa.reset();
    }
    tolInner = newton
      ? Math.max(tolFloor, Math.min(1e-6, residual * 1e-4))
      : Math.max(tolFloor, Math.min(inner.cap, residual * (residual < 1e-8 ? inner.nearRatio : inner.ratio)));
    if (newton) {
      // (CP10) chord-Newton step δ = K z with K = −(JᵀJ + s sᵀ)⁻¹ Jᵀ (the least-squares Newton step of the
      // wage conditions bordered by the linearised numéraire, sᵀδ = 0).
      for (let n = 0; n < N; n++) {
        let d = 0;
        for (let k = 0; k < N; k++) d += newton[n * N + k] * z[k];
        step[n] = d;
      }
      for (let n = 0; n < N; n++) g[n] = logw[n] + step[n];
    } else {
      for (let n = 0; n < N; n++) g[n] = logw[n] + opts.damping * z[n];
    }
    normalize(g, weightedVA, numeraireVA);
    aa.step(logw, g, logw);
    normalize(logw, weightedVA, numeraireVA);
  }
  let wageJacobian: Float64Array | undefined;
  if (opts.estimateWageJacobian && Number.isFinite(residual) && residual < opts.tolerance) {
    // Forward differences of z in each ln ŵ_k, the inner blocks warm-started from (and reset to) the solution.
    wageJacobian = new Float64Array(N * N);
    const h = 1e-5;
    const P0 = logP.slice();
    const X0 = X.slice();
    const z0 = z.slice();
    const zk = new Float64Array(N);
    const lw = logw.slice();
    tolInner = tolFloor;
    for (let k = 0; k < N; k++) {
      lw[k] += h;
      evaluate(lw, zk);
      lw[k] = logw[k];
      for (let n = 0; n < N; n++) wageJacobian[n * N + k] = (zk[n] - z0[n]) / h;
      logP.set(P0);
      X.set(X0);
    }
    // Back to the solution's inner state (prices, shares, expenditure, output).
    evaluate(logw, z);
  }
  const wHat = logw.map(Math.exp);
  const R = new Float64Array(N);
  tariffRevenueOf(e, work.netShare, X, R);
  const income = new Float64Array(N);
  for (let n = 0; n < N; n++) income[n] = wHat[n] * e.VA[n] + R[n] + shock.Dnew[n];
  const residuals = equilibriumResiduals(e, shock, A, logw, logP, piNew, X, R);
  const converged = Number.isFinite(residual) && residual < opts.tolerance && Object.values(residuals).every((r) => r <= 10 * opts.tolerance);
  if (!converged) {
    const finite = Number.isFinite(residual) && Object.values(residuals).every(Number.isFinite);
    const deficit = unfinancedSurpluses(e, shock, A, opts.regionNames);
    const why = !finite
      ? `non-finite values appeared at iteration ${iterations + 1}: the shock drives prices or trade flows out of floating-point range`
      : stalled
        ? `the residual stopped improving (best ${best.toExponential(2)} at iteration ${bestAt + 1})`
        : `the iteration limit (${opts.maxIterations}) was reached`;
    const inner = innerFailures > 0 ? `; the goods-market or price block could not be solved ${innerFailures} time(s), so no equilibrium may exist for this shock` : '';
    const explain = deficit
      ? {
          diagnosis: `${why}. Under fixed deficits ${deficit.text}: a fixed surplus cannot be financed at these wages once the region's exports collapse, and no equilibrium with deficits held fixed was found${inner}`,
          hint: 'use the zero-deficits closure (closure: zero-deficits in the scenario, --closure zero-deficits on the command line), under which trade is balanced and the surplus is not needed; or make the tariffs less prohibitive',
        }
      : {
          diagnosis: `${why}${inner}`,
          hint: !finite || innerFailures > 0
            ? 'the shock is too extreme for the model: use smaller tariff or trade-cost changes (see docs/limits.md)'
            : stalled
              ? 'a smaller damping (solver: {damping: 0.2}) may help; if it does not, the shock is too extreme for the model'
              : 'raise solver.maxIterations or use a smaller damping (solver: {damping: 0.2})',
        };
    throw new ConvergenceError('the CP2015 equilibrium did not converge', iterations + (stalled || !finite ? 1 : 0), { ...residuals, wageUpdate: residual }, explain);
  }
  return {
    wHat,
    cHat: logc.map(Math.exp),
    PHat: logP.map(Math.exp),
    piNew,
    X,
    Y,
    R,
    income,
    shock,
    convergence: { iterations: iterations + 1, residuals, converged },
    ...(wageJacobian ? { wageJacobian } : {}),
  };
}

/**
 * The chord-Newton matrix K = −(JᵀJ + s sᵀ)⁻¹ Jᵀ of (CP10) (N × N row-major), with s the gradient of the
 * log numéraire at ŵ = 1 (value-added weights). J has the uniform wage change in (or near) its null space
 * (homogeneity: z does not change when every wage and price scales together under zero deficits); the
 * border row picks the step that leaves the numéraire unchanged.
 */
function chordNewton(J: Float64Array, weightedVA: Float64Array, N: number): Float64Array | null {
  if (J.length !== N * N || !J.every(Number.isFinite)) throw new InputError(`wage Jacobian has ${J.length} entries or non-finite values, expected ${N * N} finite numbers`, { field: 'wageJacobian' });
  let total = 0;
  for (let n = 0; n < N; n++) total += weightedVA[n];
  const M = new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      let t = (weightedVA[a] / total) * (weightedVA[b] / total);
      for (let n = 0; n < N; n++) t += J[n * N + a] * J[n * N + b];
      M[a * N + b] = t;
    }
  }
  const K = new Float64Array(N * N);
  const col = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    // Column k of (JᵀJ + s sᵀ)⁻¹ Jᵀ: solve with right-hand side row k of J (= column k of Jᵀ).
    for (let a = 0; a < N; a++) col[a] = J[k * N + a];
    if (!solveDense(M.slice(), col, N)) return null;
    for (let a = 0; a < N; a++) K[a * N + k] = -col[a];
  }
  return K;
}

/** Chord-Newton steps give way to the tâtonnement after this many outer iterations without convergence. */
const NEWTON_MAX_ITERATIONS = 15;

/** Inner fixed points (prices, expenditure) stop when their residual has not halved for this many iterations. */
const INNER_STALL = 300;

/**
 * Diagnosis of a failed solve under fixed deficits: regions that must keep a trade surplus (D_n < 0) larger
 * than half of what their exports would be under the new trade costs at unchanged wages and expenditure
 * (partial equilibrium: π'_ni^j ∝ A_ni^j, exports_i = Σ_j Σ_{n≠i} X_n^j π'_ni^j / (1 + τ'_ni^j)). Null if none.
 */
export function unfinancedSurpluses(e: CpEconomy, shock: CpShock, A: Float64Array, names?: readonly string[]): { regions: number[]; text: string } | null {
  const { N, J } = e;
  const exportsAfter = new Float64Array(N);
  const exportsBefore = new Float64Array(N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      let s = 0;
      for (let i = 0; i < N; i++) s += A[base + i];
      if (!(s > 0)) continue;
      const Xn = e.X[n * J + j];
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        exportsAfter[i] += (Xn * A[base + i]) / s / (1 + shock.tauNew[base + i]);
        exportsBefore[i] += (Xn * e.pi[base + i]) / (1 + e.tau[base + i]);
      }
    }
  }
  const regions: number[] = [];
  const parts: string[] = [];
  for (let i = 0; i < N; i++) {
    const surplus = -shock.Dnew[i];
    if (surplus > 0 && surplus > 0.5 * exportsAfter[i]) {
      regions.push(i);
      const name = names?.[i] ?? `region ${i + 1}`;
      parts.push(`${name} must keep its baseline surplus of ${(100 * surplus / exportsBefore[i]).toFixed(0)}% of its exports while these tariffs cut its exports to ${(100 * exportsAfter[i] / exportsBefore[i]).toFixed(1)}% of their level (at unchanged wages)`);
    }
  }
  return regions.length ? { regions, text: parts.join('; ') } : null;
}

/** Shifts ln ŵ so that the numéraire (weighted value added, default world value added) is unchanged (CP7). */
function normalize(lw: Float64Array, VA: Float64Array, worldVA: number): void {
  let s = 0;
  for (let n = 0; n < lw.length; n++) s += VA[n] * Math.exp(lw[n]);
  const shift = Math.log(s / worldVA);
  for (let n = 0; n < lw.length; n++) lw[n] -= shift;
}

/**
 * Residual of every equilibrium condition at a candidate solution, each relative to its own scale:
 * price index (CP2, in logs), goods market (CP4, relative to world expenditure), labour market
 * (CP5, relative to each region's wage bill) and trade balance (CP6, relative to world value added).
 */
export function equilibriumResiduals(
  e: CpEconomy,
  shock: CpShock,
  A: Float64Array,
  logw: Float64Array,
  logP: Float64Array,
  piNew: Float64Array,
  X: Float64Array,
  R: Float64Array,
): CpConvergence['residuals'] {
  const { N, J, gammaIO, alpha, gammaVA } = e;
  const NJ = N * J;
  const logc = new Float64Array(NJ);
  const lp = new Float64Array(NJ);
  const sums = new Float64Array(NJ);
  const v = new Float64Array(N);
  logInputCosts(e, logw, logP, logc);
  logPriceIndex(e, A, logc, lp, sums, v);
  let priceIndex = 0;
  for (let x = 0; x < NJ; x++) priceIndex = Math.max(priceIndex, Math.abs(lp[x] - logP[x]));
  const psi = new Float64Array(piNew.length);
  for (let x = 0; x < psi.length; x++) psi[x] = piNew[x] / (1 + shock.tauNew[x]);
  const Y = new Float64Array(NJ);
  grossOutputOf(e, psi, X, Y);
  let worldX = 0;
  for (let x = 0; x < NJ; x++) worldX += X[x];
  let goodsMarket = 0;
  let laborMarket = 0;
  let tradeBalance = 0;
  let worldVA = 0;
  for (let n = 0; n < N; n++) worldVA += Math.exp(logw[n]) * e.VA[n];
  const flows = new Float64Array(psi.length);
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) flows[(j * N + n) * N + i] = psi[(j * N + n) * N + i] * X[n * J + j];
  const { imports, exports } = tradeTotalsOf(flows, N, J);
  for (let n = 0; n < N; n++) {
    const wva = Math.exp(logw[n]) * e.VA[n];
    const income = wva + R[n] + shock.Dnew[n];
    let labor = 0;
    for (let j = 0; j < J; j++) {
      let rhs = alpha[n * J + j] * income;
      for (let k = 0; k < J; k++) rhs += gammaIO[(n * J + j) * J + k] * Y[n * J + k];
      goodsMarket = Math.max(goodsMarket, Math.abs(rhs - X[n * J + j]) / worldX);
      labor += gammaVA[n * J + j] * Y[n * J + j];
    }
    laborMarket = Math.max(laborMarket, Math.abs(labor - wva) / wva);
    tradeBalance = Math.max(tradeBalance, Math.abs(imports[n] - shock.Dnew[n] - exports[n]) / worldVA);
  }
  return { priceIndex, goodsMarket, laborMarket, tradeBalance };
}
