// PPML/OLS core on synthetic data: fixed effects by demeaning equal explicit dummies, the blocked and plain
// demeaning agree, separation and collinearity are reported, formulas and filters parse and evaluate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demeaner, type FixedEffectIndex } from '../../src/estimate/demean.ts';
import { estimate } from '../../src/estimate/fit.ts';
import { parseFormula } from '../../src/estimate/formula.ts';
import { evaluateFilter } from '../../src/estimate/expr.ts';
import { fitPpml } from '../../src/estimate/ppml.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';
import { factorColumn, makeTable, numericColumn } from '../../src/estimate/table.ts';
import { partialEffectShock } from '../../src/estimate/to-ge.ts';
import { findSeparated } from '../../src/estimate/separation.ts';
import { mulberry32 } from '../helpers/random.ts';

const rng = mulberry32;

/** Small panel: 12 exporters × 12 importers × 4 years, Poisson-like outcome with some zeros. */
function panel(seed = 3) {
  const r = rng(seed);
  const ex: string[] = [];
  const im: string[] = [];
  const yr: number[] = [];
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  for (let e = 0; e < 12; e++)
    for (let m = 0; m < 12; m++) {
      const pairEffect = r() - 0.5;
      for (let t = 0; t < 4; t++) {
        const a = 0.3 * e - 0.2 * m + 0.1 * t * e;
        const v1 = r();
        const v2 = r() < 0.3 ? 1 : 0;
        const mu = Math.exp(a + pairEffect + 0.8 * v1 - 0.5 * v2);
        ex.push(`E${e}`);
        im.push(`I${m}`);
        yr.push(2000 + t);
        x1.push(v1);
        x2.push(v2);
        y.push(r() < 0.2 ? 0 : mu * (0.5 + r()));
      }
    }
  return makeTable({ exporter: factorColumn(ex), importer: factorColumn(im), year: numericColumn(yr), x1: numericColumn(x1), x2: numericColumn(x2), y: numericColumn(y) }, 'panel');
}

test('PPML with absorbed fixed effects equals PPML with explicit dummy regressors', () => {
  const t = panel();
  const fe = estimate(t, { formula: 'y ~ x1 + x2 | exporter^year + importer', vcov: 'robust', dropSingletons: false });
  // Dummies: intercept + exporter-year dummies (minus one) + importer dummies (minus one).
  const n = t.nrows;
  const ex = (t.columns.get('exporter') as { codes: Int32Array }).codes;
  const im = (t.columns.get('importer') as { codes: Int32Array }).codes;
  const yr = (t.columns.get('year') as { values: Float64Array }).values;
  const X: Float64Array[] = [(t.columns.get('x1') as { values: Float64Array }).values, (t.columns.get('x2') as { values: Float64Array }).values, new Float64Array(n).fill(1)];
  const names = ['x1', 'x2', '(Intercept)'];
  const eyKey = (i: number) => ex[i] * 10 + (yr[i] - 2000);
  const eyLevels = [...new Set(Array.from({ length: n }, (_, i) => eyKey(i)))];
  for (const k of eyLevels.slice(1)) {
    X.push(Float64Array.from({ length: n }, (_, i) => (eyKey(i) === k ? 1 : 0)));
    names.push(`ey${k}`);
  }
  for (let m = 1; m < 12; m++) {
    X.push(Float64Array.from({ length: n }, (_, i) => (im[i] === m ? 1 : 0)));
    names.push(`im${m}`);
  }
  const y = (t.columns.get('y') as { values: Float64Array }).values;
  const dummies = fitPpml({ y, X, names, fixedEffects: [] }, { vcov: 'robust', tol: 1e-12 });
  for (const name of ['x1', 'x2']) {
    const a = fe.coef[fe.names.indexOf(name)];
    const b = dummies.coef[dummies.names.indexOf(name)];
    assert.ok(Math.abs(a - b) < 1e-7, `${name}: ${a} vs ${b}`);
    // Robust SEs agree up to the n/(n−1) factor, which is the same in both.
    const sa = fe.se[fe.names.indexOf(name)];
    const sb = dummies.se[dummies.names.indexOf(name)];
    assert.ok(Math.abs(sa / sb - 1) < 1e-5, `${name} SE: ${sa} vs ${sb}`);
  }
});

