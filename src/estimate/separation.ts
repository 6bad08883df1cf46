// Observations to drop before a Poisson fit with fixed effects. Pure.
//
// Separation by fixed effects (Correia, Guimarães & Zylkin 2021, "Verifying the existence of maximum likelihood
// estimates for generalized linear models", §3.1; ppmlhdfe's `fe` method): when every outcome in a group of a
// fixed effect is zero, the group's coefficient goes to −∞ and its observations carry no information, so they
// are dropped. Dropping them can empty other groups, so the check repeats until nothing changes.
// Singletons (groups with one observation) are fit perfectly by their own fixed effect; like ppmlhdfe/reghdfe
// they are dropped by default (this changes N, never the coefficients).
import type { FixedEffectIndex } from './demean.ts';

export interface DropReport {
  reason: string;
  /** Fixed effect involved (name), when the reason is a fixed effect. */
  fixedEffect?: string;
  groups?: number;
  observations: number;
}

/**
 * Marks rows to keep (1) given outcome y (used only when `checkZeros`) and the fixed effects. Returns the mask
 * and what was dropped, by reason, in the order found.
 */
export function findSeparated(
  y: Float64Array | null,
  fes: FixedEffectIndex[],
  opts: { checkZeros: boolean; dropSingletons: boolean },
): { keep: Uint8Array; drops: DropReport[] } {
  const n = fes.length ? fes[0].index.length : (y?.length ?? 0);
  const keep = new Uint8Array(n).fill(1);
  const agg = new Map<string, DropReport>();
  const note = (reason: string, fe: string, groups: number, obs: number) => {
    const key = `${reason}|${fe}`;
    const r = agg.get(key);
    if (r) {
      r.groups! += groups;
      r.observations += obs;
    } else agg.set(key, { reason, fixedEffect: fe, groups, observations: obs });
  };
  for (let pass = 0; pass < 1000; pass++) {
    let changed = false;
    for (const fe of fes) {
      const count = new Int32Array(fe.size);
      const ysum = new Float64Array(fe.size);
      const ix = fe.index;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        count[ix[i]]++;
        if (y) ysum[ix[i]] += y[i];
      }
      const bad = new Uint8Array(fe.size);
      let zeroGroups = 0;
      let singleGroups = 0;
      for (let g = 0; g < fe.size; g++) {
        if (count[g] === 0) continue;
        if (opts.checkZeros && y && ysum[g] === 0) {
          bad[g] = 1;
          zeroGroups++;
        } else if (opts.dropSingletons && count[g] === 1) {
          bad[g] = 2;
          singleGroups++;
        }
      }
      if (zeroGroups + singleGroups === 0) continue;
      let zeroObs = 0;
      let singleObs = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        const b = bad[ix[i]];
        if (b) {
          keep[i] = 0;
          if (b === 1) zeroObs++;
          else singleObs++;
        }
      }
      if (zeroGroups) note('outcome is zero for every observation of the group (separated by the fixed effect)', fe.name, zeroGroups, zeroObs);
      if (singleGroups) note('singleton group (one observation, fit perfectly by its fixed effect)', fe.name, singleGroups, singleObs);
      changed = true;
    }
    if (!changed) break;
  }
  return { keep, drops: [...agg.values()] };
}

/** Keeps the rows of each fixed effect where keep[i] = 1 and renumbers groups densely (first-seen order). */
export function compactFixedEffects(fes: FixedEffectIndex[], keep: Uint8Array, nkeep: number): FixedEffectIndex[] {
  return fes.map((fe) => {
    const map = new Int32Array(fe.size).fill(-1);
    const index = new Int32Array(nkeep);
    const levels: string[] | undefined = fe.levels ? [] : undefined;
    let size = 0;
    let r = 0;
    for (let i = 0; i < keep.length; i++) {
      if (!keep[i]) continue;
      const g = fe.index[i];
      if (map[g] < 0) {
        map[g] = size++;
        if (levels) levels.push(fe.levels![g]);
      }
      index[r++] = map[g];
    }
    return { name: fe.name, index, size, levels };
  });
}

/** Copies the kept rows of a column. */
export function compact(x: Float64Array, keep: Uint8Array, nkeep: number): Float64Array {
  const out = new Float64Array(nkeep);
  let r = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[r++] = x[i];
  return out;
}

export function compactInt(x: Int32Array, keep: Uint8Array, nkeep: number): Int32Array {
  const out = new Int32Array(nkeep);
  let r = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[r++] = x[i];
  return out;
}
