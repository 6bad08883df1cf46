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
 *
 * Per dimension it keeps, for every group, the number of kept rows and of kept rows with a positive outcome
 * (exact integers, updated when rows are dropped), so each round of the repeated check scans the groups and only
 * a dimension with something to drop costs a pass over the rows.
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
  const zeros = opts.checkZeros && y !== null;
  const count = fes.map((fe) => new Int32Array(fe.size));
  const positive = fes.map((fe) => new Int32Array(zeros ? fe.size : 0));
  const isPos = new Uint8Array(zeros ? n : 0);
  if (zeros) for (let i = 0; i < n; i++) isPos[i] = y![i] > 0 ? 1 : 0;
  fes.forEach((fe, k) => {
    const ix = fe.index;
    const c = count[k];
    const pos = positive[k];
    if (zeros) {
      for (let i = 0; i < n; i++) {
        const g = ix[i];
        c[g]++;
        pos[g] += isPos[i];
      }
    } else for (let i = 0; i < n; i++) c[ix[i]]++;
  });
  for (let pass = 0; pass < 1000; pass++) {
    let changed = false;
    for (let k = 0; k < fes.length; k++) {
      const fe = fes[k];
      const c = count[k];
      const pos = positive[k];
      const bad = new Uint8Array(fe.size);
      let zeroGroups = 0;
      let singleGroups = 0;
      for (let g = 0; g < fe.size; g++) {
        if (c[g] === 0) continue;
        if (zeros && pos[g] === 0) {
          bad[g] = 1;
          zeroGroups++;
        } else if (opts.dropSingletons && c[g] === 1) {
          bad[g] = 2;
          singleGroups++;
        }
      }
      if (zeroGroups + singleGroups === 0) continue;
      let zeroObs = 0;
      let singleObs = 0;
      const ix = fe.index;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        const b = bad[ix[i]];
        if (!b) continue;
        keep[i] = 0;
        if (b === 1) zeroObs++;
        else singleObs++;
        const yPos = zeros && isPos[i] === 1;
        for (let j = 0; j < fes.length; j++) {
          const g = fes[j].index[i];
          count[j][g]--;
          if (yPos) positive[j][g]--;
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

/** The runs of kept rows: [start, end) pairs, one after the other. */
function keptRuns(keep: Uint8Array): Int32Array {
  const runs: number[] = [];
  const n = keep.length;
  for (let i = 0; i < n; ) {
    while (i < n && !keep[i]) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && keep[i]) i++;
    runs.push(s, i);
  }
  return Int32Array.from(runs);
}

/** Keeps the rows of each fixed effect where keep[i] = 1 and renumbers groups densely (first-seen order). */
export function compactFixedEffects(fes: FixedEffectIndex[], keep: Uint8Array, nkeep: number, alloc: (n: number) => Int32Array = (k) => new Int32Array(k)): FixedEffectIndex[] {
  const runs = keptRuns(keep);
  return fes.map((fe) => {
    const map = new Int32Array(fe.size).fill(-1);
    const index = alloc(nkeep);
    const levels: string[] | undefined = fe.levels ? [] : undefined;
    const src = fe.index;
    let size = 0;
    let r = 0;
    for (let q = 0; q < runs.length; q += 2) {
      for (let i = runs[q], e = runs[q + 1]; i < e; i++) {
        const g = src[i];
        let h = map[g];
        if (h < 0) {
          h = map[g] = size++;
          if (levels) levels.push(fe.levels![g]);
        }
        index[r++] = h;
      }
    }
    return { name: fe.name, index, size, levels };
  });
}

/** Copies the kept rows of a column (into `alloc(nkeep)` when given). */
export function compact(x: Float64Array, keep: Uint8Array, nkeep: number, alloc: (n: number) => Float64Array = (k) => new Float64Array(k)): Float64Array {
  const out = alloc(nkeep);
  const runs = keptRuns(keep);
  for (let q = 0, r = 0; q < runs.length; q += 2) {
    out.set(x.subarray(runs[q], runs[q + 1]), r);
    r += runs[q + 1] - runs[q];
  }
  return out;
}

export function compactInt(x: Int32Array, keep: Uint8Array, nkeep: number): Int32Array {
  const out = new Int32Array(nkeep);
  const runs = keptRuns(keep);
  for (let q = 0, r = 0; q < runs.length; q += 2) {
    out.set(x.subarray(runs[q], runs[q + 1]), r);
    r += runs[q + 1] - runs[q];
  }
  return out;
}
