// The stacking engine. For one imposer, a partner and a product, the actions that can ever apply form a
// "candidate set" (date-independent: which actions target the partner and cover the product, and at what
// rate — after exemptions, product-specific rates, floors and USMCA treatment). Evaluating a candidate set on
// a day picks the actions in force, resolves each program slot (supersession, overrides), combines slots into
// program rates and applies the stacking rule, for four variants:
//   [non-qualifying | USMCA-qualifying] × [232 on | 232 off (non-metal share of a derivative)].
// A product's tariff mixes the variants with its USMCA share q and metal share m (stacking.ts).
// Single lookups and the effective-rate engine use the same functions, so they cannot disagree.
// Pure: no Node APIs.
import { InputError } from '../errors.ts';
import type { Country, CountryTable } from './countries.ts';
import { outranks, partnerRate, targetsPartner, type CompiledAction, type Coverage } from './compile.ts';
import { formatDay, type Day } from './dates.ts';
import {
  combineSlots,
  floorDealRate,
  NP,
  P_S232,
  programIndex,
  stackChina,
  stackOthers,
  stackRetaliation,
  usmcaQualifyingRate,
} from './stacking.ts';

export interface PolicyRules {
  chinaRulePartners: Set<string>;
  usmcaPartners: Set<string>;
  usAutoContentShare: number;
  primaryMetalChapters: Set<string>;
  derivativeMetalShare: number;
}

/** Everything the engine needs, already loaded (src/policy/load.ts builds it from the data files). */
export interface PolicyData {
  coverage: Coverage;
  countries: CountryTable;
  actions: CompiledAction[];
  rules: PolicyRules;
  sources: Map<string, string>;
  /** Statutory MFN (column 1 general), percent ad valorem, by HTS8; absent lines count as 0. */
  mfn: Map<string, number>;
  /** Share of imports entering duty-free under FTA/GSP preferences, key `${hs2}|${census}`. */
  mfnPreference: Map<string, number>;
  /** GTAP sector (lower case) of an HTS10 code, or null when the crosswalk has none. */
  gtapOf(hts: string): string | null;
  /** USMCA-claiming share of imports in a GTAP sector from a USMCA partner (key e.g. 'CAN'). */
  usmcaShare(gtap: string | null, partner: string): number;
}

export function mfnOf(data: PolicyData, hts: string): number {
  return data.mfn.get(hts.slice(0, 8)) ?? 0;
}

/** Metal share of a Section 232 derivative: articles of the primary metal chapters are all metal. */
export function metalShareOf(data: PolicyData, hts: string): number {
  return data.rules.primaryMetalChapters.has(hts.slice(0, 2)) ? 1 : data.rules.derivativeMetalShare;
}

export function usmcaShareOf(data: PolicyData, partner: Country, hts: string): number {
  return data.rules.usmcaPartners.has(partner.key) ? data.usmcaShare(data.gtapOf(hts), partner.key) : 0;
}

export function preferenceShareOf(data: PolicyData, partner: Country, hts: string): number {
  return data.mfnPreference.get(`${hts.slice(0, 2)}|${partner.census}`) ?? 0;
}

/**
 * Termination rule (the IEEPA ruling of 2026-02-20): an action of a program that a termination of the same
 * imposer names stops on the termination's effective day, whatever its own end. Returns the new end.
 */
export function endWithTerminations(a: Pick<CompiledAction, 'imposer' | 'program'>, end: Day, terminations: Pick<CompiledAction, 'imposer' | 'program' | 'terminates' | 'effective'>[]): Day {
  if (a.program === 'termination') return end;
  let e = end;
  for (const t of terminations) if (t.imposer === a.imposer && (t.terminates as readonly string[]).includes(a.program)) e = Math.min(e, t.effective);
  return e;
}

/**
 * Which actions count, and until when. The full view takes every action; `announcedThrough` keeps only the
 * actions announced on or before that day (ends announced later are ignored), i.e. "everything announced by
 * then, as if in force". Termination actions cut the end of every action of the programs they name.
 */
export class PolicyView {
  readonly data: PolicyData;
  readonly announcedThrough: Day | null;
  readonly included: Uint8Array;
  readonly end: Float64Array;

  constructor(data: PolicyData, announcedThrough: Day | null = null) {
    this.data = data;
    this.announcedThrough = announcedThrough;
    const A = data.actions.length;
    this.included = new Uint8Array(A);
    this.end = new Float64Array(A);
    for (const a of data.actions) {
      this.included[a.index] = announcedThrough === null || a.announced <= announcedThrough ? 1 : 0;
      this.end[a.index] = announcedThrough === null || a.endAnnounced <= announcedThrough ? a.end : Infinity;
    }
    const terminations = data.actions.filter((t) => t.program === 'termination' && this.included[t.index]);
    for (const a of data.actions) this.end[a.index] = endWithTerminations(a, this.end[a.index], terminations);
  }

  isActive(a: CompiledAction, day: Day): boolean {
    return this.included[a.index] === 1 && a.effective <= day && day < this.end[a.index];
  }

