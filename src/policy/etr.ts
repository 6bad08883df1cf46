// Statutory effective tariff rate on US imports, pre-substitution, with 2024 import weights:
//   ETR(d) = Σ_{p,h} w_{p,h} · τ_{p,h}(d) / Σ_{p,h} w_{p,h}
// where τ is the tariff (percent) product h from partner p faces on day d (MFN actually owed, i.e. net of the
// FTA/GSP preference share, plus every additional program; USMCA-qualifying and 232-derivative shares mixed
// in), w are 2024 imports for consumption: HTS10 detail for the top partners and partner × HS2 for the rest.
// For a partner known only by chapter, the chapter's value is spread over its HTS10 lines in proportion to
// the detailed partners' combined 2024 imports of those lines.
//
// Speed: products are grouped into classes with identical treatment by every action (same coverage,
// exemptions, product rates, MFN, chapter, sector, metal share); each (partner, class) row points to a
// candidate set; a day is evaluated by evaluating each distinct candidate set once and mixing rows. Only days
// on which some action starts or ends are evaluated; the daily series repeats values in between.
// Pure: the caller passes loaded weights (src/data/us-trade-2024.ts).
import { InputError } from '../errors.ts';
import type { UsImports2024 } from '../data/us-trade-2024.ts';
import type { Country } from './countries.ts';
import { formatDay, type Day } from './dates.ts';
import { CandidateSets, type PartnerProfile, type ProductProfile } from './candidates.ts';
import { metalShareOf, mfnOf, preferenceShareOf, usmcaPeriod, usmcaShareOf } from './data.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from './options.ts';
import { evaluateSet, mixVariants, VARIANT_LEN } from './evaluate.ts';
import type { PolicyView } from './view.ts';
import { effectiveMfn, NP, STACK_PROGRAMS } from './stacking.ts';

export const ETR_COLUMNS = ['mfn', ...STACK_PROGRAMS] as const;

export interface EtrPoint {
  date: string;
  /** Effective rate, percent. */
  etr: number;
  /** Contribution of each program (mfn first, then STACK_PROGRAMS), percentage points; they sum to etr. */
  byProgram: number[];
}

export interface EtrBreakdown extends EtrPoint {
  /** Rate by partner (percent of that partner's imports) with imports (USD). */
  byPartner: { key: string; name: string; imports: number; etr: number }[];
  /** Rate by sector (percent) with imports (USD), sectors as given by `sectorOf`. */
  bySector: { sector: string; imports: number; etr: number }[];
}

export interface EtrGroup {
  key: string;
  /** 2024 imports of the group, USD. */
  imports: number;
  /** MFN first, then STACK_PROGRAMS: percent of the group's imports. */
  byProgram: number[];
  total: number;
}

export interface EtrOptions {
  /** Sector of an HTS10 code for the by-sector breakdown (default: GTAP sector from the crosswalk). */
  sectorOf?: (hts: string) => string;
  /** Metal share, USMCA shares, weights, compatibility mode (default DEFAULT_POLICY_OPTIONS). */
  policy?: PolicyOptions;
  /** Factor on a partner's 2024 imports for `weights: 2025` (its 2025 ÷ 2024 total imports), from
   *  `weightScale2025` (src/policy/inputs.ts; in Node src/node/policy/inputs.ts `loadWeightScale2025`).
   *  Required with weights 2025. */
  weightScale?: (partner: Country) => number;
}

/** Per USMCA-share period: row shares q, the set weights of the 4 variants and Σ w (1 − q) MFN. */
interface PeriodWeights {
  q: Float64Array;
  setWeights: Float64Array;
  mfnTotal: number;
}

export interface ProductClass {
  rep: string;
  chapter: number;
  mfn: number;
  metal: number;
  sector: number;
  profile: ProductProfile;
}

