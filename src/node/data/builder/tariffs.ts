// Baseline tariffs τ_ni^j of the 2024 world:
//   importer USA: calculated duties / customs value by partner region × sector (Census 2024, HS2 aggregated),
//                 i.e. the actual 2024 rates including Section 301 and 232 duties;
//   other importers: the project's table of published averages (data/baseline/inputs/applied-tariffs-2024.csv),
//                 one rate per importer (exporter '*') with bilateral overrides (FTAs, China's retaliation),
//                 applied to every goods sector. Services carry no trade, hence no tariff.
import { InputError } from '../../../errors.ts';
import { column, numberAt } from '../../../data/csv.ts';
import { readCsvFile } from '../files.ts';
import type { Region, Sector } from '../../../data/world.ts';
import type { UsImports } from './census.ts';

export interface PublishedTariff {
  importer: number;
  /** -1 = every exporter without its own row. */
  exporter: number;
  rate: number;
  row: number;
}

export function readPublishedTariffs(file: string, regions: Region[]): PublishedTariff[] {
  const t = readCsvFile(file);
  const [cI, cE, cR] = [column(t, 'importer'), column(t, 'exporter'), column(t, 'rate_pct')];
  column(t, 'source');
  const idx = new Map(regions.map((r, x) => [r.code, x]));
  const out: PublishedTariff[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < t.rows.length; row++) {
    const imp = t.rows[row][cI].trim();
    const exp = t.rows[row][cE].trim();
    const importer = idx.get(imp);
    if (importer === undefined) throw new InputError(`unknown importer region '${imp}'`, { file, row: row + 1, field: 'importer' });
    const exporter = exp === '*' ? -1 : idx.get(exp);
    if (exporter === undefined) throw new InputError(`unknown exporter region '${exp}'`, { file, row: row + 1, field: 'exporter' });
    const rate = numberAt(t, row, cR);
    if (!(rate >= 0 && rate < 1000)) throw new InputError(`rate ${rate}% out of range`, { file, row: row + 1, field: 'rate_pct' });
    const key = `${imp}/${exp}`;
    if (seen.has(key)) throw new InputError(`duplicate row for ${key}`, { file, row: row + 1 });
    seen.add(key);
    out.push({ importer, exporter, rate: rate / 100, row: row + 1 });
  }
  return out;
}

/** Builds bil(j,n,i) tariffs for `us` (importer index) from Census duties and for everyone else from `published`. */
export function baselineTariffs(regions: Region[], sectors: Sector[], us: number, usImports: UsImports, published: PublishedTariff[], file: string): Float64Array {
  const N = regions.length;
  const J = sectors.length;
  const tau = new Float64Array(J * N * N);
  const defaults = new Float64Array(N).fill(NaN);
  const pair = new Map<number, number>();
  for (const p of published) {
    if (p.exporter < 0) defaults[p.importer] = p.rate;
    else pair.set(p.importer * N + p.exporter, p.rate);
  }
  for (let n = 0; n < N; n++) {
    if (n !== us && Number.isNaN(defaults[n])) {
      throw new InputError(`no default tariff for importer ${regions[n].code}`, { file, field: 'exporter' }, `add a row '${regions[n].code},*,<rate>,<source>,…'`);
    }
  }
  for (let j = 0; j < J; j++) {
    if (!sectors[j].tradable) continue;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        let r: number;
        if (n === us) {
          const m = usImports.imports[i * J + j];
          r = m > 0 ? usImports.duties[i * J + j] / m : 0;
        } else r = pair.get(n * N + i) ?? defaults[n];
        tau[(j * N + n) * N + i] = r;
      }
    }
  }
  return tau;
}
