// Two-country deal zone on a multi-sector scenario: the scenario's tariffs (and NTB assumptions) are the
// standoff, i.e. the disagreement point; a deal sets A's tariff on all of B's goods and B's tariff on all of
// A's goods to uniform rates (a, b), everything else as in the standoff. Welfare is exact real income
// (CP2015 model); the zone and the Nash bargaining solution come from src/strategy/bargaining.ts: the grid is
// solved in serpentine order, each solve warm-started from its neighbour (with a secant predictor along a
// row, src/strategy/adapters/cp.ts), and the bargaining point is found by projected quasi-Newton with exact
// (adjoint) gradients from the best grid cell.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import { CpModel, type Closure } from '../model/cp/model.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import { bargain, bargainSplit, type BargainingOptions, type BargainingResult, type DealGridRows } from '../strategy/bargaining.ts';
import { CpStrategicModel } from '../strategy/adapters/cp.ts';
import type { PreparedScenario } from './run.ts';

/** Solver tolerance of the grid's solves (the standoff and the bargaining refinement use 1e-13). */
export const GRID_TOLERANCE = 1e-9;
/** Share of the grid's rows solved by the calling thread in dealOnScenarioSplit (measured on the default deal). */
export const SPLIT_SHARE = 0.4;
/** Default grid: 16 points per axis from 0 to 150%, i.e. 10-point steps (256 solves). */
export const DEFAULT_GRID = { max: 1.5, steps: 16 } as const;

export interface DealOptions {
  a: string;
  b: string;
  /** Largest uniform tariff on the grid (fraction, default 1.5 = 150%). */
  gridMax?: number;
  /** Grid points per axis (default 16: 10-point steps to 150%). The bargaining point does not depend on it: it
   *  is optimised from the best cell. */
  gridSteps?: number;
  /** Closure of the strategic computation (default zero-deficits: balanced trade, see adapters/cp.ts). */
  closure?: Closure;
  onProgress?: (done: number, total: number) => void;
}

export interface DealReport {
  scenario: string;
  dataset: string;
  closure: string;
  result: BargainingResult;
  /** The standoff's trade-weighted tariffs of A on B and B on A (percent), for orientation. */
  standoffTariffs: { aOnB: number; bOnA: number };
  solves: number;
}

/** Solver tolerance of the standoff and the bargaining refinement: keeps objective values along the line search clean. */
export const DEAL_TOLERANCE = 1e-13;

/**
 * The CP model of a deal: the scenario's world and solver options under the deal's closure, at DEAL_TOLERANCE.
 * Every thread that solves part of a deal builds it this way, so that all parts share one baseline.
 */
export function dealModel(world: World, closure: Closure, solver: Partial<CpSolveOptions>): CpModel {
  return new CpModel(world, { closure, solver: { ...solver, tolerance: DEAL_TOLERANCE } });
}

/** The adapter that solves the grid (at GRID_TOLERANCE, warm-started along the grid). */
export function dealGridModel(model: CpModel, tradeCostChange: Float64Array | undefined): CpStrategicModel {
  // The grid only classifies points and prints gains (to 0.01 points): real income to 1e-9 is plenty.
  return new CpStrategicModel(model, { tradeCostChange, tolerance: GRID_TOLERANCE, chordNewton: true });
}

/** The deal zone with a prepared multi-sector scenario (its tariffs and NTB assumptions) as the standoff. */
export function dealOnScenario(prepared: PreparedScenario, dataset: string, opts: DealOptions): DealReport {
  const d = dealSetup(prepared, opts);
  return dealReport(prepared, dataset, d, bargain(d.strategic, d.options));
}

/**
 * As `dealOnScenario`, with the upper half of the grid's rows solved by `rows` (e.g. a worker thread that built
 * `dealModel` and `dealGridModel` of the same scenario) while this thread solves the lower half.
 */
export async function dealOnScenarioSplit(prepared: PreparedScenario, dataset: string, opts: DealOptions, rows: DealGridRows): Promise<DealReport> {
  const d = dealSetup(prepared, opts);
  // This thread also solves the standoff (at DEAL_TOLERANCE, from the baseline) and collects the garbage of the
  // scenario's compilation: the other thread takes the larger part of the grid.
  const steps = d.options.grid!.steps!;
  let remoteSolves = 0;
  const counted: DealGridRows = async (spec, from, to, onRow) => {
    const block = await rows(spec, from, to, onRow);
    remoteSolves += block.solves ?? 0;
    return block;
  };
  const result = await bargainSplit(d.strategic, d.options, counted, Math.round(SPLIT_SHARE * steps));
  return dealReport(prepared, dataset, d, result, remoteSolves);
}

interface DealSetup {
  closure: Closure;
  model: CpModel;
  strategic: CpStrategicModel;
  grid: CpStrategicModel;
  a: number;
  b: number;
  standoff: Float64Array;
  options: BargainingOptions;
}

function dealSetup(prepared: PreparedScenario, opts: DealOptions): DealSetup {
  const { world, compiled } = prepared;
  const closure = opts.closure ?? 'zero-deficits';
  const model = dealModel(world, closure, compiled.solver);
  const strategic = new CpStrategicModel(model, { tradeCostChange: compiled.counterfactual.tradeCostChange });
  const grid = dealGridModel(model, compiled.counterfactual.tradeCostChange);
  const index = (key: string, flag: string): number => {
    const k = world.regions.findIndex((r) => r.code.toLowerCase() === key.toLowerCase() || r.name.toLowerCase() === key.toLowerCase());
    if (k < 0) throw new InputError(`unknown region '${key}'`, { field: flag }, `regions of ${world.name}: ${world.regions.map((r) => r.code).join(', ')}`);
    return k;
  };
  const a = index(opts.a, '--a');
  const b = index(opts.b, '--b');
  const standoff = compiled.counterfactual.tariff ?? world.tariff;
  const options: BargainingOptions = {
    a,
    b,
    standoff,
    mode: 'uniform',
    grid: { min: 0, max: opts.gridMax ?? DEFAULT_GRID.max, steps: opts.gridSteps ?? DEFAULT_GRID.steps },
    onProgress: opts.onProgress,
    gridModel: grid,
    // Exact gradients, but u_A, u_B are small differences of real incomes solved to 1e-13: below a projected
    // gradient of about 1e-6 the line search cannot tell steps apart (the optimiser then stops on 'noise').
    nbsTolerance: 1e-7,
  };
  return { closure, model, strategic, grid, a, b, standoff, options };
}

function dealReport(prepared: PreparedScenario, dataset: string, d: DealSetup, result: BargainingResult, otherSolves = 0): DealReport {
  const { world, compiled } = prepared;
  const { a, b, standoff, closure, model } = d;
  const base = model.baseline().world;
  const weighted = (n: number, i: number): number => {
    const N = world.regions.length;
    let m = 0;
    let t = 0;
    for (let j = 0; j < world.sectors.length; j++) {
      const x = (j * N + n) * N + i;
      m += base.trade[x];
      t += base.trade[x] * standoff[x];
    }
    return m > 0 ? (100 * t) / m : 0;
  };
  return {
    scenario: compiled.name,
    dataset,
    closure,
    result,
    standoffTariffs: { aOnB: weighted(a, b), bOnA: weighted(b, a) },
    solves: d.strategic.solves + d.grid.solves + otherSolves,
  };
}
