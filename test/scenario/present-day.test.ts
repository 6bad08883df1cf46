// The news scenarios on the embedded present-day baseline (world2024) with the policy layer's tariffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { bilateralFlow } from '../../src/model/cp/results.ts';
import { runScenarioFile } from '../../src/node/scenario.ts';
import type { ScenarioRun } from '../../src/scenario/run.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');
const scenario = (name: string) => join(PROJECT_ROOT, 'scenarios', `${name}.yaml`);

/** Goods imports of `importer` from `exporter` (codes), net of tariffs, before and after. */
function flow(run: ScenarioRun, importer: string, exporter: string): { before: number; after: number } {
  const codes = run.results.regions.map((r) => r.code);
  return bilateralFlow(run.results, codes.indexOf(importer), codes.indexOf(exporter));
}

test('April 2025 standoff: US–China trade falls by more than half both ways, US consumer prices rise, China loses real income (both closures)', { skip }, async () => {
  for (const closure of ['fixed-deficits', 'zero-deficits'] as const) {
    const run = await runScenarioFile(scenario('us-china-2025-04-standoff'), { closure });
    assert.equal(run.policy?.date, '2025-04-15');
    const usFromChina = flow(run, 'USA', 'CHN');
    const chinaFromUs = flow(run, 'CHN', 'USA');
    assert.ok(usFromChina.after < 0.5 * usFromChina.before, `${closure}: US imports from China ${usFromChina.before} → ${usFromChina.after}`);
    assert.ok(chinaFromUs.after < 0.5 * chinaFromUs.before, `${closure}: China imports from the US ${chinaFromUs.before} → ${chinaFromUs.after}`);
    const usa = run.results.regions.find((r) => r.code === 'USA')!;
    const chn = run.results.regions.find((r) => r.code === 'CHN')!;
    assert.ok(usa.consumerPrices > 0, `${closure}: US CPI ${usa.consumerPrices}`);
    assert.ok(chn.realIncome < 0, `${closure}: China real income ${chn.realIncome}`);
    assert.ok(usa.tariffRevenue.after > 2 * usa.tariffRevenue.before, 'US tariff revenue more than doubles');
    // Incidence: US buyers bear most of the tariff increase on the goods whose tariff changed.
    const inc = usa.importPrices.changedTariffsInImporterWage!;
    assert.ok(inc.buyersShare > 0.5 && inc.buyersShare <= 1, JSON.stringify(inc));
  }
});

test('pre-2025 reproduces the baseline: every change is zero', { skip }, async () => {
  const run = await runScenarioFile(scenario('pre-2025'));
  for (const r of run.results.regions) for (const v of [r.realIncome, r.consumerPrices, r.exports.change, r.welfare.total]) assert.ok(Math.abs(v) < 1e-10, `${r.code}: ${v}`);
});

test('every shipped news scenario runs; de-escalation lowers the US tariff average step by step', { skip }, async () => {
  const avg: Record<string, number> = {};
  for (const name of ['liberation-day-announced', 'us-china-2025-04-standoff', 'geneva-2025-05', 'busan-2025-11', 'deals-2025', 'ieepa-ended-2026-02']) {
    const run = await runScenarioFile(scenario(name));
    assert.ok(run.results.convergence.counterfactual.converged, name);
    avg[name] = run.policy!.usAverage.date;
  }
  assert.ok(avg['geneva-2025-05'] < avg['us-china-2025-04-standoff']);
  assert.ok(avg['ieepa-ended-2026-02'] < avg['busan-2025-11']);
  // The deals' NTB assumptions enter as trade-cost changes.
  const deals = await runScenarioFile(scenario('deals-2025'));
  assert.ok(deals.results.regions.some((r) => Math.abs(r.welfare.tradeCosts) > 0));
});

test('tariffsim standoff (defaults: April 2025 standoff vs the Geneva truce): both lose from the standoff', { skip }, async () => {
  const r = await runCli(['standoff', '--a', 'USA', '--b', 'CHN', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const both = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(both).sort(), ['fixed-deficits', 'zero-deficits']);
  for (const j of Object.values(both) as any[]) {
    assert.ok(j.a.lossPercent > 0 && j.b.lossPercent > 0);
    assert.ok(['USA', 'CHN'].includes(j.moreAnxious));
    assert.ok(j.a.exportsToOther.standoff < 0.5 * j.a.exportsToOther.baseline);
    assert.equal(j.measures.length, 6);
  }
  assert.match(both['zero-deficits'].closureMeaning, /relative to a rebalanced world, not to 2024/);
});

test('a bad policy date is an input error at its YAML line', { skip }, async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const f = join(mkdtempSync(join(tmpdir(), 'tariffsim-pol-')), 'bad.yaml');
  writeFileSync(f, 'name: x\ndataset: world2024\npolicy:\n  date: 2031-01-01\n');
  const r = await runCli(['run', f]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 4:9, field 'policy\.date'/);
});
