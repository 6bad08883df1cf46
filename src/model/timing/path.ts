// The monthly path of US imports by group (docs/timing.md eq. T1–T5 combined):
//   M̂_g,t = B_g,t · exp(x_g,t) + F_g,t − D_g,t                                                    (T6)
// B: no-tariff path (T1); x: partial adjustment to the multi-sector long-run target (T2); F, D: front-running
// and inventory drawdown (T4–T5). Pure.
import { partialAdjustment } from './adjust.ts';
import { inventoryPath, motive } from './anticipation.ts';
import { noTariffLevel } from './baseline.ts';
import { G, type Baseline, type DynamicParams, type Episode } from './types.ts';

export interface GroupPath {
  start: number;
  n: number;
  /** All [(t−start)·G + g], US$ millions per month (NSA) except x and S. */
  noTariff: Float64Array;
  /** B·exp(x): the path without anticipation. */
  adjusted: Float64Array;
  frontRun: Float64Array;
  drawdown: Float64Array;
  model: Float64Array;
  /** x_g,t (log) and the motive S_g,t (fraction). */
  x: Float64Array;
  motive: Float64Array;
}

/** The motive of eq. T4a/T4c: it depends on the lead, the carry and the beliefs only. */
export function episodeMotive(ep: Episode, p: Pick<DynamicParams, 'lead' | 'carry' | 'belief'>): Float64Array {
  return motive(ep.steps, ep.tariff, ep.start, ep.n, p.lead, p.carry, ep.threats ?? [], p.belief);
}

export function simulateEpisode(ep: Episode, base: Baseline, p: DynamicParams, S: Float64Array = episodeMotive(ep, p)): GroupPath {
  const n = ep.n;
  const x = new Float64Array(n * G);
  for (let g = 0; g < G; g++) partialAdjustment(ep.target, p.lambda[g], n, G, g, x);
  const noTariff = new Float64Array(n * G);
  const adjusted = new Float64Array(n * G);
  for (let k = 0; k < n; k++) {
    for (let g = 0; g < G; g++) {
      const b = noTariffLevel(base, g, ep.start + k);
      noTariff[k * G + g] = b;
      adjusted[k * G + g] = b * Math.exp(x[k * G + g]);
    }
  }
  const frontRun = new Float64Array(n * G);
  const drawdown = new Float64Array(n * G);
  inventoryPath(adjusted, S, n, p.kappa, p.sigma, p.drawdown, frontRun, drawdown);
  const model = new Float64Array(n * G);
  for (let i = 0; i < n * G; i++) model[i] = adjusted[i] + frontRun[i] - drawdown[i];
  return { start: ep.start, n, noTariff, adjusted, frontRun, drawdown, model, x, motive: S };
}
