// Scenario files in Node: read and parse a scenario file, and run one through the application layer with
// Node's data sources (used by the CLI, tests and benchmarks).
import { readText } from './data/files.ts';
import { parseScenario, type LoadedScenario } from '../scenario/load.ts';
import { MAX_SCENARIO_BYTES } from '../scenario/limits.ts';
import type { ScenarioRun } from '../scenario/run.ts';
import { solveCpScenario, compileCp } from '../app/models/cp.ts';
import type { PreparedScenario } from '../scenario/run.ts';
import { scenarioDataset } from '../app/scenario.ts';
import type { ScenarioRunOptions } from '../app/models/types.ts';
import { nodeSources } from './sources.ts';

export function loadScenarioFile(file: string): LoadedScenario {
  return parseScenario(readText(file, 'check the scenario path (scenarios/ holds the shipped ones)', MAX_SCENARIO_BYTES), file);
}

/** Runs a scenario file on the multi-sector model (its dataset must be a multi-sector one). */
export async function runScenarioFile(file: string, options: ScenarioRunOptions & { dataDir?: string } = {}): Promise<ScenarioRun> {
  const scenario = loadScenarioFile(file);
  return solveCpScenario(scenario, scenarioDataset(scenario), nodeSources(options.dataDir), options);
}

/** Compiles a multi-sector scenario file (world with the scenario's θ, shocks, policy tariffs) without solving. */
export async function prepareScenarioFile(file: string, options: { dataDir?: string } = {}): Promise<PreparedScenario> {
  const scenario = loadScenarioFile(file);
  return (await compileCp(scenario, scenarioDataset(scenario), nodeSources(options.dataDir))).prepared;
}
