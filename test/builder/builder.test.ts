// The baseline builder: identity with the CP2015 loader, aggregation totals, bad inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateInput } from '../../src/data/builder/aggregate.ts';
import { readUsImportsByHs2 } from '../../src/node/data/builder/census.ts';
import { mapCodes, readHs2Concordance, readTargetRegions, readTargetSectors } from '../../src/node/data/builder/concordance.ts';
import { worldFromInput, type IoInput } from '../../src/data/builder/input.ts';
import { readWiod2011 } from '../../src/node/data/builder/wiod.ts';
import { cp2015Input as cp2015InputOf } from '../../src/data/cp2015.ts';
import { loadCp2015, readCp2015Raw } from '../../src/node/data/cp2015.ts';
import { InputError } from '../../src/errors.ts';
import { grossOutput, tariffRevenue, type World } from '../../src/data/world.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { readCsvFile } from '../../src/node/data/files.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skipCp = needsShared('cp2015');
const concord = (f: string) => join(PROJECT_ROOT, 'data', 'concordances', f);

const cp2015Input = (): IoInput => cp2015InputOf(readCp2015Raw(sharedPath('cp2015')));

const ARRAYS = ['trade', 'tariff', 'vaShare', 'io', 'alpha', 'valueAdded', 'deficit'] as const;

test('identity: the builder at full resolution reproduces the CP2015 loader exactly', { skip: skipCp }, () => {
  const viaLoader = loadCp2015(sharedPath('cp2015'));
  const viaBuilder = worldFromInput(cp2015Input(), 'cp2015');
  assert.deepEqual(viaBuilder.regions, viaLoader.regions);
  assert.deepEqual(viaBuilder.sectors, viaLoader.sectors);
  for (const k of ARRAYS) assert.deepEqual(viaBuilder[k], viaLoader[k], k);
  assert.deepEqual(viaBuilder.tariffSchedules, viaLoader.tariffSchedules);
  // Aggregating with the identity concordance changes nothing either (up to floating-point rounding).
  const inp = cp2015Input();
  const N = inp.regions.length;
  const J = inp.sectors.length;
  const same = worldFromInput(aggregateInput(inp, { regions: inp.regions, sectors: inp.sectors, regionOf: Int32Array.from({ length: N }, (_, x) => x), sectorOf: Int32Array.from({ length: J }, (_, x) => x) }), 'id');
  for (const k of ARRAYS) {
    const a = same[k];
    const b = viaLoader[k];
    let worst = 0;
    for (let x = 0; x < a.length; x++) worst = Math.max(worst, Math.abs(a[x] - b[x]) / Math.max(1, Math.abs(b[x])));
    assert.ok(worst < 1e-9, `${k}: ${worst}`);
  }
});

function totals(w: World) {
  const N = w.regions.length;
  const J = w.sectors.length;
  const y = grossOutput(w);
  let go = 0, va = 0, inter = 0, trade = 0;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < J; j++) {
      go += y[n * J + j];
      va += w.vaShare[n * J + j] * y[n * J + j];
      for (let k = 0; k < J; k++) inter += w.io[(n * J + k) * J + j] * (1 - w.vaShare[n * J + j]) * y[n * J + j];
    }
  }
  for (const v of w.trade) trade += v;
  return { go, va, inter, trade, revenue: tariffRevenue(w).reduce((a, b) => a + b, 0) };
}

test('aggregation preserves world gross output, value added, intermediate use, total sales and tariff revenue', { skip: skipCp }, () => {
  const inp = cp2015Input();
  // Bring GO up to exports first (the paper's step 1), so that aggregation cannot change the max() step.
  const w0 = worldFromInput(inp, 'cp2015');
  const fixed: IoInput = { ...inp, grossOutput: grossOutput(w0) };
  const N = inp.regions.length;
  const J = inp.sectors.length;
  const code = (n: number) => inp.regions[n].code;
  const regionOf = Int32Array.from({ length: N }, (_, n) => (code(n) === 'USA' ? 0 : code(n) === 'MEX' || code(n) === 'CAN' ? 1 : 2));
  const sectorOf = Int32Array.from({ length: J }, (_, j) => (!inp.sectors[j].tradable ? 3 : j < 3 ? 0 : j < 12 ? 1 : 2));
  const agg = aggregateInput(fixed, {
    regions: [{ name: 'USA', code: 'USA' }, { name: 'Canada+Mexico', code: 'CM' }, { name: 'Others', code: 'OTH' }],
    sectors: [{ name: 'A', tradable: true, theta: 5 }, { name: 'B', tradable: true, theta: 5 }, { name: 'C', tradable: true, theta: 5 }, { name: 'S', tradable: false, theta: 8.22 }],
    regionOf,
    sectorOf,
  });
  const w1 = worldFromInput(agg, 'agg');
  const a = totals(w0);
  const b = totals(w1);
  for (const k of ['go', 'va', 'inter', 'trade'] as const) assert.ok(Math.abs(b[k] / a[k] - 1) < 1e-12, `${k}: ${a[k]} vs ${b[k]}`);
  // Tariff revenue on flows that stay international (US ↔ CAN+MEX ↔ others) is preserved exactly.
  let rev0 = 0;
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) {
    if (regionOf[n] === regionOf[i]) continue;
    const x = (j * N + n) * N + i;
    rev0 += w0.trade[x] * w0.tariff[x];
  }
  assert.ok(Math.abs(b.revenue / rev0 - 1) < 1e-12, `revenue ${rev0} vs ${b.revenue}`);
  assert.equal(w1.regions.length, 3);
  assert.equal(w1.sectors.length, 4);
});

