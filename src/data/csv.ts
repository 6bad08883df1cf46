// The project's one CSV reader. `CsvRecords` splits CSV text into records (RFC 4180: quoted fields, doubled
// quotes, CRLF or LF, a leading byte-order mark), counting lines so that errors can name them; `parseCsv` reads
// a table of string cells with typed column access for the loaders; src/estimate/csv.ts turns the same records
// into numeric and factor columns. Errors name the file, the line, the 1-based data row and the field.
// Pure: takes the text, so it also runs in a browser; `readCsvFile` in src/node/data/files.ts adds the file system.
import { InputError } from '../errors.ts';

export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
}

export interface CsvRecordsOptions {
  /** Trim white space around unquoted fields (quoted fields are kept as written). Default false. */
  trimUnquoted?: boolean;
}

/**
 * Reads records one at a time: `next()` fills `fields` and returns false at the end of the text. Blank lines
 * (a record of one empty field) are skipped. `line` is the 1-based line on which the last record starts. A
 * quote opens a quoted field only at the start of a field; text after its closing quote, up to the next
 * delimiter, is appended to the field.
 */
export class CsvRecords {
  readonly fields: string[] = [];
  /** 1-based line on which the record last read starts. */
  line = 0;
  private p = 0;
  private lineNo = 1;
  private readonly len: number;
  private readonly trim: boolean;

  constructor(
    private readonly text: string,
    readonly file: string,
    opts: CsvRecordsOptions = {},
  ) {
    this.len = text.length;
    this.trim = opts.trimUnquoted ?? false;
    if (text.charCodeAt(0) === 0xfeff) this.p = 1; // byte-order mark
  }

  next(): boolean {
    for (;;) {
      if (!this.readRecord()) return false;
      if (!(this.fields.length === 1 && this.fields[0] === '')) return true;
    }
  }

  private readRecord(): boolean {
    const { text, len, fields } = this;
    fields.length = 0;
    let p = this.p;
    if (p >= len) return false;
    this.line = this.lineNo;
    for (;;) {
      let value: string;
      if (text.charCodeAt(p) === 34 /* " */) {
        p++;
        let start = p;
        let acc = '';
        for (;;) {
          if (p >= len) {
            throw new InputError('unterminated quoted field', { file: this.file, line: this.line }, 'close the quote (a quote inside a quoted field is written "")');
          }
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
          if (ch === 10) this.lineNo++;
          p++;
        }
        // Anything between the closing quote and the delimiter belongs to the field.
        const rest = p;
        while (p < len) {
          const ch = text.charCodeAt(p);
          if (ch === 44 || ch === 10 || ch === 13) break;
          p++;
        }
        value = p > rest ? acc + text.slice(rest, p) : acc;
      } else {
        const start = p;
        while (p < len) {
          const ch = text.charCodeAt(p);
          if (ch === 44 || ch === 10 || ch === 13) break;
          p++;
        }
        value = this.trim ? text.slice(start, p).trim() : text.slice(start, p);
      }
      fields.push(value);
      if (p >= len) {
        this.p = p;
        return true;
      }
      const ch = text.charCodeAt(p);
      if (ch === 44) {
        p++; // a comma at the very end leaves one more (empty) field
        continue;
      }
      if (ch === 13) p++;
      if (text.charCodeAt(p) === 10) p++;
      this.lineNo++;
      this.p = p;
      return true;
    }
  }
}

/** Parses CSV text whose first line is the header into string cells (header names trimmed). */
export function parseCsv(text: string, file: string): CsvTable {
  // Without quotes every line is one record and every comma a delimiter: the native splits read large tables
  // (the CP2015 files, 2.8 MB) several times faster than the character loop, with the same result.
  if (!text.includes('"')) return parseUnquoted(text, file);
  const rec = new CsvRecords(text, file);
  if (!rec.next()) throw new InputError('the file is empty; expected a header line', { file });
  const header = rec.fields.map((h) => h.trim());
  const rows: string[][] = [];
  while (rec.next()) {
    if (rec.fields.length !== header.length) {
      throw new InputError(`has ${rec.fields.length} fields, the header has ${header.length}`, { file, row: rows.length + 1, line: rec.line }, 'check for a missing or extra comma');
    }
    rows.push(rec.fields.slice());
  }
  return { file, header, rows };
}

/** parseCsv for text without quote characters: the same records, header and errors as CsvRecords gives. */
function parseUnquoted(text: string, file: string): CsvTable {
  const lines = text.split('\n');
  let header: string[] | null = null;
  const rows: string[][] = [];
  for (let k = 0; k < lines.length; k++) {
    let line = lines[k];
    if (k === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // A lone CR also ends a record in CsvRecords: such a line holds several records.
    const records = line.includes('\r') ? line.split('\r') : [line];
    for (const r of records) {
      if (r === '') continue; // blank line
      const fields = r.split(',');
      if (header === null) {
        header = fields.map((h) => h.trim());
        continue;
      }
      if (fields.length !== header.length) {
        throw new InputError(`has ${fields.length} fields, the header has ${header.length}`, { file, row: rows.length + 1, line: k + 1 }, 'check for a missing or extra comma');
      }
      rows.push(fields);
    }
  }
  if (header === null) throw new InputError('the file is empty; expected a header line', { file });
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
