// Trade wars on the multi-sector Caliendo–Parro model: Nash tariffs by iterated best responses (one MFN tariff
// per traded sector and government by default), with best responses on worker threads. Welfare = exact real
// income; exact gradients by the adjoint method (src/model/cp/adjoint.ts), or central finite differences on
// warm-started solves with `gradient: 'finite-differences'` (the test oracle, about 30× slower).
import type { World } from '../../data/world.ts';
import type { Closure } from '../../model/cp/model.ts';
import { sequentialMap } from '../../strategy/best-response.ts';
import { computeNash, type NashRound } from '../../strategy/nash.ts';
import { medianTariffs } from '../../strategy/summary.ts';
import type { InstrumentKind } from '../../strategy/types.ts';
import type { CpGradient } from '../../strategy/adapters/cp.ts';
import { buildModel, CP_STRATEGY_TOLERANCE } from './models.ts';
import { withWorkerPool } from './pool.ts';

export interface CpWarOptions {
  world: World;
  closure: Closure;
  kind?: InstrumentKind;
  workers?: number;
  /** Nash stopping tolerance: largest tariff change between rounds (default 1e-4). */
  tolerance?: number;
  /** 'adjoint' (default) or 'finite-differences'. */
  gradient?: CpGradient;
  onRound?: (info: NashRound) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
}

export interface CpWarRow {
  region: string;
  /** Median tariff over the government's instruments (percent). */
  medianTariff: number;
  /** Real income relative to the baseline (percent). */
  realIncome: number;
}

export interface CpWarReport {
  dataset: string;
  closure: Closure;
  kind: InstrumentKind;
  rounds: number;
  seconds: number;
  workers: number;
  nash: CpWarRow[];
  /** Round 1: each government's optimal tariffs while the others keep the baseline tariffs. */
  optimal: CpWarRow[];
  nashTariffs: Float64Array;
}

/**
 * Gradient tolerance of best responses on the CP model: sup-norm of the projected gradient of ln Ŵ. Exact
 * gradients reach 1e-8; finite differences limit the attainable accuracy to about 1e-6.
 */
const CP_GRADIENT_TOLERANCE = { adjoint: 1e-8, 'finite-differences': 1e-6 } as const;

export async function runCpWar(opts: CpWarOptions): Promise<CpWarReport> {
  const gradient = opts.gradient ?? 'adjoint';
  const spec = { kind: 'cp' as const, world: opts.world, closure: opts.closure, tolerance: CP_STRATEGY_TOLERANCE, gradient };
  const model = buildModel(spec);
  const kind = opts.kind ?? 'mfn';
  const workers = opts.workers ?? 2;
  const run = (map: ReturnType<typeof sequentialMap>) =>
    computeNash(model, { kind, map, tolerance: opts.tolerance, optimizer: { gradientTolerance: CP_GRADIENT_TOLERANCE[gradient] }, onRound: opts.onRound, onBestResponse: opts.onBestResponse });
  const r = workers > 0 ? await withWorkerPool(spec, workers, (map) => run(map)) : await run(sequentialMap(model));
  const nashMedian = medianTariffs(model, r.policy);
  const optimal = model.governments.map((region, g) => {
    const pol = model.baselinePolicy();
    r.sets[g].positionIndex.forEach((k, q) => (pol[k] = r.firstRound.instruments[g][r.sets[g].control[q]]));
    return { region, medianTariff: 100 * medianTariffs(model, pol)[g], realIncome: 100 * (r.firstRound.welfare[g][g] - 1) };
  });
  return {
    dataset: opts.world.name,
    closure: opts.closure,
    kind,
    rounds: r.rounds,
    seconds: r.seconds,
    workers,
    nash: model.governments.map((region, g) => ({ region, medianTariff: 100 * nashMedian[g], realIncome: 100 * (r.welfare[g] - 1) })),
    optimal,
    nashTariffs: r.policy,
  };
}