export class EtrEngine {
  readonly view: PolicyView;
  readonly partners: Country[];
  readonly sectors: string[] = [];
  readonly classes: ProductClass[] = [];
  /** Row arrays: partner index, class index, candidate set, metal share, effective MFN, value. The USMCA share
   *  q of a row depends on the period (monthly shares): `qOn(day)`. */
  readonly row: { p: Int32Array; c: Int32Array; set: Int32Array; m: Float64Array; mfn: Float64Array; value: Float64Array };
  readonly options: PolicyOptions;
  readonly total: number;
  readonly sets: CandidateSets;
  /** Value of chapters with no detailed HTS10 line to spread over (kept at chapter level). */
  readonly unprofiled: number;
  private vec: Float64Array;
  /** USMCA-partner detail entries (row, HTS10, 2024 value) from which a period's row shares are averaged. */
  private readonly usmcaEntries: { row: Int32Array; hts: string[]; value: Float64Array };
  /** Per period: row USMCA shares, per candidate set the weights of its 4 variants (Σ w(1−q)m, Σ w(1−q)(1−m),
   *  Σ w q m, Σ w q (1−m)) and Σ w (1 − q) MFN. */
  private readonly periods = new Map<string, PeriodWeights>();
  /** Set weights and Σ w·MFN of the rows of partners without USMCA shares (q = 0), and the other rows. */
  private readonly baseWeights: Float64Array;
  private readonly baseMfn: number;
  private readonly usmcaRows: Int32Array;
  private readonly cache = new Map<Day, Float64Array>();
  private readonly rowCache = new Map<Day, Float64Array>();

