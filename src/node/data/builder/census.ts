// US goods imports 2024 by partner region × model sector, with calculated duties, from the Census data compiled
// in ../shared/data/us-tariffs/trade (imports for consumption, customs value, by Census country × HS chapter),
// and the Census-basis headline totals (general imports and exports, world and selected partners).
import { InputError } from '../../../errors.ts';
import { column, numberAt } from '../../../data/csv.ts';
import { readCsvFile } from '../files.ts';
import type { Sector } from '../../../data/world.ts';
import { mapCodes, type Hs2Row, type TargetRegions } from './concordance.ts';

/** Census code of the EU-27 bloc aggregate (a sum of member rows; used only as a cross-check). */
export const CENSUS_EU_BLOC = '0003';

export interface UsImports {
  /** imports[i*J + j]: US imports for consumption from region i in sector j, USD. */
  imports: Float64Array;
  /** duties[i*J + j]: calculated duties, USD. */
  duties: Float64Array;
  total: number;
}

/**
 * Aggregates the partner × HS2 file to regions × sectors. HS chapters mapped to "*" are spread over the
 * partner's other goods sectors in proportion to its mapped imports. The member rows of the bloc `euRegion`
 * are checked against the Census bloc row 0003 (must agree within 0.5%).
 */
export function readUsImportsByHs2(file: string, regions: TargetRegions, sectors: Sector[], hs2: Map<string, Hs2Row[]>, euRegion = 'EU'): UsImports {
  const t = readCsvFile(file);
  const [cC, cH, cV, cD] = [column(t, 'census_code'), column(t, 'hs2'), column(t, 'imports_2024_usd'), column(t, 'calc_duty_2024_usd')];
  const codes = [...new Set(t.rows.map((r) => r[cC].trim()).filter((c) => c !== CENSUS_EU_BLOC))];
  const regionOfCode = mapCodes(regions.table, 'census_codes', codes, true);
  const codeIdx = new Map(codes.map((c, x) => [c, x]));
  const N = regions.regions.length;
  const J = sectors.length;
  const imports = new Float64Array(N * J);
  const duties = new Float64Array(N * J);
  const spreadM = new Float64Array(N);
  const spreadD = new Float64Array(N);
  const eu = regions.regions.findIndex((r) => r.code === euRegion);
  let bloc = 0;
  let members = 0;
  let total = 0;
  for (let row = 0; row < t.rows.length; row++) {
    const code = t.rows[row][cC].trim();
    const chapter = t.rows[row][cH].trim().padStart(2, '0');
    const m = numberAt(t, row, cV);
    const d = numberAt(t, row, cD);
    if (m < 0 || d < 0) throw new InputError('negative imports or duties', { file, row: row + 1 });
    if (code === CENSUS_EU_BLOC) {
      bloc += m;
      continue;
    }
    const map = hs2.get(chapter);
    if (!map) throw new InputError(`HS chapter ${chapter} maps to no sector`, { file, row: row + 1, field: 'hs2' }, 'add the chapter to the HS2 concordance (data/concordances/hs2-world2024-sectors.csv)');
    const i = regionOfCode[codeIdx.get(code)!];
    if (i === eu) members += m;
    total += m;
    for (const r of map) {
      if (r.sector < 0) {
        spreadM[i] += r.weight * m;
        spreadD[i] += r.weight * d;
      } else {
        imports[i * J + r.sector] += r.weight * m;
        duties[i * J + r.sector] += r.weight * d;
      }
    }
  }
  if (eu >= 0 && bloc > 0 && Math.abs(members / bloc - 1) > 0.005) {
    throw new InputError(`the EU member rows sum to ${(members / 1e9).toFixed(1)} bn but the bloc row ${CENSUS_EU_BLOC} says ${(bloc / 1e9).toFixed(1)} bn`, { file, field: 'census_code' }, 'the EU row of the region concordance must list exactly the 27 member codes');
  }
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += imports[i * J + j];
    for (let j = 0; j < J; j++) {
      if (s > 0) {
        const w = imports[i * J + j] / s;
        imports[i * J + j] += w * spreadM[i];
        duties[i * J + j] += w * spreadD[i];
      }
    }
    if (s === 0 && spreadM[i] > 0) throw new InputError(`region ${regions.regions[i].code} has only unallocatable imports (HS 98/99)`, { file });
  }
  return { imports, duties, total };
}

export interface HeadlineTotals {
  /** partner name (as in the file, e.g. "World", "China") → { imports, exports, balance } in USD. */
  byPartner: Map<string, { imports?: number; exports?: number; balance?: number }>;
}

/** Census-basis goods headline totals (rows with flow_concept 'goods' and basis 'Census basis'), USD. */
export function readHeadlines(file: string): HeadlineTotals {
  const t = readCsvFile(file);
  const [cP, cF, cB, cM, cV] = [column(t, 'partner'), column(t, 'flow_concept'), column(t, 'basis'), column(t, 'measure'), column(t, 'value_usd_billions')];
  const byPartner = new Map<string, { imports?: number; exports?: number; balance?: number }>();
  for (let row = 0; row < t.rows.length; row++) {
    const r = t.rows[row];
    if (r[cF].trim() !== 'goods' || r[cB].trim() !== 'Census basis') continue;
    const measure = r[cM].trim();
    if (measure !== 'imports' && measure !== 'exports' && measure !== 'balance') continue;
    const e = byPartner.get(r[cP].trim()) ?? {};
    e[measure] = numberAt(t, row, cV) * 1e9;
    byPartner.set(r[cP].trim(), e);
  }
  return { byPartner };
}
