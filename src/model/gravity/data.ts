// Baseline of the one-sector structural gravity model: a square matrix of trade flows (domestic sales on the
// diagonal) between N countries. Pure.
//
// Index order: X[i*N + j] is the flow from exporter (origin) i to importer (destination) j; countries in the
// order of `countries`. Y_i = Σ_j X_ij (output), E_j = Σ_i X_ij (expenditure).
import { InputError } from '../../errors.ts';

export interface GravityData {
  countries: string[];
  /** X[i*N + j]: exporter i → importer j, including i == j (domestic sales). */
  X: Float64Array;
}

export interface PairRows {
  exporter: ArrayLike<string>;
  importer: ArrayLike<string>;
  trade: ArrayLike<number>;
  /** Where the rows came from (for messages). */
  source?: string;
}

/**
 * Builds the square baseline from one row per (exporter, importer) pair. Every pair, including the domestic
 * ones, must be present exactly once (the model needs domestic sales to compute output and expenditure).
 * Returns the data and, for each input row, its flat index i*N + j (to place per-pair inputs such as a shock).
 */
export function gravityDataFromPairs(rows: PairRows): { data: GravityData; cell: Int32Array } {
  const n = rows.exporter.length;
  if (rows.importer.length !== n || rows.trade.length !== n) throw new Error('gravityDataFromPairs: columns differ in length');
  if (n === 0) throw new InputError('no trade rows', { file: rows.source }, 'check the --where filter');
  const names = new Set<string>();
  for (let r = 0; r < n; r++) {
    names.add(rows.exporter[r]);
    names.add(rows.importer[r]);
  }
  const countries = [...names].sort();
  const index = new Map(countries.map((c, k) => [c, k]));
  const N = countries.length;
  const X = new Float64Array(N * N).fill(NaN);
  const cell = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = index.get(rows.exporter[r])!;
    const j = index.get(rows.importer[r])!;
    const q = i * N + j;
    const v = rows.trade[r];
    if (!Number.isFinite(v)) throw new InputError(`trade is ${Number.isNaN(v) ? 'missing or not a number' : 'not a finite number'} for ${rows.exporter[r]} → ${rows.importer[r]}`, { file: rows.source, row: r + 1, field: 'trade' }, 'give every pair a finite flow (0 for no trade)');
    if (v < 0) throw new InputError(`trade is negative (${v}) for ${rows.exporter[r]} → ${rows.importer[r]}`, { file: rows.source, row: r + 1, field: 'trade' });
    if (!Number.isNaN(X[q])) {
      throw new InputError(`pair ${rows.exporter[r]} → ${rows.importer[r]} appears more than once`, { file: rows.source, row: r + 1 }, 'keep one year / one row per pair (use --where, e.g. "year == 2006")');
    }
    X[q] = v;
    cell[r] = q;
  }
  const missing: string[] = [];
  for (let q = 0; q < N * N; q++) if (Number.isNaN(X[q])) missing.push(`${countries[Math.floor(q / N)]} → ${countries[q % N]}`);
  if (missing.length) {
    throw new InputError(
      `${missing.length} of the ${N * N} exporter–importer pairs are missing (e.g. ${missing.slice(0, 3).join(', ')})`,
      { file: rows.source },
      'the GE needs a square matrix including domestic sales (exporter == importer); add the rows with 0 trade if there is none',
    );
  }
  for (let i = 0; i < N; i++) {
    let y = 0;
    let e = 0;
    for (let j = 0; j < N; j++) {
      y += X[i * N + j];
      e += X[j * N + i];
    }
    if (!(y > 0) || !(e > 0)) throw new InputError(`${countries[i]} has zero ${y > 0 ? 'expenditure (imports incl. domestic)' : 'output (sales incl. domestic)'}`, { file: rows.source, id: countries[i] }, 'drop the country or fix its flows');
  }
  return { data: { countries, X }, cell };
}
