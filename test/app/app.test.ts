// The application layer driven directly with plain objects (no files, no CLI): the published numbers the CLI
// tests check — CP2015 Table 2, Ossa Table 2, Yotov et al. Table 1 — and a dataset added by one registry row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../src/app/scenario.ts';
import { estimateGravity } from '../../src/app/estimate.ts';
import { datasetRow, registerDataset, unregisterDataset } from '../../src/app/registry.ts';
import { scenarioFromObject } from '../../src/scenario/load.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';
import { InputError } from '../../src/errors.ts';
import { nodeSources } from '../../src/node/sources.ts';
import type { DataSources } from '../../src/app/sources.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

/** Sources that fail on any access: proves a run used only what it was given. */
const noSources: DataSources = {
  dataset: () => { throw new Error('no dataset access expected'); },
  policy: () => Promise.reject(new Error('no policy access expected')),
  concordance: () => { throw new Error('no concordance access expected'); },
  readText: () => { throw new Error('no file access expected'); },
  policyWeights2025: () => { throw new Error('no policy access expected'); },
};

test('app: CP2015 Table 2 from a plain scenario object', { skip: needsShared('cp2015') }, async () => {
  const scenario = scenarioFromObject({
    name: 'NAFTA',
    dataset: 'cp2015',
    closure: 'zero-deficits',
    groups: { NAFTA: ['Canada', 'Mexico', 'USA'] },
    shocks: [{ tariff: { importer: 'NAFTA', exporter: 'NAFTA', sector: 'goods', schedule: '2005' } }],
  });
  const out = await runScenario(scenario, nodeSources());
  assert.equal(out.model, 'cp2015');
  if (out.model !== 'cp2015') return;
  const byCode = (code: string) => out.report.regions.find((r) => r.code === code)!;
  const table2: Record<string, number[]> = { MEX: [1.31, -0.41, 1.72, 1.72], CAN: [-0.06, -0.11, 0.04, 0.32], USA: [0.08, 0.04, 0.04, 0.11] };
  for (const [code, cells] of Object.entries(table2)) {
    const r = byCode(code);
    // Table 2 is the paper's one-step decomposition; the report's headline decomposition is path-integrated.
    const got = [r.welfareOneStep.total, r.welfareOneStep.termsOfTrade, r.welfareOneStep.volumeOfTrade, r.realWage];
    assert.ok(Math.abs(r.welfare.termsOfTrade + r.welfare.volumeOfTrade + r.welfare.tradeCosts + r.welfare.deficits - r.realIncome) < 0.01);
    got.forEach((v, k) => assert.equal(v.toFixed(2), cells[k].toFixed(2), `${code} column ${k}: ${v}`));
  }
  assert.deepEqual(out.report.regions.slice(0, 3).map((r) => r.code), ['CAN', 'MEX', 'USA']);
  assert.equal(out.report.units.changes, 'percent');
  assert.equal(out.report.bilateral.length, 2);
  // JSON-ready: no typed arrays anywhere (the CLI serialises it without a replacer), and a round trip through
  // JSON keeps the report.
  const views: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (ArrayBuffer.isView(v)) views.push(at);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(out.report, 'report');
  assert.deepEqual(views, []);
  assert.deepEqual(JSON.parse(JSON.stringify(out.report)).regions[1].welfareOneStep.total, byCode('MEX').welfareOneStep.total);
});

test('app: Ossa (2014) Table 2 (crp) from a plain scenario object', { skip: needsShared('ossa2014') }, async () => {
  const scenario = scenarioFromObject({ name: 'crp', dataset: 'ossa2014', shocks: [{ tariff: { importer: 'US', exporter: 'all', sector: 'crp', add: 50 } }] });
  const out = await runScenario(scenario, nodeSources());
  assert.equal(out.model, 'ossa2014');
  if (out.model !== 'ossa2014') return;
  const f = out.report.focus;
  const got = [f.wageRelMean, f.ownIndustrySales, f.otherIndustriesSales, f.welfare, f.termsOfTrade, f.profitShifting];
  [1.45, 5.73, -1.4, 0.17, 0.34, 0.12].forEach((v, k) => assert.equal(got[k]!.toFixed(2), v.toFixed(2), `column ${k}: ${got[k]}`));
});

test('app: Yotov et al. (2016) Table 1 PPML from a parsed table', { skip: needsShared('yotov2016') }, () => {
  const table = parseCsvTable(readFileSync(sharedPath('yotov2016', 'agtpa_applications.csv'), 'utf8'), 'agtpa_applications.csv');
  const { report } = estimateGravity({ table, source: 'agtpa_applications.csv', formula: 'trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year', where: 'year % 4 == 2 && exporter != importer', cluster: 'pair_id' });
  const c = Object.fromEntries(report.coefficients.map((x) => [x.name, x]));
  assert.equal(c['log(dist)'].estimate.toFixed(3), '-0.841');
  assert.equal(c['log(dist)'].se.toFixed(3), '0.032');
  assert.equal(c.cntg.estimate.toFixed(3), '0.437');
  assert.equal(c.lang.estimate.toFixed(3), '0.247');
  assert.equal(c.clny.estimate.toFixed(3), '-0.222');
  assert.equal(report.n, 28152);
});

test('app: a dataset added by one registry row runs a scenario (no files touched)', async () => {
  const world = { ...syntheticWorld({ N: 3, J: 2, seed: 7, tariff: 0.05 }), name: 'tiny' };
  registerDataset({ id: 'tiny', model: 'cp', description: 'three regions, two sectors (test)', citation: 'synthetic', strategic: false, source: { kind: 'inline', data: world } });
  try {
    const codes = world.regions.map((r) => r.code);
    const scenario = scenarioFromObject({ name: 'tiny tariff', dataset: 'tiny', closure: 'fixed-deficits', shocks: [{ tariff: { importer: codes[0], exporter: codes[1], sector: 'all', add: 25 } }] });
    const out = await runScenario(scenario, noSources);
    assert.equal(out.model, 'cp2015');
    if (out.model !== 'cp2015') return;
    const [imp, exp] = out.report.regions;
    assert.deepEqual([imp.code, exp.code], [codes[0], codes[1]]);
    assert.ok(out.report.bilateral[0].change < 0, 'the tariff cuts the importer\'s imports from the exporter');
    assert.ok(Number.isFinite(imp.realIncome) && imp.realIncome !== 0);
    assert.ok(Math.max(...Object.values(out.report.convergence.counterfactual.residuals)) < 1e-9);
    // A no-shock scenario on the same row gives zero changes.
    const none = await runScenario(scenarioFromObject({ name: 'none', dataset: 'tiny', shocks: [] }), noSources);
    if (none.model === 'cp2015') for (const r of none.report.regions) assert.ok(Math.abs(r.realIncome) < 1e-10);
  } finally {
    unregisterDataset('tiny');
  }
  assert.throws(() => datasetRow('tiny'), InputError);
});

test('app: unknown or inherited dataset names are InputErrors at the scenario line', async () => {
  for (const name of ['nope', 'toString', '__proto__']) {
    const scenario = scenarioFromObject({ name: 'x', dataset: name, shocks: [] });
    await assert.rejects(runScenario(scenario, noSources), (e: unknown) => e instanceof InputError && e.location.field === 'dataset' && /unknown dataset/.test(e.message));
  }
});
