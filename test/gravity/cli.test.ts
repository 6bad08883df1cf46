// `tariffsim gravity-ge`: table by default, --json, estimated coefficient feeding the shock, bad input → exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'tariffsim-ge-'));
const csv = join(dir, 'flows.csv');
// Three countries, balanced (symmetric) flows; A and B form an agreement (fta = 1 for A↔B).
writeFileSync(
  csv,
  ['exporter,importer,trade,fta', 'A,A,100,0', 'A,B,10,1', 'A,C,5,0', 'B,A,10,1', 'B,B,80,0', 'B,C,4,0', 'C,A,5,0', 'C,B,4,0', 'C,C,60,0'].join('\n'),
);

test('gravity-ge --json: agreement partners gain, the outsider loses; ACR holds', async () => {
  const r = await run(['gravity-ge', '--data', csv, '--shock', '0.5 * fta', '--theta', '4', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  const by = Object.fromEntries(j.countries.map((c: { country: string }) => [c.country, c]));
  assert.ok(by.A.welfare > 1 && by.B.welfare > 1 && by.C.welfare < 1);
  for (const c of j.countries) assert.ok(Math.abs(c.welfare / Math.pow(c.domesticShareAfter / c.domesticShareBefore, -1 / 4) - 1) < 1e-9);
  assert.ok(by.A.exports > 1 && by.C.exports < 1);
});

test('gravity-ge takes the coefficient from an estimate --json file', async () => {
  const est = join(dir, 'est.json');
  writeFileSync(est, JSON.stringify({ coefficients: [{ name: 'fta', estimate: 0.5, se: 0.1 }] }));
  const a = JSON.parse((await run(['gravity-ge', '--data', csv, '--shock', 'fta', '--coef-from', est, '--coef', 'fta', '--theta', '4', '--json'])).out);
  const b = JSON.parse((await run(['gravity-ge', '--data', csv, '--shock', '0.5 * fta', '--theta', '4', '--json'])).out);
  assert.deepEqual(a.countries, b.countries);
  assert.equal(a.coefficient.value, 0.5);
});

test('gravity-ge prints a readable table', async () => {
  const r = await run(['gravity-ge', '--data', csv, '--shock', '0.5 * fta', '--theta', '4']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /country\s+welfare\s+real GDP\s+factory price\s+exports\s+inward MR\s+outward MR/);
  assert.match(r.out, /^C\s+-/m);
});

test('gravity-ge bad input exits 2 naming the problem', async () => {
  const noShock = await run(['gravity-ge', '--data', csv, '--shock', 'tariff_change', '--theta', '4']);
  assert.equal(noShock.code, 2);
  assert.match(noShock.err, /missing column 'tariff_change'/);
  const badTheta = await run(['gravity-ge', '--data', csv, '--shock', 'fta', '--theta', '-1']);
  assert.equal(badTheta.code, 2);
  assert.match(badTheta.err, /--theta must be a positive number/);
  const partial = join(dir, 'partial.csv');
  writeFileSync(partial, 'exporter,importer,trade\nA,A,1\nA,B,2\nB,B,3\n');
  const miss = await run(['gravity-ge', '--data', partial, '--shock', '0', '--theta', '4']);
  assert.equal(miss.code, 2);
  assert.match(miss.err, /pairs are missing \(e\.g\. B → A\)/);
});
