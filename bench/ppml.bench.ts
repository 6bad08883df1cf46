// PPML-HDFE benchmarks: (1) Yotov et al. Table 1 (28,152 rows, two-way FE, clustered SEs), median of repeated
// fits; (2) a synthetic three-way gravity panel of 10 million rows (bench/ppml-synthetic.ts), fitted
// PPML_BENCH_RUNS times on one thread and PPML_BENCH_RUNS times on a RowPool of worker threads
// (src/node/estimate/pool.ts), each run in a fresh process that generates the panel, fits it once and reports
// the fit time and its peak resident memory: each run's time, the medians, and the load average around the runs
// (the machine is shared).
//   node --import tsx bench/ppml.bench.ts                      # both
//   PPML_BENCH_SIDE=300 node --import tsx bench/ppml.bench.ts  # smaller synthetic panel (300×300×10)
//   PPML_BENCH_SKIP_10M=1 …                                     # Table 1 only
//   PPML_BENCH_RUNS=5 PPML_BENCH_THREADS=2 …                    # runs per mode (default 3), pool threads (default: cores)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../src/node/paths.ts';
import { parseCsvTable } from '../src/estimate/csv.ts';
import { evaluateFilter } from '../src/estimate/expr.ts';
import { buildDesign, estimate } from '../src/estimate/fit.ts';
import { fitPpml } from '../src/estimate/ppml.ts';
import { filterRows } from '../src/estimate/table.ts';
import { defaultThreads, RowPool } from '../src/node/estimate/pool.ts';
import { syntheticGravityPanel, TRUE_BETA } from './ppml-synthetic.ts';

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table1(): void {
  const file = resolve(sharedDataDir(), 'yotov2016', 'agtpa_applications.csv');
  const t0 = performance.now();
  const t = parseCsvTable(readFileSync(file, 'utf8'), file);
  const parseMs = performance.now() - t0;
  const where = 'year % 4 == 2 && exporter != importer';
  const formula = 'trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year';
  const design = buildDesign(filterRows(t, evaluateFilter(where, t)), formula, 'pair_id');
  const fitTimes: number[] = [];
  const allTimes: number[] = [];
  let coef = 0;
  for (let rep = 0; rep < 12; rep++) {
    const a = performance.now();
    const r = fitPpml(design.input, { vcov: 'cluster' });
    const b = performance.now();
    estimate(t, { formula, where, cluster: 'pair_id' });
    const c = performance.now();
    coef = r.coef[0];
    if (rep >= 2) {
      fitTimes.push(b - a);
      allTimes.push(c - b);
    }
  }
  console.log(`Table 1 PPML (N = ${design.input.y.length}, ln dist = ${coef.toFixed(3)}), median of ${fitTimes.length} after 2 warm-ups:`);
  console.log(`  fitPpml on the design             ${median(fitTimes).toFixed(1)} ms   (target < 300 ms)`);
  console.log(`  estimate() incl. filter + formula ${median(allTimes).toFixed(1)} ms`);
  console.log(`  CSV parse (99,981 rows, once)     ${parseMs.toFixed(1)} ms`);
}

interface RunReport {
  fitS: number;
  genS: number;
  rssMB: number;
  iterations: number;
  passes: number;
  names: string[];
  coef: number[];
  se: number[];
}

/** One fit of the synthetic panel in this process (a child of the benchmark): prints a RunReport as JSON. */
async function syntheticChild(side: number, threads: number): Promise<void> {
  const t0 = performance.now();
  const d = syntheticGravityPanel(side, side, 10, 7);
  const genS = (performance.now() - t0) / 1000;
  const pool = threads > 1 ? await RowPool.create(threads) : undefined;
  try {
    const a = performance.now();
    const r = fitPpml(d, { vcov: 'robust', runner: pool });
    const fitS = (performance.now() - a) / 1000;
    const report: RunReport = {
      fitS,
      genS,
      rssMB: process.resourceUsage().maxRSS / 1024,
      iterations: r.iterations,
      passes: r.demeanSweeps,
      names: r.names,
      coef: [...r.coef],
      se: [...r.se],
    };
    console.log(JSON.stringify(report));
  } finally {
    await pool?.close();
  }
}

/** Fits the synthetic panel PPML_BENCH_RUNS times per mode, each in a fresh process (clean peak memory). */
function synthetic(): void {
  const side = Number(process.env.PPML_BENCH_SIDE ?? 1000);
  const runs = Math.max(1, Number(process.env.PPML_BENCH_RUNS ?? 3));
  const threads = Math.max(1, Number(process.env.PPML_BENCH_THREADS ?? defaultThreads()));
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  const rows = side * side * 10;
  console.log(`Synthetic three-way gravity panel: ${side}×${side} pairs × 10 years = ${rows.toLocaleString('en-US')} rows; FE exporter-year (${side * 10}),`);
  console.log(`  importer-year (${side * 10}), pair (${(side * side).toLocaleString('en-US')}); 3 regressors. Each run in a fresh process (generation not timed).`);
  const modes = threads > 1 ? [1, threads] : [1];
  const finals: RunReport[] = [];
  for (const t of modes) {
    const reports: RunReport[] = [];
    const loadBefore = load();
    for (let k = 0; k < runs; k++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, PPML_BENCH_CHILD: String(t), PPML_BENCH_SIDE: String(side) },
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`benchmark child failed: ${child.stderr}`);
      reports.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as RunReport);
    }
    const times = reports.map((r) => r.fitS);
    const r = reports[reports.length - 1];
    const label = t === 1 ? '1 thread (sequential runner)' : `${t} threads (RowPool)`;
    console.log(`  fit, ${label}: median ${median(times).toFixed(2)} s of ${runs} [${times.map((x) => x.toFixed(2)).join(', ')}] (${r.iterations} IRLS iterations, ` +
      `${r.passes} passes); peak RSS median ${median(reports.map((x) => x.rssMB)).toFixed(0)} MB; load average ${loadBefore} → ${load()}   (targets < 20 s, < 3 GB)`);
    finals.push(r);
  }
  const r = finals[0];
  const same = finals.every((f) => f.coef.every((c, j) => c === r.coef[j]) && f.se.every((c, j) => c === r.se[j]));
  console.log(`  estimates ${r.names.map((n, j) => `${n} ${r.coef[j].toFixed(4)} (${r.se[j].toFixed(4)}; true ${TRUE_BETA[j]})`).join(', ')}`);
  if (modes.length > 1) console.log(`  1 and ${threads} threads give bit-for-bit the same estimates and SEs: ${same}`);
}

if (process.env.PPML_BENCH_CHILD) {
  await syntheticChild(Number(process.env.PPML_BENCH_SIDE ?? 1000), Number(process.env.PPML_BENCH_CHILD));
} else {
  table1();
  if (!process.env.PPML_BENCH_SKIP_10M) synthetic();
}
