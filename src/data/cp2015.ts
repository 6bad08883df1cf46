// Parser for the Caliendo & Parro (2015) NAFTA data (../shared/data/cp2015, tidy CSVs derived verbatim from the
// paper's supplementary "Equilibrium" files). 31 regions × 40 sectors (20 goods, 20 services), base year 1993.
//
// Source orientation and units (see the dataset README): trade rows are IMPORTER n, columns EXPORTER i;
// thousands of USD, net of tariffs; tariffs in percent; IO shares are input k (row) in the intermediate cost of
// using sector j (column); B = value-added share of gross output; GO = gross output in USD.
//
// Preprocessing mirrors the paper's own code (Equilibrium/script.m):
//   1. trade in USD (× 1000), tariffs as fractions (÷ 100);
//   2. GO_i^j := max(GO_i^j, Σ_n X_ni^j) — output at least covers exports; domestic sales X_ii^j = GO − exports;
//   3. expenditure X_n^j = Σ_i X_ni^j (1 + τ_ni^j);
//   4. final-demand shares α_n^j backed out of expenditure minus intermediate use
//      (X_n^j − Σ_k γ_n^{j,k} GO_n^k, with γ_n^{j,k} = IO_n[j,k] (1 − B_n^k)), negative values set to 0 and the
//      shares renormalised to sum to 1;
//   (IO columns are rescaled to sum to exactly 1: the published shares sum to 1 ± 1e-6 by rounding);
//   5. deficits D_n = imports − exports (net of tariffs); value added w_n L_n = Σ_j B_n^j GO_n^j.
// Because step 4 clips negative shares, the data are not an exact equilibrium; the model layer re-solves the
// baseline before any counterfactual (see src/model/cp/baseline.ts).
import { InputError } from '../errors.ts';
import { column, numberAt, type CsvTable } from './csv.ts';
import { worldFromInput, type IoInput } from './builder/input.ts';
import { IO_NEGATIVE_TOLERANCE, type Region, type Sector, type World } from './world.ts';

import { CP2015_CITATION } from './citations.ts';
export { CP2015_CITATION };

/** Raw CP2015 inputs before preprocessing, in the project's index order. */
export interface Cp2015Raw {
  regions: Region[];
  sectors: Sector[];
  /** bil(j,n,i), USD, net of tariffs, tradable sectors only (services are zero). */
  trade: Float64Array;
  tariff1993: Float64Array;
  tariff2005: Float64Array;
  /** rs(n,j) */
  vaShare: Float64Array;
  grossOutput: Float64Array;
  io: Float64Array;
}

/** The dataset's files, in the order they are read. */
export const CP2015_FILES = ['regions.csv', 'sectors.csv', 'trade_tariffs_1993_2005.csv', 'value_added_share_gross_output.csv', 'io_coefficients.csv'] as const;

/**
 * Parses the dataset's tables; `table(name)` returns the parsed CSV of one of CP2015_FILES (read from the folder
 * in Node: src/node/data/cp2015.ts). Pure.
 */
