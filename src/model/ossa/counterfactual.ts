// Tariff counterfactuals in the Ossa (2014) model and the quantities of his Table 2. Pure.
//
// Table 2 of Ossa (2014): the US raises its tariffs on all partners by 50 percentage points in one industry
// (chemicals, crp; wearing apparel, wap). Reported for the US (percent):
//   wage relative to the mean:  100(ŵ_US − 1) − mean_i 100(ŵ_i − 1)
//   own-industry sales:         100(Ŷ_US,s / ŵ_US − 1)      (sales deflated by the wage)
//   other industries' sales:    mean over the other industries of 100(Ŷ_US,s' / ŵ_US − 1)
//   welfare 100(Ŵ_US − 1) and its terms-of-trade and profit-shifting components (decomposition.ts).
import type { OssaData } from '../../data/ossa2014.ts';
import { InputError } from '../../errors.ts';
import { decomposeWelfare } from './decomposition.ts';
import { ossaIndustryIndex, ossaRegionIndex } from './lookup.ts';
import { OssaModel, type OssaOutcome } from './model.ts';

/** One tariff change: `importer` changes its tariffs on `exporters` in `industries`. */
export interface OssaTariffChange {
  /** Region that sets the tariffs (importer), by name. */
  importer: string;
  /** Partners affected: 'all' (default: every other region) or names. */
  exporters?: 'all' | string[];
  /** Industries affected: 'all' or codes/names (e.g. ["crp"]). */
  industries: 'all' | string[];
  /** Percentage points added to the factual tariffs (50 = +50 points). Exactly one of addPoints/setPercent. */
  addPoints?: number;
  /** New tariff level in percent (e.g. 25 = 25%). */
  setPercent?: number;
  /** Identifier used in error messages (e.g. a scenario action id). */
  id?: string;
}

export interface OssaRegionResult {
  region: string;
  /** 100(ŵ − 1) minus the mean over regions (percent). */
  wageRelMean: number;
  /** 100(Ŵ − 1), consumer welfare. */
  welfare: number;
  /** 100(Ĝ − 1), government welfare (equals welfare without political economy). */
  governmentWelfare: number;
  termsOfTrade: number;
  profitShifting: number;
  tradeVolume: number;
  /** 100(imports hat − 1), international imports net of tariffs. */
  imports: number;
}

export interface OssaCounterfactualResult {
  regions: string[];
  industries: string[];
  /** Importer of the (first) change; the Table 2 quantities are reported for it. */
  focusRegion: string;
  /** Industries changed by the (first) change. */
  focusIndustries: string[];
  /** Ossa's Table 2 columns for the focus region (percent). */
  table2: {
    wageRelMean: number;
    ownIndustrySales: number;
    otherIndustriesSales: number;
    welfare: number;
    termsOfTrade: number;
    profitShifting: number;
    tradeVolume: number;
  };
  byRegion: OssaRegionResult[];
  outcome: OssaOutcome;
}

/** Applies tariff changes to the factual tariffs; InputError names the change and the bad field. */
export function applyOssaChanges(data: OssaData, changes: OssaTariffChange[]): { tariffs: Float64Array; importer: number[]; industries: number[][] } {
  const N = data.regions.length;
  const t = Float64Array.from(data.tariff);
  const importers: number[] = [];
  const inds: number[][] = [];
  changes.forEach((c, q) => {
    const id = c.id ?? `change ${q + 1}`;
    const j = ossaRegionIndex(data, c.importer, `${id}.importer`);
    const ex = c.exporters === undefined || c.exporters === 'all' ? data.regions.map((_, i) => i).filter((i) => i !== j) : c.exporters.map((e) => ossaRegionIndex(data, e, `${id}.exporters`));
    if (ex.includes(j)) {
      throw new InputError(`${data.regions[j]} cannot tariff its own domestic sales`, { id, field: 'exporters' }, `remove ${data.regions[j]} from the exporters`);
    }
    const ss = c.industries === 'all' ? data.industries.map((_, s) => s) : c.industries.map((x) => ossaIndustryIndex(data, x, `${id}.industries`));
    if (ss.length === 0) throw new InputError('no industries given', { id, field: 'industries' }, "list industry codes (e.g. ['crp']) or 'all'");
    const hasAdd = c.addPoints !== undefined;
    const hasSet = c.setPercent !== undefined;
    if (hasAdd === hasSet) throw new InputError('give exactly one of addPoints and setPercent', { id }, 'e.g. addPoints: 50 for +50 percentage points');
    const v = (hasAdd ? c.addPoints : c.setPercent) as number;
    if (!Number.isFinite(v)) throw new InputError(`${hasAdd ? 'addPoints' : 'setPercent'} is ${v}`, { id, field: hasAdd ? 'addPoints' : 'setPercent' });
    for (const s of ss) {
      for (const i of ex) {
        const k = (s * N + j) * N + i;
        t[k] = hasAdd ? t[k] + v / 100 : v / 100;
        if (!(t[k] > -1)) {
          throw new InputError(`tariff of ${data.regions[j]} on ${data.regions[i]} in ${data.industries[s].code} would be ${(100 * t[k]).toFixed(1)}%`, { id, field: hasAdd ? 'addPoints' : 'setPercent' }, 'tariffs must stay above −100%');
        }
      }
    }
    importers.push(j);
    inds.push(ss);
  });
  return { tariffs: t, importer: importers, industries: inds };
}

