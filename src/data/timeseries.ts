// Monthly US trade series for the timing model (docs/timing.md §Data), read from
// ../shared/data/us-tariffs/timeseries/ (never copied into the repository):
//   monthly_imports_and_dutiable_value_by_partner_2002_2025.csv — imports by partner, US$ millions, not
//       seasonally adjusted (they add up to the Census total; the README's "seasonally adjusted" applies to
//       neither file: its m_world equals imports_value of the customs file, which is NSA);
//   monthly_customs_duties_and_imports_1982_2026.csv — Treasury customs duties and Census imports, US$ millions;
//   monthly_us_goods_trade_2020_2025.csv — Census-basis goods exports/imports, seasonally adjusted, US$ millions.
// Every file must hold consecutive months (a gap is an InputError naming the file, the row and the missing
// month) with finite, non-negative values (a bad cell names file, row and field).
// `parseMonthlyTable` and `parseTimeseries` are pure; `loadTimeseries` (src/node/data/timeseries.ts) adds the
// file system.
import { InputError } from '../errors.ts';
import { column, parseCsv, type CsvTable } from './csv.ts';

/** Month index: year·12 + (month − 1). 2025-01 → 24300. */
export type MonthIndex = number;

export function monthIndex(year: number, month: number): MonthIndex {
  return year * 12 + (month - 1);
}

export function formatMonth(m: MonthIndex): string {
  const y = Math.floor(m / 12);
  return `${y}-${String(m - y * 12 + 1).padStart(2, '0')}`;
}

/** Parses YYYY-MM or YYYY-MM-DD (day ignored) into a month index; InputError otherwise. */
export function parseMonth(text: string, where: { file?: string; row?: number; field?: string } = {}): MonthIndex {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(text).trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new InputError(`'${text}' is not a month`, where, 'write months as YYYY-MM (e.g. 2025-06)');
  }
  return monthIndex(Number(m[1]), Number(m[2]));
}

/** A table of monthly columns over consecutive months start … start+n−1. */
export interface MonthlyTable {
  file: string;
  start: MonthIndex;
  n: number;
  columns: Record<string, Float64Array>;
}

/** Parses a monthly CSV (column `date`) keeping `fields`; consecutive months and finite values ≥ 0 required. */
export function parseMonthlyTable(text: string, file: string, fields: readonly string[]): MonthlyTable {
  const t: CsvTable = parseCsv(text, file);
  const dc = column(t, 'date');
  const cols = fields.map((f) => column(t, f));
  if (t.rows.length === 0) throw new InputError('has no data rows', { file }, 'the file must hold at least one month');
  const start = parseMonth(t.rows[0][dc], { file, row: 1, field: 'date' });
  const out: Record<string, Float64Array> = {};
  for (const f of fields) out[f] = new Float64Array(t.rows.length);
  for (let r = 0; r < t.rows.length; r++) {
    const m = parseMonth(t.rows[r][dc], { file, row: r + 1, field: 'date' });
    if (m !== start + r) {
      const expected = formatMonth(start + r);
      const msg = m > start + r ? `month ${expected} is missing (the row holds ${formatMonth(m)})` : `month ${formatMonth(m)} is out of order or repeated (expected ${expected})`;
      throw new InputError(msg, { file, row: r + 1, field: 'date' }, 'the monthly series must have one row per month, in order, without gaps');
    }
    for (let k = 0; k < fields.length; k++) {
      const raw = t.rows[r][cols[k]].trim();
      const v = raw === '' || raw === 'NA' ? NaN : Number(raw);
      if (!Number.isFinite(v) || v < 0) {
        throw new InputError(`'${raw}' is not a finite value ≥ 0`, { file, row: r + 1, field: fields[k] }, `fill in ${fields[k]} for ${formatMonth(m)} (US$ millions)`);
      }
      out[fields[k]][r] = v;
    }
  }
  return { file, start, n: t.rows.length, columns: out };
}

export const PARTNER_FILE = 'monthly_imports_and_dutiable_value_by_partner_2002_2025.csv';
export const CUSTOMS_FILE = 'monthly_customs_duties_and_imports_1982_2026.csv';
export const GOODS_FILE = 'monthly_us_goods_trade_2020_2025.csv';

/** Partner columns, in the order of the timing model's groups (CAN, MEX, CHN, EU, ROW). */
export const PARTNER_FIELDS = ['m_canada', 'm_mexico', 'm_china', 'm_eu', 'm_row'] as const;

export interface Timeseries {
  /** Imports by partner group (m_canada … m_row) and m_world, US$ millions per month, NSA. */
  partners: MonthlyTable;
  /** customs_duties and imports_value, US$ millions per month. */
  customs: MonthlyTable;
  /** exports_nominal and imports_nominal (Census basis, seasonally adjusted), US$ millions per month. */
  goods: MonthlyTable;
}

/**
 * The three monthly tables from their texts: `text(name)` returns the text of PARTNER_FILE, CUSTOMS_FILE or
 * GOODS_FILE and the path to name in errors (read from the folder in Node: src/node/data/timeseries.ts).
 */
export function parseTimeseries(text: (name: string) => { text: string; file: string }): Timeseries {
  const read = (f: string, fields: readonly string[]) => {
    const { text: body, file } = text(f);
    return parseMonthlyTable(body, file, fields);
  };
  const partners = read(PARTNER_FILE, [...PARTNER_FIELDS, 'm_world']);
  // The groups must add up to the world total (m_row is the residual in the source).
  for (let r = 0; r < partners.n; r++) {
    let s = 0;
    for (const f of PARTNER_FIELDS) s += partners.columns[f][r];
    const w = partners.columns.m_world[r];
    if (Math.abs(s - w) > 1e-6 * Math.max(1, w) + 0.5) {
      throw new InputError(`partner groups add up to ${s.toFixed(1)} but m_world is ${w.toFixed(1)}`, { file: partners.file, row: r + 1, field: 'm_row' }, 'm_row must be m_world minus the four named partners');
    }
  }
  return {
    partners,
    customs: read(CUSTOMS_FILE, ['customs_duties', 'imports_value']),
    goods: read(GOODS_FILE, ['exports_nominal', 'imports_nominal']),
  };
}
