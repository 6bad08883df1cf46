// Use case: run a scenario (a parsed scenario object, not a path) on the model its dataset names in the
// registry, and return the JSON-ready report (plus the solved run, for faces that write detailed tables).
import { InputError } from '../errors.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { ScenarioRun } from '../scenario/run.ts';
import type { OssaScenarioRun } from '../scenario/ossa.ts';
import { datasetRow, type DatasetRow } from './registry.ts';
import type { DataSources } from './sources.ts';
import { SCENARIO_MODELS } from './models/index.ts';
import type { CpScenarioReport } from './models/cp.ts';
import type { OssaScenarioReport } from './models/ossa.ts';
import type { ScenarioRunOptions } from './models/types.ts';

export type { ScenarioRunOptions };

export type ScenarioOutcome =
  | { model: 'cp2015'; report: CpScenarioReport; run: ScenarioRun }
  | { model: 'ossa2014'; report: OssaScenarioReport; run: OssaScenarioRun };

/** The registry row of a scenario's dataset; an unknown name points at the scenario's `dataset` line. */
export function scenarioDataset(scenario: LoadedScenario): DatasetRow {
  try {
    return datasetRow(scenario.spec.dataset);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const { line, column } = scenario.locate(['dataset']);
    throw new InputError(err.detail, { file: scenario.file, line, column, field: 'dataset' }, err.hint);
  }
}

export async function runScenario(scenario: LoadedScenario, sources: DataSources, options: ScenarioRunOptions = {}): Promise<ScenarioOutcome> {
  const row = scenarioDataset(scenario);
  const model = SCENARIO_MODELS[row.model];
  const solved = model.solve(await model.compile(scenario, row, sources, options), options);
  const report = model.report(solved);
  return (report.model === 'cp2015' ? { model: 'cp2015', report, run: solved } : { model: 'ossa2014', report, run: solved }) as ScenarioOutcome;
}
