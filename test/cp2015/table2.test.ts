// CP2015 Table 2: welfare effects of NAFTA's tariff reductions under zero aggregate deficits, via the shipped
// scenario file, plus the no-shock check on the real data under both closures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { runScenarioFile } from '../../src/node/scenario.ts';
import { loadDataset } from '../../src/node/sources.ts';
import { findRegion } from '../../src/data/world.ts';
import { CpModel } from '../../src/model/cp/model.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('cp2015');

// ../shared/reference/targets.md: total, terms of trade, volume of trade, real wage (percent).
const TABLE2: Record<string, [number, number, number, number]> = {
  Mexico: [1.31, -0.41, 1.72, 1.72],
  Canada: [-0.06, -0.11, 0.04, 0.32],
  USA: [0.08, 0.04, 0.04, 0.11],
};
// Unrounded values (R package cp2015, same data).
const UNROUNDED: Record<string, [number, number, number, number]> = {
  Canada: [-0.0638, -0.108, 0.0443, 0.323],
  Mexico: [1.31, -0.412, 1.72, 1.72],
  USA: [0.0848, 0.0435, 0.0412, 0.112],
};

test('CP2015 Table 2: all 12 cells to 2 decimals through the one-step decomposition (scenarios/cp2015-nafta.yaml)', { skip }, async () => {
  const run = await runScenarioFile(join(PROJECT_ROOT, 'scenarios', 'cp2015-nafta.yaml'));
  assert.equal(run.results.closure, 'zero-deficits');
  for (const [region, cells] of Object.entries(TABLE2)) {
    const r = run.results.regions.find((x) => x.region === region)!;
    const got = [r.welfareOneStep.total, r.welfareOneStep.termsOfTrade, r.welfareOneStep.volumeOfTrade, r.realWage];
    got.forEach((v, k) => assert.equal(v.toFixed(2), cells[k].toFixed(2), `${region} column ${k}: ${v}`));
    const fine = UNROUNDED[region];
    got.forEach((v, k) => {
      const digits = String(fine[k]).split('.')[1].length;
      assert.ok(Math.abs(v - fine[k]) <= 0.5 * 10 ** -digits + 1e-12, `${region} column ${k}: ${v} vs unrounded ${fine[k]}`);
    });
  }
  assert.deepEqual(run.compiled.shockedRegions.map((n) => run.results.regions[n].region), ['Canada', 'Mexico', 'USA']);
  // The report's headline decomposition is the path-integrated one: its parts add up to the exact real income.
  for (const r of run.results.regions) {
    assert.equal(r.welfare.method, 'path');
    assert.ok(Math.abs(r.welfare.realIncome - (r.welfare.termsOfTrade + r.welfare.volumeOfTrade + r.welfare.tradeCosts + r.welfare.deficits)) < 0.01, `${r.region}: ${JSON.stringify(r.welfare.gap)}`);
    assert.ok(Math.abs(r.welfare.gap) < 0.01);
  }
  // Mexico: the one-step evaluation (+1.31) misses that lost tariff revenue offsets the real-wage gain.
  const mex = run.results.regions.find((x) => x.region === 'Mexico')!;
  assert.ok(Math.abs(mex.realIncome) < 0.1 && mex.welfareOneStep.total > 1.3, `${mex.realIncome} vs ${mex.welfareOneStep.total}`);
});

test('CP2015 data, no shock: zero changes (|x| < 1e-10) under both closures', { skip }, () => {
  const world = loadDataset('cp2015');
  for (const closure of ['fixed-deficits', 'zero-deficits'] as const) {
    const r = new CpModel(world, { closure }).solve({});
    let worst = 0;
    for (const x of r.regions) {
      for (const v of [x.welfare.total, x.welfare.termsOfTrade, x.welfare.volumeOfTrade, x.welfareOneStep.total, x.consumerPricesRelativeToWage, x.realIncome, x.realWage, x.wage, x.consumerPrices, x.exports.change, x.imports.change, x.tariffRevenue.change]) worst = Math.max(worst, Math.abs(v));
      for (const s of x.sectors) worst = Math.max(worst, Math.abs(s.price), Math.abs(s.grossOutput.change));
    }
    assert.ok(worst < 1e-10, `${closure}: largest change ${worst}`);
  }
});

test('fixed deficits: NAFTA keeps every trade balance at its baseline level', { skip }, () => {
  const world = loadDataset('cp2015');
  const m = new CpModel(world, { closure: 'fixed-deficits' });
  const tariff = world.tariff.slice();
  const N = world.regions.length;
  const nafta = ['CAN', 'MEX', 'USA'].map((code) => findRegion(world, code));
  for (let j = 0; j < world.sectors.length; j++) for (const n of nafta) for (const i of nafta) if (n !== i) tariff[(j * N + n) * N + i] = world.tariffSchedules!['2005'][(j * N + n) * N + i];
  const r = m.solve({ tariff });
  for (const x of r.regions) assert.ok(Math.abs(x.tradeBalance.after - x.tradeBalance.before) < 1e-6 * x.income.before, x.region);
  assert.ok(r.regions.find((x) => x.code === 'MEX')!.imports.change > 50, 'Mexico imports rise strongly');
});