  /** Tariff actions (not terminations) of an imposer that this view includes. */
  actionsOf(imposer: string): CompiledAction[] {
    return this.data.actions.filter((a) => a.imposer === imposer && a.program !== 'termination' && this.included[a.index]);
  }

  /** Days in [from, to] on which some included action starts or stops, plus `from` itself. */
  changeDays(from: Day, to: Day): Day[] {
    const s = new Set<Day>([from]);
    for (const a of this.data.actions) {
      if (!this.included[a.index]) continue;
      if (a.effective > from && a.effective <= to) s.add(a.effective);
      const e = this.end[a.index];
      if (e > from && e <= to) s.add(e);
    }
    return [...s].sort((x, y) => x - y);
  }

  /** The day on which every action announced in [coverage.from, announcedThrough] is in force. */
  inForceDay(): Day {
    const lim = this.announcedThrough ?? this.data.coverage.to;
    let d = this.data.coverage.from;
    for (const a of this.data.actions) {
      if (this.included[a.index] && a.announced >= this.data.coverage.from && a.announced <= lim) d = Math.max(d, a.effective);
    }
    return d;
  }

  checkDay(day: Day, what = 'date'): void {
    const c = this.data.coverage;
    if (day < c.from || day > c.to) {
      throw new InputError(`${what} ${formatDay(day)} is outside the data's range ${formatDay(c.from)} … ${formatDay(c.to)}`, { field: what, file: 'data/policy/manifest.yaml' }, 'pick a date inside coverage (see data/policy/manifest.yaml)');
    }
  }
}

/** Candidates of one (partner, product): parallel arrays sorted by slot. */
export interface CandidateSet {
  id: number;
  /** 'china' | 'others' | 'retaliation' stacking rule. */
  rule: 0 | 1 | 2;
  actions: CompiledAction[];
  /** Slot number (index into `slotNames`) and program index of each candidate. */
  slot: Int32Array;
  prog: Int32Array;
  rate: Float64Array;
  rateQ: Float64Array;
  /** bit 1: metal-content 232; bit 2: not charged when a 232 program applies; bit 4: product exempt. */
  flags: Uint8Array;
  /** Why the rate is what it is (exempt list, product rate, floor, USMCA), one note per candidate. */
  why: string[];
}

export const RULE_CHINA = 0;
export const RULE_OTHERS = 1;
export const RULE_RETALIATION = 2;
const F_METAL = 1;
const F_NOT_ON_232 = 2;
const F_EXEMPT = 4;

/** Per-partner facts for every action (which target it, at what rate). */
export interface PartnerProfile {
  partner: Country;
  match: Uint8Array;
  rate: Float64Array;
  rule: 0 | 1 | 2;
  usmca: boolean;
  key: string;
  /** Small integer standing for `key` (profiles with equal keys share it). */
  id: number;
}

/** Per-product facts for every action (covered, exempt, product-specific rate). */
export interface ProductProfile {
  hts: string;
  mfn: number;
  match: Uint8Array;
  exempt: Uint8Array;
  productRate: Float64Array;
  key: string;
  /** Small integer standing for `key` and `mfn`. */
  id: number;
}

/** Builds and memoizes candidate sets for one imposer under a view. */
export class CandidateSets {
  readonly view: PolicyView;
  readonly imposer: string;
  readonly actions: CompiledAction[];
  readonly sets: CandidateSet[] = [];
  readonly slotNames: string[] = [];
  private readonly slotIndex = new Map<string, number>();
  private readonly memo = new Map<string, number>();
  private readonly pairMemo = new Map<number, number>();
  private readonly partnerKeys = new Map<string, number>();
  private readonly productKeys = new Map<string, number>();

  constructor(view: PolicyView, imposer: string) {
    this.view = view;
    this.imposer = imposer;
    this.actions = view.actionsOf(imposer);
    for (const a of this.actions) {
      if (!this.slotIndex.has(a.slot)) {
        this.slotIndex.set(a.slot, this.slotNames.length);
        this.slotNames.push(a.slot);
      }
    }
  }

  partnerProfile(p: Country): PartnerProfile {
    const data = this.view.data;
    const A = this.actions.length;
    const match = new Uint8Array(A);
    const rate = new Float64Array(A).fill(NaN);
    const parts: string[] = [];
    for (let k = 0; k < A; k++) {
      const a = this.actions[k];
      if (!targetsPartner(a, p)) continue;
      match[k] = 1;
      const r = partnerRate(a, p);
      rate[k] = r ?? NaN;
      parts.push(`${k}:${r}`);
    }
    const rule = this.imposer !== 'USA' ? RULE_RETALIATION : data.rules.chinaRulePartners.has(p.key) ? RULE_CHINA : RULE_OTHERS;
    const usmca = this.imposer === 'USA' && data.rules.usmcaPartners.has(p.key);
    const key = `${rule}|${usmca ? p.key : ''}|${parts.join(',')}`;
    return { partner: p, match, rate, rule, usmca, key, id: intern(this.partnerKeys, key) };
  }

