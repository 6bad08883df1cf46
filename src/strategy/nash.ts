// Nash equilibrium of a tariff war by iterated best responses. Pure (parallelism is injected).
//
// Ossa (2014, §V): every government sets its optimal tariffs taking the others' as given; a Nash equilibrium
// is a fixed point. As in Ossa's mynashtariff.m, each round computes all best responses against the previous
// round's tariffs (Jacobi iteration, so the G problems of a round are independent and run in parallel);
// every best response is warm-started from the government's tariffs of the previous round.
import { sequentialMap } from './best-response.ts';
import { StrategyConvergenceError } from './errors.ts';
import { applyInstruments, instrumentSet, readInstruments, type InstrumentSet } from './instruments.ts';
import type { BestResponseJob, BestResponseMap, InstrumentKind, OptimizerOptions, Restriction, StrategicModel } from './types.ts';

export interface NashOptions {
  kind?: InstrumentKind;
  /** One restriction for all governments, or one per government (by index). */
  restriction?: Restriction | Restriction[];
  /** Starting policy (default: the model's factual policy, so round 1 gives the optimal tariffs). */
  start?: Float64Array;
  /** Stop when no tariff moves by more than this between rounds (tariff units; default 1e-4 = 0.01 points). */
  tolerance?: number;
  /** Maximum rounds (default 60). */
  maxRounds?: number;
  /** Injected parallel map over best-response jobs (default: sequential in this thread). */
  map?: BestResponseMap;
  optimizer?: OptimizerOptions;
  /** Progress: called after every round, and after every best response within a round. */
  onRound?: (info: NashRound) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
}

export interface NashRound {
  round: number;
  /** Largest change of any tariff in this round. */
  maxChange: number;
  /** Government welfare (relative to the model baseline) after the round. */
  welfare: Float64Array;
  seconds: number;
}

export interface NashResult {
  policy: Float64Array;
  welfare: Float64Array;
  rounds: number;
  history: NashRound[];
  /** The first round's best responses against the start policy (= optimal tariffs when starting at factual). */
  firstRound: { instruments: Float64Array[]; welfare: Float64Array[] };
  instruments: Float64Array[];
  sets: InstrumentSet[];
  seconds: number;
}

export async function computeNash(model: StrategicModel, opts: NashOptions = {}): Promise<NashResult> {
  const t0 = Date.now();
  const G = model.governments.length;
  const kind = opts.kind ?? 'discriminatory';
  const tol = opts.tolerance ?? 1e-4;
  const maxRounds = opts.maxRounds ?? 60;
  const map = opts.map ?? sequentialMap(model);
  const restrictionOf = (g: number): Restriction | undefined => (Array.isArray(opts.restriction) ? opts.restriction[g] : opts.restriction);
  const sets = Array.from({ length: G }, (_, g) => instrumentSet(model, g, kind, restrictionOf(g)));
  let policy = opts.start ? Float64Array.from(opts.start) : model.baselinePolicy();
  if (policy.length !== model.policySize) {
    throw new StrategyConvergenceError(`Nash start policy has ${policy.length} entries, the model needs ${model.policySize}`, 'nothing (bad start)', 0, {});
  }
  let current = sets.map((s) => clampTo(s, readInstruments(s, policy)));
  const history: NashRound[] = [];
  let firstRound: NashResult['firstRound'] | undefined;
  let welfare: Float64Array;
  for (let round = 1; round <= maxRounds; round++) {
    const tr = Date.now();
    const jobs: BestResponseJob[] = sets.map((s, g) => ({
      government: g,
      policy,
      start: current[g],
      kind,
      restriction: restrictionOf(g),
      options: opts.optimizer,
    }));
    let done = 0;
    const results = await map(jobs, () => opts.onBestResponse?.(round, ++done, G));
    let maxChange = 0;
    const next = results.map((r) => r.instruments);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < next[g].length; c++) maxChange = Math.max(maxChange, Math.abs(next[g][c] - current[g][c]));
    }
    if (!firstRound) firstRound = { instruments: next.map((x) => Float64Array.from(x)), welfare: results.map((r) => r.welfare) };
    let p = policy;
    for (let g = 0; g < G; g++) p = applyInstruments(sets[g], p, next[g]);
    policy = p;
    current = next;
    welfare = model.evaluate(policy).welfare;
    const info: NashRound = { round, maxChange, welfare, seconds: (Date.now() - tr) / 1000 };
    history.push(info);
    opts.onRound?.(info);
    if (maxChange <= tol) {
      return { policy, welfare, rounds: round, history, firstRound, instruments: current, sets, seconds: (Date.now() - t0) / 1000 };
    }
  }
  const last = history[history.length - 1];
  throw new StrategyConvergenceError(
    `Nash iteration (${kind} tariffs of ${G} governments) did not converge in ${maxRounds} rounds`,
    `simultaneous best responses from ${opts.start ? 'the given start' : 'the factual tariffs'}, stopping when no tariff moves more than ${tol}; ` +
      `changes by round: ${history.map((h) => h.maxChange.toExponential(1)).join(', ')}`,
    maxRounds,
    { maxChange: last?.maxChange ?? NaN },
  );
}

function clampTo(set: InstrumentSet, x: Float64Array): Float64Array {
  for (let c = 0; c < set.size; c++) x[c] = Math.min(set.upper[c], Math.max(set.lower[c], x[c]));
  return x;
}
