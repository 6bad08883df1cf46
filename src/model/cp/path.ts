// The path of a shock: solves the counterfactual as a sequence of equilibria from the baseline (t = 0) to the
// full shock (t = 1), each warm-started from the previous one, and integrates the CP2015 §4.1 welfare
// decomposition along it (./welfare.ts, docs/cp2015.md "Reports").
//
// Path (K steps, t_k = k/K), geometric in the trade-cost factors and linear in the deficits:
//   1 + τ_ni^j(t) = (1 + τ_ni^j)^(1−t) (1 + τ'_ni^j)^t,   d̂_ni^j(t) = (d̂_ni^j)^t,   D_n(t) = (1−t) D_n + t D'_n.
// Uniform steps in ln(1 + τ) are uniform steps in ln M for a CES importer, where the volume-of-trade integrand
// varies most. The end point t = 1 is the counterfactual itself, so the reported equilibrium is exact; only the
// split into parts depends on K (trapezoid rule with one Richardson step, reported as `gap`).
import type { CpEconomy } from './economy.ts';
import { DEFAULT_SOLVE_OPTIONS, solveEquilibrium, type CpEquilibrium, type CpShock, type CpSolveOptions } from './solve.ts';
import { baselinePoint, equilibriumPoint, WelfarePath, type WelfareDecomposition, type WelfarePoint } from './welfare.ts';

/** Default largest number of steps (the path is refined up to it while the gap exceeds PATH_GAP_TARGET). */
export const DEFAULT_PATH_STEPS = 32;

/** Largest gap (percentage points) between the exact real-income change and the sum of its parts that stops refining. */
export const PATH_GAP_TARGET = 1e-3;

/**
 * Tolerance of the intermediate points of the path (the end point uses the solver's tolerance). Their error moves
 * the parts by a few 1e-6 points (NAFTA, the US–China standoff, Busan, Liberation Day: at most 4e-6 against
 * 1e-7): more than two orders below PATH_GAP_TARGET and below the integration gaps themselves (3e-5 to 2e-4).
 */
export const INTERMEDIATE_TOLERANCE = 1e-6;

/** Linear extrapolation in logs from the last two points: the warm start of the next step. */
function extrapolate(a: CpEquilibrium, b: CpEquilibrium): NonNullable<CpSolveOptions['warmStart']> {
  const ext = (x: Float64Array, y: Float64Array) => y.map((v, k) => (v > 0 && x[k] > 0 ? (v * v) / x[k] : v));
  return { wHat: ext(a.wHat, b.wHat), PHat: ext(a.PHat, b.PHat), X: ext(a.X, b.X) };
}

export interface PathSolution {
  /** The equilibrium at t = 1 (the counterfactual). */
  equilibrium: CpEquilibrium;
  /** The decomposition integrated along the path, percent of baseline real income. */
  welfare: WelfareDecomposition;
  steps: number;
  /** Outer iterations summed over the steps. */
  iterations: number;
}

/** The shock at t ∈ [0, 1] on the path from the baseline of `e` to `shock`. */
export function shockAt(e: CpEconomy, shock: CpShock, t: number): CpShock {
  if (t === 1) return shock;
  const tauNew = new Float64Array(e.tau.length);
  for (let x = 0; x < tauNew.length; x++) {
    const a = e.tau[x];
    const b = shock.tauNew[x];
    tauNew[x] = a === b ? a : Math.exp((1 - t) * Math.log1p(a) + t * Math.log1p(b)) - 1;
  }
  const dHat = shock.dHat ? shock.dHat.map((d) => (d === 1 ? 1 : Math.exp(t * Math.log(d)))) : null;
  const Dnew = new Float64Array(e.N);
  for (let n = 0; n < e.N; n++) Dnew[n] = e.D[n] === shock.Dnew[n] ? e.D[n] : (1 - t) * e.D[n] + t * shock.Dnew[n];
  return { tauNew, dHat, Dnew };
}

