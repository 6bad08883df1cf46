// The embedded 2024 baseline: exact equilibrium, Census 2024 targets, reproducible from the builder, CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BASELINE_FILE, loadEmbeddedWorld } from '../../src/data/builder/embedded.ts';
import { buildWorld2024, defaultPaths } from '../../src/data/builder/world2024.ts';
import { loadDataset } from '../../src/node/sources.ts';
import { PROJECT_ROOT, sharedDataDir } from '../../src/data/paths.ts';
import { findRegion } from '../../src/data/world.ts';
import { CpModel } from '../../src/model/cp/model.ts';
import { resolveFixedDeficits } from '../../src/cli/commands/data.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const usTrade = (code: string) => {
  const w = loadEmbeddedWorld();
  const N = w.regions.length;
  const us = findRegion(w, 'USA');
  const p = findRegion(w, code);
  let m = 0, e = 0;
  for (let j = 0; j < w.sectors.length; j++) {
    m += w.trade[(j * N + us) * N + p];
    e += w.trade[(j * N + p) * N + us];
  }
  return { m: m / 1e9, e: e / 1e9 };
};

test('embedded baseline: 16 regions × 18 sectors, small file, registered as dataset world2024', () => {
  const w = loadDataset('world2024');
  assert.equal(w.regions.length, 16);
  assert.equal(w.sectors.length, 18);
  for (const c of ['USA', 'CHN', 'CAN', 'MEX', 'EU', 'GBR', 'JPN', 'KOR', 'TWN', 'IND', 'ROW']) assert.ok(findRegion(w, c) >= 0, c);
  assert.ok(statSync(DEFAULT_BASELINE_FILE).size < 300 * 1024);
  assert.ok(Math.abs(w.deficit.reduce((a, b) => a + b, 0)) < 1e-3 * 1e9);
});

test('embedded baseline: US–China goods trade matches Census 2024 within 1% (438.9 / 143.5), US totals 3,267.4 / 2,064.5', () => {
  const chn = usTrade('CHN');
  assert.ok(Math.abs(chn.m / 438.9 - 1) < 0.01, `imports from China ${chn.m}`);
  assert.ok(Math.abs(chn.e / 143.5 - 1) < 0.01, `exports to China ${chn.e}`);
  const w = loadEmbeddedWorld();
  const N = w.regions.length;
  const us = findRegion(w, 'USA');
  let m = 0, e = 0;
  for (let j = 0; j < w.sectors.length; j++) for (let i = 0; i < N; i++) {
    if (i === us) continue;
    m += w.trade[(j * N + us) * N + i];
    e += w.trade[(j * N + i) * N + us];
  }
  assert.ok(Math.abs(m / 1e9 / 3267.4 - 1) < 0.01, `US imports ${m / 1e9}`);
  assert.ok(Math.abs(e / 1e9 / 2064.5 - 1) < 0.01, `US exports ${e / 1e9}`);
  // Mexico and Canada were targeted too (Census headlines 505.9 / 334.0 and 412.7 / 348.5).
  const mex = usTrade('MEX');
  const can = usTrade('CAN');
  assert.ok(Math.abs(mex.m / 505.9 - 1) < 0.01 && Math.abs(mex.e / 334.0 - 1) < 0.01);
  assert.ok(Math.abs(can.m / 412.7 - 1) < 0.01 && Math.abs(can.e / 348.5 - 1) < 0.01);
  // The EU's exports come from its Census-basis balance (−235.57 bn in 2024).
  const eu = usTrade('EU');
  assert.ok(Math.abs((eu.e - eu.m) / -235.57 - 1) < 0.01, `US balance with the EU ${eu.e - eu.m}`);
});

test('embedded baseline is an exact equilibrium: a no-shock run returns |changes| < 1e-10', () => {
  const w = loadEmbeddedWorld();
  const model = new CpModel(w, { closure: 'fixed-deficits' });
  const base = model.baseline();
  // The stored (rounded) file is already an equilibrium up to its 8-digit rounding.
  let worst = 0;
  for (let x = 0; x < w.trade.length; x++) worst = Math.max(worst, Math.abs(base.world.trade[x] - w.trade[x]) / Math.max(1e6, w.trade[x]));
  assert.ok(worst < 1e-6, `stored vs re-solved trade: ${worst}`);
  const r = model.solve({});
  let max = 0;
  for (const reg of r.regions) {
    for (const v of [reg.welfare.total, reg.realIncome, reg.realWage, reg.wage, reg.consumerPrices, reg.exports.change, reg.imports.change, reg.income.change, reg.tariffRevenue.change]) max = Math.max(max, Math.abs(v));
    for (const s of reg.sectors) for (const v of [s.grossOutput.change, s.price, s.imports.change, s.exports.change]) max = Math.max(max, Math.abs(v));
  }
  assert.ok(max < 1e-10, `max |change| ${max}`);
});

test('the shipped file is what `data build` produces from the shared data (within its 8-digit rounding)', { skip: needsShared('wiod2011') }, () => {
  const b = buildWorld2024(defaultPaths(PROJECT_ROOT, sharedDataDir()), resolveFixedDeficits);
  const w = loadEmbeddedWorld();
  let worst = 0;
  for (let x = 0; x < w.trade.length; x++) worst = Math.max(worst, Math.abs(b.world.trade[x] - w.trade[x]) / Math.max(1e6, b.world.trade[x]));
  assert.ok(worst < 1e-7, `trade differs by ${worst}`);
  for (let x = 0; x < w.tariff.length; x++) assert.ok(Math.abs(b.world.tariff[x] - w.tariff[x]) < 1e-6);
  for (const c of b.checks) assert.ok(Math.abs(c.importsBuilt / c.importsTarget - 1) < 1e-6 && Math.abs(c.exportsBuilt / c.exportsTarget - 1) < 1e-6, c.partner);
  // US tariffs come from 2024 calculated duties: China ≈ 10.9% (46.7 bn duties / 429.4 bn imports for consumption).
  const N = w.regions.length;
  const us = findRegion(w, 'USA');
  const chn = findRegion(w, 'CHN');
  let m = 0, d = 0;
  for (let j = 0; j < w.sectors.length; j++) {
    const x = (j * N + us) * N + chn;
    m += w.trade[x];
    d += w.trade[x] * w.tariff[x];
  }
  assert.equal(((100 * d) / m).toFixed(1), '10.9');
});

test('CLI: data summary (text and --json) and data build writing nothing on bad input', async () => {
  const text = await runCli(['data', 'summary']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /world2024 \(2024\), 16 regions × 18 sectors/);
  assert.match(text.stdout, /CHN\s+438\.9\s+143\.5\s+-295\.4/);
  const js = await runCli(['data', 'summary', '--json']);
  assert.equal(js.code, 0);
  const s = JSON.parse(js.stdout);
  const chn = s.usFlows.find((f: { partner: string }) => f.partner === 'CHN');
  assert.equal((chn.usImports / 1e9).toFixed(1), '438.9');
  assert.equal(s.sectors.length, 18);
  const out = mkdtempSync(join(tmpdir(), 'base-'));
  const bad = await runCli(['data', 'build', '--data-dir', join(out, 'nowhere'), '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /file not found/);
  assert.deepEqual(readdirSync(out), []);
  const missing = await runCli(['data', 'summary', '--file', join(out, 'none.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /tariffsim data build/);
  assert.ok(!existsSync(join(out, 'world2024.json')));
});
