// The world data model: one baseline economy that the equilibrium solvers take as input.
// Pure (no Node APIs): the model layers import these types and helpers, and they run in a browser.
//
// Index order (all flat Float64Arrays, documented once here and used everywhere):
//   N regions, J sectors.
//   region × sector arrays  (length N·J):    rs(n, j)      = n * J + j
//   bilateral sectoral arrays (length J·N·N): bil(j, n, i)  = (j * N + n) * N + i
//       n = IMPORTER (destination), i = EXPORTER (source). Contiguous in the exporter, so the CP2015
//       price index  P_n^j = [Σ_i π_ni^j (κ_ni^j c_i^j)^(−θ^j)]^(−1/θ^j)  runs over memory in order.
//   input–output array (length N·J·J):       io(n, k, j)  = (n * J + k) * J + j
//       share of input sector k in the total intermediate spending of using sector j in region n
//       (CP2015's γ_n^{k,j} / (1 − γ_n^j)); each column (n, ·, j) sums to 1, or is all zero for a sector
//       with no intermediate use.

import { InputError } from '../errors.ts';

export interface Sector {
  name: string;
  /** Goods are traded; services are not (CP2015: the 20 service sectors have zero trade). */
  tradable: boolean;
  /** Trade elasticity θ^j (dispersion of productivity in the Eaton–Kortum technology, CP2015 §2). */
  theta: number;
  /** Broad group for aggregate reports, e.g. US manufacturing output. */
  group?: SectorGroup;
}

export const SECTOR_GROUPS = ['agriculture', 'mining', 'manufacturing', 'services'] as const;
export type SectorGroup = (typeof SECTOR_GROUPS)[number];

export interface Region {
  /** Name as in the source data (e.g. "Mexico"). */
  name: string;
  /** ISO 3166 alpha-3 code, or a project code for aggregates (e.g. "ROW", "EU"). */
  code: string;
}

/**
 * A baseline world in levels. Money values are in `currencyUnit` (e.g. "USD thousands").
 * Trade is valued net of tariffs (CIF, before the importer's tariff).
 */
export interface World {
  name: string;
  year: number;
  currencyUnit: string;
  regions: Region[];
  sectors: Sector[];
  /** X_ni^j: imports of n from i in sector j, net of tariffs. bil(j, n, i). The diagonal holds domestic sales. */
  trade: Float64Array;
  /** τ_ni^j: applied ad valorem tariff of importer n on exporter i in sector j, as a fraction (0.05 = 5%). bil(j, n, i). */
  tariff: Float64Array;
  /** γ_n^j: value-added share of gross output. rs(n, j). */
  vaShare: Float64Array;
  /** Input–output shares of intermediate spending, io(n, k, j). */
  io: Float64Array;
  /** α_n^j: final-demand (consumption) shares, sum to 1 over j for each n. rs(n, j). */
  alpha: Float64Array;
  /** Value added (labour income w_n L_n) by region. length N. */
  valueAdded: Float64Array;
  /** D_n: trade deficit = imports − exports (net of tariffs), by region. length N. Sums to zero. */
  deficit: Float64Array;
  /** Named alternative tariff schedules in the same layout as `tariff` (e.g. CP2015's 2005 tariffs). */
  tariffSchedules?: Record<string, Float64Array>;
  /** Free-form provenance lines (sources, preprocessing). */
  notes?: string[];
}

/**
 * Input–output shares may be very slightly negative in published tables (CP2015 has one cell at −0.00085, which
 * the paper's code keeps). Shares below −IO_NEGATIVE_TOLERANCE are rejected.
 */
export const IO_NEGATIVE_TOLERANCE = 1e-3;

export const rsIndex = (J: number, n: number, j: number): number => n * J + j;
export const bilIndex = (N: number, j: number, n: number, i: number): number => (j * N + n) * N + i;
export const ioIndex = (J: number, n: number, k: number, j: number): number => (n * J + k) * J + j;

export function dims(w: World): { N: number; J: number } {
  return { N: w.regions.length, J: w.sectors.length };
}

/** Finds a region by its name or code (case-insensitive). Returns -1 if absent. */
export function findRegion(w: World, key: string): number {
  const k = key.toLowerCase();
  return w.regions.findIndex((r) => r.name.toLowerCase() === k || r.code.toLowerCase() === k);
}

/** Finds a sector by name (case-insensitive). Returns -1 if absent. */
export function findSector(w: World, key: string): number {
  const k = key.toLowerCase();
  return w.sectors.findIndex((s) => s.name.toLowerCase() === k);
}

/** Gross output Y_n^j = Σ_i X_in^j (sales of n to every destination, net of tariffs). rs(n, j). */
export function grossOutput(w: World): Float64Array {
  const { N, J } = dims(w);
  const y = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let d = 0; d < N; d++) {
      const base = (j * N + d) * N;
      for (let i = 0; i < N; i++) y[i * J + j] += w.trade[base + i];
    }
  }
  return y;
}

/** Expenditure X_n^j = Σ_i X_ni^j (1 + τ_ni^j), tariff inclusive. rs(n, j). */
export function expenditure(w: World): Float64Array {
  const { N, J } = dims(w);
  const x = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      let s = 0;
      for (let i = 0; i < N; i++) s += w.trade[base + i] * (1 + w.tariff[base + i]);
      x[n * J + j] = s;
    }
  }
  return x;
}

