// Product → model-sector concordance (data/policy/concordance/*.csv): a product takes the sector of its longest
// matching HS prefix, or of its GTAP code (`gtap:<code>` keys, through the HTS10 → GTAP crosswalk).
// Pure: parses CSV text.
import { InputError } from '../errors.ts';
import { column, parseCsv } from '../data/csv.ts';
import { normalizeCode } from './hts.ts';

export interface Concordance {
  file: string;
  /** Sector labels in the order of first appearance. */
  sectors: string[];
  /** Index into `sectors`, or −1 for products the concordance leaves out. */
  sectorOf(hts: string): number;
}

/** Parses a concordance; `gtapOf` is needed only for files with `gtap:` keys. */
export function parseConcordance(text: string, file: string, gtapOf?: (hts: string) => string | null): Concordance {
  const t = parseCsv(text, file);
  const ki = column(t, 'key');
  const si = column(t, 'sector');
  const sectors: string[] = [];
  const sIndex = new Map<string, number>();
  const byPrefix = new Map<string, number>();
  const byGtap = new Map<string, number>();
  const lengths = new Set<number>();
  t.rows.forEach((r, row) => {
    const key = r[ki].trim();
    const name = r[si].trim();
    if (!name) throw new InputError('empty sector', { file, row: row + 1, field: 'sector' });
    let s = sIndex.get(name);
    if (s === undefined) {
      s = sectors.length;
      sectors.push(name);
      sIndex.set(name, s);
    }
    if (key.startsWith('gtap:')) {
      const g = key.slice(5).toLowerCase();
      if (byGtap.has(g)) throw new InputError(`key '${key}' appears twice`, { file, row: row + 1, field: 'key' });
      byGtap.set(g, s);
      return;
    }
    const code = normalizeCode(key);
    if (!code) throw new InputError(`'${key}' is neither an HS prefix of 2–10 digits nor gtap:<code>`, { file, row: row + 1, field: 'key' });
    if (byPrefix.has(code)) throw new InputError(`key '${key}' appears twice`, { file, row: row + 1, field: 'key' });
    byPrefix.set(code, s);
    lengths.add(code.length);
  });
  if (byGtap.size && !gtapOf) throw new InputError('has gtap: keys but no HTS → GTAP crosswalk was given', { file });
  const lens = [...lengths].sort((a, b) => b - a);
  const memo = new Map<string, number>();
  return {
    file,
    sectors,
    sectorOf(hts: string): number {
      let s = memo.get(hts);
      if (s !== undefined) return s;
      s = -1;
      for (const L of lens) {
        if (L > hts.length) continue;
        const hit = byPrefix.get(hts.slice(0, L));
        if (hit !== undefined) {
          s = hit;
          break;
        }
      }
      if (s < 0 && byGtap.size) {
        const g = gtapOf!(hts);
        if (g) s = byGtap.get(g) ?? -1;
      }
      memo.set(hts, s);
      return s;
    },
  };
}
