// Types shared by the demeaner (../demean.ts), its common layout (./layout.ts) and its methods (./cg.ts,
// ./irons-tuck.ts). Pure.
import type { RowRunner } from '../runner.ts';

export interface FixedEffectIndex {
  name: string;
  /** Group of each row, 0..size−1. */
  index: Int32Array;
  size: number;
  /** Optional labels of the groups (for reporting). */
  levels?: string[];
}

export type DemeanMethod = 'cg' | 'irons-tuck';

export interface DemeanOptions {
  /** Stop when no coefficient would move by more than tol × (weighted RMS of the variable). */
  tol: number;
  maxIter: number;
}

export interface DemeanStats {
  /** Passes over the rows (CG) or Gauss–Seidel sweeps (Irons–Tuck). */
  iterations: number;
  converged: boolean;
  /** Largest coefficient correction at the end, relative to the variable's RMS. */
  maxChange: number;
}

/** Warm-start state: coefficients per dimension, interleaved for m variables, plus scratch space. */
export interface DemeanState {
  m: number;
  /** Per dimension (length 0 for the concentrated one); views into `flat`. */
  alpha: Float64Array[];
  /** All stored coefficients, dimension after dimension (the CG vector). */
  flat: Float64Array;
  /** Scratch (same shapes as alpha): weighted sums S, and the two Irons–Tuck iterates. */
  scratch?: { S: Float64Array[]; GX: Float64Array[]; GGX: Float64Array[] };
  /** CG search direction (readable by the runner's threads). */
  dir?: Float64Array;
}

export interface DemeanerOptions {
  /** Look for a dimension with contiguous groups to concentrate out (default true). */
  allowBlock?: boolean;
  /** Solver (default 'cg'). */
  method?: DemeanMethod;
  /** Runs the row passes (default: sequentially on this thread). */
  runner?: RowRunner;
}


/** One demeaning method: solves the (reduced) normal equations for the m variables `xs`, warm-started from and
 *  writing into `state`. The caller forms x̃ from the coefficients. */
export interface DemeanSolver {
  solve(xs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats;
}
