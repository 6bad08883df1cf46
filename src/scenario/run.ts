// Running a multi-sector scenario: compile its shocks against a world (after resolving its policy date, if any),
// solve on the CP2015 engine, keep the results. Pure: the world, the policy layer's tariffs and file access are
// passed in (the application layer, src/app, gets them from its data sources).
import { CpModel, type Closure, type CpBaselineStore } from '../model/cp/model.ts';
import { DEFAULT_PATH_STEPS } from '../model/cp/path.ts';
import { ownTariffIncidence } from '../model/cp/incidence.ts';
import type { CpResults } from '../model/cp/results.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import { compileScenario, type CompiledScenario, type EstimateReader } from './compile.ts';
import type { LoadedScenario } from './load.ts';
import type { World } from '../data/world.ts';
import type { TariffMatrix } from '../policy/matrix.ts';

export interface ScenarioRun {
  scenario: LoadedScenario;
  compiled: CompiledScenario;
  results: CpResults;
  /** The policy layer's tariffs, when the scenario says "tariffs in force on DATE". */
  policy?: { date: string; relativeTo: string; usAverage: { date: number; relativeTo: number }; notes: string[] };
}

export interface RunOptions {
  /** Overrides the scenario file's closure. */
  closure?: Closure;
  onIteration?: CpSolveOptions['onIteration'];
  /** Steps of the path along which the welfare decomposition is integrated (default DEFAULT_PATH_STEPS). */
  pathSteps?: number;
  /** Re-solved baselines of earlier runs (the model reads its baseline there, or stores it). */
  baselines?: CpBaselineStore;
}

export interface PreparedScenario {
  /** The dataset's world with the scenario's elasticities θ^j. */
  world: World;
  compiled: CompiledScenario;
  policy?: TariffMatrix;
}

/** Compiles the scenario against `world`, starting from the policy layer's tariffs when given. */
export function prepareScenario(scenario: LoadedScenario, world: World, inputs: { policy?: TariffMatrix; readEstimate?: EstimateReader }): PreparedScenario {
  const compiled = compileScenario(scenario, world, inputs.policy?.tariff, inputs.readEstimate);
  // Scenario elasticities replace the dataset's θ (the re-solved baseline depends on θ under zero deficits: the
  // model re-solves it for this world, or reads the one stored for the same world, θ and closure).
  const theta = compiled.theta;
  const used = theta ? { ...world, sectors: world.sectors.map((s, j) => ({ ...s, theta: theta[j] })) } : world;
  return { world: used, compiled, ...(inputs.policy ? { policy: inputs.policy } : {}) };
}

/** Solves a prepared scenario relative to the exact baseline of its closure. */
export function solvePreparedScenario(scenario: LoadedScenario, prepared: PreparedScenario, options: RunOptions = {}): ScenarioRun {
  const { world, compiled, policy } = prepared;
  const closure = options.closure ?? compiled.closure;
  const model = new CpModel(world, { closure, solver: compiled.solver, ...(options.baselines ? { baselines: options.baselines } : {}) });
  const results = model.solve(compiled.counterfactual, options.onIteration, undefined, { pathSteps: options.pathSteps ?? DEFAULT_PATH_STEPS });
  ownTariffIncidence(model, compiled.counterfactual, results);
  return {
    scenario,
    compiled: { ...compiled, closure },
    results,
    ...(policy ? { policy: { date: policy.date, relativeTo: policy.relativeTo, usAverage: policy.usAverage, notes: policy.notes } } : {}),
  };
}
