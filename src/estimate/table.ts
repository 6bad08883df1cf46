// Column-oriented data table for estimation: numeric columns as Float64Array (NaN = missing), text columns as
// factor codes (Int32Array, −1 = missing) with their level strings. Pure: no Node APIs.
import { InputError } from '../errors.ts';

export interface NumericColumn {
  kind: 'number';
  values: Float64Array;
}

export interface FactorColumn {
  kind: 'factor';
  /** Level index per row, −1 for a missing value. */
  codes: Int32Array;
  levels: string[];
}

export type Column = NumericColumn | FactorColumn;

export interface Table {
  /** Where the table came from (a file name), used in error messages. */
  source?: string;
  nrows: number;
  /** Column names in file order. */
  names: string[];
  columns: Map<string, Column>;
}

export function makeTable(columns: Record<string, Column>, source?: string): Table {
  const names = Object.keys(columns);
  const map = new Map<string, Column>();
  let nrows = -1;
  for (const name of names) {
    const c = columns[name];
    const n = c.kind === 'number' ? c.values.length : c.codes.length;
    if (nrows >= 0 && n !== nrows) {
      throw new InputError(`column has ${n} rows, the others have ${nrows}`, { file: source, field: name });
    }
    nrows = n;
    map.set(name, c);
  }
  return { source, nrows: Math.max(0, nrows), names, columns: map };
}

export function numericColumn(values: ArrayLike<number>): NumericColumn {
  return { kind: 'number', values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

/** Factor column from strings (first-seen level order). */
export function factorColumn(values: readonly (string | null | undefined)[]): FactorColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = levels.length;
      levels.push(v);
      index.set(v, k);
    }
    codes[i] = k;
  }
  return { kind: 'factor', codes, levels };
}

/** The column called `name`, or an InputError that lists the columns that exist. */
export function getColumn(t: Table, name: string, position?: number, label = 'formula'): Column {
  const c = t.columns.get(name);
  if (!c) {
    const near = t.names.filter((n) => n.toLowerCase() === name.toLowerCase());
    const hint = near.length ? `did you mean '${near[0]}'? (names are case-sensitive)` : `available columns: ${t.names.join(', ')}`;
    throw new InputError(`missing column '${name}'${position !== undefined ? ` (used at ${label} position ${position})` : ''}`, { file: t.source, field: name }, hint);
  }
  return c;
}

/** Numeric values of a column; a text column is an InputError naming the first row that is not a number. */
export function numericValues(t: Table, name: string, what = 'a number'): Float64Array {
  const c = getColumn(t, name);
  if (c.kind === 'number') return c.values;
  for (let i = 0; i < c.codes.length; i++) {
    const code = c.codes[i];
    if (code >= 0) {
      throw new InputError(`column '${name}' is not numeric: data row ${i + 1} holds '${c.levels[code]}', expected ${what}`, { file: t.source, field: name, row: i + 1 }, 'fix the value, or use the column as a fixed effect / cluster instead of a regressor');
    }
  }
  return new Float64Array(c.codes.length).fill(NaN);
}

/** Keeps the rows where mask[i] != 0. */
export function filterRows(t: Table, mask: Uint8Array): Table {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const columns = new Map<string, Column>();
  for (const name of t.names) {
    const c = t.columns.get(name)!;
    if (c.kind === 'number') {
      const v = new Float64Array(n);
      let k = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) v[k++] = c.values[i];
      columns.set(name, { kind: 'number', values: v });
    } else {
      const v = new Int32Array(n);
      let k = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) v[k++] = c.codes[i];
      columns.set(name, { kind: 'factor', codes: v, levels: c.levels });
    }
  }
  return { source: t.source, nrows: n, names: t.names.slice(), columns };
}

/** Group index 0..G−1 of one column (numbers or text); missing values get −1. Levels in first-seen order. */
export function groupCodes(c: Column): { codes: Int32Array; levels: string[] } {
  if (c.kind === 'factor') {
    // Re-number to first-seen order of the levels actually present.
    const remap = new Int32Array(c.levels.length).fill(-1);
    const levels: string[] = [];
    const codes = new Int32Array(c.codes.length);
    for (let i = 0; i < c.codes.length; i++) {
      const k = c.codes[i];
      if (k < 0) {
        codes[i] = -1;
        continue;
      }
      if (remap[k] < 0) {
        remap[k] = levels.length;
        levels.push(c.levels[k]);
      }
      codes[i] = remap[k];
    }
    return { codes, levels };
  }
  const index = new Map<number, number>();
  const levels: string[] = [];
  const codes = new Int32Array(c.values.length);
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i];
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = levels.length;
      levels.push(String(v));
      index.set(v, k);
    }
    codes[i] = k;
  }
  return { codes, levels };
}

/**
 * Interaction of several group codes (fixest `a^b`): one group per combination present, first-seen order.
 * Missing (−1) in any part gives −1.
 */
export function interactCodes(parts: { codes: Int32Array; levels: string[] }[]): { codes: Int32Array; levels: string[] } {
  if (parts.length === 1) return parts[0];
  const n = parts[0].codes.length;
  const codes = new Int32Array(n);
  const levels: string[] = [];
  // Mixed-radix key; fits a double exactly while the product of level counts stays below 2^53.
  const radix = parts.map((p) => p.levels.length);
  const total = radix.reduce((a, b) => a * b, 1);
  const useDense = total <= 1 << 24;
  const dense = useDense ? new Int32Array(total).fill(-1) : null;
  const sparse = useDense ? null : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let key = 0;
    let missing = false;
    for (let p = 0; p < parts.length; p++) {
      const k = parts[p].codes[i];
      if (k < 0) {
        missing = true;
        break;
      }
      key = key * radix[p] + k;
    }
    if (missing) {
      codes[i] = -1;
      continue;
    }
    let g = dense ? dense[key] : (sparse!.get(key) ?? -1);
    if (g < 0) {
      g = levels.length;
      levels.push(parts.map((p) => p.levels[p.codes[i]]).join('^'));
      if (dense) dense[key] = g;
      else sparse!.set(key, g);
    }
    codes[i] = g;
  }
  return { codes, levels };
}
