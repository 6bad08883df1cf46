// Evaluating draws: one SweepModel per worker holds the compiled base (and deal) scenario and, per closure, the
// exact baseline equilibrium (solved once), so a draw costs only its counterfactual solve(s), warm-started from
// the centre solution: the same counterfactual at the scenario's own θ under the same closure (solved once per
// worker). The warm start is the same for every draw, so a draw's bits do not depend on which draws its chunk or
// worker solved before: any chunking, any order, any retry gives identical numbers (a draw started from the
// previous draw's solution would converge to a point that differs within the solver's tolerance). θ does not change the baseline: exact hat algebra gives
// ŵ = P̂ = 1 with no shock for any θ, so each draw's model starts from the same baseline world with its own θ.
// Pure.
import { CpModel, type Closure } from '../model/cp/model.ts';
import type { CpResults } from '../model/cp/results.ts';
import type { World } from '../data/world.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { PreparedScenario, ScenarioRun } from '../scenario/run.ts';
import { standoffReport } from '../scenario/standoff.ts';
import { drawValues, shardColumns, variantKey, type PolicyOverrides, type SweepPlan } from './plan.ts';

export interface PreparedSide {
  scenario: LoadedScenario;
  prepared: PreparedScenario;
}

/** One row of a shard, in shardColumns order. */
export type DrawRow = (number | string)[];

/** Compiles the base (and deal) scenario with a draw's policy overrides (async: the policy layer loads data). */
export type PrepareVariant = (policy: PolicyOverrides) => Promise<{ base: PreparedSide; deal?: PreparedSide }>;

export class SweepModel {
  readonly columns: string[];
  private readonly baselines = new Map<string, World>();
  private readonly warm = new Map<string, CpResults['equilibrium']>();
  private readonly variants = new Map<string, { base: PreparedSide; deal?: PreparedSide }>();

  constructor(
    readonly plan: SweepPlan,
    private readonly prepare: PrepareVariant,
  ) {
    this.columns = shardColumns(plan);
  }

  /** Compiles the scenario variants that draws start ≤ d < end need (once per variant). */
  async ensure(start: number, end: number): Promise<void> {
    for (let d = start; d < end; d++) {
      const { policy } = drawValues(this.plan, d);
      const key = variantKey(policy);
      if (!this.variants.has(key)) this.variants.set(key, await this.prepare(policy));
    }
  }

  private baseline(which: string, side: PreparedSide, closure: Closure): World {
    const key = `${which}/${closure}`;
    let w = this.baselines.get(key);
    if (!w) {
      w = new CpModel(side.prepared.world, { closure, solver: side.prepared.compiled.solver }).baseline().world;
      this.baselines.set(key, w);
    }
    return w;
  }

  private solve(which: string, side: PreparedSide, theta: Float64Array, closure: Closure): ScenarioRun {
    const baseWorld = this.baseline(which, side, closure);
    const world: World = { ...baseWorld, sectors: baseWorld.sectors.map((s, j) => ({ ...s, theta: theta[j] })) };
    const model = new CpModel(world, { closure, solver: side.prepared.compiled.solver });
    const results = model.solve(side.prepared.compiled.counterfactual, undefined, this.centre(which, side, closure));
    return { scenario: side.scenario, compiled: { ...side.prepared.compiled, closure }, results };
  }

  /** The counterfactual equilibrium at the plan's base θ (the warm start of every draw), solved once per side and closure. */
  private centre(which: string, side: PreparedSide, closure: Closure): CpResults['equilibrium'] {
    const key = `${which}/${closure}`;
    let eq = this.warm.get(key);
    if (!eq) {
      const baseWorld = this.baseline(which, side, closure);
      const world: World = { ...baseWorld, sectors: baseWorld.sectors.map((s, j) => ({ ...s, theta: this.plan.thetaBase[j] })) };
      eq = new CpModel(world, { closure, solver: side.prepared.compiled.solver }).solve(side.prepared.compiled.counterfactual).equilibrium;
      this.warm.set(key, eq);
    }
    return eq;
  }

  /** The row of draw d. */
  evaluate(d: number): DrawRow {
    const v = drawValues(this.plan, d);
    const key = variantKey(v.policy);
    const sides = this.variants.get(key);
    if (!sides) throw new Error(`sweep ${this.plan.name}: draw ${d} needs scenario variant ${key || '(base)'}, not prepared (call ensure first)`);
    const run = this.solve(`base${key}`, sides.base, v.theta, v.closure);
    const row: DrawRow = [d, v.closure, ...run.results.regions.map((r) => r.realIncome)];
    if (sides.deal && this.plan.sides) {
      const dealRun = this.solve(`deal${key}`, sides.deal, v.theta, v.closure);
      const rep = standoffReport(run, dealRun, this.plan.sides[0], this.plan.sides[1]);
      row.push(rep.a.lossPercent, rep.b.lossPercent);
    }
    for (const x of row) if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`sweep ${this.plan.name}: draw ${d} gave a non-finite value`);
    return row;
  }
}
