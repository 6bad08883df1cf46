// Bad inputs give an InputError that names the column or the position in the formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';
import { estimate } from '../../src/estimate/fit.ts';
import { parseFormula } from '../../src/estimate/formula.ts';

const csv = [
  'exporter,importer,year,trade,dist,cntg,label,zero',
  ...Array.from({ length: 60 }, (_, i) => {
    const e = `E${i % 5}`;
    const m = `I${Math.floor(i / 5) % 4}`;
    const y = 2000 + Math.floor(i / 20);
    return `${e},${m},${y},${(i * 37) % 11},${100 + ((i * 13) % 17)},${i % 3 === 0 ? 1 : 0},${i % 2 ? 'a' : 'b'},0`;
  }),
].join('\n');
const t = () => parseCsvTable(csv, 'small.csv');

function throwsInput(f: () => unknown, pattern: RegExp) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

test('a missing column is named, with the columns that exist', () => {
  throwsInput(() => estimate(t(), { formula: 'trade ~ log(distance) + cntg | exporter' }), /missing column 'distance'.*formula position 13[\s\S]*available columns: exporter/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ log(dist) | exporter^yr' }), /missing column 'yr'/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ cntg | exporter', where: 'yr > 1' }), /missing column 'yr' \(used at where position 1\)/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ log(dist) | exporter', cluster: 'pair' }), /missing cluster column 'pair'/);
  throwsInput(() => estimate(t(), { formula: 'Trade ~ log(dist) | exporter' }), /missing column 'Trade'[\s\S]*did you mean 'trade'/);
});

test('a non-numeric column used as a number is named', () => {
  throwsInput(() => estimate(t(), { formula: 'trade ~ label + cntg | exporter' }), /column 'label' holds text/);
  throwsInput(() => estimate(t(), { formula: 'label ~ cntg | exporter' }), /column 'label' holds text/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ cntg | exporter', where: "year + exporter > 3" }), /where position 8 \(exporter\): column 'exporter' holds text/);
});

test('an all-zero outcome is an InputError naming the outcome', () => {
  throwsInput(() => estimate(t(), { formula: 'zero ~ cntg + log(dist) | exporter' }), /zero is zero for every observation/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ cntg | exporter', where: 'year > 3000' }), /the filter keeps no rows/);
});

test('a negative outcome is refused for PPML', () => {
  throwsInput(() => estimate(t(), { formula: 'I(trade - 5) ~ cntg | exporter' }), /is negative .* PPML needs y ≥ 0/);
});

test('perfectly collinear regressors name the regressor (error by default)', () => {
  throwsInput(() => estimate(t(), { formula: 'trade ~ log(dist) + cntg + I(2 * cntg) | exporter' }), /regressor 'I\(2 \* cntg\)' is perfectly collinear with cntg/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ log(dist) + year | exporter^year' }), /regressor 'year' is absorbed by the fixed effects/);
  throwsInput(() => estimate(t(), { method: 'ols', formula: 'log(dist) ~ cntg + I(1 - cntg)' }), /regressor 'I\(1 - cntg\)' is perfectly collinear with \(Intercept\), cntg/);
});

test('formula syntax errors give the position', () => {
  throwsInput(() => parseFormula('trade log(dist)'), /formula syntax error at position 7: expected '~' after the outcome/);
  throwsInput(() => parseFormula('trade ~ log(dist + cntg'), /position 24: expected '\)' to close log\(/);
  throwsInput(() => parseFormula('trade ~ dist * cntg'), /position 14: unexpected '\*'[\s\S]*use a:b for an interaction/);
  throwsInput(() => parseFormula('trade ~ | exporter'), /position 9: expected a regressor, found '\|'/);
  throwsInput(() => parseFormula('trade ~ dist | exporter +'), /position 26: expected a fixed-effect column name, found the end/);
  throwsInput(() => parseFormula('trade ~ lgo(dist)'), /position 9: unknown function 'lgo'/);
  throwsInput(() => parseFormula('trade ~ dist | exporter^'), /expected a column name after '\^'/);
  throwsInput(() => parseFormula('   '), /the formula is empty/);
});

test('where syntax errors give the position', () => {
  throwsInput(() => estimate(t(), { formula: 'trade ~ cntg | exporter', where: 'year = 2000' }), /where syntax error at position 6: unexpected character '='[\s\S]*use '==' to compare/);
  throwsInput(() => estimate(t(), { formula: 'trade ~ cntg | exporter', where: 'year == 2000 &&' }), /where syntax error at position 16: expected a number/);
});

test('CSV problems name the file and the row', () => {
  throwsInput(() => parseCsvTable('a,b\n1,2\n3\n', 'broken.csv'), /broken\.csv, line 3, row 2: has 1 fields, the header has 2/);
  throwsInput(() => parseCsvTable('a,a\n1,2\n', 'dup.csv'), /duplicate column name 'a'/);
  throwsInput(() => parseCsvTable('', 'empty.csv'), /the file is empty/);
});
