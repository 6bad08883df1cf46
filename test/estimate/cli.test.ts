// `tariffsim estimate`: readable table by default, --json for machines, exit code 2 on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const skip = needsShared('yotov2016');
const table1 = ['--formula', 'trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year', '--where', 'year % 4 == 2 && exporter != importer', '--cluster', 'pair_id'];

test('estimate prints a readable table (Table 1 PPML)', { skip }, async () => {
  const r = await run(['estimate', '--data', sharedPath('yotov2016', 'agtpa_applications.csv'), ...table1]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^PPML  trade ~ log\(dist\)/);
  assert.match(r.out, /log\(dist\)\s+-0\.84093\s+0\.03166/);
  assert.match(r.out, /N = 28,152/);
  assert.match(r.out, /clustered by pair_id \(2,346 clusters\)/);
});

test('estimate --json gives coefficients, SEs, N, dropped observations and iterations', { skip }, async () => {
  const r = await run(['estimate', '--data', sharedPath('yotov2016', 'agtpa_applications.csv'), '--formula', 'trade ~ rta | exporter^year + importer^year + pair_id', '--where', 'year % 4 == 2', '--cluster', 'pair_id', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.coefficients[0].name, 'rta');
  assert.equal(j.coefficients[0].estimate.toFixed(3), '0.557');
  assert.ok(j.coefficients[0].se > 0);
  assert.equal(j.n + j.dropped[0].observations, 28566);
  assert.equal(j.dropped[0].fixedEffect, 'pair_id');
  assert.ok(j.iterations > 0 && j.converged === true);
});

test('estimate: bad formula and missing column exit with code 2 and a clear message', async () => {
  const data = sharedPath('yotov2016', 'agtpa_applications.csv');
  const missingFile = await run(['estimate', '--data', 'no/such.csv', '--formula', 'y ~ x']);
  assert.equal(missingFile.code, 2);
  assert.match(missingFile.err, /no\/such\.csv: file not found/);
  if (skip) return;
  const syntax = await run(['estimate', '--data', data, '--formula', 'trade ~ log(dist | exporter']);
  assert.equal(syntax.code, 2);
  assert.match(syntax.err, /formula syntax error at position \d+/);
  const col = await run(['estimate', '--data', data, '--formula', 'trade ~ log(distance) | exporter']);
  assert.equal(col.code, 2);
  assert.match(col.err, /missing column 'distance'/);
});
