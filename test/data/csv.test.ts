// The one CSV reader (src/data/csv.ts) behind both the loaders' string tables and the estimator's column tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvRecords, numberAt, parseCsv } from '../../src/data/csv.ts';
import { InputError } from '../../src/errors.ts';
import { parseCsvTable } from '../../src/estimate/csv.ts';

const records = (text: string, trimUnquoted = false) => {
  const r = new CsvRecords(text, 't.csv', { trimUnquoted });
  const out: { line: number; fields: string[] }[] = [];
  while (r.next()) out.push({ line: r.line, fields: r.fields.slice() });
  return out;
};

test('records: quotes, doubled quotes, CRLF, BOM, blank lines, multi-line fields and their lines', () => {
  assert.deepEqual(records('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n" multi\nline",2,\n3 , 4'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['x, y', 'say "hi"'] },
    { line: 4, fields: [' multi\nline', '2', ''] },
    { line: 6, fields: ['3 ', ' 4'] },
  ]);
  assert.deepEqual(records('a, " b "\n', true), [{ line: 1, fields: ['a', '" b "'] }]);
  assert.deepEqual(records('"b" c,d'), [{ line: 1, fields: ['b c', 'd'] }]);
});

test('both table views read the same records', () => {
  const text = 'name,value\n"Korea, Rep.",1.5\nChina,NA\n';
  const s = parseCsv(text, 't.csv');
  assert.deepEqual(s.header, ['name', 'value']);
  assert.deepEqual(s.rows, [['Korea, Rep.', '1.5'], ['China', 'NA']]);
  assert.equal(numberAt(s, 0, 1), 1.5);
  const c = parseCsvTable(text, 't.csv');
  const name = c.columns.get('name');
  assert.ok(name?.kind === 'factor');
  assert.deepEqual(name.levels, ['Korea, Rep.', 'China']);
  const value = c.columns.get('value');
  assert.ok(value?.kind === 'number');
  assert.equal(value.values[0], 1.5);
  assert.ok(Number.isNaN(value.values[1]));
});

test('bad CSV: errors name the file, line, row and field', () => {
  const throwsInput = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));
  throwsInput(() => parseCsv('a,b\n1,2\n\n3\n', 'bad.csv'), /bad\.csv, line 4, row 2: has 1 fields, the header has 2[\s\S]*missing or extra comma/);
  throwsInput(() => parseCsv('a,b\n"1,2\n', 'open.csv'), /open\.csv, line 2: unterminated quoted field/);
  throwsInput(() => parseCsvTable('a,b\n"1,2\n', 'open.csv'), /open\.csv, line 2: unterminated quoted field/);
  throwsInput(() => parseCsv('', 'empty.csv'), /empty\.csv: the file is empty/);
  throwsInput(() => numberAt(parseCsv('a\nx\n', 'n.csv'), 0, 0), /n\.csv, row 1, field 'a': 'x' is not a number/);
});

test('tables without quotes (the fast path) read exactly as the record reader reads them', () => {
  const slow = (text: string) => {
    const r = new CsvRecords(text, 't.csv');
    const out: string[][] = [];
    while (r.next()) out.push(r.fields.slice());
    return out;
  };
  const cases = [
    '\ufeffa,b\r\n1,2\r\n\r\n3,4',
    'a, b \n 1,2\n\n\n3, 4 \n',
    'x\n\n1\n2\n',
    'a,b,c\n1,,3\n,,\n',
  ];
  for (const text of cases) {
    const t = parseCsv(text, 't.csv');
    const [header, ...rows] = slow(text);
    assert.deepEqual(t.header, header.map((h) => h.trim()), text);
    assert.deepEqual(t.rows, rows, text);
  }
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'f.csv'), (e: unknown) => e instanceof InputError && /has 1 fields, the header has 2/.test(e.message) && e.location.row === 2 && e.location.line === 3);
  assert.throws(() => parseCsv('\n\n', 'f.csv'), (e: unknown) => e instanceof InputError && /empty/.test(e.message));
});