/**
 * Solves `shock` along its path and integrates the welfare decomposition, refining adaptively: the path starts
 * with min(4, maxSteps) steps; while the parts miss the exact real-income change (known at the end point) by
 * more than `gapTarget` percentage points in some region, every step is halved (new midpoints, each warm-started
 * from its left neighbour), up to `maxSteps`. Small shocks stop after 4 steps; large ones use more.
 * `baseIncome` is I_n at the baseline of `e`.
 */
export function solveAlongPath(
  e: CpEconomy,
  shock: CpShock,
  baseIncome: Float64Array,
  maxSteps: number,
  options: Partial<CpSolveOptions> = {},
  gapTarget = PATH_GAP_TARGET,
): PathSolution {
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new RangeError(`path steps must be a positive integer, got ${maxSteps}`);
  const finalTolerance = options.tolerance ?? DEFAULT_SOLVE_OPTIONS.tolerance;
  const tolerance = Math.max(finalTolerance, INTERMEDIATE_TOLERANCE);
  let iterations = 0;
  const solveAt = (t: number, warmStart: CpSolveOptions['warmStart']): CpEquilibrium => {
    const eq = solveEquilibrium(e, shockAt(e, shock, t), { ...options, tolerance: t === 1 ? finalTolerance : tolerance, warmStart });
    iterations += eq.convergence.iterations;
    return eq;
  };
  // The first pass: K steps in order, each warm-started by extrapolating the last two points linearly in logs.
  let K = Math.min(4, maxSteps);
  let eqs: CpEquilibrium[] = [];
  let before: CpEquilibrium | null = null;
  for (let k = 1; k <= K; k++) {
    const last = eqs.length ? eqs[eqs.length - 1] : null;
    const guess = last && before ? extrapolate(before, last) : (last ?? options.warmStart);
    before = last;
    eqs.push(solveAt(k / K, guess));
  }
  const base = baselinePoint(e, baseIncome);
  let points = [base, ...eqs.map((eq) => equilibriumPoint(e, eq, baseIncome))];
  for (;;) {
    const welfare = integrate(e, points);
    const end = points[points.length - 1];
    let gap = 0;
    for (let n = 0; n < e.N; n++) gap = Math.max(gap, Math.abs(100 * (end.realIncome[n] - 1) - welfare.total[n]));
    if (gap <= gapTarget || 2 * K > maxSteps) return { equilibrium: eqs[K - 1], welfare, steps: K, iterations };
    // Halve every step: the midpoint of [k/K, (k+1)/K] starts from the equilibrium at k/K.
    const finer: CpEquilibrium[] = [];
    const finerPoints = [base];
    for (let k = 0; k < K; k++) {
      const mid = solveAt((2 * k + 1) / (2 * K), k === 0 ? options.warmStart : eqs[k - 1]);
      finer.push(mid, eqs[k]);
      finerPoints.push(equilibriumPoint(e, mid, baseIncome), points[k + 1]);
    }
    eqs = finer;
    points = finerPoints;
    K *= 2;
  }
}

/** The trapezoid rule over consecutive points, with one Richardson step against every other point when K is even. */
function integrate(e: CpEconomy, points: WelfarePoint[]): WelfareDecomposition {
  const K = points.length - 1;
  const fine = new WelfarePath(e);
  for (let k = 1; k <= K; k++) fine.addStep(points[k - 1], points[k]);
  if (K % 2 !== 0) return fine.result();
  const coarse = new WelfarePath(e);
  for (let k = 2; k <= K; k += 2) coarse.addStep(points[k - 2], points[k]);
  return richardson(fine.result(), coarse.result());
}

/** (4 F(h) − F(2h)) / 3, element by element: removes the O(h²) error term of the trapezoid rule. */
function richardson(fine: WelfareDecomposition, coarse: WelfareDecomposition): WelfareDecomposition {
  const out = {} as WelfareDecomposition;
  for (const key of Object.keys(fine) as (keyof WelfareDecomposition)[]) {
    const f = fine[key];
    const c = coarse[key];
    const r = new Float64Array(f.length);
    for (let x = 0; x < f.length; x++) r[x] = (4 * f[x] - c[x]) / 3;
    out[key] = r;
  }
  return out;
}
