// The CP2015 model object: a baseline world and a closure in, `solve(shock)` → results out.
//
// Closures (CP2015 §5; deficits D' in (CP4), (CP6) of docs/cp2015.md):
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
import { baseIncomeOf, realIncomeOf } from './real-income.ts';
import { buildResults, type CpResults } from './results.ts';
import { DEFAULT_SOLVE_OPTIONS, solveEquilibrium, type CpConvergence, type CpEquilibrium, type CpShock, type CpSolveOptions } from './solve.ts';

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
  /** Baselines re-solved by earlier runs (optional; Node's file cache is src/node/baseline-cache.ts). */
  baselines?: CpBaselineStore;
}

/** What the re-solved baseline depends on: the world (with its θ), the closure and the solver's options. */
export interface CpBaselineInputs {
  world: World;
  closure: Closure;
  solver: Partial<CpSolveOptions>;
}

/** A re-solved baseline as stored: the world in levels and the solver's report of the re-solve. */
export interface StoredBaseline {
  world: World;
  convergence: CpConvergence;
}

/**
 * A store of re-solved baselines, keyed by everything the re-solve depends on (CpBaselineInputs; the store adds
 * the identity of the code). `get` returns what `put` stored for the same inputs, or null; a hit saves the
 * baseline solve and gives the same numbers to the last bit.
 */
export interface CpBaselineStore {
  get(inputs: CpBaselineInputs): StoredBaseline | null;
  put(inputs: CpBaselineInputs, baseline: StoredBaseline): void;
}

/** A solved counterfactual without its report: the equilibrium and what strategic use needs. */
export interface CpSolution {
  equilibrium: CpEquilibrium;
  /** Exact real income Ŵ_n = Î_n / P̂_n per region, relative to the baseline (1 = no change); length N. */
  realIncome: Float64Array;
}

/** The re-solved baseline: the world in levels, its economy, the solver's report, and income I_n per region. */
export interface CpBaseline {
  world: World;
  economy: CpEconomy;
  convergence: CpConvergence;
  /** I_n = w_n L_n + R_n + D_n at the baseline (length N). */
  income: Float64Array;
}

export class CpModel {
  readonly data: World;
  readonly closure: Closure;
  private readonly solver: Partial<CpSolveOptions>;
  private readonly baselines: CpBaselineStore | undefined;
  private baselineCache: CpBaseline | null = null;

  constructor(world: World, options: CpModelOptions) {
    validateWorld(world, world.name);
    this.data = world;
    this.closure = options.closure;
    this.solver = options.solver ?? {};
    this.baselines = options.baselines;
    if (options.closure === 'dollar-deficits') {
      const us = world.regions.findIndex((r) => r.code === 'USA');
      if (us < 0) throw new InputError(`closure 'dollar-deficits' needs a region with code USA; ${world.name} has none`, { field: 'closure' }, 'use fixed-deficits or zero-deficits');
      const numeraire = new Float64Array(world.regions.length);
      numeraire[us] = 1;
      this.solver = { ...this.solver, numeraire };
    }
  }

  /** The solver's convergence tolerance for this model (its options', else the default). */
  get tolerance(): number {
    return this.solver.tolerance ?? DEFAULT_SOLVE_OPTIONS.tolerance;
  }

  /** Weights of the numéraire in value added (undefined: world value added), e.g. the US wage under 'dollar-deficits'. */
  get numeraire(): Float64Array | undefined {
    return this.solver.numeraire;
  }

  /** The solver's options for this model (closure numéraire, region names for diagnoses) and a call's own. */
  private options(extra: Partial<CpSolveOptions>): Partial<CpSolveOptions> {
    return { regionNames: this.data.regions.map((r) => r.name), ...this.solver, ...extra };
  }

  /** The baseline as an exact equilibrium under this closure (computed once, or read from the model's store). */
  baseline(onIteration?: CpSolveOptions['onIteration']): CpBaseline {
    if (this.baselineCache) return this.baselineCache;
    const inputs: CpBaselineInputs = { world: this.data, closure: this.closure, solver: this.solver };
    const stored = this.baselines?.get(inputs);
    if (stored) {
      const economy = economyOf(stored.world);
      this.baselineCache = { world: stored.world, economy, convergence: stored.convergence, income: baseIncomeOf(economy) };
      return this.baselineCache;
    }
    const raw = economyOf(this.data);
    const Dnew = this.closure === 'zero-deficits' ? new Float64Array(raw.N) : raw.D.slice();
    const eq = solveEquilibrium(raw, { tauNew: raw.tau, dHat: null, Dnew }, this.options({ onIteration }));
    const VA = new Float64Array(raw.N);
    for (let n = 0; n < raw.N; n++) VA[n] = eq.wHat[n] * raw.VA[n];
    const world = worldFromEquilibrium(this.data, { pi: eq.piNew, X: eq.X, tau: raw.tau, VA, D: Dnew }, `${this.data.name} (${this.closure} baseline)`);
    const economy = economyOf(world);
    this.baselineCache = { world, economy, convergence: eq.convergence, income: baseIncomeOf(economy) };
    this.baselines?.put(inputs, { world, convergence: eq.convergence });
    return this.baselineCache;
  }

  /**
   * Solves the counterfactual relative to the baseline and returns the equilibrium and exact real income per
   * region, without building the report (for strategic use: thousands of solves). `solver` overrides the
   * model's solver options for this solve (e.g. a looser tolerance, a wage Jacobian for chord-Newton steps).
   */
  equilibrium(cf: CpCounterfactual, onIteration?: CpSolveOptions['onIteration'], warmStart?: CpSolveOptions['warmStart'], solver: Partial<CpSolveOptions> = {}): CpSolution {
    const base = this.baseline(onIteration);
    const eq = solveEquilibrium(base.economy, this.shockOf(cf), this.options({ ...solver, onIteration, warmStart }));
    return { equilibrium: eq, realIncome: realIncomeOf(base.economy, eq, base.income) };
  }

  /**
   * Solves the counterfactual relative to the baseline and returns the full report (= equilibrium + report). With
   * `report.pathSteps` (≥ 1) the shock is solved along its path (./path.ts, refined up to that many warm-started
   * steps) and the report's `welfare` is the decomposition integrated along it; otherwise `welfare` is the
   * one-step evaluation.
   */
  solve(cf: CpCounterfactual, onIteration?: CpSolveOptions['onIteration'], warmStart?: CpSolveOptions['warmStart'], report: { pathSteps?: number } = {}): CpResults {
    const base = this.baseline(onIteration);
    const extra = { dataValueAdded: this.data.valueAdded, dataYear: this.data.year };
    if (report.pathSteps !== undefined) {
      const path = solveAlongPath(base.economy, this.shockOf(cf), base.income, report.pathSteps, this.options({ onIteration, warmStart }));
      return buildResults(base.world, base.economy, path.equilibrium, this.closure, base.convergence, { ...extra, path });
    }
    const { equilibrium } = this.equilibrium(cf, onIteration, warmStart);
    return buildResults(base.world, base.economy, equilibrium, this.closure, base.convergence, extra);
  }

  /** The shock of a counterfactual in the solver's terms, validated (τ' > −1, d̂ > 0; own-country entries unchanged). */
  shockOf(cf: CpCounterfactual): CpShock {
    const e = this.baseline().economy;
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
    return { tauNew, dHat, Dnew: e.D.slice() };
  }
}
