// The CP2015 loader: dimensions, orientation, units and the paper's preprocessing (dataset README sanity checks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCp2015 } from '../../src/node/data/cp2015.ts';
import { expenditure, findRegion, grossOutput, tradeTotals } from '../../src/data/world.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('cp2015');

test('CP2015 loader: 31 regions × 40 sectors, theta, deficits sum to zero, value added as in the README', { skip }, () => {
  const w = loadCp2015(sharedPath('cp2015'));
  assert.equal(w.regions.length, 31);
  assert.equal(w.sectors.length, 40);
  assert.equal(w.sectors.filter((s) => s.tradable).length, 20);
  assert.ok(w.sectors.filter((s) => !s.tradable).every((s) => s.theta === 8.22));
  const usa = findRegion(w, 'USA');
  const mex = findRegion(w, 'MEX');
  const can = findRegion(w, 'Canada');
  assert.ok(Math.abs(w.valueAdded[usa] / 6.546e12 - 1) < 1e-3);
  assert.ok(Math.abs(w.valueAdded[mex] / 3.9e11 - 1) < 5e-3);
  assert.ok(Math.abs(w.valueAdded[can] / 5.65e11 - 1) < 5e-3);
  const worldVA = w.valueAdded.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(worldVA / 2.4915e13 - 1) < 1e-3);
  assert.ok(Math.abs(w.deficit.reduce((a, b) => a + b, 0)) < 1e-3 * 1e3);
  const { imports } = tradeTotals(w);
  assert.ok(Math.abs(imports.reduce((a, b) => a + b, 0) / 3.146e12 - 1) < 1e-3, 'total bilateral trade 3.146e12 USD');
  // Output covers exports; final-demand shares sum to 1.
  const y = grossOutput(w);
  const x = expenditure(w);
  assert.ok(y.every((v) => v >= 0) && x.every((v) => v >= 0));
});

test('CP2015 loader: orientation — trade-weighted tariffs 1993 → 2005 as in the README', { skip }, () => {
  const w = loadCp2015(sharedPath('cp2015'));
  const N = w.regions.length;
  const weighted = (imp: string, exp: string, sched: Float64Array) => {
    const n = findRegion(w, imp);
    const i = findRegion(w, exp);
    let s = 0;
    let t = 0;
    for (let j = 0; j < w.sectors.length; j++) {
      const x = (j * N + n) * N + i;
      s += w.trade[x];
      t += w.trade[x] * sched[x];
    }
    return (100 * t) / s;
  };
  const t93 = w.tariffSchedules!['1993'];
  const t05 = w.tariffSchedules!['2005'];
  assert.equal(weighted('Mexico', 'USA', t93).toFixed(2), '12.99');
  assert.equal(weighted('Mexico', 'USA', t05).toFixed(2), '0.10');
  assert.equal(weighted('USA', 'Mexico', t93).toFixed(2), '4.00');
  assert.equal(weighted('Canada', 'USA', t93).toFixed(2), '2.29');
  assert.equal(weighted('USA', 'Canada', t93).toFixed(2), '0.34');
});
