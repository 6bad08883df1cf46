// 2024 macro targets of every region of the present-day baseline: GDP (current USD) and total goods exports and
// imports (current USD), read from ../shared/data/wdi (World Bank WDI, CC-BY-4.0; README beside the files).
//
// The region concordance (data/concordances/world2024-regions.csv) names each region's source in `wdi_code`:
//   an ISO3 / WDI code   GDP ny.gdp.mktp.cd, exports tx.val.mrch.cd.wt, imports tm.val.mrch.cd.wt for 2024;
//   EUU                  GDP from WDI; goods trade with non-members from eu_extra_trade_2024.csv (WDI's EUU
//                        merchandise trade counts trade between member states, which the model treats as
//                        domestic sales);
//   TWN                  taiwan_2024.csv (Taiwan is not a WDI economy; the World Bank includes it in its
//                        world aggregates, so it is subtracted from WLD like every other region);
//   *                    the rest of the world: WLD minus every other region (for trade, minus WDI's EUU
//                        totals including intra-EU trade, since WLD counts that trade too).
// Every target keeps its source (file, 1-based data row, indicator) for the provenance file and error messages.
import { join } from 'node:path';
import { InputError } from '../../../errors.ts';
import { column, type CsvTable } from '../../../data/csv.ts';
import { readCsvFile } from '../files.ts';
import type { TargetRegions } from './concordance.ts';

export const WDI_CITATION =
  'The World Bank, World Development Indicators (CC-BY-4.0), 2024 values of ny.gdp.mktp.cd (GDP, current US$), tx.val.mrch.cd.wt and tm.val.mrch.cd.wt (merchandise exports and imports, current US$), via github.com/datasets/world-development-indicators; Eurostat extra-EU goods trade 2024; Taiwan Ministry of Finance 2024 goods trade and DGBAS GDP (../shared/data/wdi).';

export const TARGET_YEAR = 2024;
export const MEASURES = ['gdp', 'exports', 'imports'] as const;
export type Measure = (typeof MEASURES)[number];
export const INDICATOR: Record<Measure, string> = { gdp: 'ny.gdp.mktp.cd', exports: 'tx.val.mrch.cd.wt', imports: 'tm.val.mrch.cd.wt' };

/** Where a target value comes from: a file and its 1-based data row (header excluded), or a residual. */
export interface TargetSource {
  file: string;
  row?: number;
  /** Indicator code or item name in that file. */
  item: string;
  /** How the value was formed when not read directly (e.g. "WLD minus the other regions"). */
  note?: string;
}

export interface RegionTarget {
  code: string;
  measure: Measure;
  /** USD. */
  value: number;
  source: TargetSource;
}

export interface RegionTargets {
  /** By region index (the concordance's order), USD. */
  gdp: Float64Array;
  exports: Float64Array;
  imports: Float64Array;
  list: RegionTarget[];
  /** Folder the targets were read from. */
  dir: string;
}

export const WDI_FILE = 'wdi_selected_2000_2025.csv';
export const EU_EXTRA_FILE = 'eu_extra_trade_2024.csv';
export const TAIWAN_FILE = 'taiwan_2024.csv';

interface Cell {
  value: number;
  source: TargetSource;
}

/** A positive, finite value, else an InputError naming the file, row, field and region. */
function positive(raw: string, t: CsvTable, row: number, field: string, region: string, scale: number): number {
  const s = raw.trim();
  const v = s === '' ? NaN : Number(s) * scale;
  const where = { file: t.file, row: row + 1, field };
  if (s === '') throw new InputError(`empty value for region ${region}`, where, 'fill in the value or restore the file');
  if (!Number.isFinite(v)) throw new InputError(`'${s}' is not a number (region ${region})`, where);
  if (!(v > 0)) throw new InputError(`${field} of region ${region} must be positive, got ${s}`, where, 'a 2024 GDP or goods-trade value is a positive number of US dollars');
  return v;
}

