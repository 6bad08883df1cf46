// The speed at which US exports move toward the multi-sector model's long-run export change (docs/timing.md
// eq. T7b). With deficits fixed, CP's export target carries the long-run balance condition (an import tariff is
// in the end a tax on exports too) beside the partners' retaliation; how fast that happens is a question for the
// data, so λ_X is fitted, like λ, on the months through the cutoff only: least squares of the log exports'
// deviation from their trend, r_t = ln X_t − (a_X + b_X (t − t0)), against the partial adjustment x_X,t(λ_X) of
// eq. T2 on the export targets, over the grid 0, 0.001, …, 1. Pure.
import { partialAdjustment } from './adjust.ts';

/** λ_X grid: 0 … 1 in 0.001 steps. */
export const EXPORT_LAMBDA_STEP = 0.001;

export interface ExportSpeedFit {
  /** λ_X, per month. */
  lambda: number;
  /** Σ_k (r_k − x_X,k)², log points². */
  ssr: number;
  /** Months fitted (the first `months` of the episode). */
  months: number;
  /** λ_X at an end of the grid (0 or 1): a bound, not an interior estimate. */
  bound: boolean;
}

/**
 * Fits λ_X on the first `n` months of an episode: `target[k]` is x*_X of month k, `resid[k]` the deviation r_k.
 * Returns null when the targets of those months are all zero (λ_X does not enter the fit; the caller says so).
 */
export function fitExportSpeed(target: Float64Array, resid: ArrayLike<number>, n: number): ExportSpeedFit | null {
  if (n > target.length || n > resid.length) throw new RangeError(`fitExportSpeed: ${n} months asked, ${Math.min(target.length, resid.length)} given`);
  if (n <= 0) return null;
  let moved = false;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(resid[k])) throw new RangeError(`fitExportSpeed: deviation of month ${k} is ${resid[k]}`);
    if (Math.abs(target[k]) > 1e-12) moved = true;
  }
  if (!moved) return null;
  const x = new Float64Array(n);
  const steps = Math.round(1 / EXPORT_LAMBDA_STEP);
  let best = { lambda: 0, ssr: Infinity };
  for (let i = 0; i <= steps; i++) {
    const lambda = i * EXPORT_LAMBDA_STEP;
    partialAdjustment(target, lambda, n, 1, 0, x);
    let ssr = 0;
    for (let k = 0; k < n; k++) ssr += (resid[k] - x[k]) ** 2;
    if (ssr < best.ssr) best = { lambda, ssr };
  }
  return { ...best, months: n, bound: best.lambda === 0 || best.lambda === 1 };
}
