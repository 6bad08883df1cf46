// Bridge to the GE model: the tariffs in force on a day as an importer × exporter × sector matrix in the
// layout of src/data/world.ts, bil(j, n, i) = (j·N + n)·N + i (n importer, i exporter, fractions).
//
//   US as importer:  τ_{US,i}^j(d) = Σ_{p∈i, h∈j} w_{p,h} τ_{p,h}(d) / Σ_{p∈i, h∈j} w_{p,h}
//     with the 2024 import weights and per-product tariffs of the effective-rate engine (etr.ts): statutory
//     MFN owed plus every additional program, USMCA and metal-content shares mixed in.
//   China as importer, US as exporter:  τ_{CN,US}^j(d) = all-goods rate(d) + Σ_{h∈j, listed} x_h · list rate_h(d) / X^j
//     with x_h the 2024 US exports to China of listed HS6 lines (from China's list files) and X^j the US
//     exports to China in sector j (the world's flow, scaled to the 2024 Census total).
//
// Mode 'change' (default) adds the policy change since `relativeTo` (default the first day of the data, i.e. the
// tariffs in force before the 2025 actions) to the world's own baseline tariffs: τ = τ_base + τ(d) − τ(ref).
// Mode 'level' replaces the covered cells by τ(d). Cells with no 2024 trade keep the baseline.
// Pure: takes loaded inputs (src/node/policy/inputs.ts loads them).
import { InputError } from '../errors.ts';
import type { UsImports2024 } from '../data/us-trade-2024.ts';
import type { Country } from './countries.ts';
import type { Concordance } from './concordance.ts';
import { formatDay, parseDay, type Day } from './dates.ts';
import { CandidateSets } from './candidates.ts';
import type { PolicyData } from './data.ts';
import { evaluateSet, VARIANT_LEN } from './evaluate.ts';
import { PolicyView } from './view.ts';
import { EtrEngine } from './etr.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from './options.ts';
import { NP } from './stacking.ts';

export interface BridgeInputs {
  data: PolicyData;
  weights: UsImports2024;
  /** 2024 US exports to China by HS6 (USD) for the lines on China's product lists. */
  usExportsToChina?: Map<string, number>;
  /** Total 2024 US goods exports to China (USD), to scale the world's flow. */
  usExportsToChinaTotal?: number;
}

/** The parts of a World the bridge needs (a World satisfies it). */
export interface WorldShape {
  regions: { code: string; name: string }[];
  sectors: { name: string; tradable?: boolean }[];
  /** Baseline tariffs bil(j, n, i), fractions (default zeros). */
  tariff?: Float64Array;
  /** Baseline trade bil(j, n, i), for China's sector weights. */
  trade?: Float64Array;
}

export interface TariffMatrixOptions {
  concordance: Concordance;
  mode?: 'change' | 'level';
  /** Reference day for mode 'change' (default: the first day of the data's range). */
  relativeTo?: string;
  /** Only actions announced on or before this day count (see PolicyView). */
  announcedThrough?: string;
  /** Metal share, USMCA shares, weights (default DEFAULT_POLICY_OPTIONS); weights 2025 need `weightScale`. */
  policy?: PolicyOptions;
  weightScale?: (partner: Country) => number;
  /** Add China's tariffs on US goods (default true when the world has CHN and USA). */
  includeChina?: boolean;
}

export interface TariffMatrix {
  /** bil(j, n, i) tariffs, fractions. */
  tariff: Float64Array;
  date: string;
  relativeTo: string;
  mode: 'change' | 'level';
  /** 1 where the policy set the cell. */
  covered: Uint8Array;
  /** Trade-weighted average US tariff (percent, all covered cells) at `date` and at `relativeTo`. */
  usAverage: { date: number; relativeTo: number };
  notes: string[];
}

const engines = new WeakMap<UsImports2024, WeakMap<PolicyData, Map<string, EtrEngine>>>();

/**
 * Tariffs in force on `date` (YYYY-MM-DD) for a model world. Example: a scenario's "tariffs in force on
 * 2025-04-15" is `tariffMatrixOn('2025-04-15', inputs, world, { concordance }).tariff`.
 */