export function parseCp2015Raw(table: (name: (typeof CP2015_FILES)[number]) => CsvTable): Cp2015Raw {
  const regionsT = table('regions.csv');
  const sectorsT = table('sectors.csv');
  const regions: Region[] = regionsT.rows.map((r) => ({ name: r[column(regionsT, 'region')].trim(), code: r[column(regionsT, 'iso3')].trim() }));
  const sectors: Sector[] = sectorsT.rows.map((r, row) => {
    const name = r[column(sectorsT, 'sector')].trim();
    const tradable = numberAt(sectorsT, row, column(sectorsT, 'tradable')) === 1;
    return { name, tradable, theta: numberAt(sectorsT, row, column(sectorsT, 'theta')), group: cp2015Group(name, tradable) };
  });
  const N = regions.length;
  const J = sectors.length;
  const rIdx = indexer(regions.map((r) => r.name));
  const sIdx = indexer(sectors.map((s) => s.name));

  const tradeT = table('trade_tariffs_1993_2005.csv');
  const trade = new Float64Array(J * N * N);
  const tariff1993 = new Float64Array(J * N * N);
  const tariff2005 = new Float64Array(J * N * N);
  const [cS, cN, cI] = [column(tradeT, 'sector'), column(tradeT, 'importer'), column(tradeT, 'exporter')];
  const [cX, c93, c05] = [column(tradeT, 'trade_1993_usd_thousands'), column(tradeT, 'tariff_1993_pct'), column(tradeT, 'tariff_2005_pct')];
  const seen = new Uint8Array(J * N * N);
  for (let r = 0; r < tradeT.rows.length; r++) {
    const j = lookup(sIdx, tradeT, r, cS, 'sector');
    const n = lookup(rIdx, tradeT, r, cN, 'region');
    const i = lookup(rIdx, tradeT, r, cI, 'region');
    if (!sectors[j].tradable) {
      throw new InputError(`trade recorded for non-tradable sector ${sectors[j].name}`, { file: tradeT.file, row: r + 1, field: 'sector' });
    }
    const x = (j * N + n) * N + i;
    if (seen[x]) throw new InputError('duplicate importer × exporter × sector row', { file: tradeT.file, row: r + 1 });
    seen[x] = 1;
    const v = numberAt(tradeT, r, cX);
    if (v < 0) throw new InputError(`negative trade value ${v}`, { file: tradeT.file, row: r + 1, field: 'trade_1993_usd_thousands' });
    trade[x] = n === i ? 0 : v * 1000; // CP2015 script.m: xbilat × 1000 (thousands → USD); the diagonal is rebuilt below
    tariff1993[x] = percentToFraction(tradeT, r, c93);
    tariff2005[x] = percentToFraction(tradeT, r, c05);
  }
  const tradableCount = sectors.filter((s) => s.tradable).length;
  if (tradeT.rows.length !== tradableCount * N * N) {
    throw new InputError(`has ${tradeT.rows.length} rows, expected ${tradableCount * N * N} (${tradableCount} tradable sectors × ${N} × ${N} regions)`, { file: tradeT.file });
  }

  const vaT = table('value_added_share_gross_output.csv');
  const vaShare = new Float64Array(N * J).fill(NaN);
  const grossOutput = new Float64Array(N * J).fill(NaN);
  const [vR, vS, vB, vGO] = [column(vaT, 'region'), column(vaT, 'sector'), column(vaT, 'va_share_of_gross_output'), column(vaT, 'gross_output_usd')];
  for (let r = 0; r < vaT.rows.length; r++) {
    const n = lookup(rIdx, vaT, r, vR, 'region');
    const j = lookup(sIdx, vaT, r, vS, 'sector');
    const b = numberAt(vaT, r, vB);
    if (b < 0 || b > 1) throw new InputError(`value-added share ${b} outside [0, 1]`, { file: vaT.file, row: r + 1, field: 'va_share_of_gross_output' });
    const go = numberAt(vaT, r, vGO);
    if (go < 0) throw new InputError(`negative gross output ${go}`, { file: vaT.file, row: r + 1, field: 'gross_output_usd' });
    vaShare[n * J + j] = b;
    grossOutput[n * J + j] = go;
  }
  requireComplete(vaShare, vaT.file, 'va_share_of_gross_output', N, J, regions, sectors);

  const ioT = table('io_coefficients.csv');
  const io = new Float64Array(N * J * J).fill(NaN);
  const [iR, iK, iJ, iV] = [column(ioT, 'region'), column(ioT, 'input_sector'), column(ioT, 'using_sector'), column(ioT, 'share_of_intermediate_cost')];
  for (let r = 0; r < ioT.rows.length; r++) {
    const n = lookup(rIdx, ioT, r, iR, 'region');
    const k = lookup(sIdx, ioT, r, iK, 'sector');
    const j = lookup(sIdx, ioT, r, iJ, 'sector');
    const v = numberAt(ioT, r, iV);
    // The paper's data hold one tiny negative share (Canada, Other → Basic metals, −0.00085); the paper's code
    // uses it as is, and so do we. Anything more negative than IO_NEGATIVE_TOLERANCE is an error.
    if (v < -IO_NEGATIVE_TOLERANCE) throw new InputError(`negative input–output share ${v}`, { file: ioT.file, row: r + 1, field: 'share_of_intermediate_cost' }, 'input–output shares must be ≥ 0');
    io[(n * J + k) * J + j] = v;
  }
  for (let x = 0; x < io.length; x++) {
    if (Number.isNaN(io[x])) {
      const n = Math.floor(x / (J * J));
      throw new InputError(`no input–output share for ${regions[n].name}, input ${sectors[Math.floor(x / J) % J].name}, using ${sectors[x % J].name}`, { file: ioT.file }, `expected ${N * J * J} rows (${N} regions × ${J} × ${J} sectors)`);
    }
  }
  // The published IO columns sum to 1 only to ±1e-6 (rounding). Left as is, Walras' law fails at that order
  // (Σ_n labour demand ≠ Σ_n wage bills by ~1e-8) and no equilibrium solves to machine precision; rescale each
  // non-zero column to sum to exactly 1 (changes no reported digit).
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < J; j++) {
      let c = 0;
      for (let k = 0; k < J; k++) c += io[(n * J + k) * J + j];
      if (c === 0) continue;
      if (Math.abs(c - 1) > 1e-4) {
        throw new InputError(`input–output shares of ${regions[n].name}, using sector ${sectors[j].name} sum to ${c}, not 1`, { file: ioT.file, field: 'share_of_intermediate_cost' });
      }
      for (let k = 0; k < J; k++) io[(n * J + k) * J + j] /= c;
    }
  }
  return { regions, sectors, trade, tariff1993, tariff2005, vaShare, grossOutput, io };
}

