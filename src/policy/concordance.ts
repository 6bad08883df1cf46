// Product → model-sector concordance (data/policy/concordance/*.csv): a product takes the sector of its longest
// matching HS prefix, or of its GTAP code (`gtap:<code>` keys, through the HTS10 → GTAP crosswalk).
// `*` as the sector leaves the key's products out (−1), like products with no matching key. The file format
// and its parser are shared with the baseline builder: src/data/hs-concordance.ts. Pure: parses CSV text.
import { InputError } from '../errors.ts';
import { parseHsConcordance, SPREAD } from '../data/hs-concordance.ts';

/** The concordances of the datasets, by dataset name: files under data/policy/concordance. */
export const CONCORDANCES: Record<string, string> = {
  world2024: 'hs-world2024.csv',
  cp2015: 'hs-cp2015.csv',
  ossa2014: 'gtap-ossa2014.csv',
};

/** The file of a concordance named by dataset (CONCORDANCES), or the name itself (a file name or path). */
export function concordanceFile(nameOrFile: string): string {
  return Object.hasOwn(CONCORDANCES, nameOrFile) ? CONCORDANCES[nameOrFile] : nameOrFile;
}

export interface Concordance {
  file: string;
  /** Sector labels in the order of first appearance. */
  sectors: string[];
  /** Index into `sectors`, or −1 for products the concordance leaves out. */
  sectorOf(hts: string): number;
}

/** Parses a concordance; `gtapOf` is needed only for files with `gtap:` keys. */
export function parseConcordance(text: string, file: string, gtapOf?: (hts: string) => string | null): Concordance {
  const sectors: string[] = [];
  const sIndex = new Map<string, number>();
  const byPrefix = new Map<string, number>();
  const byGtap = new Map<string, number>();
  const lengths = new Set<number>();
  for (const r of parseHsConcordance(text, file).rows) {
    if (r.weight !== 1) {
      throw new InputError(`key '${r.key}' is split over sectors by weight`, { file, row: r.row, field: 'weight' }, 'a product-level concordance maps each key to one sector (refine the key instead)');
    }
    let s = -1;
    if (r.sector !== SPREAD) {
      s = sIndex.get(r.sector) ?? -1;
      if (s < 0) {
        s = sectors.length;
        sectors.push(r.sector);
        sIndex.set(r.sector, s);
      }
    }
    if (r.gtap) byGtap.set(r.key, s);
    else {
      byPrefix.set(r.key, s);
      lengths.add(r.key.length);
    }
  }
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