/**
 * Runs a tariff counterfactual from the factual equilibrium and reports Ossa's Table 2 quantities for the
 * importer of the first change, plus welfare and its decomposition for every region.
 */
export function runOssaCounterfactual(data: OssaData, change: OssaTariffChange | OssaTariffChange[], opts: { politicalEconomy?: boolean; model?: OssaModel } = {}): OssaCounterfactualResult {
  const changes = Array.isArray(change) ? change : [change];
  if (changes.length === 0) throw new InputError('no tariff changes given', { field: 'changes' });
  const { tariffs, importer, industries } = applyOssaChanges(data, changes);
  const model = opts.model ?? new OssaModel(data, { politicalEconomy: opts.politicalEconomy });
  const out = model.solve(tariffs);
  const { N, S } = model;
  const dec = decomposeWelfare(model.base, out);
  const meanW = out.wageHat.reduce((a, w) => a + 100 * (w - 1), 0) / N;
  const byRegion: OssaRegionResult[] = data.regions.map((region, i) => ({
    region,
    wageRelMean: 100 * (out.wageHat[i] - 1) - meanW,
    welfare: 100 * (out.welfareHat[i] - 1),
    governmentWelfare: 100 * (out.governmentWelfareHat[i] - 1),
    termsOfTrade: dec.termsOfTrade[i],
    profitShifting: dec.profitShifting[i],
    tradeVolume: dec.tradeVolume[i],
    imports: 100 * (out.importsHat[i] - 1),
  }));
  const h = importer[0];
  const own = new Set(industries[0]);
  let ownSum = 0;
  let otherSum = 0;
  for (let s = 0; s < S; s++) {
    const v = 100 * (out.salesHat[h * S + s] / out.wageHat[h] - 1);
    if (own.has(s)) ownSum += v;
    else otherSum += v;
  }
  const nOther = S - own.size;
  return {
    regions: data.regions.slice(),
    industries: data.industries.map((x) => x.code),
    focusRegion: data.regions[h],
    focusIndustries: industries[0].map((s) => data.industries[s].code),
    table2: {
      wageRelMean: byRegion[h].wageRelMean,
      ownIndustrySales: ownSum / own.size,
      otherIndustriesSales: nOther > 0 ? otherSum / nOther : NaN,
      welfare: byRegion[h].welfare,
      termsOfTrade: byRegion[h].termsOfTrade,
      profitShifting: byRegion[h].profitShifting,
      tradeVolume: byRegion[h].tradeVolume,
    },
    byRegion,
    outcome: out,
  };
}

/** A tariff shock in the scenario-file format (src/scenario/schema.ts): selectors are names or lists. */
export interface TariffShockLike {
  importer: string | string[];
  exporter: string | string[];
  sector?: string | string[];
  set?: number;
  add?: number;
  id?: string;
}

/**
 * Maps scenario tariff shocks onto Ossa tariff changes: "all" selects every region (every other region for
 * exporters); sectors "all" or "goods" select all 33 industries (all are goods); `add` is percentage points,
 * `set` a level in percent.
 */
export function ossaChangesFromShocks(data: OssaData, shocks: TariffShockLike[]): OssaTariffChange[] {
  const list = (x: string | string[] | undefined): string[] => (x === undefined ? ['all'] : Array.isArray(x) ? x : [x]);
  const out: OssaTariffChange[] = [];
  shocks.forEach((sh, q) => {
    const id = sh.id ?? `shock ${q + 1}`;
    const imps = list(sh.importer);
    const importers = imps.some((x) => x.toLowerCase() === 'all') ? data.regions : imps;
    const exps = list(sh.exporter);
    const allExp = exps.some((x) => x.toLowerCase() === 'all');
    const secs = list(sh.sector);
    const allSec = secs.some((x) => ['all', 'goods'].includes(x.toLowerCase()));
    for (const imp of importers) {
      const exporters = allExp ? 'all' : exps.filter((e) => e.toLowerCase() !== imp.toLowerCase());
      if (exporters !== 'all' && exporters.length === 0) continue;
      out.push({ id, importer: imp, exporters, industries: allSec ? 'all' : secs, addPoints: sh.add, setPercent: sh.set });
    }
  });
  return out;
}
