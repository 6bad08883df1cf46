// CSV of a table (RFC 4180 quoting), with units in the header ("label (unit)"); numbers at full precision so a
// download matches the JSON report.
import type { Table } from './adapter.ts';

function cell(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(t: Table): string {
  const head = t.columns.map((c) => cell(c.unit ? `${c.label} (${c.unit})` : c.label));
  const rows = t.rows.map((r) => t.columns.map((c) => cell(r[c.key] ?? '')).join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

/** Parses CSV text produced by tableCsv (tests). */
export function parseCsvText(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (q) {
      if (ch === '"' && text[k + 1] === '"') {
        f += '"';
        k++;
      } else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(f);
      f = '';
    } else if (ch === '\n') {
      row.push(f);
      out.push(row);
      row = [];
      f = '';
    } else if (ch !== '\r') f += ch;
  }
  if (f || row.length) {
    row.push(f);
    out.push(row);
  }
  return out;
}