test('blocked (contiguous-group) and plain alternating projections give the same demeaned values', () => {
  const r = rng(9);
  const n = 3000;
  const pair = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6)); // contiguous runs of 6
  const a = Int32Array.from({ length: n }, () => Math.floor(r() * 37));
  const b = Int32Array.from({ length: n }, () => Math.floor(r() * 11));
  const fes: FixedEffectIndex[] = [
    { name: 'a', index: a, size: 37 },
    { name: 'pair', index: pair, size: 500 },
    { name: 'b', index: b, size: 11 },
  ];
  const w = Float64Array.from({ length: n }, () => 0.1 + r());
  const x = Float64Array.from({ length: n }, () => r() * 10);
  const outs = [new Float64Array(n), new Float64Array(n)];
  const dims: (ReturnType<typeof Demeaner.prototype.newState> | null)[] = [];
  for (const [k, allowBlock] of [[0, true], [1, false]] as const) {
    const dm = new Demeaner(fes, n, { allowBlock });
    assert.equal(dm.block?.dim ?? null, allowBlock ? 1 : null);
    dm.setWeights(w);
    const st = dm.newState(1);
    const s = dm.demean([x], [outs[k]], st, { tol: 1e-13, maxIter: 100000 });
    assert.ok(s.converged);
    dims.push(st);
  }
  for (let i = 0; i < n; i++) assert.ok(Math.abs(outs[0][i] - outs[1][i]) < 1e-8, `row ${i}`);
  // The result is weighted-orthogonal to every fixed-effect group.
  for (const fe of fes) {
    const s = new Float64Array(fe.size);
    for (let i = 0; i < n; i++) s[fe.index[i]] += w[i] * outs[0][i];
    assert.ok(Math.max(...s.map(Math.abs)) < 1e-8);
  }
});

test('separation: groups whose outcome is all zero are dropped and reported', () => {
  const t = panel(5);
  const y = (t.columns.get('y') as { values: Float64Array }).values;
  const ex = (t.columns.get('exporter') as { codes: Int32Array; levels: string[] }).codes;
  for (let i = 0; i < t.nrows; i++) if (ex[i] === 2) y[i] = 0; // exporter E2 never exports
  const r = estimate(t, { formula: 'y ~ x1 + x2 | exporter + importer^year', dropSingletons: false });
  assert.equal(r.dropped.length, 1);
  assert.equal(r.dropped[0].fixedEffect, 'exporter');
  assert.equal(r.dropped[0].groups, 1);
  assert.equal(r.dropped[0].observations, 48);
  assert.equal(r.n, t.nrows - 48);
  let used = 0;
  for (let i = 0; i < t.nrows; i++) used += r.used[i];
  assert.equal(used, r.n);
});

test('collinear regressors: drop mode removes and reports them, naming the partner', () => {
  const t = panel(7);
  const x1 = (t.columns.get('x1') as { values: Float64Array }).values;
  t.columns.set('x1twice', numericColumn(x1.map((v) => 2 * v)));
  t.names.push('x1twice');
  const r = estimate(t, { formula: 'y ~ x1 + x2 + x1twice + year | exporter^year + importer', collinear: 'drop' });
  assert.deepEqual(r.names, ['x1', 'x2']);
  const names = r.collinear.map((c) => c.name).sort();
  assert.deepEqual(names, ['x1twice', 'year']);
  assert.match(r.collinear.find((c) => c.name === 'year')!.reason, /absorbed by the fixed effects/);
  assert.match(r.collinear.find((c) => c.name === 'x1twice')!.reason, /collinear with x1/);
});

test('formula parser: terms, interactions, I(), fixed effects and intercept rules', () => {
  const f = parseFormula('trade ~ log(dist) + cntg:lang + I(a + b) | exporter^year + importer');
  assert.equal(f.outcome.name, 'trade');
  assert.deepEqual(f.terms.map((t) => t.name), ['log(dist)', 'cntg:lang', 'I(a + b)']);
  assert.deepEqual(f.fixedEffects.map((x) => x.vars), [['exporter', 'year'], ['importer']]);
  assert.equal(f.intercept, false);
  assert.equal(parseFormula('y ~ x').intercept, true);
  assert.equal(parseFormula('y ~ x - 1').intercept, false);
  assert.equal(parseFormula('y ~ 0 + x').intercept, false);
});

