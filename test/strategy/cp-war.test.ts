// The strategy engine on the multi-sector CP2015 model (synthetic world, so it runs without shared data):
// best responses raise own welfare with positive MFN tariffs; Nash converges and everyone loses against the
// baseline; the worker-thread path gives the same equilibrium as the in-thread one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpModel } from '../../src/model/cp/model.ts';
import { CpStrategicModel } from '../../src/strategy/adapters/cp.ts';
import { bestResponse } from '../../src/strategy/best-response.ts';
import { runCpWar } from '../../src/node/strategy/cp.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

const world = syntheticWorld({ N: 3, J: 3, services: 1, tariff: 0.05, seed: 7, theta: 4 });

test('CP best response: positive optimal MFN tariffs that raise own real income', () => {
  const m = new CpStrategicModel(new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } }));
  assert.equal(m.positions(0).length, 2 * 2, 'two partners × two traded sectors');
  const br = bestResponse(m, { government: 0, policy: m.baselinePolicy(), kind: 'mfn', options: { gradientTolerance: 1e-6 } });
  assert.ok(br.instruments.every((t) => t > 0.1 && t < 1), Array.from(br.instruments).join(','));
  assert.ok(br.welfare[0] > 1.001, `own welfare ${br.welfare[0]}`);
  const base = m.evaluate(m.baselinePolicy()).welfare;
  assert.ok(Math.abs(base[0] - 1) < 1e-10);
  // A marginal deviation from the optimum lowers welfare.
  const pol = br.policy.slice();
  for (const p of m.positions(0)) pol[p.index] += 0.05;
  assert.ok(m.evaluate(pol).welfare[0] < br.welfare[0]);
});

test('CP trade war: Nash converges, everyone loses; worker threads give the same equilibrium', async () => {
  const seq = await runCpWar({ world, closure: 'zero-deficits', workers: 0 });
  assert.ok(seq.rounds < 20);
  for (const r of seq.nash) assert.ok(r.realIncome < 0 && r.medianTariff > 10, JSON.stringify(r));
  for (const r of seq.optimal) assert.ok(r.realIncome > 0, JSON.stringify(r));
  const par = await runCpWar({ world, closure: 'zero-deficits', workers: 2 });
  par.nash.forEach((r, g) => assert.ok(Math.abs(r.medianTariff - seq.nash[g].medianTariff) < 0.05, `${r.medianTariff} vs ${seq.nash[g].medianTariff}`));
});

test('CP adapter: exact gradients of a weighted objective = finite differences of evaluate; a repeated policy reuses the solve', () => {
  const m = new CpStrategicModel(new CpModel(world, { closure: 'fixed-deficits', solver: { tolerance: 1e-13 } }));
  assert.equal(m.hasGradient, true);
  const p = m.baselinePolicy();
  for (const q of m.positions(1)) p[q.index] += 0.15;
  const weights = Float64Array.of(0.3, 1, 0);
  const ev = m.evaluate(p, weights);
  const solves = m.solves;
  assert.deepEqual(Array.from(m.evaluate(p).welfare), Array.from(ev.welfare));
  assert.equal(m.solves, solves, 'same policy: no new solve');
  const f = (x: Float64Array) => {
    const w = m.evaluate(x).welfare;
    return weights.reduce((s, o, g) => s + o * Math.log(w[g]), 0);
  };
  for (const pos of [...m.positions(0), ...m.positions(1)]) {
    const h = 1e-4;
    const up = p.slice();
    up[pos.index] += h;
    const dn = p.slice();
    dn[pos.index] -= h;
    const fd = (f(up) - f(dn)) / (2 * h);
    assert.ok(Math.abs(fd - ev.gradient![pos.index]) < 1e-7 * Math.max(1, Math.abs(fd)) + 1e-9, `position ${pos.index}: ${ev.gradient![pos.index]} vs ${fd}`);
  }
});

test('CP trade war: Nash with exact (adjoint) gradients = Nash with finite differences', async (t) => {
  const adj = await runCpWar({ world, closure: 'zero-deficits', workers: 0 });
  const fd = await runCpWar({ world, closure: 'zero-deficits', workers: 0, gradient: 'finite-differences' });
  let dT = 0;
  let dW = 0;
  adj.nash.forEach((r, g) => {
    dT = Math.max(dT, Math.abs(r.medianTariff - fd.nash[g].medianTariff));
    dW = Math.max(dW, Math.abs(r.realIncome - fd.nash[g].realIncome));
  });
  let dAll = 0;
  for (let x = 0; x < adj.nashTariffs.length; x++) dAll = Math.max(dAll, Math.abs(adj.nashTariffs[x] - fd.nashTariffs[x]));
  t.diagnostic(`max |Δ median tariff| ${dT} pt, max |Δ any tariff| ${100 * dAll} pt, max |Δ real income| ${dW} pt; rounds ${adj.rounds} vs ${fd.rounds}, ${adj.seconds} s vs ${fd.seconds} s`);
  assert.ok(100 * dAll < 0.05 && dW < 0.002, `tariffs differ by up to ${100 * dAll} pt, welfare by ${dW} pt`);
});

test('CP deal: the Nash bargaining point, found with exact gradients, beats every grid cell and is a local maximum', async () => {
  const { bargain } = await import('../../src/strategy/bargaining.ts');
  const m = new CpStrategicModel(new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } }));
  const standoff = m.baselinePolicy();
  for (const g of [0, 1]) for (const p of m.positions(g)) if (p.partner === 1 - g) standoff[p.index] += 0.6;
  const r = bargain(m, { a: 0, b: 1, standoff, grid: { min: 0, max: 1, steps: 9 }, nbsTolerance: 1e-7 });
  assert.ok(r.nbs && r.nbs.gainA > 0 && r.nbs.gainB > 0, JSON.stringify(r.nbs));
  let bestGrid = 0;
  for (let q = 0; q < r.gainA.length; q++) if (r.inZone[q]) bestGrid = Math.max(bestGrid, r.gainA[q] * r.gainB[q]);
  assert.ok(r.nbs!.product >= bestGrid, `NBS ${r.nbs!.product} vs best grid cell ${bestGrid}`);
  // No feasible small move raises u_A · u_B.
  const [sA, sB] = r.standoffWelfare;
  const prod = (x: number, y: number): number => {
    const p = standoff.slice();
    for (const q of m.positions(0)) if (q.partner === 1) p[q.index] = x;
    for (const q of m.positions(1)) if (q.partner === 0) p[q.index] = y;
    const w = m.evaluate(p).welfare;
    return (w[0] / sA - 1) * (w[1] / sB - 1);
  };
  const best = prod(r.nbs!.a, r.nbs!.b);
  for (const [dx, dy] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3]]) {
    const x = r.nbs!.a + dx;
    const y = r.nbs!.b + dy;
    if (x < 0 || y < 0 || x > 1 || y > 1) continue;
    assert.ok(prod(x, y) <= best * (1 + 1e-9), `moving by (${dx}, ${dy}) raises the product`);
  }
});
