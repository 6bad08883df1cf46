// `tariffsim run` on the Ossa (2014) scenario files: Table 2 through the scenario layer, and bad shocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');
const TABLE2: Record<string, number[]> = {
  crp: [1.45, 5.73, -1.4, 0.17, 0.34, 0.12],
  wap: [0.67, 33.35, -0.97, -0.14, 0.16, -0.15],
};

for (const ind of ['crp', 'wap']) {
  test(`tariffsim run scenarios/ossa2014-table2-${ind}.yaml reproduces Ossa Table 2`, { skip }, async () => {
    const r = await runCli(['run', `scenarios/ossa2014-table2-${ind}.yaml`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(r.stdout).focus;
    assert.equal(f.region, 'US');
    assert.deepEqual(f.industries, [ind]);
    const got = [f.wageRelMean, f.ownIndustrySales, f.otherIndustriesSales, f.welfare, f.termsOfTrade, f.profitShifting].map((x: number) => Number(x.toFixed(2)));
    assert.deepEqual(got, TABLE2[ind]);
  });
}

test('Ossa scenarios: NTB shocks, unknown regions and --closure are rejected with exit 2', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-ossa-'));
  const base = 'name: x\ndataset: ossa2014\nshocks:\n';
  const f1 = join(dir, 'ntb.yaml');
  writeFileSync(f1, base + '  - ntb: {importer: US, exporter: all, change: -5}\n');
  let r = await runCli(['run', f1]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 4:10, field 'shocks\.0\.ntb': the Ossa \(2014\) model has no non-tariff/);
  const f2 = join(dir, 'region.yaml');
  writeFileSync(f2, base + '  - tariff: {importer: Atlantis, exporter: all, sector: crp, add: 10}\n');
  r = await runCli(['run', f2]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 4:24, field 'shocks\.0\.tariff\.importer': region 'Atlantis' is not in the data/);
  assert.match(r.stderr, /Atlantis/);
  r = await runCli(['run', 'scenarios/ossa2014-table2-crp.yaml', '--closure', 'both']);
  assert.equal(r.code, 2);
});
