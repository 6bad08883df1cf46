// Sectoral trade elasticities θ^j by Caliendo & Parro (2015, §4): the ratio ("triple difference") specification.
// Pure. See docs/sweep.md §1 for the derivation and the comparison with the paper's Table 1.
//
// In the model, expenditure of n on goods of sector j from i (gross of tariffs) is
//   X_ni^j = X_n^j [c_i^j κ_ni^j]^{−θ^j} / Φ_n^j,   κ_ni^j = τ̃_ni^j d_ni^j,   τ̃ = 1 + tariff.        (CP-E1)
// For any three countries (n, i, h), the product of the flows around the cycle n←i←h←n divided by the product
// around the reverse cycle cancels every importer and exporter term (X_n, Φ_n, c_i):
//   ln[(X_ni X_ih X_hn)/(X_in X_hi X_nh)] = −θ^j ln[(τ̃_ni τ̃_ih τ̃_hn)/(τ̃_in τ̃_hi τ̃_nh)] + ε^j,                  (CP-E2)
// where ε collects the asymmetric part of the iceberg costs d (symmetric costs cancel). The data hold flows net of
// tariffs, Xnet = X / τ̃, so the outcome is built as ln(Xnet ratio) + ln(τ̃ ratio) (gross flows). CP-E2 is fitted by
// OLS without an intercept (the orientation of a triple is arbitrary: reversing it flips both sides' signs) on
// every unordered triple n < i < h of the listed countries with all six flows positive, one regression per sector,
// with the project's estimator (src/estimate/fit.ts); θ̂ = −β̂ with its heteroskedasticity-robust standard error.
import { InputError } from '../errors.ts';
import { coefficient } from './result.ts';
import { estimate } from './fit.ts';
import { makeTable, numericColumn } from './table.ts';
import type { VcovType } from './vcov.ts';

export interface RatioInput {
  /** Country codes in index order (length N). */
  codes: string[];
  /** Sector names (length J). */
  sectors: string[];
  /** Flows net of tariffs, bil(j,n,i) = (j*N+n)*N+i, n importer, i exporter. */
  tradeNet: Float64Array;
  /** Ad valorem tariffs as fractions, same layout. */
  tariff: Float64Array;
  /** Indices of the sectors to estimate (default all). */
  sectorIndices?: number[];
  /** Codes of countries left out (e.g. a constructed rest of the world). */
  exclude?: string[];
  /** Standard errors: 'robust' (HC1, default) or 'iid'. */
  vcov?: Extract<VcovType, 'iid' | 'robust'>;
  /**
   * Keep only triples whose |ln tariff ratio| is at most this quantile of the sector's triples (1 = all). The
   * paper reports samples trimmed of the largest tariffs as robustness checks; default 1.
   */
  keepQuantile?: number;
}

export interface SectorElasticity {
  sector: string;
  /** θ̂^j = −β̂ of CP-E2 (dimensionless), its standard error, and the number of triples used. */
  theta: number;
  se: number;
  triples: number;
  /**
   * Delete-one-country jackknife standard error of θ̂: triples that share a country share its flows' errors, which
   * the robust SE ignores (it treats triples as independent); the jackknife re-fits CP-E2 without each country c
   * in turn, SE_J = sqrt((C−1)/C · Σ_c (θ̂_(−c) − θ̄)²). The sweeps use this one.
   */
  seJackknife: number;
  /** Triples dropped because a flow was zero (ln undefined). */
  droppedZeroFlows: number;
  /** Triples with all tariff ratios equal to 1 carry no information but are kept (they pin down nothing). */
  r2: number;
}

