// Trade wars, trade talks and bilateral deals on the Ossa (2014) data, with best responses on worker threads.
// Node-side composition of the pure model and strategy layers (used by `tariffsim war`, `tariffsim talks`,
// the benchmark and the tests).
import type { OssaData } from '../../data/ossa2014.ts';
import { ossaRegionIndex } from '../../model/ossa/lookup.ts';
import { summarizeOssaPolicy, medianTariffsOf, type OssaRegionRow } from '../../model/ossa/summary.ts';
import { OssaStrategicModel } from '../../strategy/adapters/ossa.ts';
import { bargain, type BargainingResult, type DealMode } from '../../strategy/bargaining.ts';
import { sequentialMap } from '../../strategy/best-response.ts';
import { cooperativeTariffs } from '../../strategy/cooperative.ts';
import { computeNash, type NashResult, type NashRound } from '../../strategy/nash.ts';
import type { BestResponseMap, InstrumentKind } from '../../strategy/types.ts';
import { WorkerPool } from './pool.ts';

export interface OssaRunOptions {
  data: OssaData;
  /** Use the estimated political-economy weights λ. */
  politicalEconomy?: boolean;
  kind?: InstrumentKind;
  /** Worker threads for best responses; 0 = in this thread. Default 2. */
  workers?: number;
  /** Nash stopping tolerance (largest tariff change between rounds; default 1e-4). */
  tolerance?: number;
  onRound?: (info: NashRound) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
}

export interface OptimalRow {
  region: string;
  /** Median optimal tariff (percent), others at factual tariffs. */
  medianTariff: number;
  /** Own government-welfare gain (percent) at its optimal tariffs. */
  governmentWelfare: number;
}

export interface WarReport {
  dataset: string;
  politicalEconomy: boolean;
  kind: InstrumentKind;
  rounds: number;
  seconds: number;
  workers: number;
  /** Nash equilibrium: per region, relative to the factual equilibrium (Ossa Table 4). */
  nash: OssaRegionRow[];
  nashAverage: Omit<OssaRegionRow, 'region'>;
  /** Round 1 = each government's optimal tariffs against factual tariffs (Ossa Table 3). */
  optimal: OptimalRow[];
  history: { round: number; maxChange: number; seconds: number }[];
  /** Nash tariffs, bil(s, importer, exporter) = (s * N + j) * N + i, fractions. */
  nashTariffs: Float64Array;
}

async function withMap<T>(opts: OssaRunOptions, fn: (map: BestResponseMap, model: OssaStrategicModel, workers: number) => Promise<T>): Promise<T> {
  const model = new OssaStrategicModel(opts.data, { politicalEconomy: opts.politicalEconomy });
  const workers = opts.workers ?? 2;
  if (workers <= 0) return fn(sequentialMap(model), model, 0);
  const pool = await WorkerPool.create({ kind: 'ossa', data: opts.data, politicalEconomy: opts.politicalEconomy }, workers);
  try {
    return await fn(pool.map, model, pool.size);
  } finally {
    await pool.close();
  }
}

function nashOf(model: OssaStrategicModel, map: BestResponseMap, opts: OssaRunOptions): Promise<NashResult> {
  return computeNash(model, { kind: opts.kind, map, tolerance: opts.tolerance, onRound: opts.onRound, onBestResponse: opts.onBestResponse });
}

/** The trade war: Nash tariffs by iterated best responses from the factual tariffs. */
export async function runWar(opts: OssaRunOptions): Promise<WarReport> {
  return withMap(opts, async (map, model, workers) => {
    const r = await nashOf(model, map, opts);
    const sum = summarizeOssaPolicy(model.model, r.policy);
    const { N, S } = model.model;
    const optimal: OptimalRow[] = model.governments.map((region, g) => {
      const pol = model.baselinePolicy();
      r.sets[g].positionIndex.forEach((k, q) => (pol[k] = r.firstRound.instruments[g][r.sets[g].control[q]]));
      return { region, medianTariff: medianTariffsOf(N, S, pol)[g], governmentWelfare: 100 * (r.firstRound.welfare[g][g] - 1) };
    });
    return {
      dataset: 'ossa2014',
      politicalEconomy: !!opts.politicalEconomy,
      kind: opts.kind ?? 'discriminatory',
      rounds: r.rounds,
      seconds: r.seconds,
      workers,
      nash: sum.rows,
      nashAverage: sum.average,
      optimal,
      history: r.history.map((h) => ({ round: h.round, maxChange: h.maxChange, seconds: h.seconds })),
      nashTariffs: r.policy,
    };
  });
}

