// One-sector structural gravity GE: zero shock, ACR closed form, conditional GE, and the published ge_gravity
// example (Baier, Yotov & Zylkin 2019; GEGravity vignette) reproduced from our own PPML estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/errors.ts';
import { gravityDataFromPairs, type GravityData } from '../../src/model/gravity/data.ts';
import { solveGravityGE } from '../../src/model/gravity/ge.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';
import { estimate } from '../../src/estimate/fit.ts';
import { partialEffectShock } from '../../src/estimate/to-ge.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';
import { mulberry32 } from '../helpers/random.ts';

const rng = mulberry32;

/** N countries; symmetric flows give balanced trade (Y_i = E_i). */
function world(N: number, seed: number, balanced: boolean): GravityData {
  const r = rng(seed);
  const X = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j <= i; j++) {
      const v = i === j ? 50 + 100 * r() : 1 + 10 * r();
      X[i * N + j] = v;
      X[j * N + i] = balanced ? v : v * (0.5 + r());
    }
  return { countries: Array.from({ length: N }, (_, k) => `C${k}`), X };
}

function randomShock(N: number, seed: number): Float64Array {
  const r = rng(seed);
  const s = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== j && r() < 0.4) s[i * N + j] = 0.5 * (r() - 0.3);
  return s;
}

test('zero shock: every change is zero and trade is unchanged', () => {
  const d = world(7, 1, false);
  for (const mode of ['full', 'conditional'] as const)
    for (const deficits of ['additive', 'multiplicative'] as const) {
      const g = solveGravityGE(d, new Float64Array(49), { theta: 4, mode, deficits });
      for (const arr of [g.output, g.expenditure, g.exports, g.imports, g.inwardMR, g.outwardMR, g.welfare, g.realGdp, g.factoryPrice]) {
        if (!arr) continue;
        for (const v of arr) assert.ok(Math.abs(v - 1) < 1e-12, `${mode}/${deficits}: ${v}`);
      }
      for (let q = 0; q < 49; q++) assert.ok(Math.abs(g.trade[q] / d.X[q] - 1) < 1e-12);
    }
});

test('ACR: with balanced trade, welfare = (change in domestic share)^(−1/θ) for every country', () => {
  const d = world(9, 2, true);
  const shock = randomShock(9, 3);
  for (const theta of [4, 8]) {
    const g = solveGravityGE(d, shock, { theta });
    let moved = 0;
    for (let j = 0; j < 9; j++) {
      const acr = Math.pow(g.domesticShare.after[j] / g.domesticShare.before[j], -1 / theta);
      assert.ok(Math.abs(g.welfare![j] / acr - 1) < 1e-9, `country ${j}: ${g.welfare![j]} vs ACR ${acr}`);
      moved = Math.max(moved, Math.abs(g.welfare![j] - 1));
    }
    assert.ok(moved > 1e-3, 'the shock must move welfare');
    assert.ok(g.residuals.marketClearing < 1e-8);
  }
});

test('ACR for the real GDP (Y/P) holds with deficits too; welfare (E/P) differs from it', () => {
  const d = world(8, 4, false);
  const g = solveGravityGE(d, randomShock(8, 5), { theta: 5, deficits: 'additive' });
  let differs = 0;
  for (let j = 0; j < 8; j++) {
    const acr = Math.pow(g.domesticShare.after[j] / g.domesticShare.before[j], -1 / 5);
    assert.ok(Math.abs(g.realGdp![j] / acr - 1) < 1e-9);
    differs = Math.max(differs, Math.abs(g.welfare![j] - g.realGdp![j]));
  }
  assert.ok(differs > 1e-6);
});

test('conditional GE keeps output and expenditure, moves only trade and multilateral resistances', () => {
  const d = world(6, 6, false);
  const g = solveGravityGE(d, randomShock(6, 7), { theta: 4, mode: 'conditional', normalization: { reference: 'C0' } });
  for (let i = 0; i < 6; i++) {
    assert.ok(Math.abs(g.output[i] - 1) < 1e-9);
    assert.ok(Math.abs(g.expenditure[i] - 1) < 1e-9);
  }
  assert.ok(Math.abs(g.inwardMR[d.countries.indexOf('C0')] - 1) < 1e-12);
  assert.equal(g.welfare, undefined);
});

test('reference-country normalisation fixes its price index; real results match world-output normalisation (multiplicative deficits)', () => {
  const d = world(6, 8, false);
  const s = randomShock(6, 9);
  const a = solveGravityGE(d, s, { theta: 4, deficits: 'multiplicative' });
  const b = solveGravityGE(d, s, { theta: 4, deficits: 'multiplicative', normalization: { reference: 'C2' } });
  assert.ok(Math.abs(b.inwardMR[d.countries.indexOf('C2')] - 1) < 1e-12);
  for (let j = 0; j < 6; j++) assert.ok(Math.abs(a.welfare![j] - b.welfare![j]) < 1e-9);
});