export function tariffMatrixOn(date: string, inputs: BridgeInputs, world: WorldShape, opts: TariffMatrixOptions): TariffMatrix {
  const data = inputs.data;
  const N = world.regions.length;
  const J = world.sectors.length;
  const mode = opts.mode ?? 'change';
  const day = parseDay(date, { field: 'date' });
  const ref = opts.relativeTo ? parseDay(opts.relativeTo, { field: 'relativeTo' }) : data.coverage.from;
  const cutoff = opts.announcedThrough ? parseDay(opts.announcedThrough, { field: 'announcedThrough' }) : null;
  const view = new PolicyView(data, cutoff, opts.policy?.compat ?? 'none');
  view.checkDay(day);
  view.checkDay(ref, 'relativeTo');
  if (world.tariff && world.tariff.length !== J * N * N) throw new InputError(`world tariff has ${world.tariff.length} entries, expected ${J * N * N}`, { field: 'tariff' });
  const tariff = world.tariff ? Float64Array.from(world.tariff) : new Float64Array(J * N * N);
  const covered = new Uint8Array(J * N * N);
  const notes: string[] = [];
  const code = (c: string) => c.trim().toUpperCase();
  const regionIndex = new Map(world.regions.map((r, k) => [code(r.code), k]));
  const us = regionIndex.get('USA');
  const row = regionIndex.get('ROW');
  const sectorIndex = new Map(world.sectors.map((s, k) => [s.name.trim().toLowerCase(), k]));
  const conc = opts.concordance;
  const concToWorld = conc.sectors.map((name) => {
    const j = sectorIndex.get(name.toLowerCase());
    if (j === undefined) throw new InputError(`concordance sector '${name}' is not a sector of the world (${world.sectors.map((s) => s.name).join(', ')})`, { file: conc.file, field: 'sector' }, 'use the concordance file made for this dataset');
    return j;
  });
  let usDate = 0;
  let usRef = 0;
  if (us === undefined) {
    notes.push('the world has no region USA: no US tariffs set');
  } else {
    const engine = engineFor(view, inputs.weights, conc, cutoff, opts);
    const tD = engine.rowTotals(day);
    const tR = engine.rowTotals(ref);
    const sumW = new Float64Array(J * N);
    const sumD = new Float64Array(J * N);
    const sumR = new Float64Array(J * N);
    const regionsOf = regionMapper(world, regionIndex, row, inputs, notes);
    const r = engine.row;
    let unmapped = 0;
    for (let k = 0; k < r.value.length; k++) {
      const cls = engine.classes[r.c[k]];
      const cs = conc.sectorOf(cls.rep);
      if (cs < 0) {
        unmapped += r.value[k];
        continue;
      }
      const j = concToWorld[cs];
      for (const [i, share] of regionsOf(engine.partners[r.p[k]], cls.chapter)) {
        if (i === us) continue;
        const w = r.value[k] * share;
        sumW[j * N + i] += w;
        sumD[j * N + i] += w * tD[k];
        sumR[j * N + i] += w * tR[k];
      }
    }
    let W = 0;
    for (let j = 0; j < J; j++) {
      for (let i = 0; i < N; i++) {
        const w = sumW[j * N + i];
        if (!(w > 0)) continue;
        const x = (j * N + us) * N + i;
        const td = sumD[j * N + i] / w / 100;
        const tr = sumR[j * N + i] / w / 100;
        tariff[x] = mode === 'level' ? td : tariff[x] + td - tr;
        covered[x] = 1;
        usDate += sumD[j * N + i];
        usRef += sumR[j * N + i];
        W += w;
      }
    }
    usDate /= W;
    usRef /= W;
    if (unmapped > 0) notes.push(`US imports of $${(unmapped / 1e9).toFixed(1)}B map to no sector of ${conc.file} (left out of the weights)`);
  }
  const cn = regionIndex.get('CHN');
  if ((opts.includeChina ?? true) && cn !== undefined && us !== undefined) {
    chinaRows(view, inputs, world, conc, concToWorld, cn, us, day, ref, mode, tariff, covered, notes);
  }
  for (let x = 0; x < tariff.length; x++) {
    if (!Number.isFinite(tariff[x]) || tariff[x] <= -1) throw new InputError(`tariff cell ${x} came out as ${tariff[x]}`, { field: 'tariff' }, 'check the world baseline tariffs');
  }
  return { tariff, date: formatDay(day), relativeTo: formatDay(ref), mode, covered, usAverage: { date: usDate, relativeTo: usRef }, notes };
}

function engineFor(view: PolicyView, weights: UsImports2024, conc: Concordance, cutoff: Day | null, opts: TariffMatrixOptions): EtrEngine {
  let byData = engines.get(weights);
  if (!byData) {
    byData = new WeakMap();
    engines.set(weights, byData);
  }
  // One engine per policy data object too: a caller reading copies of the data (the timing model's scheduled
  // and foreseen schedules) and the data itself in turn keeps each engine.
  let m = byData.get(view.data);
  if (!m) {
    m = new Map();
    byData.set(view.data, m);
  }
  const policy = opts.policy ?? DEFAULT_POLICY_OPTIONS;
  const key = `${conc.file}|${cutoff}|${JSON.stringify(policy)}`;
  let e = m.get(key);
  if (!e) {
    e = new EtrEngine(view, weights, { sectorOf: (h) => String(conc.sectorOf(h)), policy, weightScale: opts.weightScale });
    m.set(key, e);
  }
  return e;
}

