// The pieces that make `tariffsim deal` fast (issue 17): chord-Newton wage steps (solve.ts (CP10)), the grid
// solved on its own adapter at a looser tolerance, and the grid split over two threads. Each must leave the
// equilibrium, the zone and the bargaining point as they were (up to the stated tolerances).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpModel, type Closure } from '../../src/model/cp/model.ts';
import { solveEquilibrium } from '../../src/model/cp/solve.ts';
import { InputError } from '../../src/errors.ts';
import { bargain, bargainSplit, dealGridRows } from '../../src/strategy/bargaining.ts';
import { CpStrategicModel } from '../../src/strategy/adapters/cp.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

const world = syntheticWorld({ N: 5, J: 4, seed: 7, vaShare: 0.4, tariff: 'random', services: 1 });

for (const closure of ['zero-deficits', 'fixed-deficits'] as Closure[]) {
  test(`chord-Newton wage steps (${closure}): the same equilibrium in fewer outer iterations; J·1 ≈ 0 under zero deficits`, () => {
    const model = new CpModel(world, { closure, solver: { tolerance: 1e-12 } });
    const e = model.baseline().economy;
    const tariff = e.tau.slice();
    for (let x = 0; x < tariff.length; x++) tariff[x] += 0.2;
    const first = solveEquilibrium(e, model.shockOf({ tariff }), { tolerance: 1e-12, estimateWageJacobian: true });
    const J = first.wageJacobian!;
    assert.equal(J.length, e.N * e.N);
    assert.ok(J.every(Number.isFinite));
    if (closure === 'zero-deficits') {
      // Homogeneity: scaling every wage leaves z unchanged.
      let rowSum = 0;
      let scale = 0;
      for (let n = 0; n < e.N; n++) {
        let s = 0;
        for (let k = 0; k < e.N; k++) {
          s += J[n * e.N + k];
          scale = Math.max(scale, Math.abs(J[n * e.N + k]));
        }
        rowSum = Math.max(rowSum, Math.abs(s));
      }
      assert.ok(rowSum < 1e-4 * scale, `|J·1| = ${rowSum} against entries up to ${scale}`);
    }
    // A nearby policy, from the first equilibrium: with and without the Jacobian.
    const near = tariff.slice();
    for (let x = 0; x < near.length; x++) near[x] += 0.02 * ((x % 3) - 1);
    const shock = model.shockOf({ tariff: near });
    const plain = solveEquilibrium(e, shock, { tolerance: 1e-12, warmStart: first });
    const newton = solveEquilibrium(e, shock, { tolerance: 1e-12, warmStart: first, wageJacobian: J });
    assert.ok(newton.convergence.converged && plain.convergence.converged);
    assert.ok(newton.convergence.iterations < plain.convergence.iterations, `${newton.convergence.iterations} vs ${plain.convergence.iterations} outer iterations`);
    for (let n = 0; n < e.N; n++) assert.ok(Math.abs(newton.wHat[n] / plain.wHat[n] - 1) < 1e-10, `ŵ_${n}: ${newton.wHat[n]} vs ${plain.wHat[n]}`);
    // A useless Jacobian (all ones: no information) falls back to the tâtonnement and still converges.
    const junk = solveEquilibrium(e, shock, { tolerance: 1e-12, warmStart: first, wageJacobian: new Float64Array(e.N * e.N).fill(1) });
    for (let n = 0; n < e.N; n++) assert.ok(Math.abs(junk.wHat[n] / plain.wHat[n] - 1) < 1e-10);
    // A Jacobian of the wrong size is an input error that names the field.
    assert.throws(() => solveEquilibrium(e, shock, { wageJacobian: new Float64Array(3) }), (err: unknown) => err instanceof InputError && /wage Jacobian/.test(err.message));
  });
}

test('deal grid at tolerance 1e-9 with chord-Newton steps, and split over two parts: same zone and bargaining point as the tight sequential grid', async () => {
  const tight = new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } });
  const standoff = tight.baseline().world.tariff.slice();
  const N = world.regions.length;
  for (let j = 0; j < world.sectors.length; j++) {
    standoff[(j * N + 0) * N + 1] += 0.8;
    standoff[(j * N + 1) * N + 0] += 0.6;
  }
  const opts = { a: 0, b: 1, standoff, grid: { min: 0, max: 1, steps: 9 }, nbsTolerance: 1e-7 };
  const reference = bargain(new CpStrategicModel(tight), opts);
  const grid = new CpStrategicModel(tight, { tolerance: 1e-9, chordNewton: true });
  const fast = bargain(new CpStrategicModel(tight), { ...opts, gridModel: grid });
  // The other part of the grid on a model of its own (as a worker thread has), returned asynchronously.
  const other = new CpStrategicModel(new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } }), { tolerance: 1e-9, chordNewton: true });
  // Split after row 4 (the best cell is in this thread's rows: the early refinement is kept) and after row 0
  // (every row elsewhere: the refinement starts from the best cell of the returned rows).
  const splits = [];
  for (const h of [4, 0]) {
    const remote = new CpStrategicModel(new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } }), { tolerance: 1e-9, chordNewton: true });
    splits.push(await bargainSplit(new CpStrategicModel(tight), { ...opts, gridModel: new CpStrategicModel(tight, { tolerance: 1e-9, chordNewton: true }) }, async (spec, from, to, onRow) => dealGridRows(remote, spec, from, to, onRow), h));
  }
  for (const r of [fast, ...splits]) {
    assert.deepEqual([...r.inZone], [...reference.inZone]);
    let d = 0;
    for (let q = 0; q < r.gainA.length; q++) d = Math.max(d, Math.abs(r.gainA[q] - reference.gainA[q]), Math.abs(r.gainB[q] - reference.gainB[q]));
    assert.ok(d < 1e-8, `grid gains differ by ${d}`);
    assert.ok(r.nbs && reference.nbs);
    assert.ok(Math.abs(r.nbs.a - reference.nbs.a) < 1e-6 && Math.abs(r.nbs.b - reference.nbs.b) < 1e-6, `NBS (${r.nbs.a}, ${r.nbs.b}) vs (${reference.nbs.a}, ${reference.nbs.b})`);
    assert.ok(Math.abs(r.nbs.gainA - reference.nbs.gainA) < 1e-9 && Math.abs(r.nbs.gainB - reference.nbs.gainB) < 1e-9);
  }
  assert.ok(grid.solves >= 81, `${grid.solves} grid solves`);
  // A remote part that returns the wrong rows is an error, not a silently wrong grid.
  await assert.rejects(
    bargainSplit(new CpStrategicModel(tight), opts, async (spec, from, to) => ({ ...dealGridRows(other, spec, from, to), from: from + 1 })),
    /came back as/,
  );
});