  constructor(view: PolicyView, weights: UsImports2024, opts: EtrOptions = {}) {
    this.view = view;
    const data = view.data;
    const options = (this.options = opts.policy ?? DEFAULT_POLICY_OPTIONS);
    if (options.compat !== view.compat) throw new InputError(`the engine's compatibility mode '${options.compat}' differs from its view's '${view.compat}'`, { field: 'compat' }, 'build the PolicyView with the same compat setting');
    if (options.weights === '2025' && !opts.weightScale) throw new InputError('weights 2025 need the 2025 partner totals', { field: 'weights' }, 'pass weightScale from loadWeightScale2025 (src/node/policy/inputs.ts)');
    this.sets = new CandidateSets(view, 'USA');
    const sectorOf = opts.sectorOf ?? ((h: string) => data.gtapOf(h) ?? 'unmapped');
    const sectorIndex = new Map<string, number>();
    const countryOf = (census: string): Country => {
      const c = data.countries.byCensusCode(census);
      if (!c) throw new InputError(`partner code '${census}' in the 2024 trade data is not in data/policy/countries.csv`, { field: 'census_code' }, 'add the country to data/policy/countries.csv');
      return c;
    };
    // Product classes.
    const classIndex = new Map<string, number>();
    const classOfHts = (hts: string): number => {
      const profile = this.sets.productProfile(hts);
      const mfn = mfnOf(data, hts);
      const sector = sectorOf(hts);
      let s = sectorIndex.get(sector);
      if (s === undefined) {
        s = this.sectors.length;
        this.sectors.push(sector);
        sectorIndex.set(sector, s);
      }
      const chapter = Number(hts.slice(0, 2));
      // The metal share matters only under a metal-content action; other products share m = 1.
      const metal = profile.metals ? metalShareOf(data, hts, profile.metals, options.metalShare).share : 1;
      const key = `${profile.key}|${mfn}|${chapter}|${s}|${metal}`;
      let c = classIndex.get(key);
      if (c === undefined) {
        c = this.classes.length;
        this.classes.push({ rep: hts, chapter, mfn, metal, sector: s, profile });
        classIndex.set(key, c);
      }
      return c;
    };
    const htsClass = Int32Array.from(weights.hts, (h) => classOfHts(h));
    // Chapter profiles: class weights within each chapter over all detailed partners.
    const chapterProfile = new Map<number, Map<number, number>>();
    const chapterTotal = new Float64Array(100);
    for (let k = 0; k < weights.detail.value.length; k++) {
      const c = htsClass[weights.detail.h[k]];
      const ch = this.classes[c].chapter;
      const v = weights.detail.value[k];
      if (!chapterProfile.has(ch)) chapterProfile.set(ch, new Map());
      const m = chapterProfile.get(ch)!;
      m.set(c, (m.get(c) ?? 0) + v);
      chapterTotal[ch] += v;
    }
    // Partners and rows (partner, class) → value.
    const partners: Country[] = [];
    const pIndex = new Map<string, number>();
    const partnerIdx = (census: string) => {
      let k = pIndex.get(census);
      if (k === undefined) {
        k = partners.length;
        partners.push(countryOf(census));
        pIndex.set(census, k);
      }
      return k;
    };
    // Rows (partner, class) in order of first appearance: index by key, then key and value by index.
    // Dense (partner, class) → row + 1 index: partners are the trade data's (known up front), classes the HTS
    // lines' plus at most one per chapter for chapters without detailed lines.
    const nP = weights.detailPartners.length + weights.restPartners.length;
    const classCap = this.classes.length + 100;
    const rowIndex = new Int32Array(nP * classCap);
    const rowKeys: number[] = [];
    const rowVals: number[] = [];
    const nC = () => this.classes.length;
    const addRow = (p: number, c: number, v: number): number => {
      if (p >= nP || c >= classCap) throw new Error(`row index out of range (partner ${p} of ${nP}, class ${c} of ${classCap})`);
      let r = rowIndex[p * classCap + c] - 1;
      if (r < 0) {
        r = rowKeys.length;
        rowIndex[p * classCap + c] = r + 1;
        rowKeys.push(p * 1e6 + c);
        rowVals.push(0);
      }
      rowVals[r] += v;
      return r;
    };
    const detailP = weights.detailPartners.map(partnerIdx);
    const isUsmca = weights.detailPartners.map((c) => data.rules.usmcaPartners.has(countryOf(c).key));
    const uRow: number[] = [];
    const uHts: string[] = [];
    const uVal: number[] = [];
    for (let k = 0; k < weights.detail.value.length; k++) {
      const p = detailP[weights.detail.p[k]];
      const c = htsClass[weights.detail.h[k]];
      const r = addRow(p, c, weights.detail.value[k]);
      if (isUsmca[weights.detail.p[k]]) {
        uRow.push(r);
        uHts.push(weights.hts[weights.detail.h[k]]);
        uVal.push(weights.detail.value[k]);
      }
    }
    const restP = weights.restPartners.map(partnerIdx);
    let unprofiled = 0;
    for (let k = 0; k < weights.rest.value.length; k++) {
      const ch = weights.rest.hs2[k];
      const v = weights.rest.value[k];
      const prof = chapterProfile.get(ch);
      if (!prof || chapterTotal[ch] <= 0) {
        addRow(restP[weights.rest.p[k]], classOfHts(String(ch).padStart(2, '0')), v);
        unprofiled += v;
        continue;
      }
      for (const [c, cv] of prof) addRow(restP[weights.rest.p[k]], c, (v * cv) / chapterTotal[ch]);
    }
    if (nC() >= 1e6) throw new Error('too many product classes for the row key');
    this.unprofiled = unprofiled;
    this.partners = partners;
    // Row arrays with candidate sets.
    const profiles = partners.map((p) => this.sets.partnerProfile(p));
    const n = rowKeys.length;
    const row = { p: new Int32Array(n), c: new Int32Array(n), set: new Int32Array(n), m: new Float64Array(n), mfn: new Float64Array(n), value: new Float64Array(n) };
    const scale = partners.map((p) => (options.weights === '2025' ? opts.weightScale!(p) : 1));
    let total = 0;
    // Budget Lab compatibility: its denominator leaves out chapters 98 and 99 (special provisions).
    const dropChapter = options.compat === 'budgetlab' ? (c: number) => this.classes[c].chapter === 98 || this.classes[c].chapter === 99 : () => false;
    for (let k = 0; k < n; k++) {
      const key = rowKeys[k];
      const v0 = dropChapter(key % 1e6) ? 0 : rowVals[k];
      const p = Math.floor(key / 1e6);
      const c = key - p * 1e6;
      const cls = this.classes[c];
      const pp: PartnerProfile = profiles[p];
      row.p[k] = p;
      row.c[k] = c;
      row.set[k] = this.sets.setFor(pp, cls.profile).id;
      row.m[k] = cls.metal;
      const v = v0 * scale[p];
      row.mfn[k] = pp.usmca ? cls.mfn : effectiveMfn(cls.mfn, preferenceShareOf(data, partners[p], cls.rep));
      row.value[k] = v;
      total += v;
    }
    this.row = row;
    this.total = total;
    this.usmcaEntries = { row: Int32Array.from(uRow), hts: uHts, value: Float64Array.from(uVal) };
    // Rows of partners without USMCA shares weigh the same in every period: summed once.
    const usmcaRow = new Uint8Array(n);
    for (const r of uRow) usmcaRow[r] = 1;
    const ur: number[] = [];
    this.baseWeights = new Float64Array(this.sets.sets.length * 4);
    let baseMfn = 0;
    for (let k = 0; k < n; k++) {
      if (usmcaRow[k]) {
        ur.push(k);
        continue;
      }
      const w = row.value[k];
      const o = row.set[k] * 4;
      this.baseWeights[o] += w * row.m[k];
      this.baseWeights[o + 1] += w * (1 - row.m[k]);
      baseMfn += w * row.mfn[k];
    }
    this.baseMfn = baseMfn;
    this.usmcaRows = Int32Array.from(ur);
    this.vec = new Float64Array(this.sets.sets.length * VARIANT_LEN);
  }

