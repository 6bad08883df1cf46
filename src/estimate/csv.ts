// CSV text → column Table (pure: the caller reads the file). The records come from the project's one CSV reader
// (src/data/csv.ts), with unquoted fields trimmed. A column is numeric when every non-missing field parses as a
// number, else it becomes a text (factor) column. Missing: empty, NA, NaN, '.', null.
import { CsvRecords } from '../data/csv.ts';
import { InputError } from '../errors.ts';
import { factorColumn, type Column, type Table } from './table.ts';

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'na', '.', 'null', 'NULL']);

export function parseCsvTable(text: string, source = '<csv>'): Table {
  const rec = new CsvRecords(text, source, { trimUnquoted: true });
  if (!rec.next()) throw new InputError('the file is empty; expected a header line', { file: source });
  const names = rec.fields.map((f) => f.trim());
  const ncol = names.length;
  const seen = new Set<string>();
  for (let c = 0; c < ncol; c++) {
    if (names[c] === '') throw new InputError(`header field ${c + 1} is empty`, { file: source, line: rec.line }, 'give every column a name');
    if (seen.has(names[c])) throw new InputError(`duplicate column name '${names[c]}'`, { file: source, line: rec.line, field: names[c] });
    seen.add(names[c]);
  }
  const raw: string[][] = names.map(() => []);
  let row = 0;
  while (rec.next()) {
    const fields = rec.fields;
    row++;
    if (fields.length !== ncol) {
      throw new InputError(`has ${fields.length} fields, the header has ${ncol}`, { file: source, row, line: rec.line }, 'check for a missing or extra comma');
    }
    for (let c = 0; c < ncol; c++) raw[c].push(fields[c]);
  }

  const columns = new Map<string, Column>();
  for (let c = 0; c < ncol; c++) {
    const vals = raw[c];
    const num = new Float64Array(vals.length);
    let numeric = true;
    for (let i = 0; i < vals.length; i++) {
      const s = vals[i];
      if (MISSING.has(s)) {
        num[i] = NaN;
        continue;
      }
      const v = Number(s);
      if (Number.isNaN(v)) {
        numeric = false;
        break;
      }
      num[i] = v;
    }
    if (numeric) {
      columns.set(names[c], { kind: 'number', values: num });
    } else {
      columns.set(names[c], factorColumn(vals.map((v) => (MISSING.has(v) ? null : v))));
    }
    raw[c] = [];
  }
  return { source, nrows: row, names, columns };
}