test('WIOD 2011 reader: 41 × 35, world gross output 141.77 tn and USA 26.92 tn as in the README; 2011 goods only traded', { skip: needsShared('wiod2011') }, () => {
  const { input, report } = readWiod2011(sharedPath('wiod2011'));
  assert.equal(input.regions.length, 41);
  assert.equal(input.sectors.length, 35);
  const J = 35;
  const go = input.grossOutput.reduce((a, b) => a + b, 0);
  assert.equal((go / 1e6).toFixed(2), '141.77');
  const us = input.regions.findIndex((r) => r.code === 'USA');
  let usGo = 0;
  for (let j = 0; j < J; j++) usGo += input.grossOutput[us * J + j];
  assert.equal((usGo / 1e6).toFixed(2), '26.92');
  assert.ok(report.maxRowSumGap <= 108);
  const w = worldFromInput(input, 'wiod2011');
  assert.equal(w.regions.length, 41);
});

test('bad input: WIOD files whose totals disagree → InputError naming the file; unknown codes are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiod-'));
  writeFileSync(join(dir, 'industries.csv'), 'code,isic_rev3,description\nc1,AtB,Agri\nc2,C,Mining\n');
  writeFileSync(join(dir, 'gross_output.csv'), 'country,industry,gross_output_musd\nAAA,c1,100\nAAA,c2,100\nBBB,c1,100\nBBB,c2,50000\n');
  writeFileSync(join(dir, 'intermediate_use_nonzero.csv'), 'from_country,from_industry,to_country,to_industry,value_musd\nAAA,c1,BBB,c2,40\nBBB,c2,AAA,c1,30\n');
  writeFileSync(join(dir, 'final_use_nonzero.csv'), 'from_country,from_industry,to_country,final_use,value_musd\nAAA,c1,AAA,CONS_h,60\nAAA,c2,AAA,CONS_h,100\nBBB,c1,BBB,CONS_h,100\nBBB,c2,BBB,CONS_h,70\n');
  assert.throws(() => readWiod2011(dir), (e: unknown) => e instanceof InputError && /BBB, c2.*disagree with its gross output/.test(e.message) && e.message.includes('gross_output.csv'));
  writeFileSync(join(dir, 'final_use_nonzero.csv'), 'from_country,from_industry,to_country,final_use,value_musd\nZZZ,c1,AAA,CONS_h,60\n');
  assert.throws(() => readWiod2011(dir), (e: unknown) => e instanceof InputError && /unknown from_country 'ZZZ'/.test(e.message) && /row 1/.test(e.message));
  // A consistent table loads.
  writeFileSync(join(dir, 'gross_output.csv'), 'country,industry,gross_output_musd\nAAA,c1,100\nAAA,c2,100\nBBB,c1,100\nBBB,c2,100\n');
  writeFileSync(join(dir, 'final_use_nonzero.csv'), 'from_country,from_industry,to_country,final_use,value_musd\nAAA,c1,AAA,CONS_h,60\nAAA,c2,AAA,CONS_h,100\nBBB,c1,BBB,CONS_h,100\nBBB,c2,BBB,CONS_h,70\n');
  const { input } = readWiod2011(dir);
  assert.equal(input.trade[(1 * 2 + 0) * 2 + 1], 30); // c2: AAA imports 30 from BBB
});

