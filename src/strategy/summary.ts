// Summaries of a policy for reports. Pure.
import type { StrategicModel } from './types.ts';

/** Median of a list (mean of the two middle values for even lengths); NaN for an empty list. */
export function median(values: ArrayLike<number>): number {
  const v = Array.from(values).sort((x, y) => x - y);
  const n = v.length;
  if (n === 0) return NaN;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Each government's median tariff over the positions it controls (all partners and sectors), as in Ossa's tables. */
export function medianTariffs(model: StrategicModel, policy: Float64Array): Float64Array {
  return Float64Array.from(model.governments, (_, g) => median(model.positions(g).map((p) => policy[p.index])));
}