  productProfile(hts: string): ProductProfile {
    const A = this.actions.length;
    const match = new Uint8Array(A);
    const exempt = new Uint8Array(A);
    const productRate = new Float64Array(A).fill(NaN);
    const parts: string[] = [];
    for (let k = 0; k < A; k++) {
      const a = this.actions[k];
      if (!a.products.matches(hts)) continue;
      match[k] = 1;
      if (a.exempt?.matches(hts)) exempt[k] = 1;
      const pr = a.productRates.find((x) => x.products.matches(hts));
      if (pr) productRate[k] = pr.rate;
      parts.push(`${k}${exempt[k] ? 'x' : ''}${pr ? `=${pr.rate}` : ''}`);
    }
    const mfn = this.imposer === 'USA' ? mfnOf(this.view.data, hts) : 0;
    const key = parts.join(',');
    return { hts, mfn, match, exempt, productRate, key, id: intern(this.productKeys, `${key}|${mfn}`) };
  }

  /** The candidate set of a partner and product (memoized by profile ids). */
  setFor(pp: PartnerProfile, prod: ProductProfile): CandidateSet {
    const pairKey = pp.id * 4_194_304 + prod.id;
    const hit = this.pairMemo.get(pairKey);
    if (hit !== undefined) return this.sets[hit];
    const rules = this.view.data.rules;
    const idx: number[] = [];
    const rates: number[] = [];
    const ratesQ: number[] = [];
    const flags: number[] = [];
    const why: string[] = [];
    for (let k = 0; k < this.actions.length; k++) {
      if (!pp.match[k] || !prod.match[k]) continue;
      const a = this.actions[k];
      let r: number;
      let note: string;
      let f = (a.metalContent ? F_METAL : 0) | (a.notOn232 ? F_NOT_ON_232 : 0);
      if (prod.exempt[k]) {
        r = 0;
        note = `exempt (${a.exempt!.label})`;
        f |= F_EXEMPT;
      } else if (!Number.isNaN(prod.productRate[k])) {
        r = prod.productRate[k];
        note = `product rate ${r}%`;
      } else if (a.floor !== null) {
        r = floorDealRate(a.floor, prod.mfn);
        note = `floor: max(0, ${a.floor} − MFN ${round(prod.mfn)}) = ${round(r)}`;
      } else {
        r = pp.rate[k];
        if (Number.isNaN(r)) throw new InputError(`has no rate for partner ${pp.partner.key}`, { id: a.id, file: a.file, line: a.line, field: 'rates' });
        note = `${round(r)}%`;
      }
      const rq = pp.usmca ? usmcaQualifyingRate(r, a.usmca, rules.usAutoContentShare) : r;
      if (pp.usmca && a.usmca) note += a.usmca === 'exempt' ? '; USMCA-qualifying goods exempt' : `; USMCA-qualifying goods pay on non-US content (${round(rq)}%)`;
      idx.push(k);
      rates.push(r);
      ratesQ.push(rq);
      flags.push(f);
      why.push(note);
    }
    // Sort by slot so a slot's candidates are contiguous.
    const order = idx.map((_, j) => j).sort((x, y) => this.slotIndex.get(this.actions[idx[x]].slot)! - this.slotIndex.get(this.actions[idx[y]].slot)! || x - y);
    const key = `${pp.rule}|${order.map((j) => `${idx[j]}:${rates[j]}:${ratesQ[j]}:${flags[j]}`).join(',')}`;
    let id = this.memo.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push({
        id,
        rule: pp.rule,
        actions: order.map((j) => this.actions[idx[j]]),
        slot: Int32Array.from(order, (j) => this.slotIndex.get(this.actions[idx[j]].slot)!),
        prog: Int32Array.from(order, (j) => programIndex(this.actions[idx[j]].program)),
        rate: Float64Array.from(order, (j) => rates[j]),
        rateQ: Float64Array.from(order, (j) => ratesQ[j]),
        flags: Uint8Array.from(order, (j) => flags[j]),
        why: order.map((j) => why[j]),
      });
      this.memo.set(key, id);
    }
    this.pairMemo.set(pairKey, id);
    return this.sets[id];
  }
}

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
    const ruleName = set.rule === RULE_CHINA ? stackChina(r, out, o + v * NP) : set.rule === RULE_RETALIATION ? stackRetaliation(r, out, o + v * NP) : stackOthers(r, applies232, out, o + v * NP);
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
    const nq = m * vec[vo + V_NQ_ON * NP + k] + (1 - m) * vec[vo + V_NQ_OFF * NP + k];
    const qq = q > 0 ? m * vec[vo + V_Q_ON * NP + k] + (1 - m) * vec[vo + V_Q_OFF * NP + k] : 0;
    out[o + k] = q * qq + (1 - q) * nq;
  }
  return (1 - q) * mfn;
}

function intern(m: Map<string, number>, key: string): number {
  let id = m.get(key);
  if (id === undefined) {
    id = m.size;
    m.set(key, id);
  }
  return id;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
