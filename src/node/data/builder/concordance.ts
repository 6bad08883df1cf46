// Concordance files (project-owned CSVs under data/concordances/): target regions and sectors with the source
// codes they collect. One target row lists its source codes in a column, separated by ';'. "*" in a code
// column means "every source code not listed elsewhere" (allowed in at most one row).
import { InputError } from '../../../errors.ts';
import { column, numberAt, type CsvTable } from '../../../data/csv.ts';
import { readCsvFile, readText } from '../files.ts';
import { parseHsConcordance, SPREAD } from '../../../data/hs-concordance.ts';
import { SECTOR_GROUPS, type Region, type Sector, type SectorGroup } from '../../../data/world.ts';
import type { Aggregation } from '../../../data/builder/aggregate.ts';

export interface TargetRegions {
  file: string;
  regions: Region[];
  table: CsvTable;
}

export interface TargetSectors {
  file: string;
  sectors: Sector[];
  table: CsvTable;
}

export function readTargetRegions(file: string): TargetRegions {
  const t = readCsvFile(file);
  const regions = t.rows.map((r) => ({ code: r[column(t, 'code')].trim(), name: r[column(t, 'name')].trim() }));
  dupes(regions.map((r) => r.code), t, 'code');
  return { file, regions, table: t };
}

export function readTargetSectors(file: string): TargetSectors {
  const t = readCsvFile(file);
  const [cN, cT, cTh] = [column(t, 'name'), column(t, 'tradable'), column(t, 'theta')];
  const cG = t.header.indexOf('group'); // optional: agriculture | mining | manufacturing | services
  const sectors: Sector[] = t.rows.map((r, row) => {
    const tr = r[cT].trim();
    if (tr !== '0' && tr !== '1') throw new InputError(`tradable must be 0 or 1, got '${tr}'`, { file, row: row + 1, field: 'tradable' });
    const theta = numberAt(t, row, cTh);
    if (!(theta > 0)) throw new InputError(`theta must be positive, got ${theta}`, { file, row: row + 1, field: 'theta' });
    const sector: Sector = { name: r[cN].trim(), tradable: tr === '1', theta };
    if (cG >= 0) {
      const g = r[cG].trim();
      if (!(SECTOR_GROUPS as readonly string[]).includes(g)) throw new InputError(`unknown sector group '${g}'`, { file, row: row + 1, field: 'group' }, `use one of ${SECTOR_GROUPS.join(', ')}`);
      sector.group = g as SectorGroup;
    }
    return sector;
  });
  dupes(sectors.map((s) => s.name), t, 'name');
  return { file, sectors, table: t };
}

/**
 * Maps each source code to the index of the target row whose `field` lists it. Every source code must map to
 * exactly one target (or to the "*" row); a listed code absent from the source is an error unless
 * `allowAbsent` (e.g. a trade file that simply has no row for a small partner).
 */
export function mapCodes(t: CsvTable, field: string, sourceCodes: string[], allowAbsent = false): Int32Array {
  const c = column(t, field);
  const out = new Int32Array(sourceCodes.length).fill(-1);
  const pos = new Map(sourceCodes.map((s, x) => [s, x]));
  let star = -1;
  for (let row = 0; row < t.rows.length; row++) {
    for (const raw of t.rows[row][c].split(';')) {
      const code = raw.trim();
      if (code === '') continue;
      if (code === '*') {
        if (star >= 0) throw new InputError(`'*' appears in rows ${star + 1} and ${row + 1}`, { file: t.file, row: row + 1, field }, 'only one target may collect the remaining codes');
        star = row;
        continue;
      }
      const x = pos.get(code);
      if (x === undefined && allowAbsent) continue;
      if (x === undefined) throw new InputError(`code '${code}' is not in the source (${sourceCodes.slice(0, 6).join(', ')}, …)`, { file: t.file, row: row + 1, field });
      if (out[x] >= 0) throw new InputError(`code '${code}' is mapped twice (rows ${out[x] + 1} and ${row + 1})`, { file: t.file, row: row + 1, field });
      out[x] = row;
    }
  }
  for (let x = 0; x < out.length; x++) {
    if (out[x] < 0) {
      if (star < 0) throw new InputError(`source code '${sourceCodes[x]}' maps to no target`, { file: t.file, field }, `add it to a row's ${field} or add a '*' row`);
      out[x] = star;
    }
  }
  return out;
}

/** The aggregation of a source with the given region and sector codes, through the two concordance files. */
export function aggregationFor(
  regions: TargetRegions,
  sectors: TargetSectors,
  source: { regionCodes: string[]; sectorCodes: string[]; regionField: string; sectorField: string },
): Aggregation {
  return {
    regions: regions.regions,
    sectors: sectors.sectors,
    regionOf: mapCodes(regions.table, source.regionField, source.regionCodes),
    sectorOf: mapCodes(sectors.table, source.sectorField, source.sectorCodes),
  };
}

export interface Hs2Row {
  hs2: string;
  /** Target sector index, or -1 for "*" (spread over the partner's other goods sectors). */
  sector: number;
  weight: number;
}

/** HS chapter → sector rows (the shared concordance format, src/data/hs-concordance.ts, with 2-digit keys);
 *  weights of one chapter sum to 1; sector "*" (index −1) spreads the chapter over the partner's other goods. */
export function readHs2Concordance(file: string, sectors: Sector[]): Map<string, Hs2Row[]> {
  const idx = new Map(sectors.map((s, j) => [s.name, j]));
  const out = new Map<string, Hs2Row[]>();
  for (const r of parseHsConcordance(readText(file), file).rows) {
    if (r.gtap || r.key.length !== 2) throw new InputError(`key '${r.key}' is not an HS chapter (2 digits)`, { file, row: r.row, field: 'key' });
    const hs2 = r.key;
    const name = r.sector;
    const sector = name === SPREAD ? -1 : idx.get(name);
    if (sector === undefined) throw new InputError(`unknown sector '${name}'`, { file, row: r.row, field: 'sector' }, `known: ${sectors.map((s) => s.name).join(', ')}`);
    if (sector >= 0 && !sectors[sector].tradable) throw new InputError(`HS chapter ${hs2} mapped to non-tradable sector '${name}'`, { file, row: r.row, field: 'sector' });
    const list = out.get(hs2) ?? [];
    list.push({ hs2, sector, weight: r.weight });
    out.set(hs2, list);
  }
  return out;
}

function dupes(keys: string[], t: CsvTable, field: string): void {
  const seen = new Set<string>();
  keys.forEach((k, row) => {
    if (seen.has(k)) throw new InputError(`duplicate ${field} '${k}'`, { file: t.file, row: row + 1, field });
    seen.add(k);
  });
}
