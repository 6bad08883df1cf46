// Plain-text tables and CSV for the CLI. No dependencies; numbers are right-aligned.

export type Cell = string | number;

export function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'n/a';
  const v = Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x; // no "-0.00"
  return v.toFixed(digits);
}

/** Money in the world's unit, scaled to billions (with the unit named by the caller). */
export function billions(x: number, digits = 1): string {
  return fmt(x / 1e9, digits);
}

export function table(header: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((r) => (r[k] ?? '').length)));
  const numeric = header.map((_, k) => rows.every((r) => typeof r[k] === 'number' || /^-?[\d.]+$/.test(String(r[k]))));
  const line = (r: string[]) =>
    r.map((c, k) => (numeric[k] ? c.padStart(widths[k]) : c.padEnd(widths[k]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function csvCell(c: Cell): string {
  const s = typeof c === 'number' ? (Number.isFinite(c) ? String(c) : '') : c;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** JSON of a JSON-ready report (plain objects, arrays, strings, numbers; no typed arrays), e.g. the application
 *  layer's reports: the native serializer, without toJson's per-value replacer (a 2 MB report in a third of the time). */
export function reportJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** JSON with typed arrays turned into plain arrays. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v), 2);
}
