// `tariffsim war` and `tariffsim talks`: output formats and exit codes for bad input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');
const BIN = join(PROJECT_ROOT, 'bin', 'tariffsim.js');

/** Runs the real command in a child process (so the test runner's own stdout is untouched). */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('tariffsim war / talks', { skip }, () => {
  test('war --json: per-region Nash results and the optimal tariffs', async () => {
    const r = await run(['war', '--data', 'ossa2014', '--json', '--workers', '0']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.nash.length, 7);
    assert.deepEqual(j.nash.map((x: { region: string }) => x.region).sort(), ['Brazil', 'China', 'EU', 'India', 'Japan', 'ROW', 'US']);
    assert.ok(Math.abs(j.nashAverage.medianTariff - 58.1) <= 1);
    assert.equal(j.nashTariffs.length, 33 * 7 * 7);
    assert.equal(j.optimal.length, 7);
  });

  test('war --csv: a header and one row per region', async () => {
    const r = await run(['war', '--data', 'ossa2014', '--csv', '--workers', '0']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 8);
    assert.match(lines[0], /^region,nash_median_tariff_pct,/);
    assert.match(lines[1], /^Brazil,/);
  });

  test('war (text, 2 worker threads): table with an Average row', async () => {
    const r = await run(['war', '--data', 'ossa2014', '--workers', '2']); // through bin/ and worker threads
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Trade war: Nash equilibrium/);
    assert.match(r.out, /\nAverage\s+5[78]\.\d\d/);
  });

  test('talks --a US --b China --standoff factual --json: a deal zone and the Nash bargaining solution', async () => {
    const r = await run(['talks', '--data', 'ossa2014', '--a', 'US', '--b', 'China', '--standoff', 'factual', '--grid-steps', '11', '--json', '--workers', '0']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.names, ['US', 'China']);
    assert.equal(j.levels.length, 11);
    assert.equal(j.gainA.length, 121);
    if (j.zone.cells > 0) {
      assert.ok(j.nbs.gainA > 0 && j.nbs.gainB > 0);
    } else assert.equal(j.nbs, null);
  });

  test('bad input exits with code 2 and says what to use', async () => {
    const a = await run(['talks', '--data', 'ossa2014', '--a', 'Atlantis', '--b', 'US', '--standoff', 'factual', '--workers', '0']);
    assert.equal(a.code, 2);
    assert.match(a.err, /region 'Atlantis' is not in the data/);
    assert.match(a.err, /Brazil, China, EU, India, Japan, ROW, US/);
    const b = await run(['war', '--data', 'gtap11']);
    assert.equal(b.code, 2);
    assert.match(b.err, /unknown dataset 'gtap11'[\s\S]*known datasets: .*ossa2014/);
    const c = await run(['talks', '--data', 'ossa2014', '--a', 'US']);
    assert.equal(c.code, 2);
    assert.match(c.err, /both --a and --b/);
    const d = await run(['war', '--data', 'ossa2014', '--workers', 'many']);
    assert.equal(d.code, 2);
    const e = await run(['talks', '--data', 'ossa2014', '--from', 'moon']);
    assert.equal(e.code, 2);
    assert.match(e.err, /--from must be factual or nash/);
  });
});
