// The abstract interface the strategy engine works against. Pure.
//
// Any trade model can be plugged in (the Ossa 2014 model, the Caliendo–Parro multi-sector IO model, a
// synthetic test world) by implementing `StrategicModel`: a policy vector of tariffs, which positions of it
// each government controls, and the welfare of every government at a policy (optionally with the gradient
// of a weighted sum of log welfare). Welfare is reported as a change relative to the model's baseline
// (1 = baseline), so `ln welfare` is the percentage-like objective every government maximises.

/** One policy instrument position: government `owner` taxes imports from `partner` in `sector`. */
export interface PolicyPosition {
  /** Index into the policy vector. */
  index: number;
  /** Government that sets it (the importer). */
  owner: number;
  /** Exporter the tariff applies to. */
  partner: number;
  /** Sector (industry) index. */
  sector: number;
}

export interface Evaluation {
  /** Welfare of each government relative to the model's baseline (1 = no change). length G. */
  welfare: Float64Array;
  /** ∂/∂policy of Σ_g weights_g ln welfare_g, when weights were passed and the model has gradients. */
  gradient?: Float64Array;
}

export interface StrategicModel {
  /** Short label, e.g. "ossa2014". */
  readonly name: string;
  /** Government (region) names; indices are used everywhere else. */
  readonly governments: readonly string[];
  /** Sector names (for MFN grouping and reports). */
  readonly sectors: readonly string[];
  /** Length of the policy vector. */
  readonly policySize: number;
  /** True if `evaluate` returns exact gradients; otherwise the engine differentiates numerically. */
  readonly hasGradient: boolean;
  /** The factual policy (tariffs as fractions: 0.05 = 5%). A fresh copy. */
  baselinePolicy(): Float64Array;
  /** The positions government g controls (its import tariffs on each partner and sector). */
  positions(g: number): PolicyPosition[];
  /**
   * Welfare of every government at `policy`. With `weights` (length G) and `hasGradient`, also the gradient
   * of Σ_g weights_g ln welfare_g with respect to the whole policy vector. Must throw a typed error
   * (InputError / ConvergenceError) instead of returning NaN.
   */
  evaluate(policy: Float64Array, weights?: Float64Array): Evaluation;
  /**
   * Optional scale hints at `policy` (length policySize, > 0): roughly how strongly welfare reacts to each
   * position, e.g. the value of the trade flow the tariff applies to relative to the importer's spending at
   * that policy. Used to precondition the optimiser; without it, tariffs on tiny flows converge very slowly.
   */
  scaleHints?(policy: Float64Array): Float64Array;
}

/** Which tariffs a government may set. */
export type InstrumentKind = 'discriminatory' | 'mfn';

/** Restrictions on a government's instruments, in tariff units (fractions). */
export interface Restriction {
  /** Lower bound for every instrument (default 0: no import subsidies, as in Ossa 2014). */
  lower?: number;
  /** Upper bound for every instrument (default 10 = 1000%, as in Ossa 2014). */
  upper?: number;
  /** Per-instrument bounds overriding lower/upper, keyed by the instrument's label ("China:crp" or "crp"). */
  bounds?: Record<string, { lower?: number; upper?: number }>;
}

/** A parallel map over best-response jobs, injected by the caller (sequential, worker threads, web workers). */
export type BestResponseMap = (jobs: BestResponseJob[], onDone?: (index: number) => void) => Promise<BestResponseResult[]>;

/** One best-response problem: government `government` re-optimises given everyone else's tariffs in `policy`. */
export interface BestResponseJob {
  government: number;
  policy: Float64Array;
  /** Starting values of the instruments (warm start); default: the current values in `policy`. */
  start?: Float64Array;
  kind: InstrumentKind;
  restriction?: Restriction;
  options?: OptimizerOptions;
}

export interface BestResponseResult {
  government: number;
  /** Optimal instrument values (one per instrument, in the instrument order). */
  instruments: Float64Array;
  /** The full policy with the government's optimal tariffs applied. */
  policy: Float64Array;
  /** The government's welfare (relative to the model baseline) at the optimum, and everyone's. */
  welfare: Float64Array;
  iterations: number;
  evaluations: number;
  /** Sup-norm of the projected gradient at the optimum (scaled units). */
  projectedGradient: number;
  seconds: number;
}

export interface OptimizerOptions {
  /** Maximum quasi-Newton iterations (default 2000). */
  maxIterations?: number;
  /** Convergence: sup-norm of the projected gradient of ln welfare (default 1e-9). */
  gradientTolerance?: number;
  /** Convergence: relative change of the objective over 5 iterations (default 1e-15). */
  functionTolerance?: number;
  /** L-BFGS memory (default 12). */
  memory?: number;
}