test('where filter: arithmetic, modulo, text comparisons, missing values and in()', () => {
  const t = parseCsvTable('exporter,importer,year,v\nARG,ARG,1986,1\nARG,AUS,1990,NA\nAUS,ARG,1988,3\n"AUS","AUS",2006,4\n', 'mini.csv');
  assert.deepEqual([...evaluateFilter('year % 4 == 2 && exporter != importer', t)], [0, 1, 0, 0]);
  assert.deepEqual([...evaluateFilter("exporter == 'AUS' || v > 2", t)], [0, 0, 1, 1]);
  assert.deepEqual([...evaluateFilter('v >= 1', t)], [1, 0, 1, 1]); // NA is not kept
  assert.deepEqual([...evaluateFilter('in(year, 1986, 2006)', t)], [1, 0, 0, 1]);
  assert.deepEqual([...evaluateFilter('!(year < 2000)', t)], [0, 0, 0, 1]);
});

test('partial-effect shock = coefficient × change in the policy variable', () => {
  const t = panel(11);
  const r = estimate(t, { formula: 'y ~ x1 + x2 | exporter^year + importer^year' });
  const s = partialEffectShock(r, 'x2', [1, 0, -1]);
  const b = r.coef[r.names.indexOf('x2')];
  assert.deepEqual([...s].map((v) => v + 0), [b, 0, -b]);
});

test('separation: cascades (drops that empty or single out other groups) match a plain repeated check', () => {
  // Reference: the definition, applied literally until nothing changes.
  const reference = (y: Float64Array, fes: FixedEffectIndex[]) => {
    const n = y.length;
    const keep = new Uint8Array(n).fill(1);
    for (let changed = true; changed; ) {
      changed = false;
      for (const fe of fes) {
        const count = new Int32Array(fe.size);
        const sum = new Float64Array(fe.size);
        for (let i = 0; i < n; i++) if (keep[i]) (count[fe.index[i]]++, (sum[fe.index[i]] += y[i]));
        for (let i = 0; i < n; i++) {
          const g = fe.index[i];
          if (keep[i] && (sum[g] === 0 || count[g] === 1)) {
            keep[i] = 0;
            changed = true;
          }
        }
      }
    }
    return keep;
  };
  const r = rng(17);
  let cascades = 0;
  for (let rep = 0; rep < 20; rep++) {
    const n = 400;
    const fes: FixedEffectIndex[] = [
      { name: 'a', index: Int32Array.from({ length: n }, () => Math.floor(r() * 90)), size: 90 },
      { name: 'b', index: Int32Array.from({ length: n }, () => Math.floor(r() * 120)), size: 120 },
    ];
    const y = Float64Array.from({ length: n }, () => (r() < 0.6 ? 0 : r()));
    const got = findSeparated(y, fes, { checkZeros: true, dropSingletons: true });
    assert.deepEqual([...got.keep], [...reference(y, fes)], `replication ${rep}`);
    const obs = got.drops.reduce((s, d) => s + d.observations, 0);
    assert.equal(obs, n - got.keep.reduce((s, k) => s + k, 0));
    if (got.drops.length > 2) cascades++;
  }
  assert.ok(cascades > 0, 'some replications need more than one round');
});

test('a regressor with little variation within the fixed effects is kept (the loose first screen is confirmed)', () => {
  const t = panel(19);
  const r = rng(23);
  const ex = (t.columns.get('exporter') as { codes: Int32Array }).codes;
  const yr = (t.columns.get('year') as { values: Float64Array }).values;
  // Constant within exporter-year up to a 1e−2 wiggle: its within share of the sum of squares is ~1e−7, below
  // the screen's threshold at the starting tolerance (1e−4) but far above the strict one (1e−9).
  const x3 = Float64Array.from({ length: t.nrows }, (_, i) => 3 + ex[i] + 0.1 * (yr[i] - 2000) + 1e-2 * (r() - 0.5));
  t.columns.set('x3', numericColumn(x3));
  t.names.push('x3');
  const fit = estimate(t, { formula: 'y ~ x1 + x3 | exporter^year + importer', vcov: 'robust' });
  assert.deepEqual(fit.names, ['x1', 'x3']);
  assert.deepEqual(fit.collinear, []);
  assert.ok(Number.isFinite(fit.coef[1]) && fit.se[1] > 0);
});
