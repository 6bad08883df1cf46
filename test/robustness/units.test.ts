// Unit tests of the issue-18 building blocks: the output-set manifest check, the file-kind sniffer, regressor
// separation, the range checks and the CP solver's unfinanced-surplus diagnosis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkOutDir, verifyOutputSet, writeOutputSet } from '../../src/cli/output.ts';
import { binaryKind } from '../../src/node/data/input-file.ts';
import { ConvergenceError, InputError } from '../../src/errors.ts';
import { findRegressorSeparation } from '../../src/estimate/separation-regressors.ts';
import { CpModel } from '../../src/model/cp/model.ts';
import { LIMITS, checkInteger, checkRange } from '../../src/scenario/limits.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

test('writeOutputSet replaces a set whole; verifyOutputSet detects a missing, altered or unlisted-manifest set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-outset-'));
  const out = join(dir, 'res');
  writeOutputSet(out, { 'a.csv': 'x,y\n1,2\n', 'sub/b.json': '{}\n' }, 'test');
  assert.equal(verifyOutputSet(out), null);
  writeOutputSet(out, { 'c.csv': 'z\n' }, 'test 2');
  assert.deepEqual(readdirSync(out).sort(), ['c.csv', 'manifest.json']);
  assert.deepEqual(readdirSync(dir), ['res'], 'no temporary folder left');
  writeFileSync(join(out, 'c.csv'), 'z\n3\n');
  assert.match(verifyOutputSet(out)!, /c\.csv does not match its checksum/);
  writeFileSync(join(out, 'manifest.json'), '{"complete": true, "files": [{"name": "gone.csv", "sha256": "0"}]}');
  assert.match(verifyOutputSet(out)!, /gone\.csv missing/);
  assert.match(verifyOutputSet(dir)!, /no manifest\.json/);
  // A folder with other files is refused up front; a new folder below a missing parent is fine.
  assert.throws(() => checkOutDir(dir), (e: unknown) => e instanceof InputError && /not a tariffsim output folder/.test(e.message));
  assert.equal(checkOutDir(join(dir, 'new', 'deeper')), join(dir, 'new', 'deeper'));
  assert.ok(!existsSync(join(dir, 'new')), 'checking creates nothing');
});

test('binaryKind recognises gzip, zip, UTF-16 with and without BOM; plain UTF-8 (with BOM) is text', () => {
  assert.match(binaryKind(gzipSync('a'))!, /gzip/);
  assert.match(binaryKind(Buffer.from([0x50, 0x4b, 3, 4]))!, /zip/);
  assert.match(binaryKind(Buffer.from([0xff, 0xfe, 0x61, 0]))!, /UTF-16 \(little-endian\)/);
  assert.match(binaryKind(Buffer.from('name', 'utf16le'))!, /NUL bytes/);
  assert.equal(binaryKind(Buffer.from('\ufeffname: ü\n', 'utf8')), null);
});

test('findRegressorSeparation: a dummy that is nonzero only on zero outcomes separates; identified regressors do not', () => {
  const y = Float64Array.from([0, 0, 1, 2, 3, 0]);
  const dummy = Float64Array.from([1, 1, 0, 0, 0, 0]);
  const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const both = Float64Array.from([1, -1, 0, 0, 0, 0]); // both signs on the zeros: identified
  const r = findRegressorSeparation(y, [x, dummy, both], ['x', 'dummy', 'both'], true);
  assert.deepEqual(r.separated.map((s) => [s.name, s.observations, s.direction]), [['dummy', 2, 'negative']]);
  assert.deepEqual(Array.from(r.keep), [0, 0, 1, 1, 1, 1]);
  // Constant 1 on the positives and 2 on a zero row: separating only if a constant can absorb it.
  const shifted = Float64Array.from([2, 1, 1, 1, 1, 1]);
  assert.equal(findRegressorSeparation(y, [shifted], ['s'], false).separated.length, 0);
  assert.equal(findRegressorSeparation(y, [shifted], ['s'], true).separated.length, 1);
});

test('checkRange / checkInteger name the field and the range', () => {
  assert.equal(checkRange(4, LIMITS.theta, '--theta'), 4);
  assert.throws(() => checkRange(Number.NaN, LIMITS.theta, '--theta', 'abc'), /--theta must be a number from 0\.1 to 100, got 'abc'/);
  assert.throws(() => checkInteger(2.5, LIMITS.gridSteps, '--grid-steps'), /whole number from 2 to 101/);
});

test('CP solver: a prohibitive tariff on the surplus region under fixed deficits fails with the surplus diagnosis; zero deficits solve', () => {
  const w = syntheticWorld({ N: 4, J: 2, tariff: 0.05, seed: 2 });
  // The region with the largest surplus (most negative deficit).
  let s = 0;
  for (let n = 1; n < w.deficit.length; n++) if (w.deficit[n] < w.deficit[s]) s = n;
  assert.ok(w.deficit[s] < 0, 'the synthetic world has a surplus region');
  const N = w.regions.length;
  const tariff = w.tariff.slice();
  for (let j = 0; j < w.sectors.length; j++) for (let n = 0; n < N; n++) if (n !== s) tariff[(j * N + n) * N + s] = 1e4;
  const fixed = new CpModel(w, { closure: 'fixed-deficits' });
  assert.throws(() => fixed.solve({ tariff }), (e: unknown) => e instanceof ConvergenceError && /surplus cannot be financed/.test(e.message) && /zero-deficits/.test(e.hint ?? '') && !/NaN/.test(e.message));
  const zero = new CpModel(w, { closure: 'zero-deficits' });
  assert.ok(zero.solve({ tariff }).convergence.counterfactual.iterations > 0);
});
