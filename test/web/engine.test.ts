// The page's engine (precomputed tariffs, in-page solve) gives the CLI's numbers: every shipped preset against
// the application layer run with Node's sources (the policy layer live); bad scenario objects name the field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { runScenario } from '../../src/app/scenario.ts';
import { nodeSources } from '../../src/node/sources.ts';
import { loadScenarioFile } from '../../src/node/scenario.ts';
import { ensureWebBuild, WEB_GENERATED } from '../../src/web-node/build.ts';
import { WebEngine } from '../../src/web/engine.ts';
import { announcedDay, matrixAsset, type AnnouncedAssets, type PolicyAssets } from '../../src/web/assets-format.ts';
import { scenarioFromObject } from '../../src/scenario/load.ts';
import { viewModel } from '../../src/web/adapter.ts';
import { tableCsv, parseCsvText } from '../../src/web/csv.ts';
import { needsShared } from '../helpers/shared.ts';

describe('web engine', { skip: needsShared('us-tariffs') }, () => {
  let engine: WebEngine;
  before(async () => {
    await ensureWebBuild();
    const read = (f: string) => readFileSync(join(WEB_GENERATED, f), 'utf8');
    // The page merges announced.json into the policy assets when the timeline's toggle is first used.
    engine = new WebEngine(read('world2024.json'), { ...(JSON.parse(read('announced.json')) as AnnouncedAssets), ...(JSON.parse(read('policy.json')) as PolicyAssets) }, JSON.parse(read('presets.json')));
  });

  test('every preset gives the CLI report bit for bit', async () => {
    assert.equal(engine.presets.length, 7);
    for (const p of engine.presets) {
      const want = await runScenario(loadScenarioFile(join(PROJECT_ROOT, p.file)), nodeSources());
      const got = engine.run(p.spec).report;
      assert.equal(want.model, 'cp2015');
      const w = want.report as typeof got;
      assert.deepEqual(got.regions.map((r) => r.realIncome), w.regions.map((r) => r.realIncome), p.id);
      assert.deepEqual(got.regions.map((r) => r.tradeBalance.byPartner), w.regions.map((r) => r.tradeBalance.byPartner), p.id);
      assert.deepEqual(got.bilateral, w.bilateral, p.id);
      assert.deepEqual(got.scenario.policy, w.scenario.policy, p.id);
    }
  });

  test('the matrix of a day is the last change on or before it; outside the data there is none', () => {
    const a = engine.policy;
    assert.equal(matrixAsset(a, '2025-04-15')!.key <= '2025-04-15', true);
    assert.equal(matrixAsset(a, '2024-12-31'), null);
    const us = engine.run({ name: 'd', dataset: 'world2024', policy: { date: '2025-04-15' } }).inForce['USA<CHN'];
    const geneva = engine.run({ name: 'd', dataset: 'world2024', policy: { date: '2025-05-20' } }).inForce['USA<CHN'];
    assert.ok(us > 100 && geneva < 60, `${us} → ${geneva}`);
  });

  test('announced as if in force: the stored matrices give the CLI report bit for bit on any day; identical matrices are stored once', async () => {
    const a = engine.policy;
    assert.ok(a.announcedDays!.length > 10 && a.announcedMatrices!.length <= a.announcedDays!.length);
    for (const day of ['2025-04-03', '2025-05-13', '2025-08-01']) {
      const ann = announcedDay(a, day)!;
      assert.ok(ann.key <= day);
      const obj = { name: day, dataset: 'world2024', closure: 'fixed-deficits', policy: { date: ann.date, announcedThrough: day } };
      const want = await runScenario(scenarioFromObject(structuredClone(obj), day), nodeSources());
      const got = engine.run(obj).report;
      const w = want.report as typeof got;
      assert.deepEqual(got.regions.map((r) => r.realIncome), w.regions.map((r) => r.realIncome), day);
      assert.deepEqual(got.scenario.policy, w.scenario.policy, day);
    }
    // Announced through 2025-04-03 (Liberation Day's 34% on China) is above what was in force that day.
    const inForce = engine.run({ name: 'x', dataset: 'world2024', policy: { date: '2025-04-03' } }).inForce['USA<CHN'];
    const ann = announcedDay(a, '2025-04-03')!;
    const announced = engine.run({ name: 'x', dataset: 'world2024', policy: { date: ann.date, announcedThrough: '2025-04-03' } }).inForce['USA<CHN'];
    assert.ok(announced > inForce + 10, `${inForce} → ${announced}`);
    // A day other than the one on which everything announced is in force has no stored matrix: named, not guessed.
    assert.throws(() => engine.run({ name: 'x', dataset: 'world2024', policy: { date: '2025-12-01', announcedThrough: '2025-04-03' } }), /announced through 2025-04-03/);
  });

  test('bad scenario objects are InputErrors naming the field', () => {
    assert.throws(() => engine.run({ name: 'x', dataset: 'world2024', policy: { date: '2030-01-01' } }), /policy\.date/);
    assert.throws(() => engine.run({ name: 'x', dataset: 'world2024', shocks: [{ tariff: { importer: 'USA', exporter: 'ZZZ', set: 10 } }] }), /ZZZ/);
    assert.throws(() => engine.run({ name: 'x', dataset: 'cp2015' }), /world2024/);
  });

  test('the CSV of a table carries the report numbers at full precision with units in the header', () => {
    const run = engine.run(engine.presets[0].spec);
    const vm = viewModel(run, 'USA');
    const csv = parseCsvText(tableCsv(vm.regions));
    assert.equal(csv[0][2], 'Real income (% change (exact Î/P̂))');
    run.report.regions.forEach((r, k) => assert.equal(Number(csv[k + 1][2]), r.realIncome));
    assert.ok(vm.anxious && ['USA', 'CHN'].includes(vm.anxious.moreAnxious ?? ''));
  });
});