  /** The USMCA-share period of a day under the engine's options. */
  periodOf(day: Day): string {
    return usmcaPeriod(this.options.usmcaShares, day);
  }

  /** Row shares and set weights of a USMCA-share period (computed once). A row's q is the 2024-import-weighted
   *  mean of its HTS10 lines' shares: the tariff is linear in q, so the row total is exact. */
  private period(period: string): PeriodWeights {
    let pw = this.periods.get(period);
    if (pw) return pw;
    const data = this.view.data;
    const row = this.row;
    const n = row.value.length;
    const qsum = new Float64Array(n);
    const vsum = new Float64Array(n);
    const u = this.usmcaEntries;
    for (let k = 0; k < u.row.length; k++) {
      const r = u.row[k];
      qsum[r] += u.value[k] * usmcaShareOf(data, this.partners[row.p[r]], u.hts[k], period);
      vsum[r] += u.value[k];
    }
    const q = new Float64Array(n);
    for (let r = 0; r < n; r++) if (vsum[r] > 0) q[r] = qsum[r] / vsum[r];
    const setWeights = Float64Array.from(this.baseWeights);
    let mfnTotal = this.baseMfn;
    for (const k of this.usmcaRows) {
      const w = row.value[k];
      const m = row.m[k];
      const o = row.set[k] * 4;
      setWeights[o] += w * (1 - q[k]) * m;
      setWeights[o + 1] += w * (1 - q[k]) * (1 - m);
      setWeights[o + 2] += w * q[k] * m;
      setWeights[o + 3] += w * q[k] * (1 - m);
      mfnTotal += w * (1 - q[k]) * row.mfn[k];
    }
    pw = { q, setWeights, mfnTotal };
    this.periods.set(period, pw);
    return pw;
  }

  /** Row USMCA shares on a day (aligned with `row`). */
  qOn(day: Day): Float64Array {
    return this.period(this.periodOf(day)).q;
  }

  /** Evaluates every candidate set on a day into `vec`; days with the same actions in force (e.g. the
   *  month starts of monthly USMCA shares) reuse the last evaluation. */
  private evaluateSets(day: Day): Float64Array {
    const sets = this.sets.sets;
    const actionDay = this.actionChangePoint(day);
    if (this.vec.length < sets.length * VARIANT_LEN) {
      this.vec = new Float64Array(sets.length * VARIANT_LEN);
      this.vecDay = null;
    }
    if (this.vecDay === actionDay && this.vecSets === sets.length) return this.vec;
    for (const s of sets) evaluateSet(s, this.view, actionDay, this.vec, s.id * VARIANT_LEN);
    this.vecDay = actionDay;
    this.vecSets = sets.length;
    return this.vec;
  }
  private vecDay: Day | null = null;
  private vecSets = 0;

