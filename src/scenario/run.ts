// Running a scenario end to end: load the YAML, load its dataset, compile the shocks, solve, report.
import { DATASETS, loadDataset } from '../data/datasets.ts';
import { OSSA_DATASETS, runOssaScenario, type OssaScenarioRun } from './ossa.ts';
import { CpModel, type Closure } from '../model/cp/model.ts';
import { DEFAULT_PATH_STEPS } from '../model/cp/path.ts';
import { ownTariffIncidence } from '../model/cp/incidence.ts';
import type { CpResults } from '../model/cp/results.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import { compileScenario, type CompiledScenario } from './compile.ts';
import { loadScenarioFile, type LoadedScenario } from './load.ts';
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import type { TariffMatrix } from '../policy/matrix.ts';
import { policyTariffs } from './policy.ts';

export interface ScenarioRun {
  scenario: LoadedScenario;
  compiled: CompiledScenario;
  results: CpResults;
  /** The policy layer's tariffs, when the scenario says "tariffs in force on DATE". */
  policy?: { date: string; relativeTo: string; usAverage: { date: number; relativeTo: number }; notes: string[] };
}

export interface RunOptions {
  dataDir?: string;
  /** Overrides the scenario file's closure. */
  closure?: Closure;
  onIteration?: CpSolveOptions['onIteration'];
  /** Steps of the path along which the welfare decomposition is integrated (default DEFAULT_PATH_STEPS). */
  pathSteps?: number;
}

/** A scenario of any model: the multi-sector CP2015 engine (most datasets) or the Ossa (2014) model. */
export type AnyScenarioRun = { model: 'cp2015'; run: ScenarioRun } | { model: 'ossa2014'; run: OssaScenarioRun };

export async function runAnyScenarioFile(file: string, options: RunOptions = {}): Promise<AnyScenarioRun> {
  const scenario = loadScenarioFile(file);
  if (OSSA_DATASETS.includes(scenario.spec.dataset)) {
    if (options.closure) {
      throw new InputError(`dataset ${scenario.spec.dataset} has balanced trade by construction; --closure does not apply`, { field: '--closure' }, 'drop --closure for Ossa scenarios');
    }
    return { model: 'ossa2014', run: runOssaScenario(scenario, options.dataDir) };
  }
  return { model: 'cp2015', run: await runLoadedScenario(scenario, options) };
}

/** Runs a scenario on the multi-sector CP2015 engine (every dataset except the Ossa one). */
export async function runScenarioFile(file: string, options: RunOptions = {}): Promise<ScenarioRun> {
  const scenario = loadScenarioFile(file);
  if (OSSA_DATASETS.includes(scenario.spec.dataset)) {
    const { line, column } = scenario.locate(['dataset']);
    throw new InputError(`this command needs a multi-sector dataset, not ${scenario.spec.dataset}`, { file, line, column, field: 'dataset' }, `use a dataset among ${Object.keys(DATASETS).join(', ')}`);
  }
  return runLoadedScenario(scenario, options);
}

/** Loads the dataset and compiles the scenario (resolving its policy date, if any) for the CP2015 engine. */
export async function prepareScenario(scenario: LoadedScenario, options: { dataDir?: string } = {}): Promise<{ world: World; compiled: CompiledScenario; policy?: TariffMatrix }> {
  const file = scenario.file;
  let world;
  try {
    world = loadDataset(scenario.spec.dataset, options.dataDir);
  } catch (err) {
    if (err instanceof InputError && err.location.field === 'dataset') {
      const { line, column } = scenario.locate(['dataset']);
      throw new InputError(err.detail, { file, line, column, field: 'dataset' }, `known datasets: ${[...Object.keys(DATASETS), ...OSSA_DATASETS].join(', ')}`);
    }
    throw err;
  }
  const policy = await policyTariffs(scenario, world, options.dataDir);
  const compiled = compileScenario(scenario, world, policy?.tariff);
  // Scenario elasticities replace the dataset's θ (the baseline equilibrium does not depend on θ).
  const theta = compiled.theta;
  const used = theta ? { ...world, sectors: world.sectors.map((s, j) => ({ ...s, theta: theta[j] })) } : world;
  return { world: used, compiled, policy };
}

async function runLoadedScenario(scenario: LoadedScenario, options: RunOptions): Promise<ScenarioRun> {
  const { world, compiled, policy } = await prepareScenario(scenario, options);
  if (options.closure) compiled.closure = options.closure;
  const model = new CpModel(world, { closure: compiled.closure, solver: compiled.solver });
  const results = model.solve(compiled.counterfactual, options.onIteration, undefined, { pathSteps: options.pathSteps ?? DEFAULT_PATH_STEPS });
  ownTariffIncidence(model, compiled.counterfactual, results);
  return { scenario, compiled, results, ...(policy ? { policy: { date: policy.date, relativeTo: policy.relativeTo, usAverage: policy.usAverage, notes: policy.notes } } : {}) };
}
