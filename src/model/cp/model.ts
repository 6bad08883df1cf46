// The CP2015 model object: a baseline world and a closure in, `solve(shock)` → results out.
//
// Closures (CP2015 §5):
//   'fixed-deficits' — each region's trade deficit D_n stays at its baseline level in units of the numéraire
//                      (world value added, which the solver holds fixed), i.e. as a constant share of world GDP.
//   'zero-deficits'  — as in the paper: the baseline is first re-solved with D_n = 0 and no other change; the
//                      counterfactual then runs from that balanced baseline, again with D_n = 0.
//   'dollar-deficits' — each deficit stays at its baseline level in dollars, the dollar being the US wage (the
//                      price of US labour, so US nominal GDP is fixed): the US wage is the numéraire and D'_n = D_n
//                      in its units. The US deficit thus stays the same share of US GDP, and the others' balances
//                      move with the US wage relative to world GDP (docs/cp2015.md, "Closures").
// Either way the baseline is re-solved once (under fixed deficits it only removes the small inconsistencies
// the data carry, e.g. clipped final-demand shares), so the reported changes are relative to an exact
// equilibrium and a shock-free run returns zero changes.
import { InputError } from '../../errors.ts';
import { validateWorld, type World } from '../../data/world.ts';
import { economyOf, worldFromEquilibrium, type CpEconomy } from './economy.ts';
import { solveAlongPath } from './path.ts';
import { buildResults, type CpResults } from './results.ts';
import { solveEquilibrium, type CpConvergence, type CpSolveOptions } from './solve.ts';

export type Closure = 'fixed-deficits' | 'zero-deficits' | 'dollar-deficits';
/** The two main closures (what `--closure both` runs). */
export const CLOSURES: readonly Closure[] = ['fixed-deficits', 'zero-deficits'];
/** Every closure, including 'dollar-deficits'. */
export const ALL_CLOSURES: readonly Closure[] = ['fixed-deficits', 'zero-deficits', 'dollar-deficits'];

/** A counterfactual: new tariff levels and iceberg trade-cost changes, both bil(j,n,i). Omitted = unchanged. */
export interface CpCounterfactual {
  /** τ'_ni^j as fractions. */
  tariff?: Float64Array;
  /** d̂_ni^j = 1 + (percent change in the non-tariff trade cost)/100. */
  tradeCostChange?: Float64Array;
}

export interface CpModelOptions {
  closure: Closure;
  solver?: Partial<CpSolveOptions>;
}

export class CpModel {
  readonly data: World;
  readonly closure: Closure;
  private readonly solver: Partial<CpSolveOptions>;
  private baselineCache: { world: World; economy: CpEconomy; convergence: CpConvergence } | null = null;

  constructor(world: World, options: CpModelOptions) {
    validateWorld(world, world.name);
    this.data = world;
    this.closure = options.closure;
    this.solver = options.solver ?? {};
    if (options.closure === 'dollar-deficits') {
      const us = world.regions.findIndex((r) => r.code === 'USA');
      if (us < 0) throw new InputError(`closure 'dollar-deficits' needs a region with code USA; ${world.name} has none`, { field: 'closure' }, 'use fixed-deficits or zero-deficits');
      const numeraire = new Float64Array(world.regions.length);
      numeraire[us] = 1;
      this.solver = { ...this.solver, numeraire };
    }
  }

  /** The baseline as an exact equilibrium under this closure (computed once). */
  baseline(onIteration?: CpSolveOptions['onIteration']): { world: World; economy: CpEconomy; convergence: CpConvergence } {
    if (this.baselineCache) return this.baselineCache;
    const raw = economyOf(this.data);
    const Dnew = this.closure === 'zero-deficits' ? new Float64Array(raw.N) : raw.D.slice();
    const eq = solveEquilibrium(raw, { tauNew: raw.tau, dHat: null, Dnew }, { regionNames: this.regionNames(), ...this.solver, onIteration });
    const VA = new Float64Array(raw.N);
    for (let n = 0; n < raw.N; n++) VA[n] = eq.wHat[n] * raw.VA[n];
    const world = worldFromEquilibrium(this.data, { pi: eq.piNew, X: eq.X, tau: raw.tau, VA, D: Dnew }, `${this.data.name} (${this.closure} baseline)`);
    this.baselineCache = { world, economy: economyOf(world), convergence: eq.convergence };
    return this.baselineCache;
  }

  private regionNames(): string[] {
    return this.data.regions.map((r) => r.name);
  }

  /**
   * Solves the counterfactual relative to the baseline and returns the full report. With `report.pathSteps`
   * (≥ 1) the shock is solved along its path in that many warm-started steps (./path.ts) and the report's
   * `welfare` is the decomposition integrated along it; otherwise `welfare` is the one-step evaluation.
   */
  solve(cf: CpCounterfactual, onIteration?: CpSolveOptions['onIteration'], warmStart?: CpSolveOptions['warmStart'], report: { pathSteps?: number } = {}): CpResults {
    const base = this.baseline(onIteration);
    const e = base.economy;
    const size = e.J * e.N * e.N;
    for (const [name, arr] of [['tariff', cf.tariff], ['tradeCostChange', cf.tradeCostChange]] as const) {
      if (arr && arr.length !== size) throw new InputError(`${name} has ${arr.length} entries, expected ${size}`, { field: name });
    }
    const tauNew = cf.tariff ? cf.tariff.slice() : e.tau.slice();
    const dHat = cf.tradeCostChange ? cf.tradeCostChange.slice() : null;
    for (let x = 0; x < size; x++) {
      if (!(tauNew[x] > -1)) throw new InputError(`tariff ${tauNew[x] * 100}% at index ${x} is not above −100%`, { field: 'tariff' });
      if (dHat && !(dHat[x] > 0)) throw new InputError(`trade-cost change factor ${dHat[x]} at index ${x} must be positive`, { field: 'tradeCostChange' });
    }
    // Own-country entries carry no tariff and no border cost.
    for (let j = 0; j < e.J; j++) {
      for (let n = 0; n < e.N; n++) {
        tauNew[(j * e.N + n) * e.N + n] = e.tau[(j * e.N + n) * e.N + n];
        if (dHat) dHat[(j * e.N + n) * e.N + n] = 1;
      }
    }
    const shock = { tauNew, dHat, Dnew: e.D.slice() };
    const extra = { dataValueAdded: this.data.valueAdded, dataYear: this.data.year };
    if (report.pathSteps !== undefined) {
      const path = solveAlongPath(e, shock, baseIncomeOf(e), report.pathSteps, { regionNames: this.regionNames(), ...this.solver, onIteration, warmStart });
      return buildResults(base.world, e, path.equilibrium, this.closure, base.convergence, { ...extra, path });
    }
    const eq = solveEquilibrium(e, shock, { regionNames: this.regionNames(), ...this.solver, onIteration, warmStart });
    return buildResults(base.world, e, eq, this.closure, base.convergence, extra);
  }
}

/** I_n = w_n L_n + R_n + D_n at the baseline of `e`. */
function baseIncomeOf(e: CpEconomy): Float64Array {
  const { N, J } = e;
  const I = new Float64Array(N);
  for (let n = 0; n < N; n++) I[n] = e.VA[n] + e.D[n];
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) {
    const x = (j * N + n) * N + i;
    I[n] += (e.tau[x] * e.pi[x] * e.X[n * J + j]) / (1 + e.tau[x]);
  }
  return I;
}
