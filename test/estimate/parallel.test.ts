// The row-kernel machinery of the estimators: the worker-thread runner gives bit-for-bit the sequential results,
// conjugate gradients and Irons–Tuck give the same demeaning and estimates, the generic (no code generation)
// kernels agree with the generated ones, and src/estimate stays pure (bundles for a browser).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { Demeaner, type FixedEffectIndex } from '../../src/estimate/demean.ts';
import { fitOls } from '../../src/estimate/ols.ts';
import { fitPpml } from '../../src/estimate/ppml.ts';
import type { DesignInput } from '../../src/estimate/result.ts';
import { setCodegen } from '../../src/estimate/row-kernels.ts';
import { chunkBounds, sequentialRunner } from '../../src/estimate/runner.ts';
import { RowPool } from '../../src/node/estimate/pool.ts';
import { rng, syntheticGravityPanel } from '../../bench/ppml-synthetic.ts';

/** The synthetic three-way panel with its rows shuffled, so that no fixed effect has contiguous groups. */
function shuffled(d: DesignInput, seed: number): DesignInput {
  const n = d.y.length;
  const r = rng(seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const take = (x: Float64Array) => Float64Array.from(perm, (i) => x[i]);
  return {
    ...d,
    y: take(d.y),
    X: d.X.map(take),
    fixedEffects: d.fixedEffects.map((f) => ({ ...f, index: Int32Array.from(perm, (i) => f.index[i]) })),
  };
}

test('chunkBounds covers the range in increasing chunks of bounded size and count', () => {
  assert.deepEqual([...chunkBounds(10)], [0, 10]);
  assert.deepEqual([...chunkBounds(0)], [0, 0]);
  const b = chunkBounds(1_000_000, 32768, 16);
  assert.equal(b.length, 17);
  assert.equal(b[0], 0);
  assert.equal(b[16], 1_000_000);
  for (let c = 0; c < 16; c++) assert.ok(b[c + 1] - b[c] >= 32768);
  assert.equal(chunkBounds(100_000, 32768, 16).length, 4);
});

describe('worker-thread runner (RowPool, 2 threads)', () => {
  let pool: RowPool;
  before(async () => {
    pool = await RowPool.create(2);
  });
  after(async () => {
    await pool.close();
  });

  test('PPML with a blocked (pair) dimension: same coefficients, SEs and iterations as the sequential runner', () => {
    // 150 × 150 pairs × 8 years = 180,000 rows: several chunks of rows and of pair blocks.
    const d = syntheticGravityPanel(150, 150, 8, 3);
    const seq = fitPpml(d, { vcov: 'robust' });
    const par = fitPpml(d, { vcov: 'robust', runner: pool });
    assert.equal(pool.threads, 2);
    assert.ok(chunkBounds(d.y.length).length > 3);
    assert.deepEqual([...par.coef], [...seq.coef]);
    assert.deepEqual([...par.se], [...seq.se]);
    assert.equal(par.iterations, seq.iterations);
    assert.equal(par.demeanSweeps, seq.demeanSweeps);
    assert.equal(par.deviance, seq.deviance);
    assert.deepEqual(par.dropped, seq.dropped);
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(seq.coef[j] - [0.4, -5, 0.25][j]) < 8 * seq.se[j], `coefficient ${j} near its true value`);
  });

  test('PPML and OLS without a contiguous dimension (shuffled rows): same results as the sequential runner', () => {
    const d = shuffled(syntheticGravityPanel(90, 90, 10, 5), 11);
    const seq = fitPpml(d, { vcov: 'robust' });
    const par = fitPpml(d, { vcov: 'robust', runner: pool });
    assert.deepEqual([...par.coef], [...seq.coef]);
    assert.deepEqual([...par.se], [...seq.se]);
    const logy = { ...d, y: d.y.map((v) => Math.log1p(v)) };
    const olsSeq = fitOls(logy, { vcov: 'robust' });
    const olsPar = fitOls(logy, { vcov: 'robust', runner: pool });
    assert.deepEqual([...olsPar.coef], [...olsSeq.coef]);
  });

  test('errors in kernels reach the caller, and the pool keeps working', () => {
    assert.throws(() => pool.run('nosuchkernel:1', chunkBounds(100_000), [], 0), /unknown row kernel/);
    const plain = new Float64Array(100_000);
    assert.throws(() => pool.run('sumsq:1', chunkBounds(100_000), [null, plain], 1), /not in shared memory/);
    // A kernel that fails on every chunk (its second column is missing), in whichever thread runs it.
    assert.throws(() => pool.run('sumsq:2', chunkBounds(100_000), [null, pool.f64(100_000)], 2), /undefined/);
    const x = pool.share(Float64Array.from({ length: 100_000 }, (_, i) => i % 3));
    assert.equal(pool.run('sumsq:1', chunkBounds(100_000), [null, x], 1)[0], sequentialRunner.run('sumsq:1', chunkBounds(100_000), [null, x], 1)[0]);
  });
});

