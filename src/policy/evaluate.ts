// Day evaluation: a candidate set on a day — the actions in force, each program slot resolved (supersession,
// overrides), slots combined into program rates, the stacking rule applied — for four variants:
//   [non-qualifying | USMCA-qualifying] × [232 on | 232 off (non-metal share of a derivative)],
// and the mix of the variants into one product's tariff with its USMCA share q and metal share m through the
// stacking helpers `derivativeSplit` and `usmcaMix` (src/policy/stacking.ts). Single lookups and the
// effective-rate engine use these functions, so they cannot disagree. Pure: no Node APIs.
import { InputError } from '../errors.ts';
import { F_METAL, F_NOT_ON_232, RULE_CHINA, RULE_RETALIATION, type CandidateSet } from './candidates.ts';
import { outranks, type CompiledAction } from './compile.ts';
import { formatDay, type Day } from './dates.ts';
import { combineSlots, derivativeSplit, NP, P_S232, stackChina, stackOthers, stackRetaliation, usmcaMix } from './stacking.ts';
import type { PolicyView } from './view.ts';

/** Variant layout of an evaluated set: 4 × NP contributions. */
export const V_NQ_ON = 0;
export const V_NQ_OFF = 1;
export const V_Q_ON = 2;
export const V_Q_OFF = 3;
export const VARIANT_LEN = 4 * NP;

export interface SetTrace {
  /** Winning action ids per program (non-qualifying, 232-on variant). */
  winners: Map<number, CompiledAction[]>;
  notes: string[];
  rule: string;
  hasMetal: boolean;
  applies232: boolean;
}

const rScratch = new Float64Array(NP);
const winScratch: number[] = [];

/**
 * Evaluates a candidate set on `day`: writes the 4 variants' per-program contributions (percent) to
 * out[o .. o + 4·NP). Returns true when a metal-content 232 action is in force (so the 232-on and 232-off
 * variants differ). Throws an InputError naming both action ids when two actions of one slot are in force
 * with different rates and neither outranks the other.
 */
export function evaluateSet(set: CandidateSet, view: PolicyView, day: Day, out: Float64Array, o: number, trace?: SetTrace): boolean {
  let hasMetal = false;
  for (let v = 0; v < 4; v++) {
    const qualifying = v >= 2;
    const off = (v & 1) === 1;
    const r = rScratch;
    r.fill(0);
    let applies232 = false;
    // Pass 1 resolves slots; `not_on_232` slots are decided after we know whether a 232 program applies.
    const deferred: number[] = [];
    const n = set.actions.length;
    let j = 0;
    while (j < n) {
      const s = set.slot[j];
      let e = j;
      while (e < n && set.slot[e] === s) e++;
      const w = resolveSlot(set, view, day, j, e, off);
      if (w >= 0) {
        const p = set.prog[w];
        if (p === P_S232) {
          applies232 = true;
          if (set.flags[w] & F_METAL) hasMetal = true;
        }
        if (set.flags[w] & F_NOT_ON_232) deferred.push(w);
        else r[p] = combineSlots(p, r[p], qualifying ? set.rateQ[w] : set.rate[w]);
        if (trace && v === V_NQ_ON) {
          if (!trace.winners.has(p)) trace.winners.set(p, []);
          trace.winners.get(p)!.push(set.actions[w]);
          trace.notes.push(`${set.actions[w].id}: ${set.why[w]}`);
        }
      }
      j = e;
    }
    for (const w of deferred) {
      const p = set.prog[w];
      if (applies232) {
        if (trace && v === V_NQ_ON) trace.notes.push(`${set.actions[w].id}: not charged on goods under Section 232`);
        continue;
      }
      r[p] = combineSlots(p, r[p], qualifying ? set.rateQ[w] : set.rate[w]);
    }
    const ruleName = set.rule === RULE_CHINA ? stackChina(r, applies232, out, o + v * NP) : set.rule === RULE_RETALIATION ? stackRetaliation(r, out, o + v * NP) : stackOthers(r, applies232, out, o + v * NP);
    if (trace && v === V_NQ_ON) {
      trace.rule = ruleName;
      trace.applies232 = applies232;
    }
  }
  if (trace) trace.hasMetal = hasMetal;
  return hasMetal;
}

/** The winning candidate among [j, e) of one slot on `day` (−1 if none is in force). */
function resolveSlot(set: CandidateSet, view: PolicyView, day: Day, j: number, e: number, off: boolean): number {
  const act = winScratch;
  act.length = 0;
  for (let k = j; k < e; k++) {
    if (off && set.flags[k] & F_METAL) continue;
    if (view.isActive(set.actions[k], day)) act.push(k);
  }
  if (act.length === 0) return -1;
  if (act.length === 1) return act[0];
  let winner = -1;
  for (const k of act) {
    let beaten = false;
    for (const l of act) {
      if (l !== k && outranks(set.actions[l], set.actions[k])) {
        beaten = true;
        break;
      }
    }
    if (beaten) continue;
    if (winner >= 0 && (set.rate[winner] !== set.rate[k] || set.rateQ[winner] !== set.rateQ[k])) {
      const a = set.actions[winner];
      const b = set.actions[k];
      throw new InputError(
        `contradicts action '${b.id}' on ${formatDay(day)}: both are ${a.slot} actions in force for the same partner and product (${set.rate[winner]}% vs ${set.rate[k]}%)`,
        { id: a.id, file: a.file, line: a.line, field: 'supersedes' },
        `add \`supersedes\` to the later action or end the earlier one`,
      );
    }
    if (winner < 0) winner = k;
  }
  return winner;
}

/**
 * Mixes an evaluated set into a product's contributions: USMCA-qualifying share q (MFN waived for qualifying
 * goods), metal share m (derivatives). `mfn` is the MFN the non-qualifying share pays. Writes NP program
 * contributions to out[o..] and returns the MFN contribution.
 */
export function mixVariants(vec: Float64Array, vo: number, q: number, m: number, mfn: number, out: Float64Array, o: number): number {
  for (let k = 0; k < NP; k++) {
    const nq = derivativeSplit(m, vec[vo + V_NQ_ON * NP + k], vec[vo + V_NQ_OFF * NP + k]);
    const qq = q > 0 ? derivativeSplit(m, vec[vo + V_Q_ON * NP + k], vec[vo + V_Q_OFF * NP + k]) : 0;
    out[o + k] = usmcaMix(q, qq, nq);
  }
  return usmcaMix(q, 0, mfn);
}
