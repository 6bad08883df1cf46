// PPML-HDFE benchmarks: (1) Yotov et al. Table 1 (28,152 rows, two-way FE, clustered SEs), median of repeated
// fits; (2) a synthetic three-way gravity panel of 10 million rows (bench/ppml-synthetic.ts): generation time,
// fit time and the process's peak resident memory.
//   node --import tsx bench/ppml.bench.ts                 # both
//   PPML_BENCH_SIDE=300 node --import tsx bench/ppml.bench.ts   # smaller synthetic panel (300×300×10)
//   PPML_BENCH_SKIP_10M=1 …                                # Table 1 only
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedDataDir } from '../src/data/paths.ts';
import { parseCsvTable } from '../src/estimate/csv.ts';
import { evaluateFilter } from '../src/estimate/expr.ts';
import { buildDesign, estimate } from '../src/estimate/fit.ts';
import { fitPpml } from '../src/estimate/ppml.ts';
import { filterRows } from '../src/estimate/table.ts';
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

function synthetic(): void {
  const side = Number(process.env.PPML_BENCH_SIDE ?? 1000);
  const years = 10;
  const t0 = performance.now();
  const d = syntheticGravityPanel(side, side, years, 7);
  const genS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const r = fitPpml(d, { vcov: 'robust' });
  const fitS = (performance.now() - t1) / 1000;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  console.log(`Synthetic three-way gravity panel: ${side}×${side} pairs × ${years} years = ${d.y.length.toLocaleString('en-US')} rows;`);
  console.log(`  FE exporter-year (${side * years}), importer-year (${side * years}), pair (${(side * side).toLocaleString('en-US')}); 3 regressors`);
  console.log(`  generate ${genS.toFixed(2)} s; fit ${fitS.toFixed(2)} s (${r.iterations} IRLS iterations, ${r.demeanSweeps} sweeps); peak RSS ${rssMB.toFixed(0)} MB   (targets: fit < 20 s, < 3 GB)`);
  console.log(`  estimates ${r.names.map((n, j) => `${n} ${r.coef[j].toFixed(4)} (${r.se[j].toFixed(4)}; true ${TRUE_BETA[j]})`).join(', ')}`);
}

table1();
if (!process.env.PPML_BENCH_SKIP_10M) synthetic();
