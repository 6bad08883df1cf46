// The Caliendo–Parro (2015) multi-sector model as a scenario model: compile (policy date → tariffs, selectors,
// elasticities), solve (exact baseline of the closure, then the counterfactual), report (per region, JSON-ready).
import { InputError } from '../../errors.ts';
import type { World } from '../../data/world.ts';
import { bilateralFlow, type RegionReport } from '../../model/cp/results.ts';
import { policyTariffs } from '../../scenario/policy.ts';
import { parseEstimateJson } from '../../estimate/json-format.ts';
import { prepareScenario, solvePreparedScenario, type PreparedScenario, type ScenarioRun } from '../../scenario/run.ts';
import type { LoadedScenario } from '../../scenario/load.ts';
import type { CpBaselineStore } from '../../model/cp/model.ts';
import { datasetRows, type DatasetRow } from '../registry.ts';
import { loadRow, type DataSources } from '../sources.ts';
import type { ScenarioModel, ScenarioRunOptions } from './types.ts';

export const CLOSURE_SENTENCES: Record<string, string> = {
  'fixed-deficits': 'Trade deficits are held at their baseline levels in units of world GDP (the numéraire).',
  'zero-deficits': 'Deficits are set to zero: the baseline is re-solved with balanced trade first (as in CP2015), then the shock is applied.',
  'dollar-deficits': 'Trade deficits are held at their baseline levels in dollars, the dollar being the US wage (the numéraire).',
};

/** Goods trade of one ordered pair of the scenario's shocked regions, before and after (net of tariffs). */
export interface BilateralFlowReport {
  importer: string;
  exporter: string;
  before: number;
  after: number;
  /** Percent change. */
  change: number;
}

export interface CpScenarioReport {
  model: 'cp2015';
  scenario: {
    name: string;
    description?: string;
    file: string;
    dataset: string;
    closure: string;
    closureAssumes: string;
    /** What the changes are relative to (zero deficits: a rebalanced world, not the data year). */
    relativeTo: string;
    policy?: ScenarioRun['policy'];
  };
  units: Omit<ScenarioRun['results']['units'], 'levels'> & { levels: string };
  convergence: ScenarioRun['results']['convergence'];
  /** Shocked regions first (in order of mention), then the others in data order. */
  regions: RegionReport[];
  /** Goods trade between the first two shocked regions, in both directions (empty when fewer than two). */
  bilateral: BilateralFlowReport[];
}

export interface CpCompiled {
  scenario: LoadedScenario;
  prepared: PreparedScenario;
  /** Re-solved baselines of earlier runs, from the sources (when they keep them). */
  baselines?: CpBaselineStore;
}

/** Loads the world, resolves the policy date (if any) and compiles the shocks. */
export async function compileCp(scenario: LoadedScenario, row: DatasetRow, sources: DataSources): Promise<CpCompiled> {
  const world = loadRow(row, sources) as World;
  const policy = await policyTariffs(scenario, world, {
    cache: sources.policyMatrixCache?.(row),
    context: () => sources.policy(),
    concordance: (ctx) => (row.concordance ? sources.concordance(row.concordance, ctx.data) : null),
    known: datasetRows().filter((r) => r.concordance && r.model === 'cp').map((r) => r.id),
    weightScale2025: (ctx) => sources.policyWeights2025(ctx.data),
  });
  // `fromEstimate` files are named relative to the scenario file.
  const readEstimate = (file: string) => ({ file, report: parseEstimateJson(sources.readText(file, scenario.file), file) });
  const baselines = sources.baselines?.();
  return { scenario, prepared: prepareScenario(scenario, world, { policy, readEstimate }), ...(baselines ? { baselines } : {}) };
}

/** Shocked regions first (in order of mention), then the others in data order. */
export function orderRegions(run: ScenarioRun): RegionReport[] {
  const first = run.compiled.shockedRegions.map((n) => run.results.regions[n]);
  return [...first, ...run.results.regions.filter((_, n) => !run.compiled.shockedRegions.includes(n))];
}

export function cpScenarioReport(run: ScenarioRun): CpScenarioReport {
  const r = run.results;
  const pair = run.compiled.shockedRegions.slice(0, 2);
  const bilateral = pair.length === 2
    ? [[pair[0], pair[1]], [pair[1], pair[0]]].map(([n, i]) => {
        const f = bilateralFlow(r, n, i);
        return { importer: r.regions[n].code, exporter: r.regions[i].code, before: f.before, after: f.after, change: f.before > 0 ? 100 * (f.after / f.before - 1) : 0 };
      })
    : [];
  return {
    model: 'cp2015',
    scenario: {
      name: run.compiled.name,
      ...(run.compiled.description ? { description: run.compiled.description } : {}),
      file: run.scenario.file,
      dataset: run.scenario.spec.dataset,
      closure: r.closure,
      closureAssumes: CLOSURE_SENTENCES[r.closure],
      relativeTo: r.closureMeaning,
      ...(run.policy ? { policy: run.policy } : {}),
    },
    units: { ...r.units, levels: `${r.currencyUnit} per year; ${r.units.levels}` },
    convergence: r.convergence,
    regions: orderRegions(run),
    bilateral,
  };
}

export const cpScenarioModel: ScenarioModel<CpCompiled, ScenarioRun, CpScenarioReport> = {
  compile: (scenario, row, sources) => compileCp(scenario, row, sources),
  solve: (c, options: ScenarioRunOptions) => solvePreparedScenario(c.scenario, c.prepared, c.baselines ? { ...options, baselines: c.baselines } : options),
  report: cpScenarioReport,
};

/** The multi-sector run of a scenario, for use cases built on it (standoff, deal); other models are an InputError. */
export async function solveCpScenario(scenario: LoadedScenario, row: DatasetRow, sources: DataSources, options: ScenarioRunOptions = {}): Promise<ScenarioRun> {
  if (row.model !== 'cp') {
    const { line, column } = scenario.locate(['dataset']);
    throw new InputError(`this needs a multi-sector dataset, not ${row.id}`, { file: scenario.file, line, column, field: 'dataset' }, `use a dataset among ${datasetRows().filter((r) => r.model === 'cp').map((r) => r.id).join(', ')}`);
  }
  return cpScenarioModel.solve(await compileCp(scenario, row, sources), options);
}
