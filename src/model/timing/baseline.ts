// The no-tariff path (docs/timing.md eq. T1): seasonality and trend of log imports by group,
//   ln B_g,t = a_g + b_g·(t − t0) + s_g,m(t)                                                     (T1)
// with b_g and s_g,m estimated on pre-2018 months (src/node/timeline.ts, OLS with month fixed effects) and
// the level a_g set so that the mean residual over a pre-shock anchor window is zero. Pure.
import { G, type Baseline } from './types.ts';

/** ln B_g,t of eq. T1 without the anchor (trend + seasonal factor). */
export function trendSeason(b: Baseline, g: number, t: number): number {
  const m = ((t % 12) + 12) % 12;
  return b.trend[g] * (t - b.origin) + b.season[g * 12 + m];
}

/** B_g,t of eq. T1 (US$ millions per month, not seasonally adjusted). */
export function noTariffLevel(b: Baseline, g: number, t: number): number {
  return Math.exp(b.anchor[g] + trendSeason(b, g, t));
}

/**
 * Anchors a_g: mean of ln M_g,t − trendSeason over the window [from, to] (both inclusive). `logM(g, t)` returns
 * the observed log imports; months without data are an error of the caller.
 */
export function anchorsOn(b: Omit<Baseline, 'anchor' | 'anchorWindow'>, from: number, to: number, logM: (g: number, t: number) => number): Float64Array {
  const a = new Float64Array(G);
  const base = { ...b, anchor: a, anchorWindow: [from, to] as [number, number] };
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let t = from; t <= to; t++) s += logM(g, t) - trendSeason(base, g, t);
    a[g] = s / (to - from + 1);
  }
  return a;
}

/** Seasonal factor of month t for the total (import-weighted by the no-tariff levels), for SA conversions. */
export function totalSeasonalFactor(b: Baseline, t: number): number {
  // Ratio of the NSA no-tariff total to the same total with each group's seasonal factors averaged out.
  let nsa = 0;
  let sa = 0;
  for (let g = 0; g < G; g++) {
    let mean = 0;
    for (let m = 0; m < 12; m++) mean += b.season[g * 12 + m];
    mean /= 12;
    const trend = b.anchor[g] + b.trend[g] * (t - b.origin);
    nsa += Math.exp(trend + b.season[g * 12 + (((t % 12) + 12) % 12)]);
    sa += Math.exp(trend + mean);
  }
  return nsa / sa;
}
