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
