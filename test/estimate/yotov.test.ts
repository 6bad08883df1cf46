// Published estimates of Yotov, Piermartini, Monteiro & Larch (2016), reproduced on ../shared/data/yotov2016
// (targets in ../shared/reference/targets.md). Every number is compared after rounding to the published digits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { needsShared, sharedPath } from '../helpers/shared.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';
import { estimate, type EstimateResult } from '../../src/estimate/fit.ts';
import { elasticityFromTariff } from '../../src/estimate/to-ge.ts';
import type { Table } from '../../src/estimate/table.ts';

const skip = needsShared('yotov2016');
let agtpa: Table | undefined;
const load = () => (agtpa ??= parseCsvTable(readFileSync(sharedPath('yotov2016', 'agtpa_applications.csv'), 'utf8'), 'agtpa_applications.csv'));

/** Asserts that x rounds to `published` at its number of decimals. */
function rounds(x: number, published: number, decimals: number, what: string) {
  assert.equal(x.toFixed(decimals), published.toFixed(decimals), `${what}: ${x} does not round to ${published}`);
}
const c = (r: EstimateResult, name: string) => {
  const k = r.names.indexOf(name);
  assert.ok(k >= 0, `no coefficient ${name}`);
  return { b: r.coef[k], se: r.se[k] };
};

test('Yotov et al. Table 1, PPML with exporter-year and importer-year FE, SEs clustered by pair', { skip }, () => {
  const r = estimate(load(), {
    formula: 'trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year',
    where: 'year % 4 == 2 && exporter != importer',
    cluster: 'pair_id',
  });
  assert.equal(r.n, 28152);
  rounds(c(r, 'log(dist)').b, -0.841, 3, 'ln distance');
  rounds(c(r, 'log(dist)').se, 0.032, 3, 'ln distance SE');
  rounds(c(r, 'cntg').b, 0.437, 3, 'contiguity');
  rounds(c(r, 'lang').b, 0.247, 3, 'common language');
  rounds(c(r, 'clny').b, -0.222, 3, 'colony');
  assert.equal(r.clusters, 2346);
  assert.ok(r.converged);
  assert.deepEqual(r.dropped, []);
});

test('Yotov et al. Table 1, OLS on ln trade with ln output and expenditure (no FE)', { skip }, () => {
  // Y (E) = total sales (purchases) of the exporter (importer) in the year, domestic sales included, as the
  // book's do-file builds them before restricting the regression to international flows.
  const t = load();
  const ex = t.columns.get('exporter')! as { codes: Int32Array };
  const im = t.columns.get('importer')! as { codes: Int32Array };
  const yr = (t.columns.get('year')! as { values: Float64Array }).values;
  const tr = (t.columns.get('trade')! as { values: Float64Array }).values;
  const Y = new Map<string, number>();
  const E = new Map<string, number>();
  for (let i = 0; i < t.nrows; i++) {
    Y.set(`${ex.codes[i]}|${yr[i]}`, (Y.get(`${ex.codes[i]}|${yr[i]}`) ?? 0) + tr[i]);
    E.set(`${im.codes[i]}|${yr[i]}`, (E.get(`${im.codes[i]}|${yr[i]}`) ?? 0) + tr[i]);
  }
  const withYE: Table = {
    ...t,
    names: [...t.names, 'Y', 'E'],
    columns: new Map([
      ...t.columns,
      ['Y', { kind: 'number', values: Float64Array.from({ length: t.nrows }, (_, i) => Y.get(`${ex.codes[i]}|${yr[i]}`)!) }],
      ['E', { kind: 'number', values: Float64Array.from({ length: t.nrows }, (_, i) => E.get(`${im.codes[i]}|${yr[i]}`)!) }],
    ]),
  };
  const r = estimate(withYE, {
    method: 'ols',
    formula: 'log(trade) ~ log(dist) + cntg + lang + clny + log(Y) + log(E)',
    where: 'year % 4 == 2 && exporter != importer',
    cluster: 'pair_id',
  });
  assert.equal(r.n, 25689); // zero flows drop out of ln trade
  assert.equal(r.missing[0].observations, 28152 - 25689);
  rounds(c(r, 'log(dist)').b, -1.002, 3, 'ln distance');
  rounds(c(r, 'log(dist)').se, 0.027, 3, 'ln distance SE');
  rounds(c(r, 'cntg').b, 0.574, 3, 'contiguity');
  rounds(c(r, 'lang').b, 0.802, 3, 'common language');
  rounds(c(r, 'clny').b, 0.735, 3, 'colony');
  rounds(c(r, 'log(Y)').b, 1.19, 3, 'ln Y');
  rounds(c(r, 'log(E)').b, 0.908, 3, 'ln E');
});

