// Timing model (docs/timing.md): a full fit on data through 2025-06 plus the 30-month path 2024-01 … 2026-06
// with its backtest, Q1 surge, H2 ETR and quarterly contributions (target < 5 s), given the inputs; and,
// measured once, building the inputs (monthly files, policy layer month by month, one CP2015 solve per
// tariff regime, pre-2018 trend by OLS). Prints medians.
// Run: npm run bench -- timing   (or: node --import tsx bench/timing.bench.ts [repeats])
import { join } from 'node:path';
import { sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';
import { parseMonth } from '../src/data/timeseries.ts';
import { buildTimelineInputs, timelineFromInputs } from '../src/node/timeline.ts';

if (!sharedDataAvailable('us-tariffs/timeseries')) {
  console.log(`skipped: ${join(sharedDataDir(), 'us-tariffs', 'timeseries')} not found`);
  process.exit(process.env.CI ? 1 : 0);
}
const repeats = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

let t0 = performance.now();
const inputs = await buildTimelineInputs(parseMonth('2026-06'));
const buildMs = performance.now() - t0;
const regimes = inputs.solver.solves;

const runs: number[] = [];
let last = null as ReturnType<typeof timelineFromInputs> | null;
for (let r = 0; r < repeats + 1; r++) {
  t0 = performance.now();
  last = timelineFromInputs(inputs, { from: parseMonth('2024-01'), to: parseMonth('2026-06'), cutoff: parseMonth('2025-06') });
  if (r > 0) runs.push(performance.now() - t0);
}
console.log(`timing model, ${repeats} runs after 1 warm-up (fit: ${last!.fit.observations} observations; path: ${last!.rows.length} months)`);
console.log(`  ${`build inputs once (files, policy by month, ${regimes} CP solves, OLS)`.padEnd(66)} ${fmt(buildMs)}`);
console.log(`  ${'full fit through 2025-06 + 30-month path 2024-01 … 2026-06'.padEnd(66)} ${fmt(median(runs))}`);
const ok = median(runs) < 5000;
console.log(`  target fit + 30-month path < 5 s: ${ok ? 'met' : 'NOT met'}`);
if (!ok) process.exitCode = 1;
