// The Caliendo–Parro (2015) multi-sector input–output model as a StrategicModel. Pure.
//
// Policy vector = the full tariff array bil(j, n, i) = (j * N + n) * N + i (n importer, i exporter), fractions.
// Government n controls its tariffs on every partner i ≠ n in every traded sector. Welfare of government n is
// its exact real income relative to the model's baseline, Ŵ_n = Î_n / P̂_n (CP8 in docs/cp2015.md), read from
// the equilibrium without building a report. Gradients are exact: implicit differentiation of the equilibrium
// conditions, one adjoint solve per objective (src/model/cp/adjoint.ts, (A1)–(A6)). With
// `gradient: 'finite-differences'` the model reports no gradient and the strategy engine differentiates
// numerically (the test oracle). Every solve is warm-started from the previous equilibrium — extrapolated
// along the line through the two previous policies when the new policy continues that line (a secant
// predictor, e.g. along a row of the deal grid) — and a repeated evaluation at the same policy reuses the
// last solve.
//
// Use it with balanced trade (closure 'zero-deficits'), as Ossa (2014) purges imbalances: with a deficit held
// fixed, a prohibitive tariff turns the deficit into a windfall of tariff revenue, and a government's "optimal"
// tariff runs to the upper bound.
import { ConvergenceError } from '../../errors.ts';
import { CpAdjoint } from '../../model/cp/adjoint.ts';
import type { CpModel, CpSolution } from '../../model/cp/model.ts';
import type { CpEquilibrium, CpSolveOptions } from '../../model/cp/solve.ts';
import type { Evaluation, PolicyPosition, StrategicModel } from '../types.ts';

export type CpGradient = 'adjoint' | 'finite-differences';

export interface CpStrategicOptions {
  /** d̂ (bil) held fixed in every evaluation, e.g. a scenario's NTB assumptions. */
  tradeCostChange?: Float64Array;
  /** 'adjoint' (default, exact) or 'finite-differences' (hasGradient = false: the engine differences numerically). */
  gradient?: CpGradient;
  /** Solver tolerance of this adapter's solves (default: the model's own). */
  tolerance?: number;
  /**
   * Chord-Newton wage steps from a wage Jacobian estimated at a recent equilibrium (solve.ts (CP10)): about 3×
   * fewer outer iterations along a grid of nearby policies (default false). The solutions meet the same
   * tolerance, but their last digits depend on the path, which disturbs line searches that work at the
   * rounding level (the bargaining refinement, best responses): use it where values are only tabulated.
   */
  chordNewton?: boolean;
}

/** A solve that needs more outer iterations than this re-estimates the wage Jacobian on the next solve. */
const JACOBIAN_REFRESH_ITERATIONS = 6;

export class CpStrategicModel implements StrategicModel {
  readonly name = 'cp2015-io';
  readonly governments: readonly string[];
  readonly sectors: readonly string[];
  readonly policySize: number;
  readonly hasGradient: boolean;
  readonly model: CpModel;
  /** Number of equilibrium solves so far (for reports and tests). */
  solves = 0;
  /** Number of adjoint gradients so far. */
  gradients = 0;
  private readonly N: number;
  private readonly J: number;
  private last: { policy: Float64Array; solution: CpSolution; adjoint: CpAdjoint | null } | undefined;
  private prev: { policy: Float64Array; solution: CpSolution } | undefined;
  private readonly tradeCostChange: Float64Array | undefined;
  private readonly tolerance: number | undefined;
  private readonly chordNewton: boolean;
  /** ∂z/∂ln ŵ at a recent equilibrium, for chord-Newton wage steps (solve.ts (CP10)); re-estimated when stale. */
  private wageJacobian: Float64Array | undefined;
  private refreshJacobian = true;

  /** `options` may also be a d̂ array (the former signature). */
  constructor(model: CpModel, options: CpStrategicOptions | Float64Array = {}) {
    const o: CpStrategicOptions = options instanceof Float64Array ? { tradeCostChange: options } : options;
    this.model = model;
    this.tradeCostChange = o.tradeCostChange;
    this.tolerance = o.tolerance;
    this.chordNewton = o.chordNewton ?? false;
    this.hasGradient = (o.gradient ?? 'adjoint') === 'adjoint';
    const w = model.baseline().world;
    this.N = w.regions.length;
    this.J = w.sectors.length;
    this.governments = w.regions.map((r) => r.code);
    this.sectors = w.sectors.map((s) => s.name);
    this.policySize = this.J * this.N * this.N;
  }

