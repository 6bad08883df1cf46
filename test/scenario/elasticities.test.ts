// Estimated trade elasticities feed a multi-sector scenario: `elasticities` in the YAML, a number or the output
// of `tariffsim estimate --json` (θ = −β̂ − 1 from the coefficient on ln(1 + tariff)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareScenarioFile, runScenarioFile } from '../../src/node/scenario.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('yotov2016') || needsShared('cp2015');
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-theta-'));
const TARIFF = 'ifelse(exporter != importer, log(1 + MFN_TARIFF), 0)';
const scenario = (name: string, elasticities: string) => {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\ndataset: cp2015\nclosure: fixed-deficits\nshocks:\n  - tariff: {importer: USA, exporter: all, sector: goods, add: 20}\nelasticities:\n${elasticities}`);
  return f;
};

test('θ from a PPML estimate (Yotov ch.1 ex.2, β̂ = −7.604 ⇒ θ = 6.604) replaces the goods elasticities', { skip }, async () => {
  const est = await runCli([
    'estimate', '--data', sharedPath('yotov2016', 'chapter1_exercise2_mfn_tariff.csv'),
    '--formula', `trade ~ RTA + RTA_LAG3 + RTA_LAG6 + RTA_LAG9 + ${TARIFF} | exporter^year + importer^year + exporter^importer`,
    '--cluster', 'exporter^importer', '--json',
  ]);
  assert.equal(est.code, 0, est.stderr);
  writeFileSync(join(dir, 'est.json'), est.stdout);
  const f = scenario('from-estimate', `  - {sector: goods, fromEstimate: {file: est.json, coefficient: "${TARIFF}"}}\n`);
  const { world, compiled } = await prepareScenarioFile(f);
  world.sectors.forEach((s, j) => assert.equal(compiled.theta![j], s.theta));
  for (const s of world.sectors) {
    if (s.tradable) assert.equal(s.theta.toFixed(3), '6.604');
    else assert.equal(s.theta, 8.22);
  }
  const run = await runScenarioFile(f);
  assert.ok(run.results.convergence.counterfactual.converged);
});

test('a larger θ makes the same tariff cut US imports more', { skip }, async () => {
  const low = await runScenarioFile(scenario('low', '  - {sector: goods, theta: 2}\n'));
  const high = await runScenarioFile(scenario('high', '  - {sector: goods, theta: 8}\n'));
  const usa = (r: typeof low) => r.results.regions.find((x) => x.code === 'USA')!;
  assert.ok(usa(high).imports.change < usa(low).imports.change, `${usa(high).imports.change} vs ${usa(low).imports.change}`);
});

test('bad elasticities: missing coefficient, a positive coefficient, both forms → exit 2 at the YAML line', { skip }, async () => {
  writeFileSync(join(dir, 'pos.json'), JSON.stringify({ coefficients: [{ name: 'lt', estimate: 0.5 }] }));
  let r = await runCli(['run', scenario('missing', `  - {sector: goods, fromEstimate: {file: pos.json, coefficient: nope}}\n`)]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 7:\d+, field 'elasticities\.0\.fromEstimate': .*pos\.json has no coefficient 'nope'/);
  r = await runCli(['run', scenario('positive', `  - {sector: goods, fromEstimate: {file: pos.json, coefficient: lt}}\n`)]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not negative/);
  r = await runCli(['run', scenario('both', `  - {sector: goods, theta: 4, fromEstimate: {file: pos.json, coefficient: lt}}\n`)]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /exactly one of theta/);
});
