// A government's instruments: the map from its control variables to positions of the policy vector. Pure.
//
// discriminatory: one tariff per (partner, sector) — Ossa's baseline, (N−1)·S instruments per government.
// mfn:            one tariff per sector applied to every partner (most-favoured-nation restriction).
import { InfeasibleRestrictionError } from './errors.ts';
import type { InstrumentKind, PolicyPosition, Restriction, StrategicModel } from './types.ts';

export interface InstrumentSet {
  government: number;
  kind: InstrumentKind;
  /** Number of control variables. */
  size: number;
  /** Label per instrument: "partner:sector" (discriminatory) or "sector" (mfn). */
  labels: string[];
  /** Policy index of every controlled position. */
  positionIndex: Int32Array;
  /** Instrument that drives each position. */
  control: Int32Array;
  lower: Float64Array;
  upper: Float64Array;
}

export const DEFAULT_LOWER = 0;
export const DEFAULT_UPPER = 10;

/** Builds the instrument set of government g; throws InfeasibleRestrictionError for empty feasible sets. */
export function instrumentSet(model: StrategicModel, g: number, kind: InstrumentKind, restriction: Restriction = {}): InstrumentSet {
  if (!Number.isInteger(g) || g < 0 || g >= model.governments.length) {
    throw new InfeasibleRestrictionError(`government index ${g} is out of range`, { field: 'government' }, `the model has ${model.governments.length} governments: ${model.governments.join(', ')}`);
  }
  const pos: PolicyPosition[] = model.positions(g);
  if (pos.length === 0) {
    throw new InfeasibleRestrictionError(`${model.governments[g]} controls no tariffs in model ${model.name}`, { field: 'government' });
  }
  const labels: string[] = [];
  const control = new Int32Array(pos.length);
  if (kind === 'discriminatory') {
    pos.forEach((p, q) => {
      control[q] = q;
      labels.push(`${model.governments[p.partner]}:${model.sectors[p.sector]}`);
    });
  } else {
    const bySector = new Map<number, number>();
    pos.forEach((p, q) => {
      let c = bySector.get(p.sector);
      if (c === undefined) {
        c = labels.length;
        bySector.set(p.sector, c);
        labels.push(model.sectors[p.sector]);
      }
      control[q] = c;
    });
  }
  const size = labels.length;
  const lo = restriction.lower ?? DEFAULT_LOWER;
  const hi = restriction.upper ?? DEFAULT_UPPER;
  const what = `${model.governments[g]}'s ${kind} tariffs`;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo <= hi)) {
    throw new InfeasibleRestrictionError(`restriction on ${what} is infeasible: lower bound ${lo} > upper bound ${hi}`, { field: 'restriction' }, 'choose lower ≤ upper (fractions: 0.25 = 25%)');
  }
  if (lo <= -1) {
    throw new InfeasibleRestrictionError(`restriction on ${what}: lower bound ${lo} is at or below −100%`, { field: 'restriction.lower' }, 'tariffs must stay above −1 (−100%)');
  }
  const lower = new Float64Array(size).fill(lo);
  const upper = new Float64Array(size).fill(hi);
  if (restriction.bounds) {
    const index = new Map(labels.map((l, c) => [l.toLowerCase(), c]));
    for (const [key, b] of Object.entries(restriction.bounds)) {
      const c = index.get(key.toLowerCase());
      if (c === undefined) {
        throw new InfeasibleRestrictionError(`restriction names instrument '${key}', which ${model.governments[g]} does not have (${kind})`, { field: `restriction.bounds.${key}` }, `instruments look like '${labels[0]}'`);
      }
      if (b.lower !== undefined) lower[c] = b.lower;
      if (b.upper !== undefined) upper[c] = b.upper;
      if (!(lower[c] <= upper[c]) || !(lower[c] > -1)) {
        throw new InfeasibleRestrictionError(`restriction on ${model.governments[g]}'s tariff '${key}' is infeasible: [${lower[c]}, ${upper[c]}]`, { field: `restriction.bounds.${key}` }, 'choose lower ≤ upper and lower > −1');
      }
    }
  }
  return { government: g, kind, size, labels, positionIndex: Int32Array.from(pos, (p) => p.index), control, lower, upper };
}

/** Current instrument values read from a policy (MFN: the mean over the partners of each sector). */
export function readInstruments(set: InstrumentSet, policy: Float64Array): Float64Array {
  const x = new Float64Array(set.size);
  const cnt = new Float64Array(set.size);
  for (let q = 0; q < set.positionIndex.length; q++) {
    x[set.control[q]] += policy[set.positionIndex[q]];
    cnt[set.control[q]]++;
  }
  for (let c = 0; c < set.size; c++) x[c] /= cnt[c];
  return x;
}

/** Writes instrument values into (a copy of) the policy. */
export function applyInstruments(set: InstrumentSet, policy: Float64Array, x: Float64Array, out: Float64Array = Float64Array.from(policy)): Float64Array {
  for (let q = 0; q < set.positionIndex.length; q++) out[set.positionIndex[q]] = x[set.control[q]];
  return out;
}

/** Chain rule: gradient with respect to the instruments from the gradient with respect to the policy. */
export function instrumentGradient(set: InstrumentSet, policyGrad: Float64Array, out: Float64Array = new Float64Array(set.size)): Float64Array {
  out.fill(0);
  for (let q = 0; q < set.positionIndex.length; q++) out[set.control[q]] += policyGrad[set.positionIndex[q]];
  return out;
}

/** Preconditioner per instrument: the inverse of the summed scale hints of its positions (floored). */
export function instrumentScale(set: InstrumentSet, hints: Float64Array | undefined): Float64Array {
  const sc = new Float64Array(set.size);
  if (!hints) return sc.fill(1);
  for (let q = 0; q < set.positionIndex.length; q++) sc[set.control[q]] += hints[set.positionIndex[q]];
  let max = 0;
  for (let c = 0; c < set.size; c++) max = Math.max(max, sc[c]);
  for (let c = 0; c < set.size; c++) sc[c] = 1 / Math.max(sc[c], max * 1e-12, 1e-300);
  return sc;
}
