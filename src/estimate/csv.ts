// CSV text → column Table (pure: the caller reads the file). A column is numeric when every non-missing field
// parses as a number, else it becomes a text (factor) column. Missing: empty, NA, NaN, '.', null.
import { InputError } from '../errors.ts';
import type { Column, Table } from './table.ts';

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'na', '.', 'null', 'NULL']);

export function parseCsvTable(text: string, source = '<csv>'): Table {
  const len = text.length;
  let p = 0;
  if (text.charCodeAt(0) === 0xfeff) p = 1; // BOM
  const fields: string[] = [];
  let lineNo = 1;

  /** Reads one record into `fields`; returns false at end of text. */
  const readRecord = (): boolean => {
    fields.length = 0;
    if (p >= len) return false;
    for (;;) {
      let value: string;
      if (text.charCodeAt(p) === 34 /* " */) {
        p++;
        let start = p;
        let acc = '';
        for (;;) {
          if (p >= len) throw new InputError('unterminated quoted field', { file: source, line: lineNo }, 'close the quote');
          const ch = text.charCodeAt(p);
          if (ch === 34) {
            if (text.charCodeAt(p + 1) === 34) {
              acc += text.slice(start, p + 1);
              p += 2;
              start = p;
              continue;
            }
            acc += text.slice(start, p);
            p++;
            break;
          }
          if (ch === 10) lineNo++;
          p++;
        }
        value = acc;
      } else {
        const start = p;
        while (p < len) {
          const ch = text.charCodeAt(p);
          if (ch === 44 || ch === 10 || ch === 13) break;
          p++;
        }
        value = text.slice(start, p).trim();
      }
      fields.push(value);
      if (p >= len) return true;
      const ch = text.charCodeAt(p);
      if (ch === 44) {
        p++;
        continue;
      }
      if (ch === 13) p++;
      if (text.charCodeAt(p) === 10) p++;
      lineNo++;
      return true;
    }
  };

  if (!readRecord()) throw new InputError('the file is empty; expected a header line', { file: source });
  const names = fields.map((f) => f.trim());
  const ncol = names.length;
  const seen = new Set<string>();
  for (let c = 0; c < ncol; c++) {
    if (names[c] === '') throw new InputError(`header field ${c + 1} is empty`, { file: source, line: 1 }, 'give every column a name');
    if (seen.has(names[c])) throw new InputError(`duplicate column name '${names[c]}'`, { file: source, line: 1, field: names[c] });
    seen.add(names[c]);
  }
  const raw: string[][] = names.map(() => []);
  let row = 0;
  for (;;) {
    const startLine = lineNo;
    if (!readRecord()) break;
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    row++;
    if (fields.length !== ncol) {
      throw new InputError(`has ${fields.length} fields, the header has ${ncol}`, { file: source, row, line: startLine }, 'check for a missing or extra comma');
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
      const levels: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(vals.length);
      for (let i = 0; i < vals.length; i++) {
        const s = vals[i];
        if (MISSING.has(s)) {
          codes[i] = -1;
          continue;
        }
        let k = index.get(s);
        if (k === undefined) {
          k = levels.length;
          levels.push(s);
          index.set(s, k);
        }
        codes[i] = k;
      }
      columns.set(names[c], { kind: 'factor', codes, levels });
    }
    raw[c] = [];
  }
  return { source, nrows: row, names, columns };
}