export function estimateRatioElasticities(input: RatioInput): SectorElasticity[] {
  const N = input.codes.length;
  const J = input.sectors.length;
  if (input.tradeNet.length !== J * N * N || input.tariff.length !== J * N * N) {
    throw new InputError(`trade and tariff arrays must have J·N·N = ${J * N * N} entries`, { field: 'tradeNet' });
  }
  const exclude = new Set((input.exclude ?? []).map((c) => c.toUpperCase()));
  const countries = input.codes.flatMap((c, k) => (exclude.has(c.toUpperCase()) ? [] : [k]));
  if (countries.length < 3) throw new InputError('the ratio estimator needs at least three countries', { field: 'exclude' });
  const keepQ = input.keepQuantile ?? 1;
  if (!(keepQ > 0 && keepQ <= 1)) throw new InputError(`keepQuantile must be in (0, 1], got ${keepQ}`, { field: 'keepQuantile' });
  const sectors = input.sectorIndices ?? [...Array(J).keys()];
  return sectors.map((j) => {
    const x = (n: number, i: number): number => input.tradeNet[(j * N + n) * N + i];
    const lt = (n: number, i: number): number => Math.log1p(input.tariff[(j * N + n) * N + i]);
    const ys: number[] = [];
    const xs: number[] = [];
    const who: number[] = []; // positions a, b, c of each triple's countries in `countries`
    let dropped = 0;
    const C = countries.length;
    for (let a = 0; a < C; a++) {
      for (let b = a + 1; b < C; b++) {
        for (let c = b + 1; c < C; c++) {
          const n = countries[a];
          const i = countries[b];
          const h = countries[c];
          const f = [x(n, i), x(i, h), x(h, n), x(i, n), x(h, i), x(n, h)];
          if (f.some((v) => !(v > 0))) {
            dropped++;
            continue;
          }
          const tRatio = lt(n, i) + lt(i, h) + lt(h, n) - lt(i, n) - lt(h, i) - lt(n, h);
          const netRatio = Math.log(f[0]) + Math.log(f[1]) + Math.log(f[2]) - Math.log(f[3]) - Math.log(f[4]) - Math.log(f[5]);
          ys.push(netRatio + tRatio); // gross-of-tariff flows
          xs.push(tRatio);
          who.push(a, b, c);
        }
      }
    }
    let keepY = ys;
    let keepX = xs;
    let keepWho = who;
    if (keepQ < 1 && xs.length > 0) {
      const abs = xs.map(Math.abs).sort((p, q) => p - q);
      const cut = abs[Math.min(abs.length - 1, Math.floor(keepQ * (abs.length - 1)))];
      const idx = xs.flatMap((v, k) => (Math.abs(v) <= cut ? [k] : []));
      keepY = idx.map((k) => ys[k]);
      keepX = idx.map((k) => xs[k]);
      keepWho = idx.flatMap((k) => [who[3 * k], who[3 * k + 1], who[3 * k + 2]]);
    }
    const name = input.sectors[j];
    if (keepX.length < 2) throw new InputError(`sector '${name}' has ${keepX.length} triples with six positive flows`, { field: name }, 'the ratio estimator needs trade in both directions among three countries');
    const table = makeTable({ lratio: numericColumn(keepY), ltariff: numericColumn(keepX) }, `cp2015 ratio triples, ${name}`);
    const fit = estimate(table, { formula: 'lratio ~ ltariff - 1', method: 'ols', vcov: input.vcov ?? 'robust' });
    const b = coefficient(fit, 'ltariff');
    let ssr = 0;
    let sst = 0;
    for (let k = 0; k < keepY.length; k++) {
      const e = keepY[k] - b.estimate * keepX[k];
      ssr += e * e;
      sst += keepY[k] * keepY[k];
    }
    return { sector: name, theta: -b.estimate, se: b.se, seJackknife: jackknife(keepX, keepY, keepWho, C), triples: keepX.length, droppedZeroFlows: dropped, r2: sst > 0 ? 1 - ssr / sst : 0 };
  });
}

/** Delete-one-country jackknife SE of the no-intercept OLS slope (θ̂ = −β̂; the sign does not change the SE). */
function jackknife(x: number[], y: number[], who: number[], C: number): number {
  let sxy = 0;
  let sxx = 0;
  const cxy = new Float64Array(C);
  const cxx = new Float64Array(C);
  for (let k = 0; k < x.length; k++) {
    const xy = x[k] * y[k];
    const xx = x[k] * x[k];
    sxy += xy;
    sxx += xx;
    for (let m = 0; m < 3; m++) {
      cxy[who[3 * k + m]] += xy;
      cxx[who[3 * k + m]] += xx;
    }
  }
  const loo: number[] = [];
  for (let c = 0; c < C; c++) if (sxx - cxx[c] > 0) loo.push((sxy - cxy[c]) / (sxx - cxx[c]));
  const G = loo.length;
  if (G < 2) return NaN;
  const mean = loo.reduce((s, v) => s + v, 0) / G;
  return Math.sqrt(((G - 1) / G) * loo.reduce((s, v) => s + (v - mean) ** 2, 0));
}
