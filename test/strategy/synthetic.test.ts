// The strategy engine on a synthetic world with closed-form answers: optimal tariff = 1/ε (inverse export
// supply elasticity), Nash = 1/ε everywhere, efficient tariffs of symmetric governments = free trade.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConvergenceError, InputError } from '../../src/errors.ts';
import { bargain } from '../../src/strategy/bargaining.ts';
import { bestResponse } from '../../src/strategy/best-response.ts';
import { cooperativeTariffs } from '../../src/strategy/cooperative.ts';
import { InfeasibleRestrictionError, StrategyConvergenceError } from '../../src/strategy/errors.ts';
import { computeNash } from '../../src/strategy/nash.ts';
import { SyntheticModel, simpleSyntheticWorld } from '../../src/strategy/synthetic.ts';
import type { Evaluation, StrategicModel } from '../../src/strategy/types.ts';

// 3 governments, 2 sectors; ε[exporter][sector]
const EPS = [
  [2, 4],
  [3, 1.5],
  [5, 2.5],
];
const world3 = () => simpleSyntheticWorld({ governments: ['A', 'B', 'C'], sectors: ['x', 'y'], epsilon: EPS, eta: 2.5, baseline: 0.05 });
const sym2 = () => simpleSyntheticWorld({ governments: ['H', 'F'], sectors: ['x'], epsilon: [[2], [2]], eta: 3 });

