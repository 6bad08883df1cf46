// The `estimate --json` format: written and read by src/estimate/json-format.ts only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { estimate } from '../../src/estimate/fit.ts';
import { coefficientOf, estimateReport, parseEstimateJson } from '../../src/estimate/json-format.ts';
import { factorColumn, makeTable, numericColumn } from '../../src/estimate/table.ts';
import { toJson } from '../../src/cli/format.ts';

const throwsInput = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));

test('a written report reads back with the same coefficients', () => {
  const ex = ['a', 'a', 'b', 'b', 'c', 'c', 'a', 'b', 'c'];
  const x = [0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8, 0.6, 0.7];
  const y = x.map((v, i) => Math.exp(1 + 0.7 * v + (ex[i] === 'b' ? 0.3 : 0)) * (1 + 0.05 * Math.sin(i)));
  const r = estimate(makeTable({ ex: factorColumn(ex), x: numericColumn(x), y: numericColumn(y) }), { formula: 'y ~ x | ex', dropSingletons: false });
  const text = toJson(estimateReport(r, 'data.csv'));
  const back = parseEstimateJson(text, 'est.json');
  assert.deepEqual(back.coefficients.map((c) => c.name), r.names);
  assert.equal(coefficientOf(back, 'x', 'est.json'), r.coef[0]);
});

test('bad estimate files: errors name the file and the field', () => {
  throwsInput(() => parseEstimateJson('{"coefficients": [', 'a.json'), /a\.json: is not valid JSON[\s\S]*tariffsim estimate/);
  throwsInput(() => parseEstimateJson('[1, 2]', 'b.json'), /b\.json: holds an array, not an estimate report/);
  throwsInput(() => parseEstimateJson('null', 'n.json'), /n\.json: holds null, not an estimate report/);
  throwsInput(() => parseEstimateJson('{"coefficients": "b"}', 's.json'), /s\.json, field 'coefficients': has no "coefficients" array \(found string\)/);
  throwsInput(() => parseEstimateJson('{"coef": []}', 'c.json'), /c\.json, field 'coefficients': has no "coefficients" array/);
  throwsInput(() => coefficientOf(parseEstimateJson('{"coefficients": [{"name": "rta", "estimate": "0.5"}]}', 'd.json'), 'rta', 'd.json'), /d\.json, field 'estimate': coefficient 'rta' has no finite numeric estimate \(found "0\.5"\)/);
  throwsInput(() => parseEstimateJson('{"coefficients": [{"estimate": 0.5}]}', 'e.json'), /e\.json, field 'coefficients\[0\]\.name': /);
  const ok = parseEstimateJson('{"coefficients": [{"name": "rta", "estimate": 0.5}, {"name": "lag", "estimate": null}]}', 'f.json');
  throwsInput(() => coefficientOf(ok, 'fta', 'f.json'), /f\.json: has no coefficient 'fta'[\s\S]*coefficients: rta, lag/);
  throwsInput(() => coefficientOf(ok, 'lag', 'f.json'), /f\.json, field 'estimate': coefficient 'lag' has no finite numeric estimate \(found null/);
  assert.equal(coefficientOf(ok, 'rta', 'f.json'), 0.5);
});