/** Reads the 2024 targets of every region in `regions` from the folder `dir` (../shared/data/wdi). */
export function readRegionTargets(dir: string, regions: TargetRegions): RegionTargets {
  const N = regions.regions.length;
  const cW = column(regions.table, 'wdi_code');
  const wdiCode = regions.table.rows.map((r) => r[cW].trim());
  wdiCode.forEach((c, n) => {
    if (c === '') throw new InputError(`region ${regions.regions[n].code} has no wdi_code`, { file: regions.file, row: n + 1, field: 'wdi_code' }, "use an ISO3/WDI code, 'EUU', 'TWN' or '*' (rest of world)");
  });
  const stars = wdiCode.filter((c) => c === '*').length;
  if (stars > 1) throw new InputError("'*' (rest of world) appears more than once", { file: regions.file, field: 'wdi_code' });

  // WDI: the 2024 row of each indicator for the codes we need (plus WLD when a residual region exists).
  const wdiFile = join(dir, WDI_FILE);
  const wdi = readCsvFile(wdiFile);
  const [cI, cC, cY, cV] = [column(wdi, 'indicator'), column(wdi, 'country_code'), column(wdi, 'year'), column(wdi, 'value')];
  const wanted = new Set(wdiCode.filter((c) => c !== '*' && c !== 'TWN'));
  if (stars) wanted.add('WLD');
  const rowOf = new Map<string, number>(); // `${indicator}|${code}` → row index
  for (let r = 0; r < wdi.rows.length; r++) {
    const row = wdi.rows[r];
    if (row[cY].trim() !== String(TARGET_YEAR) || !wanted.has(row[cC].trim())) continue;
    const key = `${row[cI].trim().toLowerCase()}|${row[cC].trim()}`;
    if (rowOf.has(key)) throw new InputError(`two ${TARGET_YEAR} rows for ${key.replace('|', ', ')} (rows ${rowOf.get(key)! + 1} and ${r + 1})`, { file: wdiFile, row: r + 1 });
    rowOf.set(key, r);
  }
  const fromWdi = (m: Measure, code: string, region: string): Cell => {
    const r = rowOf.get(`${INDICATOR[m]}|${code}`);
    if (r === undefined) {
      throw new InputError(`no ${TARGET_YEAR} row for indicator ${INDICATOR[m]}, country_code ${code} (region ${region})`, { file: wdiFile, field: 'country_code' }, `add the row, or change region ${region}'s wdi_code in ${regions.file}`);
    }
    return { value: positive(wdi.rows[r][cV], wdi, r, 'value', region, 1), source: { file: wdiFile, row: r + 1, item: INDICATOR[m] } };
  };
  // Item files (EU extra trade, Taiwan): item,value_usd_bn,…
  const items = (file: string) => {
    const t = readCsvFile(join(dir, file));
    const [ci, cv] = [column(t, 'item'), column(t, 'value_usd_bn')];
    return (item: string, region: string): Cell => {
      const r = t.rows.findIndex((x) => x[ci].trim() === item);
      if (r < 0) throw new InputError(`no row '${item}' (region ${region})`, { file: t.file, field: 'item' }, 'restore the row');
      return { value: positive(t.rows[r][cv], t, r, 'value_usd_bn', region, 1e9), source: { file: t.file, row: r + 1, item } };
    };
  };
  const euItems = wdiCode.includes('EUU') ? items(EU_EXTRA_FILE) : null;
  const twItems = wdiCode.includes('TWN') ? items(TAIWAN_FILE) : null;

  const cells: Record<Measure, (Cell | null)[]> = { gdp: [], exports: [], imports: [] };
  for (let n = 0; n < N; n++) {
    const code = wdiCode[n];
    const region = regions.regions[n].code;
    for (const m of MEASURES) {
      let c: Cell | null = null;
      if (code === '*') c = null;
      else if (code === 'TWN') c = twItems!(m === 'gdp' ? 'gdp_2024' : `goods_${m}_2024`, region);
      else if (code === 'EUU' && m !== 'gdp') c = euItems!(`extra_eu_goods_${m}_2024`, region);
      else c = fromWdi(m, code, region);
      cells[m].push(c);
    }
  }
  const out: RegionTargets = { gdp: new Float64Array(N), exports: new Float64Array(N), imports: new Float64Array(N), list: [], dir };
  for (const m of MEASURES) {
    const arr = out[m];
    let world: Cell | null = null;
    let others = 0;
    if (stars) {
      world = fromWdi(m, 'WLD', regions.regions[wdiCode.indexOf('*')].code);
      for (let n = 0; n < N; n++) {
        if (wdiCode[n] === '*') continue;
        // WLD merchandise trade includes trade between EU members: subtract WDI's EUU totals, not extra-EU trade.
        others += wdiCode[n] === 'EUU' && m !== 'gdp' ? fromWdi(m, 'EUU', regions.regions[n].code).value : cells[m][n]!.value;
      }
    }
    for (let n = 0; n < N; n++) {
      const c = cells[m][n];
      if (c) {
        arr[n] = c.value;
        out.list.push({ code: regions.regions[n].code, measure: m, value: c.value, source: c.source });
        continue;
      }
      const v = world!.value - others;
      if (!(v > 0)) {
        throw new InputError(`rest of world ${m} = WLD ${(world!.value / 1e9).toFixed(1)} bn minus the other regions ${(others / 1e9).toFixed(1)} bn is not positive (region ${regions.regions[n].code})`, { file: world!.source.file, row: world!.source.row, field: 'value' });
      }
      arr[n] = v;
      out.list.push({ code: regions.regions[n].code, measure: m, value: v, source: { ...world!.source, note: `WLD minus the other ${N - 1} regions${m !== 'gdp' ? " (the EU with WDI's EUU totals incl. intra-EU trade)" : ''}` } });
    }
  }
  return out;
}