test('bad inputs: a missing pair, a duplicate pair, a non-positive theta', () => {
  assert.throws(() => gravityDataFromPairs({ exporter: ['A', 'A', 'B'], importer: ['A', 'B', 'B'], trade: [1, 2, 3], source: 'x.csv' }), (e: unknown) => e instanceof InputError && /1 of the 4 exporter–importer pairs are missing \(e\.g\. B → A\)/.test((e as Error).message));
  assert.throws(() => gravityDataFromPairs({ exporter: ['A', 'A'], importer: ['A', 'A'], trade: [1, 2] }), /pair A → A appears more than once/);
  assert.throws(() => solveGravityGE(world(3, 1, true), new Float64Array(9), { theta: 0 }), /theta must be a positive number/);
});

const skip = needsShared('gravity');

test('ge_gravity example (EU enlargement, WIOD 2000, θ = 4): PPML partial effect and GE welfare as published', { skip }, () => {
  const t = parseCsvTable(readFileSync(sharedPath('gravity', 'wiod_aggregate_trade_2000_2014_TradeData0014.csv'), 'utf8'), 'wiod');
  // Step 1 (ppmlhdfe in the Stata example; 0.224 and −0.037 in the GEGravity vignette).
  const est = estimate(t, {
    formula: 'trade ~ eu_enlargement + other_fta | exporter^year + importer^year + exporter^importer',
    where: 'exporter != importer',
    cluster: 'exporter^importer',
  });
  assert.equal(est.coef[0].toFixed(6), '0.224249'); // eu_effect printed in the vignette
  assert.equal(est.coef[1].toFixed(3), '-0.037');
  // Step 2: pairs that became EU pairs between 2000 and 2014 get β̂; baseline year 2000.
  const ex = t.columns.get('exporter') as { codes: Int32Array; levels: string[] };
  const im = t.columns.get('importer') as { codes: Int32Array; levels: string[] };
  const yr = (t.columns.get('year') as { values: Float64Array }).values;
  const tr = (t.columns.get('trade') as { values: Float64Array }).values;
  const eu = (t.columns.get('eu_enlargement') as { values: Float64Array }).values;
  const key = (i: number) => `${ex.levels[ex.codes[i]]}|${im.levels[im.codes[i]]}`;
  const eu2000 = new Map<string, number>();
  const eu2014 = new Map<string, number>();
  for (let i = 0; i < t.nrows; i++) {
    if (yr[i] === 2000) eu2000.set(key(i), eu[i]);
    if (yr[i] === 2014) eu2014.set(key(i), eu[i]);
  }
  const rows = { exporter: [] as string[], importer: [] as string[], trade: [] as number[] };
  const change: number[] = [];
  for (let i = 0; i < t.nrows; i++) {
    if (yr[i] !== 2000) continue;
    rows.exporter.push(ex.levels[ex.codes[i]]);
    rows.importer.push(im.levels[im.codes[i]]);
    rows.trade.push(tr[i]);
    change.push(eu2014.get(key(i))! - eu2000.get(key(i))!);
  }
  const { data, cell } = gravityDataFromPairs(rows);
  const perRow = partialEffectShock(est, 'eu_enlargement', change);
  const shock = new Float64Array(data.countries.length ** 2);
  cell.forEach((q, r) => (shock[q] = perRow[r]));
  const g = solveGravityGE(data, shock, { theta: 4, deficits: 'additive' });
  // GEGravity vignette, ge_gravity(..., theta = 4, mult = FALSE): welfare, real_wage, nom_wage, price_index.
  const published: Record<string, [number, number, number, number]> = {
    DEU: [1.0007249, 1.0007204, 1.0002367, 0.9995167],
    IDN: [0.9999865, 0.9999931, 0.9998933, 0.9999002],
    FIN: [1.0004615, 1.0004125, 1.0008138, 1.0004012],
    LTU: [1.0065244, 1.0064727, 0.9993151, 0.9928884],
    GRC: [1.0002792, 1.0002622, 0.9998333, 0.9995712],
    CAN: [0.9999912, 0.9999941, 0.9999349, 0.9999408],
    JPN: [0.9999971, 0.9999982, 0.9999063, 0.9999082],
    GBR: [1.0001393, 1.0001392, 1.0001324, 0.9999932],
    NOR: [1.0002589, 1.0002422, 1.0001253, 0.9998831],
    PRT: [1.0000813, 1.0000725, 0.9998933, 0.9998208],
  };
  for (const [c, [w, rw, nw, pi]] of Object.entries(published)) {
    const k = data.countries.indexOf(c);
    const got = [g.welfare![k], g.realGdp![k], g.factoryPrice![k], g.inwardMR[k]];
    [w, rw, nw, pi].forEach((v, q) => assert.ok(Math.abs(got[q] - v) <= 1.5e-7, `${c} [${q}]: ${got[q]} vs published ${v}`));
  }
  // DEU → SVK trade: 2723.95149 → 3269.19970 in the vignette.
  const N = data.countries.length;
  const q = data.countries.indexOf('DEU') * N + data.countries.indexOf('SVK');
  assert.ok(Math.abs(g.trade[q] - 3269.1997) < 5e-3, `DEU→SVK ${g.trade[q]}`);
});
