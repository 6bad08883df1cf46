// The one HS → sector concordance format and parser. A concordance CSV has columns `key` (an HS prefix of 2–10
// digits, or `gtap:<code>` for a GTAP sector reached through an HTS10 → GTAP crosswalk), `sector` (a sector
// name of the dataset, or `*` for "spread over the other sectors in proportion") and optionally `weight` (the
// share of the key's trade that goes to the row's sector, in (0, 1]; default 1). A key listed on several rows
// splits its trade over their sectors by weight, and its weights sum to 1. Readers build their lookups on the
// parsed rows: product-level tariffs take the sector of the longest matching key (src/policy/concordance.ts),
// chapter-level trade data take the chapter's rows with their weights (src/node/data/builder/concordance.ts).
// Pure: parses text.
import { InputError } from '../errors.ts';
import { column, numberAt, parseCsv } from './csv.ts';

/** The sector name that spreads a key's trade over the other sectors. */
export const SPREAD = '*';

export interface HsConcordanceRow {
  /** 1-based data row in the file. */
  row: number;
  /** HS digits (punctuation and spaces removed), or the GTAP code in lower case when `gtap`. */
  key: string;
  gtap: boolean;
  sector: string;
  weight: number;
}

export interface HsConcordance {
  file: string;
  rows: HsConcordanceRow[];
  /** True when the file has a `weight` column (keys may then be split over several rows). */
  weighted: boolean;
}

/** Digits of an HS code or prefix ("8471.30", " 84 " → "847130", "84"); null unless 2–10 digits. */
export function hsDigits(raw: string): string | null {
  const s = raw.replace(/["'\s.]/g, '');
  return /^\d{2,10}$/.test(s) ? s : null;
}

export function parseHsConcordance(text: string, file: string): HsConcordance {
  const t = parseCsv(text, file);
  const ki = column(t, 'key');
  const si = column(t, 'sector');
  const wi = t.header.indexOf('weight');
  const rows: HsConcordanceRow[] = [];
  const total = new Map<string, { sum: number; row: number }>();
  t.rows.forEach((r, k) => {
    const row = k + 1;
    const raw = r[ki].trim();
    const sector = r[si].trim();
    if (!sector) throw new InputError('empty sector', { file, row, field: 'sector' }, `give a sector name, or ${SPREAD} to spread the key over the other sectors`);
    const gtap = raw.startsWith('gtap:');
    const key = gtap ? raw.slice(5).toLowerCase() : hsDigits(raw);
    if (!key) throw new InputError(`'${raw}' is neither an HS prefix of 2–10 digits nor gtap:<code>`, { file, row, field: 'key' });
    const weight = wi >= 0 ? numberAt(t, k, wi) : 1;
    if (!(weight > 0 && weight <= 1)) throw new InputError(`weight must be in (0, 1], got ${weight}`, { file, row, field: 'weight' });
    const id = gtap ? `gtap:${key}` : key;
    const seen = total.get(id);
    if (seen && wi < 0) throw new InputError(`key '${raw}' appears twice (rows ${seen.row} and ${row})`, { file, row, field: 'key' }, 'a key split over several sectors needs a weight column');
    total.set(id, { sum: (seen?.sum ?? 0) + weight, row: seen?.row ?? row });
    rows.push({ row, key, gtap, sector, weight });
  });
  for (const [id, { sum, row }] of total) {
    if (Math.abs(sum - 1) > 1e-9) throw new InputError(`the weights of key '${id}' sum to ${sum}, not 1`, { file, row, field: 'weight' }, 'the rows of a split key share its trade: their weights sum to 1');
  }
  return { file, rows, weighted: wi >= 0 };
}
