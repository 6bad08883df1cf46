// Properties of the CP2015 solver on small synthetic worlds (no shared data needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpModel } from '../../src/model/cp/model.ts';
import { findRegion } from '../../src/data/world.ts';
import { ConvergenceError, InputError } from '../../src/errors.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

function domesticShare(tables: { tradeBefore: Float64Array; tradeAfter: Float64Array }, N: number, n: number, after: boolean): number {
  const t = after ? tables.tradeAfter : tables.tradeBefore;
  let s = 0;
  for (let i = 0; i < N; i++) s += t[n * N + i]; // sector 0, zero tariffs: expenditure = Σ_i flows
  return t[n * N + n] / s;
}

test('one sector, no inputs, zero tariffs: real wage change equals the ACR formula π̂_nn^(−1/θ)', () => {
  const N = 5;
  const theta = 4;
  const w = syntheticWorld({ N, J: 1, vaShare: 1, theta, tariff: 0, seed: 3 });
  const m = new CpModel(w, { closure: 'zero-deficits' });
  const ntb = new Float64Array(N * N).fill(1);
  for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (n !== i) ntb[n * N + i] = 1 + 0.05 * ((n + 2 * i) % 4) - 0.08;
  const r = m.solve({ tradeCostChange: ntb });
  for (let n = 0; n < N; n++) {
    const piHat = domesticShare(r.tables, N, n, true) / domesticShare(r.tables, N, n, false);
    const acr = (Math.pow(piHat, -1 / theta) - 1) * 100;
    assert.ok(Math.abs(r.regions[n].realWage - acr) < 1e-8, `region ${n}: real wage ${r.regions[n].realWage} vs ACR ${acr}`);
  }
});

test('one sector with roundabout production: real wage change equals π̂_nn^(−1/(θγ)) (CP2015 §4)', () => {
  const N = 4;
  const theta = 5;
  const gamma = 0.4;
  const w = syntheticWorld({ N, J: 1, vaShare: gamma, theta, tariff: 0, seed: 9 });
  const m = new CpModel(w, { closure: 'zero-deficits' });
  const ntb = new Float64Array(N * N).fill(0.9);
  const r = m.solve({ tradeCostChange: ntb });
  for (let n = 0; n < N; n++) {
    const piHat = domesticShare(r.tables, N, n, true) / domesticShare(r.tables, N, n, false);
    const formula = (Math.pow(piHat, -1 / (theta * gamma)) - 1) * 100;
    assert.ok(Math.abs(r.regions[n].realWage - formula) < 1e-7, `region ${n}: ${r.regions[n].realWage} vs ${formula}`);
  }
});

test('no shock: every reported change is zero (|x| < 1e-10) under both closures, synthetic world with tariffs and services', () => {
  const w = syntheticWorld({ N: 6, J: 5, services: 2, tariff: 'random', seed: 11 });
  for (const closure of ['fixed-deficits', 'zero-deficits'] as const) {
    const r = new CpModel(w, { closure }).solve({});
    for (const x of r.regions) {
      for (const v of [x.welfare.total, x.welfare.termsOfTrade, x.welfare.volumeOfTrade, x.welfare.tradeCosts, x.realIncome, x.realWage, x.wage, x.consumerPrices, x.exports.change, x.imports.change, x.tariffRevenue.change, x.income.change]) {
        assert.ok(Math.abs(v) < 1e-10, `${closure} ${x.region}: ${v}`);
      }
      for (const s of x.sectors) assert.ok(Math.abs(s.grossOutput.change) < 1e-10 && Math.abs(s.price) < 1e-10);
      assert.ok(Math.abs(x.tradeBalance.after - x.tradeBalance.before) < 1e-10 * Math.abs(x.income.before));
    }
  }
});

test('a tariff raises the importer\'s revenue and cuts the taxed flow; trade balances stay fixed under fixed deficits', () => {
  const N = 4;
  const J = 3;
  const w = syntheticWorld({ N, J, tariff: 0.05, seed: 5 });
  const m = new CpModel(w, { closure: 'fixed-deficits' });
  const tariff = m.baseline().world.tariff.slice();
  const [home, partner] = [findRegion(w, 'R01'), findRegion(w, 'R02')];
  for (let j = 0; j < J; j++) tariff[(j * N + home) * N + partner] = 0.5; // R02 → R01 at 50%
  const r = m.solve({ tariff });
  const report = (code: string) => r.regions.find((x) => x.code === code)!;
  assert.ok(report('R01').tariffRevenue.change > 0);
  for (let j = 0; j < J; j++) {
    const x = (j * N + home) * N + partner;
    assert.ok(r.tables.tradeAfter[x] < r.tables.tradeBefore[x] * 0.9, `sector ${j} flow fell`);
  }
  for (const x of r.regions) assert.ok(Math.abs(x.tradeBalance.after - x.tradeBalance.before) < 1e-8 * x.income.before, x.region);
  // Incidence: border prices of R01's imports fall, buyers pay more, and they bear part (not all) of the tariff.
  const inc = report('R01').importPrices.changedTariffs!;
  assert.ok(inc.beforeTariff < 0 && inc.afterTariff > 0 && inc.tariffFactor > inc.afterTariff, JSON.stringify(inc));
  assert.ok(inc.buyersShare > 0 && inc.buyersShare < 1);
  assert.equal(report('R03').importPrices.changedTariffs, null, 'R03 changed no tariff');
  // Welfare decomposition adds up: total = ToT + VoT + trade costs.
  for (const x of r.regions) assert.ok(Math.abs(x.welfare.total - (x.welfare.termsOfTrade + x.welfare.volumeOfTrade + x.welfare.tradeCosts)) < 1e-12);
});

test('non-convergence raises a typed ConvergenceError naming the residuals, never NaN', () => {
  const w = syntheticWorld({ N: 4, J: 2, tariff: 0.05, seed: 2 });
  const tariff = w.tariff.map((t) => (t > 0 ? 1.5 : 0));
  const m = new CpModel(w, { closure: 'fixed-deficits', solver: { maxIterations: 2 } });
  assert.throws(() => m.solve({ tariff }), (err: unknown) => err instanceof ConvergenceError && /laborMarket=/.test(err.message) && err.iterations === 2);
});

test('bad model input: a tariff at −100% or a non-positive trade-cost factor is an InputError', () => {
  const w = syntheticWorld({ N: 3, J: 1, seed: 4 });
  const m = new CpModel(w, { closure: 'fixed-deficits' });
  assert.throws(() => m.solve({ tariff: new Float64Array(9).fill(-1) }), InputError);
  assert.throws(() => m.solve({ tradeCostChange: new Float64Array(9).fill(0) }), InputError);
  assert.throws(() => m.solve({ tariff: new Float64Array(4) }), /expected 9/);
});

test('warm start from a nearby solution gives the same equilibrium in fewer iterations', () => {
  const N = 5;
  const J = 4;
  const w = syntheticWorld({ N, J, tariff: 0.05, seed: 8 });
  const m = new CpModel(w, { closure: 'fixed-deficits' });
  const t1 = m.baseline().world.tariff.map((t) => (t > 0 ? 0.3 : 0));
  const t2 = t1.map((t) => (t > 0 ? 0.31 : 0));
  const first = m.solve({ tariff: t1 });
  const cold = m.solve({ tariff: t2 });
  const warm = m.solve({ tariff: t2 }, undefined, first.equilibrium);
  assert.ok(warm.convergence.counterfactual.iterations < cold.convergence.counterfactual.iterations);
  cold.regions.forEach((x, n) => assert.ok(Math.abs(x.realIncome - warm.regions[n].realIncome) < 1e-9));
});
