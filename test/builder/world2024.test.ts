// The embedded 2024 baseline: exact equilibrium, Census 2024 targets, reproducible from the builder, CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BASELINE_FILE, loadEmbeddedWorld } from '../../src/node/data/builder/embedded.ts';
import { buildWorld2024, defaultPaths } from '../../src/node/data/builder/world2024.ts';
import { loadDataset } from '../../src/node/sources.ts';
import { PROJECT_ROOT, sharedDataDir } from '../../src/node/paths.ts';
import { readTargetRegions } from '../../src/node/data/builder/concordance.ts';
import { readRegionTargets } from '../../src/node/data/builder/targets.ts';
import { findRegion, tradeTotals } from '../../src/data/world.ts';
import { CpModel } from '../../src/model/cp/model.ts';
import { resolveFixedDeficits } from '../../src/cli/commands/data.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

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

test('embedded baseline: every region\'s GDP (value added) within 1% of its 2024 target, goods exports and imports within 3% (targets read from ../shared/data/wdi)', { skip: needsShared('wdi') }, () => {
  const w = loadEmbeddedWorld();
  const tr = readTargetRegions(join(PROJECT_ROOT, 'data', 'concordances', 'world2024-regions.csv'));
  const t = readRegionTargets(sharedPath('wdi'), tr);
  const { exports, imports } = tradeTotals(w);
  const worst = { gdp: 0, exports: 0, imports: 0 };
  tr.regions.forEach((r, k) => {
    const n = findRegion(w, r.code);
    const err = { gdp: w.valueAdded[n] / t.gdp[k] - 1, exports: exports[n] / t.exports[k] - 1, imports: imports[n] / t.imports[k] - 1 };
    for (const m of ['gdp', 'exports', 'imports'] as const) worst[m] = Math.max(worst[m], Math.abs(err[m]));
    assert.ok(Math.abs(err.gdp) < 0.01, `${r.code} GDP ${w.valueAdded[n] / 1e9} vs ${t.gdp[k] / 1e9}`);
    assert.ok(Math.abs(err.exports) < 0.03, `${r.code} exports ${exports[n] / 1e9} vs ${t.exports[k] / 1e9}`);
    assert.ok(Math.abs(err.imports) < 0.03, `${r.code} imports ${imports[n] / 1e9} vs ${t.imports[k] / 1e9}`);
  });
  // GDP is matched exactly (up to the file's 8 digits); trade is off only by the world imports/exports
  // reconciliation (≈1%) and, for US imports, Census general imports vs WDI (−2.7%).
  assert.ok(worst.gdp < 1e-6, `GDP ${worst.gdp}`);
  assert.ok(worst.exports < 0.011 && worst.imports < 0.028, JSON.stringify(worst));
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
  // US flows with every partner equal their Census 2024 targets, in the build and in the shipped file.
  assert.equal(b.checks.length, 15);
  for (const c of b.checks) {
    assert.ok(Math.abs(c.importsBuilt / c.importsTarget - 1) < 1e-6 && Math.abs(c.exportsBuilt / c.exportsTarget - 1) < 1e-6, c.partner);
    const f = usTrade(c.partner);
    assert.ok(Math.abs((f.m * 1e9) / c.importsTarget - 1) < 1e-6 && Math.abs((f.e * 1e9) / c.exportsTarget - 1) < 1e-6, `${c.partner} in the file`);
  }
  for (const c of b.regionChecks) if (c.measure === 'gdp') assert.ok(Math.abs(c.achieved / c.value - 1) < 1e-8, `${c.code} GDP`);
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
  assert.match(text.stdout, /Model vs 2024 targets/);
  assert.match(text.stdout, /CHN\s+18729\.7\s+18729\.7\s+0\.00\s+3607\.4\s+3575\.8\s+0\.88\s+2558\.9\s+2583\.2\s+-0\.94/);
  const js = await runCli(['data', 'summary', '--json']);
  assert.equal(js.code, 0);
  const s = JSON.parse(js.stdout);
  const chn = s.usFlows.find((f: { partner: string }) => f.partner === 'CHN');
  assert.equal((chn.usImports / 1e9).toFixed(1), '438.9');
  assert.equal(s.sectors.length, 18);
  assert.equal(s.targets.length, 48);
  const gdpChn = s.targets.find((t: { code: string; measure: string }) => t.code === 'CHN' && t.measure === 'gdp');
  assert.match(gdpChn.source, /wdi_selected_2000_2025\.csv, row \d+ \(ny\.gdp\.mktp\.cd\)/);
  assert.ok(Math.abs(gdpChn.errorPct) < 1e-4);
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
