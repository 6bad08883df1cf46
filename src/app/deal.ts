// Use case: the deal zone of two governments and the Nash bargaining solution, on the model of the dataset —
// the multi-sector model with a scenario's tariffs as the standoff, or Ossa's model with the trade-war Nash
// equilibrium (or the factual tariffs) as the standoff. One report type for both.
import { InputError } from '../errors.ts';
import type { Closure } from '../model/cp/model.ts';
import type { OssaData } from '../data/ossa2014.ts';
import type { BargainingResult, DealMode } from '../strategy/bargaining.ts';
import type { NashRound } from '../strategy/nash.ts';
import type { InstrumentKind } from '../strategy/types.ts';
import type { World } from '../data/world.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import { dealOnScenario, dealOnScenarioSplit, type DealReport as ScenarioDealReport } from '../scenario/deal.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { datasetRow } from './registry.ts';
import { loadRow, type DataSources } from './sources.ts';
import { scenarioDataset } from './scenario.ts';
import { compileCp } from './models/cp.ts';

export interface DealReport {
  model: 'cp2015' | 'ossa2014';
  dataset: string;
  /** The disagreement point: a scenario's name (multi-sector), or 'nash' / 'factual' tariffs (Ossa). */
  standoff: string;
  /** Multi-sector model only: the closure of the strategic computation. */
  closure?: string;
  politicalEconomy: boolean;
  /** The grid, the deal zone and the Nash bargaining solution; tariffs as fractions, gains as log/ratio changes. */
  result: BargainingResult;
  /** Multi-sector model: the standoff's trade-weighted tariffs of A on B and B on A, percent. */
  standoffTariffs?: { aOnB: number; bOnA: number };
  /** Multi-sector model: equilibrium solves used. */
  solves?: number;
  seconds: number;
  units: { tariffs: 'fraction (1 = 100%)' | 'multiple of the standoff tariffs'; gains: string };
}

export interface DealInput {
  a: string;
  b: string;
  /** Multi-sector: the standoff scenario (its dataset names the model). */
  scenario?: LoadedScenario;
  /** Ossa: the dataset id (default ossa2014 when no scenario is given). */
  dataset?: string;
  grid?: { min?: number; max?: number; steps?: number };
  /** Multi-sector: closure of the strategic computation (default zero-deficits: balanced trade). */
  closure?: Closure;
  /** Ossa: the disagreement point, uniform rates or multiples of the standoff, λ weights, tariff kind, workers. */
  standoffKind?: 'nash' | 'factual';
  mode?: DealMode;
  politicalEconomy?: boolean;
  kind?: InstrumentKind;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
  onRound?: (round: NashRound) => void;
}

export async function deal(input: DealInput, sources: DataSources): Promise<DealReport> {
  const t0 = Date.now();
  if (input.scenario) {
    const row = scenarioDataset(input.scenario);
    if (row.model !== 'cp') {
      throw new InputError(`deal from a scenario works on multi-sector datasets; for ${row.id} run the deal on the dataset (tariffsim talks --a … --b …)`, { file: input.scenario.file, field: 'dataset' });
    }
    const closure = input.closure ?? 'zero-deficits';
    // A second thread (where the face has one) loads its modules and the baseline while this one compiles the
    // scenario's policy tariffs, then solves half of the grid.
    const helper = sources.strategy?.cpDealHelper?.({ world: loadRow(row, sources) as World, closure, solver: solverOptions(input.scenario) });
    let r: ScenarioDealReport;
    try {
      const compiled = await compileCp(input.scenario, row, sources);
      const p = compiled.prepared;
      const opts = { a: input.a, b: input.b, gridMax: input.grid?.max, gridSteps: input.grid?.steps, closure, onProgress: input.onProgress };
      r = helper
        ? await dealOnScenarioSplit(p, row.id, opts, helper.rows({ world: p.world, closure, solver: p.compiled.solver, tradeCostChange: p.compiled.counterfactual.tradeCostChange }))
        : dealOnScenario(p, row.id, opts);
    } finally {
      await helper?.close();
    }
    return {
      model: 'cp2015',
      dataset: r.dataset,
      standoff: r.scenario,
      closure: r.closure,
      politicalEconomy: false,
      result: r.result,
      standoffTariffs: r.standoffTariffs,
      solves: r.solves,
      seconds: (Date.now() - t0) / 1000,
      units: { tariffs: 'fraction (1 = 100%)', gains: 'change in real income relative to the standoff, ratio − 1' },
    };
  }
  const row = datasetRow(input.dataset ?? 'ossa2014', '--data');
  if (row.model !== 'ossa') throw new InputError(`a deal on dataset ${row.id} starts from a scenario`, { field: '--from' }, 'tariffsim deal --a USA --b CHN --from scenarios/us-china-2025-04-standoff.yaml');
  const runners = requireStrategy(sources);
  const r = await runners.ossaDeal({
    data: loadRow(row, sources) as OssaData,
    a: input.a,
    b: input.b,
    politicalEconomy: input.politicalEconomy,
    kind: input.kind,
    workers: input.workers,
    standoff: input.standoffKind,
    mode: input.mode,
    grid: input.grid,
    onBestResponse: input.onBestResponse,
    onRound: input.onRound,
    onGrid: input.onProgress,
  });
  const { dataset, politicalEconomy, standoff, seconds, ...result } = r;
  return {
    model: 'ossa2014',
    dataset,
    standoff,
    politicalEconomy,
    result,
    seconds,
    units: { tariffs: r.mode === 'scale' ? 'multiple of the standoff tariffs' : 'fraction (1 = 100%)', gains: 'change in government welfare relative to the standoff, ratio − 1' },
  };
}

/** A scenario's solver options as its compilation passes them on (src/scenario/compile.ts), known before the compile. */
function solverOptions(scenario: LoadedScenario): Partial<CpSolveOptions> {
  return Object.fromEntries(Object.entries(scenario.spec.solver).filter(([, v]) => v !== undefined)) as Partial<CpSolveOptions>;
}

/** The face's strategic runners, or an InputError saying this face cannot run strategic computations. */
export function requireStrategy(sources: DataSources): NonNullable<DataSources['strategy']> {
  if (!sources.strategy) throw new InputError('strategic computations (war, talks, Ossa deals) are not available here', { field: 'kind' }, 'run them through the CLI or the HTTP API');
  return sources.strategy;
}
