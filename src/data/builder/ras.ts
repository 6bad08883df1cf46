// Bi-proportional (RAS) update of a block of the bilateral trade array to new importer and exporter totals
// (docs/baseline.md, "RAS"). For the cells (j, n, i) with n ≠ i and both n and i in the block,
//     X_ni^j = r_n · s_i · X0_ni^j                                                        (RAS)
// with r (importer factors) and s (exporter factors) found by alternating scaling until
//     Σ_{j, i∈B, i≠n} X_ni^j = R_n   (every importer n in B)   and   Σ_{j, n∈B, n≠i} X_ni^j = C_i   (every exporter i).
// Every pair keeps its 2011 sector mix (the factors do not depend on j), a zero stays zero, and the solution is
// the one closest to X0 in the Kullback–Leibler sense. Pure: no Node APIs.
//
// Failure modes are reported, never returned silently: margins that do not sum to the same total, a positive
// margin on a region with no trade in X0, or no convergence (the zero pattern cannot carry the margins).

export interface RasResult {
  trade: Float64Array;
  /** Importer and exporter factors r_n, s_i (1 outside the block). */
  r: Float64Array;
  s: Float64Array;
  iterations: number;
  /** max_n |row sum / R_n − 1| and max_i |column sum / C_i − 1| at exit. */
  maxError: number;
}

export class RasFailure extends Error {
  /** Region index (importer or exporter) whose margin could not be met. */
  readonly region: number;
  readonly side: 'imports' | 'exports';
  constructor(message: string, region: number, side: 'imports' | 'exports') {
    super(message);
    this.region = region;
    this.side = side;
  }
}

/**
 * RAS on the block `inBlock` (region flags) of `x0` (layout bil(j,n,i), N regions, J sectors). `rowTarget[n]`
 * are the block imports of n, `colTarget[i]` the block exports of i (both length N; read only inside the block).
 * Cells outside the block are copied unchanged.
 */
export function ras(x0: Float64Array, N: number, J: number, inBlock: boolean[], rowTarget: Float64Array, colTarget: Float64Array, tolerance = 1e-12, maxIterations = 5000): RasResult {
  const trade = x0.slice();
  const r = new Float64Array(N).fill(1);
  const s = new Float64Array(N).fill(1);
  const cell = (j: number, n: number, i: number) => (j * N + n) * N + i;
  const inside = (n: number, i: number) => n !== i && inBlock[n] && inBlock[i];
  let sumR = 0;
  let sumC = 0;
  const base = new Float64Array(N * N); // Σ_j X0_ni^j
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (inside(n, i)) base[n * N + i] += x0[cell(j, n, i)];
  for (let n = 0; n < N; n++) {
    if (!inBlock[n]) continue;
    if (!(rowTarget[n] >= 0)) throw new RasFailure(`imports margin ${rowTarget[n]} is negative`, n, 'imports');
    if (!(colTarget[n] >= 0)) throw new RasFailure(`exports margin ${colTarget[n]} is negative`, n, 'exports');
    let row = 0;
    let col = 0;
    for (let i = 0; i < N; i++) {
      row += base[n * N + i];
      col += base[i * N + n];
    }
    if (rowTarget[n] > 0 && row === 0) throw new RasFailure('has no imports in the source structure to scale', n, 'imports');
    if (colTarget[n] > 0 && col === 0) throw new RasFailure('has no exports in the source structure to scale', n, 'exports');
    sumR += rowTarget[n];
    sumC += colTarget[n];
  }
  if (Math.abs(sumR - sumC) > 1e-9 * Math.max(sumR, sumC)) {
    throw new RasFailure(`importer margins sum to ${sumR}, exporter margins to ${sumC}`, inBlock.indexOf(true), 'imports');
  }
  // Alternate on the pair totals (the sector dimension factors out).
  let maxError = Infinity;
  let iterations = 0;
  let worst = -1;
  let worstSide: 'imports' | 'exports' = 'imports';
  for (; iterations < maxIterations; iterations++) {
    for (let n = 0; n < N; n++) {
      if (!inBlock[n]) continue;
      let row = 0;
      for (let i = 0; i < N; i++) row += r[n] * s[i] * base[n * N + i];
      if (row > 0) r[n] *= rowTarget[n] / row;
    }
    maxError = 0;
    for (let i = 0; i < N; i++) {
      if (!inBlock[i]) continue;
      let col = 0;
      for (let n = 0; n < N; n++) col += r[n] * s[i] * base[n * N + i];
      const e = colTarget[i] > 0 ? Math.abs(col / colTarget[i] - 1) : col;
      if (e > maxError) [maxError, worst, worstSide] = [e, i, 'exports'];
      if (col > 0) s[i] *= colTarget[i] / col;
    }
    if (maxError < tolerance) break;
  }
  if (!(maxError < tolerance)) {
    throw new RasFailure(`RAS did not meet the ${worstSide} margin after ${iterations} iterations (relative error ${maxError.toExponential(2)})`, worst, worstSide);
  }
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (inside(n, i)) trade[cell(j, n, i)] = r[n] * s[i] * x0[cell(j, n, i)];
  return { trade, r, s, iterations: iterations + 1, maxError };
}
