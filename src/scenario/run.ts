// Running a scenario end to end: load the YAML, load its dataset, compile the shocks, solve, report.
import { loadDataset } from '../data/datasets.ts';
import { CpModel, type Closure } from '../model/cp/model.ts';
import type { CpResults } from '../model/cp/results.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import { compileScenario, type CompiledScenario } from './compile.ts';
import { loadScenarioFile, type LoadedScenario } from './load.ts';
import { InputError } from '../errors.ts';

export interface ScenarioRun {
  scenario: LoadedScenario;
  compiled: CompiledScenario;
  results: CpResults;
}

export interface RunOptions {
  dataDir?: string;
  /** Overrides the scenario file's closure. */
  closure?: Closure;
  onIteration?: CpSolveOptions['onIteration'];
}

export function runScenarioFile(file: string, options: RunOptions = {}): ScenarioRun {
  const scenario = loadScenarioFile(file);
  let world;
  try {
    world = loadDataset(scenario.spec.dataset, options.dataDir);
  } catch (err) {
    if (err instanceof InputError && err.location.field === 'dataset') {
      const { line, column } = scenario.locate(['dataset']);
      throw new InputError(err.message.split('\n')[0], { file, line, column, field: 'dataset' }, err.hint);
    }
    throw err;
  }
  const compiled = compileScenario(scenario, world);
  if (options.closure) compiled.closure = options.closure;
  const model = new CpModel(world, { closure: compiled.closure, solver: compiled.solver });
  const results = model.solve(compiled.counterfactual, options.onIteration);
  return { scenario, compiled, results };
}
