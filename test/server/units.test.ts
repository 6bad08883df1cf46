// Pieces of the server that need no HTTP: the JSON nesting scan, content addresses, report tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, parseJsonBody } from '../../src/server/json-body.ts';
import { canonicalJson, runIdOf, sweepJobOf } from '../../src/server/requests.ts';
import { reportTable, tableCsv } from '../../src/server/tables.ts';
import { InputError } from '../../src/errors.ts';
import type { JobSpec } from '../../src/server/job.ts';

test('jsonDepth counts nesting outside strings only', () => {
  assert.equal(jsonDepth('{"a":[1,{"b":[]}]}', 64), 4);
  assert.equal(jsonDepth('{"a":"[[[[{{{{\\"]]]"}', 64), 1, 'brackets and escaped quotes inside strings do not count');
  assert.equal(jsonDepth('1', 64), 0);
  assert.ok(jsonDepth('['.repeat(1000), 10) > 10, 'stops early past the limit');
  assert.throws(() => parseJsonBody('['.repeat(40) + ']'.repeat(40), 32), (e: unknown) => e instanceof InputError && /32 levels deep/.test(e.message));
  assert.throws(() => parseJsonBody('{"a":', 32), (e: unknown) => e instanceof InputError && e.location.field === 'body');
  assert.deepEqual(parseJsonBody('{"a":[1]}', 32), { a: [1] });
});

test('run ids: canonical (key order does not matter), versioned, hex without colons', () => {
  const v = { modelVersion: '0.1.0+abc', datasetVersion: 'd1', policyRevision: 'p1' };
  const a: JobSpec = { kind: 'war', dataset: 'ossa2014', mfn: true, politicalEconomy: false };
  const b = JSON.parse('{"politicalEconomy":false,"mfn":true,"dataset":"ossa2014","kind":"war"}') as JobSpec;
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(runIdOf(a, v), runIdOf(b, v));
  assert.match(runIdOf(a, v), /^[0-9a-f]{64}$/);
  assert.notEqual(runIdOf(a, v), runIdOf(a, { ...v, policyRevision: 'p2' }), 'a new policy revision is a new run');
  assert.notEqual(runIdOf(a, v), runIdOf(a, { ...v, modelVersion: '0.1.1+abc' }));
  assert.notEqual(runIdOf(a, v), runIdOf({ ...a, mfn: false }, v));
});

test('report tables: flat rows, dotted columns, CSV quoting', () => {
  const one = { closure: 'fixed-deficits', a: { region: 'United States', code: 'USA', lossPercent: 0.28, exportsToOther: { baseline: 1, deal: 2 } }, b: { region: 'China, PR', code: 'CHN', lossPercent: 0.31, exportsToOther: { baseline: 3, deal: 4 } } };
  const rows = reportTable('standoff', one);
  assert.deepEqual(rows[0], { closure: 'fixed-deficits', side: 'a', region: 'United States', code: 'USA', lossPercent: 0.28, 'exportsToOther.baseline': 1, 'exportsToOther.deal': 2 });
  assert.equal(tableCsv(rows).split('\n')[2], 'fixed-deficits,b,"China, PR",CHN,0.31,3,4');
  // Both closures (an object keyed by closure, as `standoff --json` prints): two rows per closure.
  const both = reportTable('standoff', { 'fixed-deficits': one, 'zero-deficits': { ...one, closure: 'zero-deficits' } });
  assert.deepEqual(both.map((r) => `${r.closure}/${r.side}`), ['fixed-deficits/a', 'fixed-deficits/b', 'zero-deficits/a', 'zero-deficits/b']);
  const grid = reportTable('deal', { result: { levels: [0, 0.5], gainA: [1, 2, 3, 4], gainB: [5, 6, 7, 8], inZone: [0, 1, 0, 1] } });
  assert.equal(grid.length, 4);
  assert.deepEqual(grid[1], { a_tariff: 0, b_tariff: 0.5, gain_a: 2, gain_b: 6, in_zone: true });
});

test('sweep jobs: an object sweep is canonical (key order does not matter); shipped scenarios only; draws capped', () => {
  const v = { modelVersion: '0.1.0+abc', datasetVersion: 'd1', policyRevision: 'p1' };
  const a = { name: 's', scenario: 'pre-2025', draws: 3, seed: 1, vary: [{ theta: { sector: 'goods', sd: 1 } }] };
  const b = JSON.parse('{"vary":[{"theta":{"sd":1,"sector":"goods"}}],"seed":1,"draws":3,"scenario":"pre-2025","name":"s"}');
  const ja = sweepJobOf({ kind: 'sweep', sweep: a }, 10);
  assert.equal(runIdOf(ja, v), runIdOf(sweepJobOf({ kind: 'sweep', sweep: b }, 10), v));
  assert.notEqual(runIdOf(ja, v), runIdOf(sweepJobOf({ kind: 'sweep', sweep: a, draws: 4 }, 10), v));
  assert.ok(ja.kind === 'sweep' && ja.sweep.scenario.file === 'scenarios/pre-2025.yaml' && ja.sweep.scenario.text.includes('dataset'));
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
      return e.location.field;
    }
    return undefined;
  };
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: { ...a, draws: 11 } }, 10)), 'draws');
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: a, draws: 11 }, 10)), 'draws');
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: { ...a, scenario: '../pre-2025.yaml' } }, 10)), undefined, 'a path relative to scenarios/sweeps/ naming a shipped scenario is fine');
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: { ...a, scenario: '../../package.json' } }, 10)), 'scenario');
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: { ...a, scenario: '/etc/hostname' } }, 10)), 'scenario');
  assert.equal(field(() => sweepJobOf({ kind: 'sweep', sweep: { ...a, scenario: 'sweeps/standoff-theta.yaml' } }, 10)), 'scenario');
});
