// Candidate sets: for one imposer, a partner and a product, the actions that can ever apply (date-independent:
// which actions target the partner and cover the product, and at what rate — after exemptions,
// product-specific rates, floors and USMCA treatment). Products and partners with identical treatment share
// one set, so a day costs one evaluation per distinct set (src/policy/evaluate.ts). Pure: no Node APIs.
import { InputError } from '../errors.ts';
import type { Country } from './countries.ts';
import { partnerRate, targetsPartner, type CompiledAction } from './compile.ts';
import { mfnOf } from './data.ts';
import { floorDealRate, programIndex, usmcaQualifyingRate } from './stacking.ts';
import type { PolicyView } from './view.ts';

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
export const F_METAL = 1;
export const F_NOT_ON_232 = 2;
export const F_EXEMPT = 4;

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
  /** Per action (plain arrays: one profile per product line, and small typed arrays are dear to allocate). */
  match: number[];
  exempt: number[];
  productRate: number[];
  /** Metals taxed by the metal-content 232 actions covering the product ('steel,aluminum', 'all'; '' if none). */
  metals: string;
  key: string;
  /** Small integer standing for `key` and `mfn`. */
  id: number;
  /** The k with match[k] = 1, ascending. */
  matched: number[];
  /** Small integer standing for what a candidate set reads of the product: `key`, and `mfn` only when a
   *  matched action has a floor (the one place MFN enters a set). Products with equal setKey share sets. */
  setKey: number;
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
  private readonly productSetKeys = new Map<string, number>();
  /** Per HS chapter, the actions whose products can match a code of the chapter (ascending); built on first use. */
  private byChapter: Map<string, Int32Array> | null = null;
  private anyChapter: Int32Array | null = null;

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

  /** Actions that can match a code of `chapter` (every action whose products are 'all' or include the chapter). */
  private candidatesOf(chapter: string): Int32Array {
    if (!this.byChapter) {
      const all: number[] = [];
      const by = new Map<string, number[]>();
      this.actions.forEach((a, k) => {
        const ch = a.products.chapters();
        if (ch === 'all') all.push(k);
        else for (const c of ch) by.set(c, [...(by.get(c) ?? []), k]);
      });
      this.anyChapter = Int32Array.from(all);
      this.byChapter = new Map([...by].map(([c, ks]) => [c, Int32Array.from([...all, ...ks].sort((x, y) => x - y))]));
    }
    return this.byChapter.get(chapter) ?? this.anyChapter!;
  }

  productProfile(hts: string): ProductProfile {
    const A = this.actions.length;
    const match: number[] = new Array<number>(A).fill(0);
    const exempt: number[] = new Array<number>(A).fill(0);
    const productRate: number[] = new Array<number>(A).fill(NaN);
    const parts: string[] = [];
    const metalSet = new Set<string>();
    const matched: number[] = [];
    // Only the actions that can cover the code's chapter are tested (in action order, as over all actions).
    for (const k of this.candidatesOf(hts.slice(0, 2))) {
      const a = this.actions[k];
      if (!a.products.matches(hts)) continue;
      matched.push(k);
      match[k] = 1;
      if (a.exempt?.matches(hts)) exempt[k] = 1;
      const pr = a.productRates.find((x) => x.products.matches(hts));
      if (pr) productRate[k] = pr.rate;
      if (a.metal) metalSet.add(a.metal);
      parts.push(`${k}${exempt[k] ? 'x' : ''}${pr ? `=${pr.rate}` : ''}`);
    }
    const mfn = this.imposer === 'USA' ? mfnOf(this.view.data, hts) : 0;
    const key = parts.join(',');
    const metals = metalSet.has('all') ? 'all' : [...metalSet].sort().join(',');
    const floor = matched.some((k) => this.actions[k].floor !== null);
    return {
      hts,
      mfn,
      match,
      exempt,
      productRate,
      metals,
      key,
      id: intern(this.productKeys, `${key}|${mfn}`),
      matched,
      setKey: intern(this.productSetKeys, floor ? `${key}|${mfn}` : key),
    };
  }

  /** The candidate set of a partner and product (memoized by the partner's id and the product's setKey). */
  setFor(pp: PartnerProfile, prod: ProductProfile): CandidateSet {
    const pairKey = pp.id * 4_194_304 + prod.setKey;
    const hit = this.pairMemo.get(pairKey);
    if (hit !== undefined) return this.sets[hit];
    const rules = this.view.data.rules;
    const idx: number[] = [];
    const rates: number[] = [];
    const ratesQ: number[] = [];
    const flags: number[] = [];
    for (const k of prod.matched) {
      if (!pp.match[k]) continue;
      const a = this.actions[k];
      let r: number;
      let f = (a.metalContent ? F_METAL : 0) | (a.notOn232 ? F_NOT_ON_232 : 0);
      if (prod.exempt[k]) {
        r = 0;
        f |= F_EXEMPT;
      } else if (!Number.isNaN(prod.productRate[k])) {
        r = prod.productRate[k];
      } else if (a.floor !== null) {
        r = floorDealRate(a.floor, prod.mfn);
      } else {
        r = pp.rate[k];
        if (Number.isNaN(r)) throw new InputError(`has no rate for partner ${pp.partner.key}`, { id: a.id, file: a.file, line: a.line, field: 'rates' });
      }
      const rq = pp.usmca ? usmcaQualifyingRate(r, a.usmca, rules.usAutoContentShare) : r;
      idx.push(k);
      rates.push(r);
      ratesQ.push(rq);
      flags.push(f);
    }
    // Why each rate is what it is (built only for a new set).
    const noteOf = (j: number): string => {
      const k = idx[j];
      const a = this.actions[k];
      const r = rates[j];
      const rq = ratesQ[j];
      let note: string;
      if (prod.exempt[k]) note = `exempt (${a.exempt!.label})`;
      else if (!Number.isNaN(prod.productRate[k])) note = `product rate ${r}%`;
      else if (a.floor !== null) note = `floor: max(0, ${a.floor} − MFN ${round(prod.mfn)}) = ${round(r)}`;
      else note = `${round(r)}%`;
      if (pp.usmca && a.usmca) note += a.usmca === 'exempt' ? '; USMCA-qualifying goods exempt' : `; USMCA-qualifying goods pay on non-US content (${round(rq)}%)`;
      return note;
    };
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
        why: order.map(noteOf),
      });
      this.memo.set(key, id);
    }
    this.pairMemo.set(pairKey, id);
    return this.sets[id];
  }
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
