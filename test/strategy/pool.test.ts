// Best responses on worker threads: the same answers as in-thread, and typed errors across the boundary.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConvergenceError } from '../../src/errors.ts';
import { InfeasibleRestrictionError, StrategyConvergenceError } from '../../src/strategy/errors.ts';
import { computeNash } from '../../src/strategy/nash.ts';
import { SyntheticModel, simpleSyntheticWorld } from '../../src/strategy/synthetic.ts';
import { WorkerPool } from '../../src/node/strategy/pool.ts';

const world = simpleSyntheticWorld({ governments: ['A', 'B', 'C', 'D'], sectors: ['x', 'y', 'z'], epsilon: [[2, 3, 4], [1.5, 2.5, 5], [3, 3, 3], [6, 2, 1.2]] });

describe('worker pool', () => {
  let pool: WorkerPool;
  before(async () => {
    pool = await WorkerPool.create({ kind: 'synthetic', world }, 2);
  });
  after(async () => {
    await pool.close();
  });

  test('Nash on 2 worker threads equals Nash in this thread', async () => {
    const m = new SyntheticModel(world);
    let progress = 0;
    const par = await computeNash(m, { map: pool.map, tolerance: 1e-8, onBestResponse: () => progress++ });
    const seq = await computeNash(m, { tolerance: 1e-8 });
    assert.equal(pool.size, 2);
    assert.ok(progress >= 4);
    for (let k = 0; k < par.policy.length; k++) assert.ok(Math.abs(par.policy[k] - seq.policy[k]) < 1e-6);
  });

  test('errors in a worker arrive as the same typed errors', async () => {
    const m = new SyntheticModel(world);
    const job = { government: 1, policy: m.baselinePolicy(), kind: 'discriminatory' as const };
    await assert.rejects(pool.map([{ ...job, options: { maxIterations: 1 } }]), (e: unknown) => e instanceof StrategyConvergenceError && e instanceof ConvergenceError && /tried:/.test((e as Error).message));
    await assert.rejects(pool.map([{ ...job, restriction: { lower: 1, upper: 0 } }]), (e: unknown) => e instanceof InfeasibleRestrictionError && /infeasible/.test((e as Error).message));
    // the pool still works afterwards
    const ok = await pool.map([job, { ...job, government: 2 }]);
    assert.equal(ok.length, 2);
    assert.equal(ok[1].government, 2);
  });
});