describe('synthetic world: closed forms', () => {
  test('gradient of Σ ω ln W matches central differences', () => {
    const m = new SyntheticModel(world3());
    const p = m.baselinePolicy().map((v, k) => (k % 3 === Math.floor(k / 3) % 3 ? 0 : 0.1 + 0.05 * (k % 5)));
    const w = Float64Array.of(1, -0.5, 2);
    const g = m.evaluate(p, w).gradient!;
    const phi = (q: Float64Array): number => m.evaluate(q).welfare.reduce((a, x, i) => a + w[i] * Math.log(x), 0);
    for (let k = 0; k < p.length; k++) {
      if (k % 3 === Math.floor(k / 3) % 3) continue;
      const h = 1e-6;
      const q = Float64Array.from(p);
      q[k] += h;
      const fp = phi(q);
      q[k] -= 2 * h;
      assert.ok(Math.abs((fp - phi(q)) / (2 * h) - g[k]) < 1e-8, `position ${k}`);
    }
  });

  test('each government’s optimal discriminatory tariff is 1/ε of the partner, whatever the others do', () => {
    const m = new SyntheticModel(world3());
    for (let g = 0; g < 3; g++) {
      const r = bestResponse(m, { government: g, policy: m.baselinePolicy(), kind: 'discriminatory' });
      const pos = m.positions(g);
      pos.forEach((p, q) => {
        const expect = 1 / EPS[p.partner][p.sector];
        assert.ok(Math.abs(r.instruments[q] - expect) < 1e-5, `${m.governments[g]} on ${m.governments[p.partner]}, sector ${p.sector}: ${r.instruments[q]} vs ${expect}`);
      });
      assert.ok(r.welfare[g] > 1);
    }
  });

  test('MFN: equal elasticities across exporters give 1/ε; unequal ones a tariff between the bilateral optima', () => {
    const eq = new SyntheticModel(simpleSyntheticWorld({ governments: ['A', 'B', 'C'], sectors: ['x', 'y'], epsilon: [[2, 4], [2, 4], [2, 4]] }));
    const r = bestResponse(eq, { government: 0, policy: eq.baselinePolicy(), kind: 'mfn' });
    assert.equal(r.instruments.length, 2);
    assert.ok(Math.abs(r.instruments[0] - 0.5) < 1e-5 && Math.abs(r.instruments[1] - 0.25) < 1e-5, `${r.instruments}`);
    const m = new SyntheticModel(world3());
    const u = bestResponse(m, { government: 0, policy: m.baselinePolicy(), kind: 'mfn' });
    // A imports x from B (ε 3) and C (ε 5): MFN tariff between 1/5 and 1/3
    assert.ok(u.instruments[0] > 1 / 5 && u.instruments[0] < 1 / 3, `${u.instruments[0]}`);
    const d = bestResponse(m, { government: 0, policy: m.baselinePolicy(), kind: 'discriminatory' });
    assert.ok(u.welfare[0] < d.welfare[0]);
  });

  test('a model without gradients is differentiated numerically and gives the same optimum', () => {
    const inner = new SyntheticModel(world3());
    const noGrad: StrategicModel = {
      name: 'no-gradient',
      governments: inner.governments,
      sectors: inner.sectors,
      policySize: inner.policySize,
      hasGradient: false,
      baselinePolicy: () => inner.baselinePolicy(),
      positions: (g) => inner.positions(g),
      evaluate: (p): Evaluation => ({ welfare: inner.evaluate(p).welfare }),
    };
    const r = bestResponse(noGrad, { government: 1, policy: noGrad.baselinePolicy(), kind: 'discriminatory' });
    inner.positions(1).forEach((p, q) => assert.ok(Math.abs(r.instruments[q] - 1 / EPS[p.partner][p.sector]) < 1e-4));
  });

  test('Nash equilibrium: every tariff is 1/ε, reached by simultaneous best responses', async () => {
    const m = new SyntheticModel(world3());
    const r = await computeNash(m, { tolerance: 1e-7 });
    for (let g = 0; g < 3; g++) {
      for (const p of m.positions(g)) assert.ok(Math.abs(r.policy[p.index] - 1 / EPS[p.partner][p.sector]) < 1e-5);
    }
    assert.ok(r.rounds <= 3, `rounds ${r.rounds}`);
  });

  test('cooperative tariffs of symmetric governments relative to Nash: free trade, equal gains', async () => {
    const m = new SyntheticModel(sym2());
    const nash = await computeNash(m);
    const ref = m.evaluate(nash.policy).welfare;
    const c = cooperativeTariffs(m, { referenceWelfare: ref, start: nash.policy });
    for (const g of [0, 1]) for (const p of m.positions(g)) assert.ok(Math.abs(c.policy[p.index]) < 1e-4, `tariff ${c.policy[p.index]}`);
    assert.ok(c.commonGain > 0);
    assert.ok(Math.abs(c.gains[0] - c.gains[1]) < 1e-6);
    // unrestricted (import subsidies allowed): free trade is still efficient, now an interior solution
    const u = cooperativeTariffs(m, { referenceWelfare: ref, start: nash.policy, restriction: { lower: -0.5 } });
    for (const g of [0, 1]) for (const p of m.positions(g)) assert.ok(Math.abs(u.policy[p.index]) < 1e-3, `tariff ${u.policy[p.index]}`);
  });

  test('cooperative tariffs of asymmetric governments: equal gains and efficiency (no one can gain without a loss)', () => {
    const m = new SyntheticModel(world3());
    const c = cooperativeTariffs(m, {});
    const gs = Array.from(c.gains);
    assert.ok(Math.max(...gs) - Math.min(...gs) < 1e-6, `gains ${gs}`);
    assert.ok(c.commonGain > 0);
    // KKT: with the multipliers as welfare weights (summing to 1), the weighted gradient vanishes for interior
    // tariffs and points down at the lower bound 0 (up to the solver tolerance; at the baseline
    // tariffs the same weighted gradient is ~1e-3), so no feasible move raises every government's welfare
    const w = c.multipliers;
    assert.ok(Math.abs(w.reduce((x, y) => x + y, 0) - 1) < 1e-6, `Σ μ = ${w.reduce((x, y) => x + y, 0)}`);
    const grad = m.evaluate(c.policy, w).gradient!;
    for (let g = 0; g < 3; g++) {
      for (const p of m.positions(g)) {
        if (c.policy[p.index] > 1e-6) assert.ok(Math.abs(grad[p.index]) < 1e-7, `interior tariff ${p.index}: ${grad[p.index]}`);
        else assert.ok(grad[p.index] < 1e-7, `tariff at 0 with gradient ${grad[p.index]}`);
      }
    }
  });

  test('MFN talks: max–min gains are at least the equal gains, and equal gains are equal', () => {
    const m = new SyntheticModel(world3());
    const eq = cooperativeTariffs(m, { kind: 'mfn', gains: 'equal' });
    const mm = cooperativeTariffs(m, { kind: 'mfn', gains: 'maxmin' });
    const ge = Array.from(eq.gains);
    assert.ok(Math.max(...ge) - Math.min(...ge) < 1e-6, `equal gains ${ge}`);
    assert.ok(Math.min(...Array.from(mm.gains)) >= eq.commonGain - 1e-7, `max–min ${Array.from(mm.gains)} vs equal ${eq.commonGain}`);
  });
});