  /** The latest day ≤ `day` on which an action started or ended. */
  private actionChangePoint(day: Day): Day {
    const days = this.actionDays ?? (this.actionDays = this.view.changeDays(this.view.data.coverage.from, this.view.data.coverage.to));
    return latestAtOrBefore(days, day);
  }
  private actionDays: Day[] | null = null;

  /** Per-program contributions (percentage points; MFN first) on a change day, aggregated set by set. */
  private programTotals(day: Day): Float64Array {
    const hit = this.cache.get(day);
    if (hit) return hit;
    const vec = this.evaluateSets(day);
    const pw = this.period(this.periodOf(day));
    const out = new Float64Array(NP + 1);
    out[0] = pw.mfnTotal;
    const W = pw.setWeights;
    const nSets = W.length / 4;
    for (let s = 0; s < nSets; s++) {
      const o = s * VARIANT_LEN;
      for (let v = 0; v < 4; v++) {
        const w = W[s * 4 + v];
        if (w === 0) continue;
        for (let j = 0; j < NP; j++) out[j + 1] += w * vec[o + v * NP + j];
      }
    }
    for (let j = 0; j <= NP; j++) out[j] /= this.total;
    this.cache.set(day, out);
    return out;
  }

  /** Per-row total tariff (percent) on a change day. */
  private evaluateRows(day: Day): Float64Array {
    const hit = this.rowCache.get(day);
    if (hit) return hit;
    const vec = this.evaluateSets(day);
    const q = this.qOn(day);
    const r = this.row;
    const n = r.value.length;
    const totals = new Float64Array(n);
    const contrib = new Float64Array(NP);
    for (let k = 0; k < n; k++) {
      let t = mixVariants(vec, r.set[k] * VARIANT_LEN, q[k], r.m[k], r.mfn[k], contrib, 0);
      for (let j = 0; j < NP; j++) t += contrib[j];
      totals[k] = t;
    }
    this.rowCache.clear();
    this.rowCache.set(day, totals);
    return totals;
  }

  /** The effective rate on one day. */
  at(day: Day): EtrPoint {
    this.view.checkDay(day);
    const byProgram = this.programTotals(this.changePoint(day));
    return { date: formatDay(day), etr: sum(byProgram), byProgram: [...byProgram] };
  }

  /** The effective rate on one day with the by-partner and by-sector breakdowns. */
  breakdown(day: Day): EtrBreakdown {
    const point = this.at(day);
    const totals = this.evaluateRows(this.changePoint(day));
    const r = this.row;
    const pv = new Float64Array(this.partners.length);
    const pt = new Float64Array(this.partners.length);
    const sv = new Float64Array(this.sectors.length);
    const st = new Float64Array(this.sectors.length);
    for (let k = 0; k < r.value.length; k++) {
      const w = r.value[k];
      pv[r.p[k]] += w;
      pt[r.p[k]] += w * totals[k];
      const s = this.classes[r.c[k]].sector;
      sv[s] += w;
      st[s] += w * totals[k];
    }
    return {
      ...point,
      byPartner: this.partners.map((p, k) => ({ key: p.key, name: p.name, imports: pv[k], etr: pv[k] > 0 ? pt[k] / pv[k] : 0 })).sort((a, b) => b.imports - a.imports),
      bySector: this.sectors.map((s, k) => ({ sector: s, imports: sv[k], etr: sv[k] > 0 ? st[k] / sv[k] : 0 })).sort((a, b) => b.imports - a.imports),
    };
  }

  /** Per-row totals on a day (percent), aligned with `row` — for aggregations such as the model bridge. */
  rowTotals(day: Day): Float64Array {
    this.view.checkDay(day);
    return this.evaluateRows(this.changePoint(day));
  }

