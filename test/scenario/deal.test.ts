// `tariffsim deal` on the embedded present-day baseline: a US–China standoff at +145 / +125 points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tariffsim-deal-'));
const standoff = join(dir, 'standoff.yaml');
writeFileSync(standoff, `name: US–China standoff (test)
dataset: world2024
closure: fixed-deficits
shocks:
  - tariff: {importer: USA, exporter: CHN, sector: goods, add: 145}
  - tariff: {importer: CHN, exporter: USA, sector: goods, add: 125}
`);

test('deal: from a 145/125 standoff, most uniform tariff pairs make both better off; the NBS has low tariffs and positive gains', async () => {
  const r = await runCli(['deal', '--a', 'USA', '--b', 'CHN', '--from', standoff, '--grid-steps', '6', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.dataset, 'world2024');
  assert.ok(j.standoffTariffs.aOnB > 145 && j.standoffTariffs.bOnA > 125, JSON.stringify(j.standoffTariffs));
  assert.ok(j.standoffWelfare.USA < 1 && j.standoffWelfare.CHN < 1, 'both lose in the standoff');
  assert.ok(j.zone.share > 0.5 && j.zone.share < 1, `zone share ${j.zone.share}`);
  const nbs = j.nashBargaining;
  assert.ok(nbs.gainA > 0 && nbs.gainB > 0);
  assert.ok(nbs.aOnB < 30 && nbs.bOnA < 30, JSON.stringify(nbs));
});

test('deal: bad input exits 2', async () => {
  let r = await runCli(['deal', '--a', 'USA', '--b', 'XYZ', '--from', standoff, '--grid-steps', '3']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown region 'XYZ'/);
  r = await runCli(['deal', '--a', 'USA', '--b', 'CHN', '--from', standoff, '--grid-steps', '1']);
  assert.equal(r.code, 2);
  r = await runCli(['deal', '--a', 'USA', '--b', 'CHN', '--from', 'scenarios/ossa2014-table2-crp.yaml']);
  assert.equal(r.code, 2);
});

test('deal: the grid split over a worker thread gives the zone and bargaining point of the one-thread grid', async () => {
  const { deal } = await import('../../src/app/deal.ts');
  const { nodeSources } = await import('../../src/node/sources.ts');
  const { loadScenarioFile } = await import('../../src/node/scenario.ts');
  const threads = nodeSources();
  const { cpDealHelper: _, ...oneThread } = threads.strategy!;
  const input = { a: 'USA', b: 'CHN', scenario: loadScenarioFile(standoff), grid: { steps: 5 } };
  const split = await deal(input, threads);
  const single = await deal(input, { ...threads, strategy: oneThread });
  assert.deepEqual([...split.result.inZone], [...single.result.inZone]);
  let d = 0;
  for (let q = 0; q < split.result.gainA.length; q++) d = Math.max(d, Math.abs(split.result.gainA[q] - single.result.gainA[q]), Math.abs(split.result.gainB[q] - single.result.gainB[q]));
  assert.ok(d < 1e-8, `grid gains differ by ${d}`);
  assert.ok(split.result.nbs && single.result.nbs);
  assert.ok(Math.abs(split.result.nbs.a - single.result.nbs.a) < 1e-6 && Math.abs(split.result.nbs.b - single.result.nbs.b) < 1e-6);
  assert.equal(split.solves, single.solves, 'every solve counted once, on either thread');
});
