// A run's report as one flat table (for CSV and Parquet): per region for a scenario, per side for a standoff,
// per grid point for a deal, per region for a war. Nested objects become dotted column names; arrays inside a
// row are left out (they stay in the JSON report).
export type Cell = number | string | boolean | null;
export type TableRow = Record<string, Cell>;

/** JSON-safe copy: typed arrays become arrays, non-finite numbers null (JSON has no Infinity/NaN). */
export function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v)));
}

function flatten(obj: Record<string, unknown>, prefix = '', out: TableRow = {}): TableRow {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
  }
  return out;
}

type AnyRecord = Record<string, unknown>;

/** The table of a report of the given run kind (the report already in plain JSON form). */
export function reportTable(kind: string, report: AnyRecord): TableRow[] {
  if (kind === 'scenario') return ((report.regions as AnyRecord[]) ?? []).map((r) => flatten(r));
  if (kind === 'standoff') {
    // One closure: the report itself; both closures: an object keyed by closure.
    const byClosure = 'a' in report ? { [String(report.closure)]: report } : (report as Record<string, AnyRecord>);
    return Object.entries(byClosure).flatMap(([closure, r]) => (['a', 'b'] as const).map((s) => ({ closure, side: s, ...flatten(r[s] as AnyRecord) })));
  }
  if (kind === 'deal') {
    const x = report.result as { levels: number[]; gainA: number[]; gainB: number[]; inZone: (number | boolean)[] };
    const n = x.levels.length;
    const rows: TableRow[] = [];
    for (let ia = 0; ia < n; ia++) {
      for (let ib = 0; ib < n; ib++) {
        const k = ia * n + ib;
        rows.push({ a_tariff: x.levels[ia], b_tariff: x.levels[ib], gain_a: x.gainA[k], gain_b: x.gainB[k], in_zone: Boolean(x.inZone[k]) });
      }
    }
    return rows;
  }
  if (kind === 'war') {
    const nash = (report.nash as AnyRecord[]) ?? [];
    const optimal = (report.optimal as AnyRecord[]) ?? [];
    return nash.map((r, g) => ({ ...flatten(r, 'nash'), ...(optimal[g] ? flatten(optimal[g], 'optimal') : {}) }));
  }
  return [];
}

function csvCell(c: Cell | undefined): string {
  const s = c === null || c === undefined ? '' : String(c);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(rows: TableRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