/** Partner → [(region, share)]: by ISO3 code; a bloc to its own region, or split over its members' regions by
 *  their 2024 imports in the chapter; everything else to ROW. */
function regionMapper(world: WorldShape, regionIndex: Map<string, number>, row: number | undefined, inputs: BridgeInputs, notes: string[]) {
  const memo = new Map<string, [number, number][]>();
  const missing = new Set<string>();
  const countries = inputs.data.countries;
  return (p: Country, chapter: number): [number, number][] => {
    const own = regionIndex.get(p.key);
    if (own !== undefined) return [[own, 1]];
    if (p.members) {
      const key = `${p.key}|${chapter}`;
      const hit = memo.get(key);
      if (hit) return hit;
      const byMember = inputs.weights.blocMembers[p.census] ?? {};
      const value = new Map<string, number>();
      let tot = 0;
      for (const [census, v] of Object.entries(byMember)) {
        const c = countries.byCensusCode(census);
        if (!c) continue;
        value.set(c.key, v[chapter]);
        tot += v[chapter];
      }
      const parts = new Map<number, number>();
      for (const m of p.members) {
        const i = regionIndex.get(m) ?? row;
        if (i === undefined) continue;
        const share = tot > 0 ? (value.get(m) ?? 0) / tot : 1 / p.members.length;
        if (share > 0) parts.set(i, (parts.get(i) ?? 0) + share);
      }
      const out = [...parts.entries()];
      memo.set(key, out);
      return out;
    }
    if (row !== undefined) return [[row, 1]];
    if (!missing.has(p.key)) {
      missing.add(p.key);
      notes.push(`partner ${p.key} has no region and the world has no ROW: left out`);
    }
    return [];
  };
}

/** China's tariffs on US goods by sector (see the header). */
function chinaRows(
  view: PolicyView,
  inputs: BridgeInputs,
  world: WorldShape,
  conc: Concordance,
  concToWorld: number[],
  cn: number,
  us: number,
  day: Day,
  ref: Day,
  mode: 'change' | 'level',
  tariff: Float64Array,
  covered: Uint8Array,
  notes: string[],
): void {
  const N = world.regions.length;
  const J = world.sectors.length;
  const usa = view.data.countries.find('USA')!;
  const sets = new CandidateSets(view, 'CHN');
  const pp = sets.partnerProfile(usa);
  const vec = new Float64Array(VARIANT_LEN);
  const additional = (hs: string, d: Day): number => {
    const set = sets.setFor(pp, sets.productProfile(hs));
    evaluateSet(set, view, d, vec, 0);
    let s = 0;
    for (let k = 0; k < NP; k++) s += vec[k];
    return s;
  };
  const allD = additional('99', day);
  const allR = additional('99', ref);
  const extraD = new Float64Array(J);
  const extraR = new Float64Array(J);
  const listed = new Float64Array(J);
  for (const [hs, x] of inputs.usExportsToChina ?? []) {
    const cs = conc.sectorOf(hs.padEnd(10, '0'));
    if (cs < 0 || !(x > 0)) continue;
    const j = concToWorld[cs];
    listed[j] += x;
    extraD[j] += x * (additional(hs, day) - allD);
    extraR[j] += x * (additional(hs, ref) - allR);
  }
  let scale = 0;
  if (world.trade && inputs.usExportsToChinaTotal) {
    let flow = 0;
    for (let j = 0; j < J; j++) flow += world.trade[(j * N + cn) * N + us];
    scale = flow > 0 ? inputs.usExportsToChinaTotal / flow : 0;
  } else if (inputs.usExportsToChina?.size) {
    notes.push("China's product-list tariffs left out: the world has no trade flows (or no 2024 export total) to weight them");
  }
  for (let j = 0; j < J; j++) {
    if (world.sectors[j].tradable === false) continue;
    const x = (j * N + cn) * N + us;
    let td = allD;
    let tr = allR;
    if (scale > 0 && listed[j] > 0) {
      const X = Math.max(world.trade![x] * scale, listed[j]);
      td += extraD[j] / X;
      tr += extraR[j] / X;
    }
    tariff[x] = mode === 'level' ? tariff[x] + td / 100 : tariff[x] + (td - tr) / 100;
    covered[x] = 1;
  }
  notes.push("China's tariffs on US goods: additional duties only (China's MFN stays at the world's baseline); the Feb 2025 list (energy, machinery, cars) has no export weights and counts only through the all-goods rate");
}