/** Tariff revenue R_n = Σ_j Σ_i τ_ni^j X_ni^j. length N. */
export function tariffRevenue(w: World): Float64Array {
  const { N, J } = dims(w);
  const r = new Float64Array(N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) if (i !== n) r[n] += w.tariff[base + i] * w.trade[base + i];
    }
  }
  return r;
}

/** Imports and exports by region (net of tariffs, excluding domestic sales). */
export function tradeTotals(w: World): { imports: Float64Array; exports: Float64Array } {
  const { N, J } = dims(w);
  return tradeTotalsOf(w.trade, N, J);
}

/** Imports and exports by region from any bilateral flow array bil(j,n,i), excluding the diagonal. */
export function tradeTotalsOf(trade: Float64Array, N: number, J: number): { imports: Float64Array; exports: Float64Array } {
  const imports = new Float64Array(N);
  const exports = new Float64Array(N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        imports[n] += trade[base + i];
        exports[i] += trade[base + i];
      }
    }
  }
  return { imports, exports };
}

/**
 * Validates shapes and values of a world; throws an InputError naming the array, region and sector.
 * `source` names the dataset (file or folder) for the message.
 */
export function validateWorld(w: World, source: string): void {
  const N = w.regions.length;
  const J = w.sectors.length;
  if (N < 2) throw new InputError(`a world needs at least 2 regions, got ${N}`, { file: source, field: 'regions' });
  if (J < 1) throw new InputError('a world needs at least 1 sector', { file: source, field: 'sectors' });
  // Length, finiteness and sign of every array in one pass each (slack: how far below zero a value may be; null:
  // any sign).
  const checks: [string, ArrayLike<number>, number, number | null][] = [
    ['trade', w.trade, J * N * N, 0],
    ['tariff', w.tariff, J * N * N, null],
    ['vaShare', w.vaShare, N * J, 0],
    ['io', w.io, N * J * J, IO_NEGATIVE_TOLERANCE],
    ['alpha', w.alpha, N * J, 0],
    ['valueAdded', w.valueAdded, N, 0],
    ['deficit', w.deficit, N, null],
  ];
  for (const [name, arr, len] of checks) {
    if (arr.length !== len) {
      throw new InputError(`${name} has ${arr.length} entries, expected ${len} for ${N} regions × ${J} sectors`, {
        file: source,
        field: name,
      }, 'check that every file of the dataset covers the same regions and sectors');
    }
  }
  for (const [name, arr, , slack] of checks) {
    const floor = slack === null ? -Infinity : -slack;
    for (let x = 0; x < arr.length; x++) {
      const v = arr[x];
      // Passes every finite number at or above the floor.
      if (v >= floor && Number.isFinite(v)) continue;
      if (!Number.isFinite(v)) throw new InputError(`${name}[${describe(w, name, x)}] is ${v}`, { file: source, field: name }, 'replace missing values with numbers');
      throw new InputError(`${name}[${describe(w, name, x)}] is negative (${v})`, { file: source, field: name });
    }
  }
  for (let x = 0; x < w.tariff.length; x++) {
    if (w.tariff[x] <= -1) throw new InputError(`tariff[${describe(w, 'tariff', x)}] is ${w.tariff[x] * 100}%, below −100%`, { file: source, field: 'tariff' });
  }
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let j = 0; j < J; j++) {
      s += w.alpha[n * J + j];
      if (w.vaShare[n * J + j] > 1) {
        throw new InputError(`vaShare[${w.regions[n].name}, ${w.sectors[j].name}] = ${w.vaShare[n * J + j]} exceeds 1`, { file: source, field: 'vaShare' });
      }
    }
    if (Math.abs(s - 1) > 1e-6) {
      throw new InputError(`final-demand shares of ${w.regions[n].name} sum to ${s}, not 1`, { file: source, field: 'alpha' }, 'normalise the shares');
    }
    for (let j = 0; j < J; j++) {
      let c = 0;
      for (let k = 0; k < J; k++) c += w.io[(n * J + k) * J + j];
      if (c !== 0 && Math.abs(c - 1) > 1e-5) {
        throw new InputError(`input–output shares of ${w.regions[n].name}, using sector ${w.sectors[j].name} sum to ${c}, not 1 (or 0)`, { file: source, field: 'io' });
      }
    }
  }
  for (const s of w.sectors) {
    if (!(s.theta > 0)) throw new InputError(`trade elasticity of sector ${s.name} must be positive, got ${s.theta}`, { file: source, field: 'theta' });
  }
}

function describe(w: World, name: string, x: number): string {
  const N = w.regions.length;
  const J = w.sectors.length;
  if (name === 'trade' || name === 'tariff') {
    const i = x % N;
    const n = Math.floor(x / N) % N;
    const j = Math.floor(x / (N * N));
    return `importer ${w.regions[n]?.name}, exporter ${w.regions[i]?.name}, sector ${w.sectors[j]?.name}`;
  }
  if (name === 'io') {
    const j = x % J;
    const k = Math.floor(x / J) % J;
    const n = Math.floor(x / (J * J));
    return `${w.regions[n]?.name}, input ${w.sectors[k]?.name}, using ${w.sectors[j]?.name}`;
  }
  if (name === 'vaShare' || name === 'alpha') return `${w.regions[Math.floor(x / J)]?.name}, ${w.sectors[x % J]?.name}`;
  return `${w.regions[x]?.name ?? x}`;
}