export interface TalksOptions extends OssaRunOptions {
  /** Reference point every government must gain against: the factual tariffs (default) or the Nash equilibrium. */
  from?: 'factual' | 'nash';
  /** Lowest tariff allowed (fraction; default 0: no import subsidies, Ossa's "restricted" case). */
  lower?: number;
  /** 'equal' gains for every government (Ossa; default) or 'maxmin' (no one gains less than the common gain). */
  gains?: 'equal' | 'maxmin';
  onOuter?: (info: { outer: number; commonGain: number; violation: number }) => void;
}

export interface TalksReport {
  dataset: string;
  politicalEconomy: boolean;
  kind: InstrumentKind;
  from: 'factual' | 'nash';
  gains: 'equal' | 'maxmin';
  /** Common (smallest) government-welfare gain relative to the reference point (percent). */
  commonGain: number;
  /** Per region relative to the factual equilibrium (Ossa Table 5 'Fact' column when from = factual). */
  cooperative: OssaRegionRow[];
  cooperativeAverage: Omit<OssaRegionRow, 'region'>;
  /** Government-welfare gain of each region relative to the reference point (percent). */
  gainVsReference: { region: string; gain: number }[];
  seconds: number;
  nashSeconds?: number;
  cooperativeTariffs: Float64Array;
}

/** Trade talks: efficient tariffs with equal government-welfare gains relative to the reference point. */
export async function runTalks(opts: TalksOptions): Promise<TalksReport> {
  const t0 = Date.now();
  const from = opts.from ?? 'factual';
  let nash: NashResult | undefined;
  const model = new OssaStrategicModel(opts.data, { politicalEconomy: opts.politicalEconomy });
  if (from === 'nash') {
    nash = await withMap(opts, (map, m) => nashOf(m, map, opts));
  }
  const ref = nash ? model.evaluate(nash.policy).welfare : undefined;
  const coop = cooperativeTariffs(model, {
    kind: opts.kind,
    referenceWelfare: ref,
    start: nash?.policy,
    restriction: { lower: opts.lower ?? 0 },
    gains: opts.gains,
    onOuter: opts.onOuter,
  });
  const sum = summarizeOssaPolicy(model.model, coop.policy);
  return {
    dataset: 'ossa2014',
    politicalEconomy: !!opts.politicalEconomy,
    kind: opts.kind ?? 'discriminatory',
    from,
    gains: opts.gains ?? 'equal',
    commonGain: 100 * (Math.exp(coop.commonGain) - 1),
    cooperative: sum.rows,
    cooperativeAverage: sum.average,
    gainVsReference: model.governments.map((region, g) => ({ region, gain: 100 * (Math.exp(coop.gains[g]) - 1) })),
    seconds: (Date.now() - t0) / 1000,
    nashSeconds: nash?.seconds,
    cooperativeTariffs: coop.policy,
  };
}

export interface DealOptions extends OssaRunOptions {
  a: string;
  b: string;
  /** Disagreement point: the Nash equilibrium of the trade war (default) or the factual tariffs. */
  standoff?: 'nash' | 'factual';
  mode?: DealMode;
  grid?: { min?: number; max?: number; steps?: number };
  onGrid?: (done: number, total: number) => void;
}

export interface DealReport extends BargainingResult {
  dataset: string;
  politicalEconomy: boolean;
  standoff: 'nash' | 'factual';
  seconds: number;
}

/** Two-country bargaining between a and b from the standoff (deal zone and Nash bargaining solution). */
export async function runDeal(opts: DealOptions): Promise<DealReport> {
  const t0 = Date.now();
  const a = ossaRegionIndex(opts.data, opts.a, '--a');
  const b = ossaRegionIndex(opts.data, opts.b, '--b');
  const standoffKind = opts.standoff ?? 'nash';
  const model = new OssaStrategicModel(opts.data, { politicalEconomy: opts.politicalEconomy });
  let standoff = model.baselinePolicy();
  if (standoffKind === 'nash') standoff = (await withMap(opts, (map, m) => nashOf(m, map, opts))).policy;
  const r = bargain(model, { a, b, standoff, mode: opts.mode, grid: opts.grid, onProgress: opts.onGrid });
  return { ...r, dataset: 'ossa2014', politicalEconomy: !!opts.politicalEconomy, standoff: standoffKind, seconds: (Date.now() - t0) / 1000 };
}
