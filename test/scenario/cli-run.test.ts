// `tariffsim run` output formats on the NAFTA scenario: table, JSON shape, CSV, --out tables, --closure both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('cp2015');
const NAFTA = 'scenarios/cp2015-nafta.yaml';

test('run: readable table with the shocked regions first, real income first; --one-step adds the Table 2 columns', { skip }, async () => {
  const r = await runCli(['run', NAFTA, '--one-step']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('region'));
  assert.match(lines[header], /^region\s+real income %\s+terms of trade pt\s+volume of trade pt/);
  assert.match(lines[header], /CPI % \(in own wage\)/);
  assert.deepEqual(lines.slice(header + 2, header + 5).map((l) => l.split(/\s{2,}/)[0]), ['Canada', 'Mexico', 'USA']);
  assert.match(r.stdout, /Mexico .*\s1\.31\s+-0\.41\s+1\.72$/m);
  assert.match(r.stdout, /relative to a rebalanced world, not to 1993/);
  assert.match(r.stdout, /integrated along the path of the shock \((4|8|16|32) steps\)/);
  assert.match(r.stdout, /Tariff incidence/);
  const n = await runCli(['run', NAFTA, '--prices', 'numeraire']);
  assert.match(n.stdout.split('\n').find((l) => l.startsWith('region'))!, /wage % \(numéraire\)\s+CPI % \(numéraire\)/);
  const bad = await runCli(['run', NAFTA, '--prices', 'euros']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /field '--prices'/);
  const badSteps = await runCli(['run', NAFTA, '--path-steps', '0']);
  assert.equal(badSteps.code, 2);
  assert.match(badSteps.stderr, /field '--path-steps'/);
});

test('run --json: per-region results with plain names, in percent', { skip }, async () => {
  const r = await runCli(['run', NAFTA, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.scenario.closure, 'zero-deficits');
  assert.equal(j.units.changes, 'percent');
  const mex = j.regions.find((x: { code: string }) => x.code === 'MEX');
  for (const k of ['total', 'termsOfTrade', 'volumeOfTrade', 'gap', 'realIncome']) assert.equal(typeof mex.welfare[k], 'number');
  for (const k of ['total', 'termsOfTrade', 'volumeOfTrade']) assert.equal(typeof mex.welfareOneStep[k], 'number');
  assert.equal(mex.welfareOneStep.total.toFixed(2), '1.31');
  assert.equal(mex.welfare.realIncome, mex.realIncome);
  assert.match(j.units.consumerPricesRelativeToWage, /own wage/);
  assert.match(j.scenario.relativeTo, /rebalanced world/);
  assert.equal(mex.realWage.toFixed(2), '1.72');
  assert.ok(mex.welfare.bySector.Auto && mex.welfare.byPartner.USA);
  assert.ok(mex.sectorGroups.manufacturing.grossOutput.change > 0);
  assert.ok(j.convergence.counterfactual.residuals.laborMarket < 1e-9);
});

test('run --csv, --out and --closure both', { skip }, async () => {
  const c = await runCli(['run', NAFTA, '--csv']);
  assert.equal(c.code, 0);
  assert.match(c.stdout.split('\n')[0], /^region,code,real_income_pct,welfare_terms_of_trade_pt/);
  assert.equal(c.stdout.trim().split('\n').length, 32);
  const out = mkdtempSync(join(tmpdir(), 'tariffsim-out-'));
  const o = await runCli(['run', NAFTA, '--out', out, '--closure', 'both', '--json']);
  assert.equal(o.code, 0, o.stderr);
  const j = JSON.parse(o.stdout);
  assert.deepEqual(Object.keys(j).sort(), ['fixed-deficits', 'zero-deficits']);
  for (const cl of ['fixed-deficits', 'zero-deficits']) {
    for (const f of ['regions.csv', 'sectors.csv', 'bilateral_trade.csv', 'welfare_by_sector.csv', 'welfare_by_partner.csv', 'balance_by_partner.csv', 'results.json']) {
      assert.ok(existsSync(join(out, cl, f)), `${cl}/${f}`);
    }
  }
  const bil = readFileSync(join(out, 'zero-deficits', 'bilateral_trade.csv'), 'utf8').split('\n');
  assert.equal(bil[0], 'importer,exporter,sector,trade_before,trade_after,tariff_before_pct,tariff_after_pct');
});