test('Yotov et al. ch. 1 app. 3: RTA effect with pair FE, intra-national flows included', { skip }, () => {
  const r = estimate(load(), {
    formula: 'trade ~ rta | exporter^year + importer^year + pair_id',
    where: 'year % 4 == 2',
    cluster: 'pair_id',
  });
  rounds(c(r, 'rta').b, 0.557, 3, 'RTA');
  // Pairs that never trade in the six years are separated by their pair fixed effect and dropped (reported).
  assert.equal(r.dropped.length, 1);
  assert.equal(r.dropped[0].fixedEffect, 'pair_id');
  assert.equal(r.n + r.dropped[0].observations, 28566);
});

test('Yotov et al. ch. 1 exercise 2: MFN tariffs, RTA and lags, three-way FE', { skip }, () => {
  const t = parseCsvTable(readFileSync(sharedPath('yotov2016', 'chapter1_exercise2_mfn_tariff.csv'), 'utf8'), 'chapter1_exercise2_mfn_tariff.csv');
  // ln_MFN = ln(1 + MFN_TARIFF) for international flows, 0 for domestic ones (MFN_TARIFF is NA there).
  const r = estimate(t, {
    formula: 'trade ~ RTA + RTA_LAG3 + RTA_LAG6 + RTA_LAG9 + ifelse(exporter != importer, log(1 + MFN_TARIFF), 0) | exporter^year + importer^year + exporter^importer',
    cluster: 'exporter^importer',
  });
  const mfn = 'ifelse(exporter != importer, log(1 + MFN_TARIFF), 0)';
  assert.equal(r.n, 18886);
  rounds(c(r, mfn).b, -7.604, 3, 'ln MFN');
  rounds(c(r, mfn).se, 0.516, 3, 'ln MFN SE');
  rounds(c(r, 'RTA').b, -0.217, 3, 'RTA');
  rounds(c(r, 'RTA').se, 0.056, 3, 'RTA SE');
  rounds(c(r, 'RTA_LAG3').b, 0.256, 3, 'RTA lag 3');
  rounds(c(r, 'RTA_LAG6').b, 0.265, 3, 'RTA lag 6');
  rounds(c(r, 'RTA_LAG9').b, 0.101, 3, 'RTA lag 9');
  // The tariff coefficient is −σ (trade measured before tariffs): σ ≈ 7.6, θ = σ − 1.
  const el = elasticityFromTariff(r, mfn);
  assert.ok(Math.abs(el.sigma - 7.604) < 5e-4 && Math.abs(el.theta - 6.604) < 5e-4);
});

test('fixest small-sample rule gives the larger SE on exercise 2 (so the published SEs are Stata\'s G/(G−1))', { skip }, () => {
  const t = parseCsvTable(readFileSync(sharedPath('yotov2016', 'chapter1_exercise2_mfn_tariff.csv'), 'utf8'), 'ex2');
  const f = 'trade ~ RTA + RTA_LAG3 + RTA_LAG6 + RTA_LAG9 + ifelse(exporter != importer, log(1 + MFN_TARIFF), 0) | exporter^year + importer^year + exporter^importer';
  const r = estimate(t, { formula: f, cluster: 'exporter^importer', ssc: 'fixest' });
  const k = r.names.length - 1;
  assert.equal(r.se[k].toFixed(3), '0.527');
});
