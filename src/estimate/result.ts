// Shared input/option/result types of the estimators. Pure.
import type { DemeanMethod, FixedEffectIndex } from './demean.ts';
import type { RowRunner } from './runner.ts';
import type { DropReport } from './separation.ts';
import type { SmallSample, VcovType } from './vcov.ts';

export interface DesignInput {
  /** Outcome (levels for PPML). */
  y: Float64Array;
  /** Regressor columns, all of length n. */
  X: Float64Array[];
  names: string[];
  fixedEffects: FixedEffectIndex[];
  /** One-way cluster codes 0..size−1 (required for vcov 'cluster'). */
  cluster?: { name: string; codes: Int32Array; size: number };
  /** Label of the outcome, for messages. */
  outcomeName?: string;
}

export interface FitOptions {
  vcov?: VcovType;
  ssc?: SmallSample;
  /** IRLS convergence: relative change in deviance (ppmlhdfe's criterion). Default 1e−8. */
  tol?: number;
  maxIter?: number;
  /** Target tolerance of the fixed-effect demeaning (relative). Default 1e−9. */
  demeanTol?: number;
  demeanMaxIter?: number;
  /** What to do with perfectly collinear regressors: 'error' (default) or 'drop' (reported). */
  collinear?: 'error' | 'drop';
  /** Drop observations separated by fixed effects (all-zero groups). Default true. */
  separation?: boolean;
  /** Drop singleton groups. Default true (as ppmlhdfe/reghdfe). */
  dropSingletons?: boolean;
  /**
   * PPML: the demeaned regressors (which enter only the Hessian) are refreshed with the current weights while
   * the relative deviance change exceeds this (default 0.1) and after a step that raised the deviance; 0
   * refreshes them at every step (plain IRLS).
   */
  refreshEps?: number;
  /** Solver of the fixed-effect normal equations: conjugate gradients (default) or Irons–Tuck accelerated Gauss–Seidel. */
  demeanMethod?: DemeanMethod;
  /**
   * Runs the row loops (PPML); default sequential on the calling thread. A parallel runner (for Node:
   * src/node/estimate/pool.ts) gives bit-for-bit the same results.
   */
  runner?: RowRunner;
  /** Called after every IRLS iteration (progress, diagnostics). */
  onIteration?: (info: { iteration: number; deviance: number; epsilon: number; demeanTol: number; sweeps: number; refreshed: boolean }) => void;
  /** Keep the fitted means / residuals in the result. */
  keepFitted?: boolean;
}

export interface CollinearReport {
  name: string;
  reason: string;
}

export interface FitResult {
  method: 'ppml' | 'ols';
  /** Names of the estimated coefficients (collinear ones removed when collinear = 'drop'). */
  names: string[];
  coef: Float64Array;
  se: Float64Array;
  /** Row-major p×p. */
  vcov: Float64Array;
  z: Float64Array;
  p: Float64Array;
  /** Observations used. */
  n: number;
  /** Observations given to the estimator before separation/singleton drops. */
  nInput: number;
  dropped: DropReport[];
  collinear: CollinearReport[];
  fixedEffects: { name: string; groups: number }[];
  vcovType: VcovType;
  ssc: SmallSample;
  smallSampleFactor: string;
  clusters?: number;
  clusterName?: string;
  converged: boolean;
  iterations: number;
  /** Total passes of the fixed-effect solver over the rows (CG) or Gauss–Seidel sweeps (Irons–Tuck), all IRLS iterations. */
  demeanSweeps: number;
  /** Final relative deviance change (PPML) . */
  epsilon: number;
  deviance?: number;
  /** Squared correlation of y and the fit (PPML pseudo-R², as the Yotov et al. do-files report). */
  r2: number;
  /** Rows of the input that were used (1) or dropped (0). */
  used: Uint8Array;
  fitted?: Float64Array;
  notes: string[];
}

export function coefficient(r: FitResult, name: string): { estimate: number; se: number } {
  const k = r.names.indexOf(name);
  if (k < 0) throw new Error(`no coefficient '${name}' (have: ${r.names.join(', ')})`);
  return { estimate: r.coef[k], se: r.se[k] };
}
