// Tariff policy layer: daily statutory ETR series for 16 months under each option setting (target < 3 s,
// engine build included; the first run of a setting also reads its share files) and single product/partner/date
// lookups after load (target < 1 ms); also load times and the model bridge. Prints medians.
// Run: npm run bench -- policy   (or: node --import tsx bench/policy.bench.ts [repeats])
import { join } from 'node:path';
import { sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';
import { loadEmbeddedWorld } from '../src/node/data/builder/embedded.ts';
import { parseDay } from '../src/policy/dates.ts';
import { PolicyView } from '../src/policy/view.ts';
import { EtrEngine } from '../src/policy/etr.ts';
import { loadConcordance, loadPolicyContext, loadWeightScale2025 } from '../src/node/policy/inputs.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from '../src/policy/options.ts';
import { clearPolicyCaches, loadPolicyUncached } from '../src/node/policy/load.ts';
import { lookupTariff } from '../src/policy/lookup.ts';
import { tariffMatrixOn } from '../src/policy/matrix.ts';

if (!sharedDataAvailable('us-tariffs')) {
  console.log(`skipped: ${join(sharedDataDir(), 'us-tariffs')} not found`);
  process.exit(process.env.CI ? 1 : 0);
}
const repeats = Number(process.argv[2] ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`);

// 1. Loading: action files + product lists (uncached), 2024 weights (JSON cache after the first DuckDB read).
const loadTimes: number[] = [];
for (let r = 0; r < 3; r++) {
  clearPolicyCaches();
  const t0 = performance.now();
  loadPolicyUncached();
  loadTimes.push(performance.now() - t0);
}
let t0 = performance.now();
const ctx = await loadPolicyContext();
const weightsMs = performance.now() - t0;

// 2. Daily ETR series, 2025-01-01 … 2026-04-30 (485 days): engine build + series, fresh engine each run, for
//    each option setting (the first, cold run of a setting reads its USMCA/BEA share files: reported apart).
const from = parseDay('2025-01-01');
const to = parseDay('2026-04-30');
const scale2025 = loadWeightScale2025(ctx.data).scale;
const settings: [string, PolicyOptions][] = [
  ['default (bea, monthly-2025, 2024)', DEFAULT_POLICY_OPTIONS],
  ['metal flat:0.5, USMCA h2-2025', { ...DEFAULT_POLICY_OPTIONS, metalShare: { kind: 'flat', share: 0.5 }, usmcaShares: 'h2-2025' }],
  ['USMCA annual-2025', { ...DEFAULT_POLICY_OPTIONS, usmcaShares: 'annual-2025' }],
  ['USMCA 2024', { ...DEFAULT_POLICY_OPTIONS, usmcaShares: '2024' }],
  ['weights 2025', { ...DEFAULT_POLICY_OPTIONS, weights: '2025' }],
];
const seriesRows: [string, number][] = [];
let worstCpu = 0;
let total: number[] = [];
let days = 0;
let evaluated = 0;
for (const [name, policy] of settings) {
  const build: number[] = [];
  const series: number[] = [];
  const cpu: number[] = [];
  total = [];
  let cold = 0;
  for (let r = 0; r < repeats + 1; r++) {
    const u = process.cpuUsage();
    const a = performance.now();
    const view = new PolicyView(ctx.data);
    const engine = new EtrEngine(view, ctx.weights, { policy, weightScale: policy.weights === '2025' ? scale2025 : undefined });
    const b = performance.now();
    const s = engine.series(from, to);
    const c = performance.now();
    days = s.length;
    evaluated = view.changeDays(from, to).length;
    const used = process.cpuUsage(u);
    if (r === 0) cold = c - a;
    else {
      cpu.push((used.user + used.system) / 1000);
      build.push(b - a);
      series.push(c - b);
      total.push(c - a);
    }
  }
  seriesRows.push(
    [`${name}: engine build`, median(build)],
    [`${name}: series ${days} days`, median(series)],
    [`${name}: series incl. build (first run ${fmt(cold)})`, median(total)],
    [`${name}: series incl. build, CPU time`, median(cpu)],
  );
  worstCpu = Math.max(worstCpu, median(cpu));
}
const worstSeries = Math.max(...seriesRows.filter(([l]) => l.endsWith(')')).map(([, ms]) => ms));

// 3. Single lookups after load: distinct (partner, HTS10, day) triples drawn from the 2024 data.
const view = new PolicyView(ctx.data);
const w = ctx.weights;
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const queries = Array.from({ length: 3000 }, () => {
  const k = Math.floor(rand() * w.detail.value.length);
  const partner = ctx.data.countries.byCensusCode(w.detailPartners[w.detail.p[k]])!.key;
  return { partner, hts: w.hts[w.detail.h[k]], date: from + Math.floor(rand() * (to - from + 1)) };
});
for (const q of queries.slice(0, 200)) lookupTariff(view, q); // warm-up
const per: number[] = [];
for (const q of queries.slice(200)) {
  const a = performance.now();
  lookupTariff(view, q);
  per.push(performance.now() - a);
}
per.sort((a, b) => a - b);

// 4. Bridge: tariffs in force on a day for the embedded world2024 baseline.
const world = loadEmbeddedWorld();
const conc = loadConcordance('world2024', ctx.data);
t0 = performance.now();
tariffMatrixOn('2025-04-15', ctx, world, { concordance: conc });
const bridgeFirst = performance.now() - t0;
const bridge: number[] = [];
for (const d of ['2025-05-20', '2025-08-08', '2025-11-15', '2026-03-01', '2025-04-15']) {
  const a = performance.now();
  tariffMatrixOn(d, ctx, world, { concordance: conc });
  bridge.push(performance.now() - a);
}

const rows = [
  ['load action files + product lists (uncached)', median(loadTimes)],
  [`load 2024 import weights (${process.env.TARIFFSIM_CACHE === 'off' ? 'DuckDB + CSV, no cache' : 'JSON cache, or DuckDB on the first run'})`, weightsMs],
  ...seriesRows.map(([l, ms]) => [`ETR ${l}`, ms] as const),
  ['single lookup, median', per[Math.floor(per.length / 2)]],
  ['single lookup, 95th percentile', per[Math.floor(per.length * 0.95)]],
  ['tariffMatrixOn world2024, first call (engine build)', bridgeFirst],
  ['tariffMatrixOn world2024, later calls, median', median(bridge)],
] as const;
console.log(`policy layer (${ctx.data.actions.length} actions; ${w.detail.value.length} HTS10 rows + ${w.rest.value.length} partner × HS2 rows), ${repeats} runs after 1 warm-up`);
for (const [label, ms] of rows) console.log(`  ${label.padEnd(66)} ${fmt(ms)}`);
const seriesOk = worstSeries < 3000;
const lookupOk = per[Math.floor(per.length / 2)] < 1;
console.log(`  (${evaluated} action change days in the series) target daily series (16 months, any option) < 3 s: ${seriesOk ? 'met' : 'NOT met'} (worst wall ${fmt(worstSeries)}, worst CPU ${fmt(worstCpu)}; wall > CPU when the cores are shared); single lookup < 1 ms: ${lookupOk ? 'met' : 'NOT met'}`);
if (!seriesOk || !lookupOk) process.exitCode = 1;
