// A small CSV reader with typed column access. Errors name the file, the 1-based data row and the field.
// Pure: takes the text, so it also runs in a browser; `readCsvFile` in ./files.ts adds the file system.
import { InputError } from '../errors.ts';

export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
}

/** Parses RFC-4180-style CSV (quoted fields, doubled quotes, CRLF). The first line is the header. */
export function parseCsv(text: string, file: string): CsvTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let p = 0; p < text.length; p++) {
    const ch = text[p];
    if (quoted) {
      if (ch === '"') {
        if (text[p + 1] === '"') {
          field += '"';
          p++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[p + 1] === '\n') p++;
      record.push(field);
      field = '';
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  if (records.length === 0) throw new InputError('the file is empty; expected a header line', { file });
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== header.length) {
      throw new InputError(`has ${rows[r].length} fields, the header has ${header.length}`, { file, row: r + 1 }, 'check for a missing or extra comma');
    }
  }
  return { file, header, rows };
}

/** Index of a required column; the error lists the columns that exist. */
export function column(t: CsvTable, name: string): number {
  const c = t.header.indexOf(name);
  if (c < 0) {
    throw new InputError(`missing column '${name}' (columns: ${t.header.join(', ')})`, { file: t.file, field: name });
  }
  return c;
}

/** A numeric cell; empty, non-numeric and non-finite values are errors naming file, row and field. */
export function numberAt(t: CsvTable, row: number, col: number): number {
  const raw = t.rows[row][col].trim();
  const v = raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) {
    throw new InputError(`'${raw}' is not a number`, { file: t.file, row: row + 1, field: t.header[col] });
  }
  return v;
}

/** Whole numeric column as a Float64Array. */
export function numericColumn(t: CsvTable, name: string): Float64Array {
  const c = column(t, name);
  const out = new Float64Array(t.rows.length);
  for (let r = 0; r < t.rows.length; r++) out[r] = numberAt(t, r, c);
  return out;
}

export function stringColumn(t: CsvTable, name: string): string[] {
  const c = column(t, name);
  return t.rows.map((r) => r[c].trim());
}
