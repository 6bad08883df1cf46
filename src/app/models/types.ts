// A scenario model: how the application layer runs a scenario on one kind of model. Adding a model (e.g. a
// monthly timing model) is one file implementing this plus one row in ./index.ts.
import type { LoadedScenario } from '../../scenario/load.ts';
import type { Closure } from '../../model/cp/model.ts';
import type { CpSolveOptions } from '../../model/cp/solve.ts';
import type { DataSources } from '../sources.ts';
import type { DatasetRow } from '../registry.ts';

export interface ScenarioRunOptions {
  /** Overrides the scenario's closure (models without closures reject it). */
  closure?: Closure;
  onIteration?: CpSolveOptions['onIteration'];
  /** Multi-sector model: steps of the path along which the welfare decomposition is integrated. */
  pathSteps?: number;
}

export interface ScenarioModel<Compiled, Solved, Report> {
  /** Resolves the scenario against the dataset (selectors, policy dates, elasticities) into model inputs. */
  compile(scenario: LoadedScenario, row: DatasetRow, sources: DataSources, options: ScenarioRunOptions): Promise<Compiled>;
  /** Solves the compiled scenario (the equilibrium and what is derived from it). */
  solve(compiled: Compiled, options: ScenarioRunOptions): Solved;
  /** The JSON-ready report, with units stated. */
  report(solved: Solved): Report;
}
