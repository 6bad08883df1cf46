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
import { baselinePoint, equilibriumPoint, WelfarePath, type WelfareDecomposition } from './welfare.ts';

/** Default number of steps: keeps the integration gap below 0.001 point for the shipped scenarios (docs/cp2015.md, measured). */
export const DEFAULT_PATH_STEPS = 32;

/** Tolerance of the intermediate points of the path (the end point uses the solver's tolerance). */
export const INTERMEDIATE_TOLERANCE = 1e-7;

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
 * Solves `shock` along its path in `steps` steps (≥ 1) and integrates the welfare decomposition.
 * `baseIncome` is I_n at the baseline of `e`.
 */
export function solveAlongPath(
  e: CpEconomy,
  shock: CpShock,
  baseIncome: Float64Array,
  steps: number,
  options: Partial<CpSolveOptions> = {},
): PathSolution {
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`path steps must be a positive integer, got ${steps}`);
  const path = new WelfarePath(e);
  // Every other point: the same rule with 2h, for one Richardson (Romberg) step when K is even.
  const coarse = steps % 2 === 0 ? new WelfarePath(e) : null;
  let prev = baselinePoint(e, baseIncome);
  let prev2 = prev;
  let warm: CpSolveOptions['warmStart'] = undefined; // the first step starts from the baseline
  let eq: CpEquilibrium | null = null;
  let iterations = 0;
  const finalTolerance = options.tolerance ?? DEFAULT_SOLVE_OPTIONS.tolerance;
  let before: CpEquilibrium | null = null;
  for (let k = 1; k <= steps; k++) {
    // Intermediate points need far less precision than the reported end point (their error enters the parts at
    // the order of the tolerance); the warm start extrapolates the last two points linearly in logs.
    const tolerance = k === steps ? finalTolerance : Math.max(finalTolerance, INTERMEDIATE_TOLERANCE);
    const guess = eq && before ? extrapolate(before, eq) : warm;
    before = eq;
    eq = solveEquilibrium(e, shockAt(e, shock, k / steps), { ...options, tolerance, warmStart: guess });
    iterations += eq.convergence.iterations;
    const next = equilibriumPoint(e, eq, baseIncome);
    path.addStep(prev, next);
    if (coarse && k % 2 === 0) {
      coarse.addStep(prev2, next);
      prev2 = next;
    }
    prev = next;
    warm = eq;
  }
  const fine = path.result();
  return { equilibrium: eq!, welfare: coarse ? richardson(fine, coarse.result()) : fine, steps, iterations };
}

/** (4 F(h) − F(2h)) / 3, element by element: removes the O(h²) error term of the trapezoid rule. */
function richardson(fine: WelfareDecomposition, coarse: WelfareDecomposition): WelfareDecomposition {
  const out = {} as WelfareDecomposition;
  for (const key of Object.keys(fine) as (keyof WelfareDecomposition)[]) {
    const f = fine[key];
    const c = coarse[key];
    out[key] = f.map((v, x) => (4 * v - c[x]) / 3);
  }
  return out;
}