  /**
   * Trade-weighted tariffs on `day` grouped by `keyOf(partner, class)` (null leaves a row out): imports (USD),
   * MFN and per-program contributions (percent of the group's imports), total.
   */
  aggregate(day: Day, keyOf: (partner: Country, cls: ProductClass) => string | null): EtrGroup[] {
    this.view.checkDay(day);
    const cp = this.changePoint(day);
    const vec = this.evaluateSets(cp);
    const q = this.qOn(cp);
    const r = this.row;
    const groups = new Map<string, { imports: number; sums: Float64Array }>();
    const contrib = new Float64Array(NP);
    const keyMemo = new Map<number, string | null>();
    for (let k = 0; k < r.value.length; k++) {
      const mk = r.p[k] * 1e6 + r.c[k];
      let key = keyMemo.get(mk);
      if (key === undefined) {
        key = keyOf(this.partners[r.p[k]], this.classes[r.c[k]]);
        keyMemo.set(mk, key);
      }
      if (key === null) continue;
      let g = groups.get(key);
      if (!g) {
        g = { imports: 0, sums: new Float64Array(NP + 1) };
        groups.set(key, g);
      }
      const w = r.value[k];
      const mfn = mixVariants(vec, r.set[k] * VARIANT_LEN, q[k], r.m[k], r.mfn[k], contrib, 0);
      g.imports += w;
      g.sums[0] += w * mfn;
      for (let j = 0; j < NP; j++) g.sums[j + 1] += w * contrib[j];
    }
    return [...groups.entries()].map(([key, g]) => {
      const byProgram = [...g.sums].map((x) => (g.imports > 0 ? x / g.imports : 0));
      return { key, imports: g.imports, byProgram, total: sum(byProgram) };
    });
  }

  /** Daily series from `from` to `to` (inclusive); only change days are evaluated. */
  series(from: Day, to: Day): EtrPoint[] {
    this.view.checkDay(from, 'from');
    this.view.checkDay(to, 'to');
    if (to < from) throw new InputError(`--to ${formatDay(to)} is before --from ${formatDay(from)}`, { field: 'to' });
    const out: EtrPoint[] = [];
    for (let d = from; d <= to; d++) {
      const byProgram = this.programTotals(this.changePoint(d));
      out.push({ date: formatDay(d), etr: sum(byProgram), byProgram: [...byProgram] });
    }
    return out;
  }

  /** The latest day ≤ `day` on which the set of actions in force changed (days in between share results). */
  private changePoint(day: Day): Day {
    const days = this.changeDays ?? (this.changeDays = this.periodChangeDays());
    return latestAtOrBefore(days, day);
  }
  private changeDays: Day[] | null = null;

  /** Days on which an action starts or ends, plus the first day of each month when USMCA shares are monthly. */
  private periodChangeDays(): Day[] {
    const c = this.view.data.coverage;
    const days = new Set(this.view.changeDays(c.from, c.to));
    if (this.options.usmcaShares === 'monthly-2025') {
      for (let d = c.from; d <= c.to; d++) if (formatDay(d).endsWith('-01')) days.add(d);
    }
    return [...days].sort((a, b) => a - b);
  }
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k];
  return s;
}

export interface RealizedRow {
  /** YYYY-MM. */
  month: string;
  /** Mean of the daily statutory rate over the days of the month in the series, percent. */
  statutory: number;
  /** Duties collected ÷ imports, percent. */
  realized: number;
  /** USD millions. */
  duties: number;
  imports: number;
}

/** Months covered by both a daily statutory series and the realized series (whole or partial months). */
export function realizedComparison(series: EtrPoint[], realized: readonly { month: string; duties: number; imports: number; rate: number }[]): RealizedRow[] {
  const byMonth = new Map<string, { s: number; n: number }>();
  for (const p of series) {
    const m = p.date.slice(0, 7);
    const a = byMonth.get(m) ?? { s: 0, n: 0 };
    a.s += p.etr;
    a.n++;
    byMonth.set(m, a);
  }
  const out: RealizedRow[] = [];
  for (const r of realized) {
    const a = byMonth.get(r.month);
    if (a) out.push({ month: r.month, statutory: a.s / a.n, realized: r.rate, duties: r.duties, imports: r.imports });
  }
  return out;
}

/** The latest of the sorted `days` that is ≤ `day` (`day` itself when none is). */
function latestAtOrBefore(days: Day[], day: Day): Day {
  let lo = 0;
  let hi = days.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (days[mid] <= day) lo = mid;
    else hi = mid - 1;
  }
  return days[lo] <= day ? days[lo] : day;
}