test('bad input: an HS chapter that maps to no sector → InputError naming file, row and the concordance', () => {
  const tr = readTargetRegions(concord('world2024-regions.csv'));
  const ts = readTargetSectors(concord('world2024-sectors.csv'));
  const hs2 = readHs2Concordance(concord('hs2-world2024-sectors.csv'), ts.sectors);
  const dir = mkdtempSync(join(tmpdir(), 'census-'));
  const f = join(dir, 'm.csv');
  writeFileSync(f, 'census_code,country,hs2,imports_2024_usd,calc_duty_2024_usd\n5700,China,85,1000,100\n5700,China,77,50,0\n');
  assert.throws(() => readUsImportsByHs2(f, tr, ts.sectors, hs2), (e: unknown) => e instanceof InputError && /HS chapter 77 maps to no sector/.test(e.message) && /row 2/.test(e.message) && /hs2-world2024-sectors/.test(e.message));
  // EU member rows that disagree with the bloc row are an error (totals disagree).
  writeFileSync(f, 'census_code,country,hs2,imports_2024_usd,calc_duty_2024_usd\n0003,EU,85,1000,0\n4280,Germany,85,500,0\n');
  assert.throws(() => readUsImportsByHs2(f, tr, ts.sectors, hs2), (e: unknown) => e instanceof InputError && /bloc row 0003/.test(e.message));
  // HS 98 is spread over the partner's mapped sectors.
  writeFileSync(f, 'census_code,country,hs2,imports_2024_usd,calc_duty_2024_usd\n5700,China,85,1000,100\n5700,China,98,100,0\n');
  const m = readUsImportsByHs2(f, tr, ts.sectors, hs2);
  const J = ts.sectors.length;
  const chn = tr.regions.findIndex((r) => r.code === 'CHN');
  assert.equal(m.imports[chn * J + ts.sectors.findIndex((s) => s.name === 'Electrical & optical')], 1100);
});

test('concordances: every WIOD country and industry maps once; unknown or duplicate codes are errors', () => {
  const tr = readTargetRegions(concord('world2024-regions.csv'));
  const wiod = ['AUS', 'AUT', 'BEL', 'BGR', 'BRA', 'CAN', 'CHN', 'CYP', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GBR', 'GRC', 'HUN', 'IDN', 'IND', 'IRL', 'ITA', 'JPN', 'KOR', 'LTU', 'LUX', 'LVA', 'MEX', 'MLT', 'NLD', 'POL', 'PRT', 'ROM', 'RUS', 'SVK', 'SVN', 'SWE', 'TUR', 'TWN', 'USA', 'RoW'];
  const map = mapCodes(tr.table, 'wiod_countries', wiod);
  assert.equal(tr.regions[map[wiod.indexOf('DEU')]].code, 'EU');
  assert.equal(tr.regions[map[wiod.indexOf('GBR')]].code, 'GBR');
  assert.equal(map.filter((r) => tr.regions[r].code === 'EU').length, 26);
  assert.throws(() => mapCodes(tr.table, 'wiod_countries', wiod.filter((c) => c !== 'DEU')), (e: unknown) => e instanceof InputError && /'DEU' is not in the source/.test(e.message));
  assert.throws(() => mapCodes(tr.table, 'wiod_countries', [...wiod, 'XXX']), (e: unknown) => e instanceof InputError && /'XXX' maps to no target/.test(e.message));
});

test('sector thetas: theta_cp2015 holds the CP2015 Table 1 values (means where sectors are merged); the default equals it except Petroleum (8.22)', { skip: skipCp }, () => {
  const cp = readCsvFile(sharedPath('cp2015', 'sectors.csv'));
  const theta = new Map(cp.rows.map((r) => [r[1].trim(), Number(r[3])]));
  const ts = readTargetSectors(concord('world2024-sectors.csv'));
  const col = (name: string) => ts.table.rows.map((r) => r[ts.table.header.indexOf(name)]);
  const src = col('theta_source');
  const paper = col('theta_cp2015').map(Number);
  ts.sectors.forEach((s, j) => {
    if (!s.tradable) return;
    const names = [...src[j].matchAll(/([A-Z][A-Za-z. ]+?) \(\d/g)].map((m) => m[1].trim()).filter((n) => !src[j].startsWith('project default') || n === s.name);
    const single = src[j].replace(/^CP2015 Table 1: /, '').trim();
    const vals = names.length ? names.map((n) => theta.get(n)) : [theta.get(single)];
    assert.ok(vals.every((v) => v !== undefined), `${s.name}: ${src[j]}`);
    const mean = (vals as number[]).reduce((a, b) => a + b, 0) / vals.length;
    assert.ok(Math.abs(mean - paper[j]) < 1e-3, `${s.name}: theta_cp2015 ${paper[j]} vs ${mean}`);
    if (s.name === 'Petroleum') {
      assert.equal(paper[j], 64.85);
      assert.equal(s.theta, theta.get('Auto')); // 8.22, the replication files' value for Auto, Other Transport, services
    } else assert.equal(s.theta, paper[j], s.name);
  });
  mkdirSync(tmpdir(), { recursive: true });
});