test('conjugate gradients and Irons–Tuck: same demeaned values (blocked and plain) and same PPML estimates', () => {
  const r = rng(21);
  const n = 6000;
  const fes: FixedEffectIndex[] = [
    { name: 'a', index: Int32Array.from({ length: n }, () => Math.floor(r() * 53)), size: 53 },
    { name: 'pair', index: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5)), size: n / 5 },
    { name: 'b', index: Int32Array.from({ length: n }, () => Math.floor(r() * 17)), size: 17 },
  ];
  const w = Float64Array.from({ length: n }, () => 0.05 + 2 * r());
  const xs = [Float64Array.from({ length: n }, () => r() * 10), Float64Array.from({ length: n }, () => r() - 0.5)];
  const results: Float64Array[][] = [];
  for (const method of ['cg', 'irons-tuck'] as const) {
    for (const allowBlock of [true, false]) {
      const dm = new Demeaner(fes, n, { method, allowBlock });
      dm.setWeights(w);
      const outs = xs.map(() => new Float64Array(n));
      const s = dm.demean(xs, outs, dm.newState(2), { tol: 1e-12, maxIter: 100000 });
      assert.ok(s.converged, `${method} ${allowBlock}`);
      results.push(outs);
    }
  }
  for (const outs of results.slice(1)) {
    for (let v = 0; v < 2; v++) for (let i = 0; i < n; i++) assert.ok(Math.abs(outs[v][i] - results[0][v][i]) < 1e-8, `variable ${v}, row ${i}`);
  }
  const d = syntheticGravityPanel(40, 40, 6, 9);
  const cg = fitPpml(d, { vcov: 'robust', demeanMethod: 'cg' });
  const it = fitPpml(d, { vcov: 'robust', demeanMethod: 'irons-tuck' });
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(cg.coef[j] - it.coef[j]) < 1e-7, `coef ${j}: ${cg.coef[j]} vs ${it.coef[j]}`);
    assert.ok(Math.abs(cg.se[j] / it.se[j] - 1) < 1e-6, `se ${j}`);
  }
});

test('generic kernels (no code generation, as under a strict CSP) give the same estimates', () => {
  const d = syntheticGravityPanel(40, 40, 6, 13);
  const dShuffled = shuffled(d, 2);
  const gen = [fitPpml(d, { vcov: 'robust' }), fitPpml(dShuffled, { vcov: 'robust' })];
  setCodegen(false);
  try {
    const generic = [fitPpml(d, { vcov: 'robust' }), fitPpml(dShuffled, { vcov: 'robust' })];
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) {
        assert.ok(Math.abs(gen[k].coef[j] - generic[k].coef[j]) < 1e-9, `case ${k} coef ${j}`);
        assert.ok(Math.abs(gen[k].se[j] / generic[k].se[j] - 1) < 1e-8, `case ${k} se ${j}`);
      }
    }
  } finally {
    setCodegen(true);
  }
});

test('src/estimate bundles for the browser (no node: built-ins, fs, path or worker_threads)', async () => {
  const r = await build({ entryPoints: [join(PROJECT_ROOT, 'src/estimate/index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.equal(r.errors.length, 0);
  const code = r.outputFiles[0].text;
  assert.ok(!/from ["']node:/.test(code) && !/require\(["'](fs|path|worker_threads)/.test(code) && !/\bprocess\./.test(code));
});