  baselinePolicy(): Float64Array {
    return this.model.baseline().world.tariff.slice();
  }

  positions(g: number): PolicyPosition[] {
    const { N, J } = this;
    const econ = this.model.baseline().economy;
    const out: PolicyPosition[] = [];
    for (let j = 0; j < J; j++) {
      if (!econ.traded[j]) continue;
      for (let i = 0; i < N; i++) if (i !== g) out.push({ index: (j * N + g) * N + i, owner: g, partner: i, sector: j });
    }
    return out;
  }

  /** The equilibrium at `policy` (solved, or the last one if the policy is unchanged). */
  solution(policy: Float64Array, warmStart?: Pick<CpEquilibrium, 'wHat' | 'PHat' | 'X'>): CpSolution {
    const last = this.last;
    if (last && samePolicy(last.policy, policy)) return last.solution;
    const start = warmStart ?? (last ? this.predict(policy) : undefined);
    const solver: Partial<CpSolveOptions> = this.chordNewton ? { wageJacobian: this.wageJacobian, estimateWageJacobian: this.refreshJacobian } : {};
    if (this.tolerance !== undefined) solver.tolerance = this.tolerance;
    const solution = this.model.equilibrium({ tariff: policy, tradeCostChange: this.tradeCostChange }, undefined, start, solver);
    this.solves++;
    const eq = solution.equilibrium;
    if (eq.wageJacobian) {
      this.wageJacobian = eq.wageJacobian;
      this.refreshJacobian = false;
    } else if (eq.convergence.iterations > JACOBIAN_REFRESH_ITERATIONS) {
      this.refreshJacobian = true;
    }
    const welfare = solution.realIncome;
    for (let g = 0; g < welfare.length; g++) {
      if (!(welfare[g] > 0) || !Number.isFinite(welfare[g])) {
        const c = solution.equilibrium.convergence;
        throw new ConvergenceError(`real income of ${this.governments[g]} is ${welfare[g]} at this tariff policy`, c.iterations, c.residuals);
      }
    }
    if (last) this.prev = { policy: last.policy, solution: last.solution };
    this.last = { policy: Float64Array.from(policy), solution, adjoint: null };
    return solution;
  }

  /**
   * Warm start for `policy`: the last equilibrium, or — when policy − last continues the step last − prev
   * (cosine > 0.999, at most 3 steps ahead) — the secant extrapolation u_last + t (u_last − u_prev) of
   * (ln ŵ, ln P̂, X').
   */
  private predict(policy: Float64Array): Pick<CpEquilibrium, 'wHat' | 'PHat' | 'X'> {
    const last = this.last!;
    const a = last.solution.equilibrium;
    const prev = this.prev;
    if (!prev) return a;
    let d11 = 0;
    let d12 = 0;
    let d22 = 0;
    for (let x = 0; x < policy.length; x++) {
      const d1 = last.policy[x] - prev.policy[x];
      const d2 = policy[x] - last.policy[x];
      d11 += d1 * d1;
      d12 += d1 * d2;
      d22 += d2 * d2;
    }
    if (!(d11 > 0) || !(d12 > 0.999 * Math.sqrt(d11 * d22))) return a;
    const t = d12 / d11;
    if (t > 3) return a;
    const b = prev.solution.equilibrium;
    const ext = (u: Float64Array, v: Float64Array): Float64Array => u.map((x, q) => x * Math.pow(x / v[q], t));
    const X = a.X.map((x, q) => Math.max(0, x + t * (x - b.X[q])));
    return { wHat: ext(a.wHat, b.wHat), PHat: ext(a.PHat, b.PHat), X };
  }

  evaluate(policy: Float64Array, weights?: Float64Array, warmStart?: Pick<CpEquilibrium, 'wHat' | 'PHat' | 'X'>): Evaluation {
    const solution = this.solution(policy, warmStart);
    const welfare = solution.realIncome.slice();
    if (!weights || !this.hasGradient) return { welfare };
    const last = this.last!;
    last.adjoint ??= new CpAdjoint(this.model.baseline().economy, solution.equilibrium, { numeraire: this.model.numeraire });
    this.gradients++;
    return { welfare, gradient: last.adjoint.gradient(weights) };
  }
  // No scaleHints: with exact gradients, L-BFGS with its own (γ = sᵀy/yᵀy) scaling converges in 2–5× fewer
  // evaluations on world2024 than with an import-share preconditioner (measured on USA, EU, IND best responses).
}

function samePolicy(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let x = 0; x < a.length; x++) if (a[x] !== b[x]) return false;
  return true;
}