describe('two-country bargaining', () => {
  test('symmetric governments at the Nash standoff: deal zone around free trade, Nash bargaining solution = free trade', async () => {
    const m = new SyntheticModel(sym2());
    const nash = await computeNash(m);
    const r = bargain(m, { a: 0, b: 1, standoff: nash.policy, grid: { min: 0, max: 1, steps: 21 } });
    assert.ok(r.zone.cells > 0);
    assert.equal(r.inZone[0], 1, '(0, 0) is in the deal zone');
    const last = r.levels.length - 1;
    assert.equal(r.inZone[last * r.levels.length + last], 0, '(100%, 100%) is not');
    // the standoff itself (Nash: 0.5, 0.5 up to the solver tolerance) gives (almost) zero gains
    const half = r.levels.indexOf(0.5);
    assert.ok(Math.abs(r.gainA[half * r.levels.length + half]) < 1e-6);
    assert.ok(r.nbs);
    assert.ok(Math.abs(r.nbs!.a) < 1e-6 && Math.abs(r.nbs!.b) < 1e-6, `NBS at ${r.nbs!.a}, ${r.nbs!.b}`);
    assert.ok(Math.abs(r.nbs!.gainA - r.nbs!.gainB) < 1e-9);
  });

  test('asymmetric governments: the Nash bargaining solution beats every grid pair and lies in the zone', async () => {
    const m = new SyntheticModel(simpleSyntheticWorld({ governments: ['H', 'F'], sectors: ['x', 'y'], epsilon: [[1.5, 3], [4, 2]], eta: 2 }));
    const nash = await computeNash(m);
    const r = bargain(m, { a: 0, b: 1, standoff: nash.policy, grid: { min: 0, max: 1.2, steps: 25 } });
    assert.ok(r.nbs);
    const { gainA, gainB, product } = r.nbs!;
    assert.ok(gainA > 0 && gainB > 0);
    for (let q = 0; q < r.gainA.length; q++) if (r.inZone[q]) assert.ok(r.gainA[q] * r.gainB[q] <= product + 1e-12);
  });

  test('bad pairs are typed errors', () => {
    const m = new SyntheticModel(sym2());
    assert.throws(() => bargain(m, { a: 0, b: 0 }), (e: unknown) => e instanceof InfeasibleRestrictionError && /two different/.test(e.message));
    assert.throws(() => bargain(m, { a: 0, b: 5 }), (e: unknown) => e instanceof InputError && /out of range/.test(e.message));
    assert.throws(() => bargain(m, { a: 0, b: 1, grid: { min: 1, max: 0 } }), (e: unknown) => e instanceof InfeasibleRestrictionError);
  });
});

describe('bad input and non-convergence', () => {
  test('an infeasible restriction is an InfeasibleRestrictionError (an InputError) saying what was asked', () => {
    const m = new SyntheticModel(world3());
    const job = { government: 0, policy: m.baselinePolicy(), kind: 'discriminatory' as const };
    assert.throws(() => bestResponse(m, { ...job, restriction: { lower: 0.5, upper: 0.2 } }), (e: unknown) => e instanceof InfeasibleRestrictionError && e instanceof InputError && /lower bound 0.5 > upper bound 0.2/.test(e.message));
    assert.throws(() => bestResponse(m, { ...job, restriction: { bounds: { 'B:x': { lower: 1, upper: 0 } } } }), (e: unknown) => e instanceof InfeasibleRestrictionError && /B:x/.test(e.message));
    assert.throws(() => bestResponse(m, { ...job, restriction: { bounds: { 'Z:x': { upper: 0 } } } }), (e: unknown) => e instanceof InfeasibleRestrictionError && /does not have/.test(e.message));
    assert.throws(() => bestResponse(m, { ...job, restriction: { lower: -1.5 } }), (e: unknown) => e instanceof InfeasibleRestrictionError && /−100%/.test(e.message));
  });

  test('a binding restriction is respected', () => {
    const m = new SyntheticModel(world3());
    const r = bestResponse(m, { government: 0, policy: m.baselinePolicy(), kind: 'discriminatory', restriction: { upper: 0.2, bounds: { 'C:y': { lower: 0.3, upper: 0.3 } } } });
    const pos = m.positions(0);
    pos.forEach((p, q) => {
      const label = `${m.governments[p.partner]}:${m.sectors[p.sector]}`;
      if (label === 'C:y') assert.ok(Math.abs(r.instruments[q] - 0.3) < 1e-12);
      else assert.ok(Math.abs(r.instruments[q] - Math.min(0.2, 1 / EPS[p.partner][p.sector])) < 1e-5);
    });
  });

  test('a non-converging best response is a StrategyConvergenceError (a ConvergenceError) saying what was tried', () => {
    const m = new SyntheticModel(world3());
    assert.throws(
      () => bestResponse(m, { government: 2, policy: m.baselinePolicy(), kind: 'discriminatory', options: { maxIterations: 1 } }),
      (e: unknown) => e instanceof StrategyConvergenceError && e instanceof ConvergenceError && /best response of C/.test(e.message) && /tried: projected L-BFGS/.test(e.message) && /1 iterations/.test(e.message),
    );
  });

  test('a Nash iteration that runs out of rounds lists the changes it saw', async () => {
    const m = new SyntheticModel(world3());
    await assert.rejects(computeNash(m, { maxRounds: 1, tolerance: 0 }), (e: unknown) => e instanceof StrategyConvergenceError && /did not converge in 1 rounds/.test(e.message) && /changes by round/.test(e.message));
  });
});