/** The raw data in the baseline builder's input form (trade, 1993 tariffs, gross output, shares). */
export function cp2015Input(raw: Cp2015Raw): IoInput {
  return {
    name: 'cp2015',
    year: 1993,
    currencyUnit: 'USD',
    regions: raw.regions,
    sectors: raw.sectors,
    trade: raw.trade,
    tariff: raw.tariff1993,
    grossOutput: raw.grossOutput,
    vaShare: raw.vaShare,
    io: raw.io,
    tariffSchedules: { '1993': raw.tariff1993, '2005': raw.tariff2005 },
    notes: [CP2015_CITATION, "Preprocessing as in the paper's Equilibrium/script.m (src/data/builder/input.ts): GO := max(GO, exports); α from expenditure minus intermediate use, negatives set to 0 and renormalised."],
  };
}

/** Applies the paper's preprocessing (see the header comment and worldFromInput) and returns a validated World. */
export function cp2015World(raw: Cp2015Raw, source: string): World {
  return worldFromInput(cp2015Input(raw), source);
}

/** CP2015's 20 goods sectors are agriculture, mining and 18 ISIC Rev.3 manufacturing sectors; the rest are services. */
function cp2015Group(name: string, tradable: boolean): Sector['group'] {
  if (!tradable) return 'services';
  if (name === 'Agriculture') return 'agriculture';
  if (name === 'Mining') return 'mining';
  return 'manufacturing';
}

function indexer(names: string[]): Map<string, number> {
  return new Map(names.map((n, i) => [n, i]));
}

function lookup(idx: Map<string, number>, t: CsvTable, row: number, col: number, what: string): number {
  const key = t.rows[row][col].trim();
  const v = idx.get(key);
  if (v === undefined) {
    throw new InputError(`unknown ${what} '${key}'`, { file: t.file, row: row + 1, field: t.header[col] }, `known: ${[...idx.keys()].slice(0, 8).join(', ')}, …`);
  }
  return v;
}

function percentToFraction(t: CsvTable, row: number, col: number): number {
  const p = numberAt(t, row, col);
  if (p <= -100) throw new InputError(`tariff ${p}% is at or below −100%`, { file: t.file, row: row + 1, field: t.header[col] });
  return p / 100;
}

function requireComplete(a: Float64Array, file: string, field: string, N: number, J: number, regions: Region[], sectors: Sector[]): void {
  for (let x = 0; x < a.length; x++) {
    if (Number.isNaN(a[x])) {
      throw new InputError(`no value for ${regions[Math.floor(x / J)].name}, ${sectors[x % J].name}`, { file, field }, `expected ${N * J} rows (${N} regions × ${J} sectors)`);
    }
  }
}
