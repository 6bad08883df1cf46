// Reports of a CP2015 counterfactual: per-region real income (exact) with its §4.1 decomposition by sector and
// partner (integrated along the path of the shock when the caller solved the path, ./path.ts), the paper's
// one-step decomposition, real wage, prices in stated units, tariff incidence, output, trade, tariff revenue and
// trade balances, before and after. Percent changes are in percent (1.31 means +1.31%). Levels are in the
// world's currency unit (after re-solving, in units of the baseline world value added's currency).
// Everything here is plain JSON-ready data except `equilibrium` and `tables` (typed arrays).
import type { World } from '../../data/world.ts';
import type { CpEconomy } from './economy.ts';
import type { PathSolution } from './path.ts';
import type { CpConvergence, CpEquilibrium } from './solve.ts';
import { consumerPriceChange, decomposeWelfareOneStep, type WelfareDecomposition } from './welfare.ts';

/** What each closure's changes are relative to (`year` is the baseline's year), for labels in every report. */
export function closureMeaning(closure: string, year: number): string {
  if (closure === 'zero-deficits') {
    return `relative to a rebalanced world, not to ${year}: the baseline is first re-solved with zero trade deficits (as in CP2015), then the shock is applied`;
  }
  if (closure === 'fixed-deficits') return `relative to the ${year} baseline, with each trade deficit held at its baseline level in units of world GDP (the numéraire)`;
  if (closure === 'dollar-deficits') return `relative to the ${year} baseline, with each trade deficit held at its baseline level in dollars, the dollar being the US wage (the numéraire: prices and wages "in the numéraire" are in US wages)`;
  return `relative to the ${year} baseline (closure ${closure})`;
}

/** Units of every number in a RegionReport, for JSON and column headers. */
export const REPORT_UNITS = {
  changes: 'percent',
  realIncome: 'percent change of Î/P̂ (exact)',
  welfare: 'percent of baseline real income; parts add up to realIncome up to `gap` (percentage points)',
  welfareOneStep: 'percent of baseline income, CP2015 §4.1 in one step from the baseline (Table 2 method)',
  consumerPricesRelativeToWage: "percent change of the consumer price level in units of the region's own wage (P̂/ŵ − 1)",
  consumerPrices: 'percent change of the consumer price level in the numéraire (world value added)',
  wage: 'percent change of the wage in the numéraire (world value added)',
  'importPrices.changedTariffsInImporterWage': "percent changes of border prices and prices to buyers in units of the importer's own wage; buyersShare = (price to buyers change) / (tariff-factor change), a fraction",
  'importPrices.ownTariffsOnly': "the same, with only this importer's tariff changes applied (its own tariffs' incidence)",
  'importPrices.changedTariffsInExporterWages': "percent changes in units of each exporter's wage (ĉ d̂ / ŵ_exporter); buyersShare a fraction",
  'importPrices.changedTariffs': 'percent changes in the numéraire (world value added); buyersShare a fraction',
  gdp: 'baseline value added of the dataset (before any re-solve), currency units per year',
  volume: 'percent change at baseline prices (exports, imports, sectorGroups.realOutput, sectors.realOutput): numéraire-free',
  employment: 'percent change of employment (value added in units of the own wage): numéraire-free',
  levels: 'currency units per year (the dataset currency); zero-deficit levels are those of the rebalanced world',
} as const;

export interface BeforeAfter {
  before: number;
  after: number;
  /** Percent change (after / before − 1) × 100; 0 when both are 0. */
  change: number;
}

export interface WelfareParts {
  termsOfTrade: number;
  volumeOfTrade: number;
  tradeCosts: number;
}

/** Goods trade with one partner, net of tariffs: balance (exports − imports), imports and exports. */
export interface PartnerTrade {
  before: number;
  after: number;
  imports: BeforeAfter;
  exports: BeforeAfter;
}

export interface SectorReport {
  sector: string;
  grossOutput: BeforeAfter;
  valueAdded: BeforeAfter;
  /** Percent change of gross output at baseline prices (quantity): Ŷ_n^j / ĉ_n^j − 1; numéraire-free. */
  realOutput: number;
  /** Percent change of employment (labour is the only factor): Ŷ_n^j / ŵ_n − 1; numéraire-free. */
  employment: number;
  /** Percent change of the sectoral price index P_n^j, in the numéraire. */
  price: number;
  imports: BeforeAfter;
  exports: BeforeAfter;
}

/** A trade total in levels (numéraire, currency units per year) and its volume change at baseline prices, percent. */
export type TradeTotal = BeforeAfter & { volume: number };

/** CP2015's one-step decomposition (Table 2 method), percent of baseline income. */
export type OneStepWelfare = WelfareParts & { deficits: number; total: number; bySector: Record<string, WelfareParts>; byPartner: Record<string, WelfareParts> };

/**
 * The decomposition of the exact real-income change: integrated along the path of the shock (`method: 'path'`,
 * `steps` steps), or, when the caller did not ask for the path, the one-step evaluation (`method: 'one-step'`).
 * `total` is the sum of the parts; `gap` = realIncome − total, percentage points.
 */
export type RealIncomeDecomposition = OneStepWelfare & { method: 'path' | 'one-step'; steps: number; realIncome: number; gap: number };

export interface RegionReport {
  region: string;
  code: string;
  /** Exact change in real income Î_n / P̂_n − 1, percent: the headline. */
  realIncome: number;
  /** realIncome split into terms of trade, volume of trade, trade costs and deficit change. */
  welfare: RealIncomeDecomposition;
  /** CP2015 §4.1 evaluated in one step from the baseline (reproduces CP2015 Table 2; not the exact change). */
  welfareOneStep: OneStepWelfare;
  /** Baseline value added (GDP) of the dataset before any re-solve, currency units per year. */
  gdp: number;
  /** ŵ_n / P̂_n − 1, percent (P̂_n = Π_j (P̂_n^j)^{α_n^j}). */
  realWage: number;
  /** ŵ_n − 1, percent, relative to the numéraire (world value added). */
  wage: number;
  /** P̂_n / ŵ_n − 1, percent: the consumer price level in units of the region's own wage (numéraire-free). */
  consumerPricesRelativeToWage: number;
  /** P̂_n − 1, percent: the consumer price level in the numéraire (world value added). */
  consumerPrices: number;
  income: BeforeAfter;
  tariffRevenue: BeforeAfter & { shareOfIncomeBefore: number; shareOfIncomeAfter: number };
  /** Exports and imports net of tariffs: levels in the numéraire (`change` is in value) and `volume`, the percent
   *  change at baseline prices (each flow deflated by its exporter's cost change ĉ_i^j d̂_ni^j); numéraire-free. */
  exports: TradeTotal;
  imports: TradeTotal;
  /** Exports − imports, net of tariffs, total and by partner (with the partner's imports and exports). */
  tradeBalance: { before: number; after: number; byPartner: Record<string, PartnerTrade> };
  /** Gross output and value added summed over each sector group (e.g. manufacturing), before and after, in the
   *  numéraire; `realOutput` (gross output at baseline prices) and `employment`, percent changes, numéraire-free. */
  sectorGroups: Record<string, { grossOutput: BeforeAfter; valueAdded: BeforeAfter; realOutput: number; employment: number }>;
  /** Tariff incidence on this region's imports (see importPriceChanges). */
  importPrices: ImportPriceChanges;
  sectors: SectorReport[];
}

/**
 * Import-weighted changes in the prices of a region's imports (weights: baseline imports net of tariffs), %.
 * Before tariff: the exporter's input-bundle cost times the iceberg change, ĉ_i^j d̂_ni^j (the border price);
 * after tariff: that times the tariff-factor change (1+τ'_ni^j)/(1+τ_ni^j) (the price buyers pay).
 * `changedTariffs` restricts the averages to the flows whose tariff changed and gives `buyersShare`, the
 * after-tariff price change over the tariff-factor change: 1 = buyers pay all of the tariff, 0 = foreign
 * exporters absorb it all (null when no tariff of this importer changed).
 */
export interface ImportPriceChanges {
  beforeTariff: number;
  afterTariff: number;
  /** On the flows whose tariff changed, border prices in the numéraire (world value added). */
  changedTariffs: Incidence | null;
  /**
   * The headline incidence: on the flows whose tariff changed, border prices ĉ_i^j d̂_ni^j in units of the
   * importer's own wage ŵ_n (what its buyers' labour buys), by exporter too. Null when no tariff of n changed.
   */
  changedTariffsInImporterWage: (Incidence & { byExporter: Record<string, Incidence> }) | null;
  /** The same with each border price in units of its exporter's wage, ĉ_i^j d̂_ni^j / ŵ_i (docs/cp2015.md). */
  changedTariffsInExporterWages: Incidence | null;
  /**
   * Incidence of this importer's own tariff changes alone: the counterfactual re-solved with only n's tariffs
   * changed, border prices in n's wage. Filled by `ownTariffIncidence` (./incidence.ts); absent otherwise.
   */
  ownTariffsOnly?: Incidence;
}

/** Import-weighted percent changes of border prices, prices to buyers and tariff factors; buyersShare a fraction. */
export interface Incidence {
  beforeTariff: number;
  afterTariff: number;
  tariffFactor: number;
  buyersShare: number;
}

export interface CpResults {
  model: 'cp2015';
  closure: string;
  /** What the changes are relative to under this closure (label for every report). */
  closureMeaning: string;
  units: typeof REPORT_UNITS;
  currencyUnit: string;
  regions: RegionReport[];
  convergence: { baseline: CpConvergence; counterfactual: CpConvergence };
  /** When solved along the path of the shock: its steps and the outer iterations summed over them. */
  path?: { steps: number; iterations: number };
  /** The raw solution (changes and new levels), e.g. to warm-start a nearby counterfactual. */
  equilibrium: CpEquilibrium;
  /** Bilateral sectoral tables, bil(j,n,i): trade net of tariffs and tariffs (fractions), before and after. */
  tables: {
    regionNames: string[];
    sectorNames: string[];
    tradeBefore: Float64Array;
    tradeAfter: Float64Array;
    tariffBefore: Float64Array;
    tariffAfter: Float64Array;
  };
}

const pct = (after: number, before: number): number => (before === 0 ? (after === 0 ? 0 : Infinity) : (after / before - 1) * 100);
const ba = (before: number, after: number): BeforeAfter => ({ before, after, change: pct(after, before) });

export function buildResults(
  world: World,
  e: CpEconomy,
  eq: CpEquilibrium,
  closure: string,
  baselineConvergence: CpConvergence,
  extra: { path?: PathSolution; dataValueAdded?: Float64Array; dataYear?: number } = {},
): CpResults {
  const { N, J } = e;
  const regionNames = world.regions.map((r) => r.name);
  const sectorNames = world.sectors.map((s) => s.name);
  const tradeBefore = new Float64Array(J * N * N);
  const tradeAfter = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        tradeBefore[base + i] = (e.pi[base + i] * e.X[n * J + j]) / (1 + e.tau[base + i]);
        tradeAfter[base + i] = (eq.piNew[base + i] * eq.X[n * J + j]) / (1 + eq.shock.tauNew[base + i]);
      }
    }
  }
  const revenueBefore = new Float64Array(N);
  const incomeBefore = new Float64Array(N);
  const Ybefore = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const base = (j * N + n) * N;
      for (let i = 0; i < N; i++) {
        revenueBefore[n] += e.tau[base + i] * tradeBefore[base + i];
        Ybefore[i * J + j] += tradeBefore[base + i];
      }
    }
  }
  for (let n = 0; n < N; n++) incomeBefore[n] = e.VA[n] + revenueBefore[n] + e.D[n];
  const dec = decomposeWelfareOneStep(e, eq, incomeBefore);
  const pathDec: WelfareDecomposition = extra.path ? extra.path.welfare : dec;

  // Sums over the flat tables first (one pass over bil(j,n,i); each sum in the same order as the per-region
  // loops below used to take it, so the report is unchanged to the last bit):
  //   parts (ToT, VoT, trade costs) by (n, sector j) at 3·(n·J + j) + part and by (n, partner i) at 3·(n·N + i) + part,
  //   for the path [0] and the one-step evaluation [1];
  //   imports / exports by (n, j) and by (n, i), the balance with each partner (summed by sector), and trade
  //   volumes at baseline prices by region.
  const details = [pathDec, dec];
  const sectorParts = [new Float64Array(3 * N * J), new Float64Array(3 * N * J)];
  const partnerParts = [new Float64Array(3 * N * N), new Float64Array(3 * N * N)];
  const NJ = N * J;
  const sImB = new Float64Array(NJ);
  const sImA = new Float64Array(NJ);
  const sExB = new Float64Array(NJ);
  const sExA = new Float64Array(NJ);
  const pImB = new Float64Array(N * N);
  const pImA = new Float64Array(N * N);
  const pExB = new Float64Array(N * N);
  const pExA = new Float64Array(N * N);
  const balB = new Float64Array(N * N);
  const balA = new Float64Array(N * N);
  const imQ = new Float64Array(N);
  const exQ = new Float64Array(N);
  const dHat = eq.shock.dHat;
  for (let k = 0; k < 2; k++) {
    const { totDetail, votDetail, costDetail } = details[k];
    const sp = sectorParts[k];
    const pp = partnerParts[k];
    for (let j = 0; j < J; j++) {
      for (let n = 0; n < N; n++) {
        const row = (j * N + n) * N;
        const s3 = 3 * (n * J + j);
        for (let i = 0; i < N; i++) {
          const x = row + i;
          const p3 = 3 * (n * N + i);
          sp[s3] += totDetail[x];
          sp[s3 + 1] += votDetail[x];
          sp[s3 + 2] += costDetail[x];
          pp[p3] += totDetail[x];
          pp[p3 + 1] += votDetail[x];
          pp[p3 + 2] += costDetail[x];
        }
      }
    }
  }
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      const row = (j * N + n) * N;
      const rs = n * J + j;
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        const x = row + i; // n imports from i
        const y = (j * N + i) * N + n; // n exports to i
        const ni = n * N + i;
        sImB[rs] += tradeBefore[x];
        sImA[rs] += tradeAfter[x];
        sExB[rs] += tradeBefore[y];
        sExA[rs] += tradeAfter[y];
        imQ[n] += tradeAfter[x] / (eq.cHat[i * J + j] * (dHat ? dHat[x] : 1));
        exQ[n] += tradeAfter[y] / (eq.cHat[rs] * (dHat ? dHat[y] : 1));
        balB[ni] += tradeBefore[y] - tradeBefore[x];
        balA[ni] += tradeAfter[y] - tradeAfter[x];
        pImB[ni] += tradeBefore[x];
        pImA[ni] += tradeAfter[x];
        pExB[ni] += tradeBefore[y];
        pExA[ni] += tradeAfter[y];
      }
    }
  }
  const codes = world.regions.map((r) => r.code);

  const regions: RegionReport[] = [];
  for (let n = 0; n < N; n++) {
    const PHat = consumerPriceChange(e, eq.PHat, n);
    const balanceByPartner: Record<string, PartnerTrade> = {};
    for (let i = 0; i < N; i++) {
      if (i === n) continue;
      const ni = n * N + i;
      balanceByPartner[regionNames[i]] = { before: balB[ni], after: balA[ni], imports: ba(pImB[ni], pImA[ni]), exports: ba(pExB[ni], pExA[ni]) };
    }
    let exB = 0;
    let exA = 0;
    let imB = 0;
    let imA = 0;
    const sectors: SectorReport[] = [];
    for (let j = 0; j < J; j++) {
      const rs = n * J + j;
      exB += sExB[rs];
      exA += sExA[rs];
      imB += sImB[rs];
      imA += sImA[rs];
      const yb = Ybefore[rs];
      const ya = eq.Y[rs];
      const g = e.gammaVA[rs];
      sectors.push({
        sector: sectorNames[j],
        grossOutput: ba(yb, ya),
        valueAdded: ba(g * yb, g * ya),
        realOutput: pct(ya / eq.cHat[rs], yb),
        employment: pct(ya / eq.wHat[n], yb),
        price: (eq.PHat[rs] - 1) * 100,
        imports: ba(sImB[rs], sImA[rs]),
        exports: ba(sExB[rs], sExA[rs]),
      });
    }
    const partsAt = (a: Float64Array, at: number): WelfareParts => ({ termsOfTrade: a[at], volumeOfTrade: a[at + 1], tradeCosts: a[at + 2] });
    const [bySector, bySector1] = sectorParts.map((a) => Object.fromEntries(sectorNames.map((name, j) => [name, partsAt(a, 3 * (n * J + j))])));
    const [byPartner, byPartner1] = partnerParts.map((a) => Object.fromEntries(regionNames.flatMap((name, i) => (i === n ? [] : [[name, partsAt(a, 3 * (n * N + i))]]))));
    const exQn = exQ[n];
    const imQn = imQ[n];
    const incomeAfter = eq.income[n];
    const importPrices = importPriceChanges(e, eq, n, codes);
    const sectorGroups: RegionReport['sectorGroups'] = {};
    const quantities: Record<string, { q: number; l: number }> = {};
    sectors.forEach((sr, j) => {
      const g = world.sectors[j].group;
      if (!g) return;
      const acc = (sectorGroups[g] ??= { grossOutput: ba(0, 0), valueAdded: ba(0, 0), realOutput: 0, employment: 0 });
      const qa = (quantities[g] ??= { q: 0, l: 0 });
      acc.grossOutput = ba(acc.grossOutput.before + sr.grossOutput.before, acc.grossOutput.after + sr.grossOutput.after);
      acc.valueAdded = ba(acc.valueAdded.before + sr.valueAdded.before, acc.valueAdded.after + sr.valueAdded.after);
      qa.q += sr.grossOutput.after / eq.cHat[n * J + j];
      qa.l += sr.valueAdded.after / eq.wHat[n];
      acc.realOutput = pct(qa.q, acc.grossOutput.before);
      acc.employment = pct(qa.l, acc.valueAdded.before);
    });
    const realIncome = (incomeAfter / incomeBefore[n] / PHat - 1) * 100;
    regions.push({
      region: regionNames[n],
      code: world.regions[n].code,
      realIncome,
      welfare: {
        method: extra.path ? 'path' : 'one-step',
        steps: extra.path ? extra.path.steps : 1,
        realIncome,
        termsOfTrade: pathDec.termsOfTrade[n],
        volumeOfTrade: pathDec.volumeOfTrade[n],
        tradeCosts: pathDec.tradeCosts[n],
        deficits: pathDec.deficits[n],
        total: pathDec.total[n],
        gap: realIncome - pathDec.total[n],
        bySector,
        byPartner,
      },
      welfareOneStep: {
        termsOfTrade: dec.termsOfTrade[n],
        volumeOfTrade: dec.volumeOfTrade[n],
        tradeCosts: dec.tradeCosts[n],
        deficits: dec.deficits[n],
        total: dec.total[n],
        bySector: bySector1,
        byPartner: byPartner1,
      },
      gdp: extra.dataValueAdded ? extra.dataValueAdded[n] : e.VA[n],
      realWage: (eq.wHat[n] / PHat - 1) * 100,
      wage: (eq.wHat[n] - 1) * 100,
      consumerPricesRelativeToWage: (PHat / eq.wHat[n] - 1) * 100,
      consumerPrices: (PHat - 1) * 100,
      income: ba(incomeBefore[n], incomeAfter),
      tariffRevenue: {
        ...ba(revenueBefore[n], eq.R[n]),
        shareOfIncomeBefore: (100 * revenueBefore[n]) / incomeBefore[n],
        shareOfIncomeAfter: (100 * eq.R[n]) / incomeAfter,
      },
      exports: { ...ba(exB, exA), volume: pct(exQn, exB) },
      imports: { ...ba(imB, imA), volume: pct(imQn, imB) },
      tradeBalance: { before: exB - imB, after: exA - imA, byPartner: balanceByPartner },
      sectorGroups,
      importPrices,
      sectors,
    });
  }
  return {
    model: 'cp2015',
    closure,
    closureMeaning: closureMeaning(closure, extra.dataYear ?? world.year),
    units: REPORT_UNITS,
    currencyUnit: world.currencyUnit,
    regions,
    convergence: { baseline: baselineConvergence, counterfactual: eq.convergence },
    ...(extra.path ? { path: { steps: extra.path.steps, iterations: extra.path.iterations } } : {}),
    equilibrium: eq,
    tables: { regionNames, sectorNames, tradeBefore, tradeAfter, tariffBefore: e.tau.slice(), tariffAfter: eq.shock.tauNew.slice() },
  };
}

/** Tariff incidence for importer n (see ImportPriceChanges); `codes` name the exporters. */
export function importPriceChanges(e: CpEconomy, eq: CpEquilibrium, n: number, codes: string[]): ImportPriceChanges {
  const { N, J } = e;
  // Sums of weight, border, after-tariff, factor: over all flows [0]; over flows whose tariff changed, in the
  // numéraire [1], in the importer's wage [2], in the exporters' wages [3]; per exporter in the importer's wage.
  const acc = [0, 1, 2, 3].map(() => new Float64Array(4));
  const byExporter = new Map<number, Float64Array>();
  for (let j = 0; j < J; j++) {
    for (let i = 0; i < N; i++) {
      if (i === n) continue;
      const x = (j * N + n) * N + i;
      const M = (e.pi[x] * e.X[n * J + j]) / (1 + e.tau[x]);
      if (M === 0) continue;
      const border = eq.cHat[i * J + j] * (eq.shock.dHat ? eq.shock.dHat[x] : 1);
      const tf = (1 + eq.shock.tauNew[x]) / (1 + e.tau[x]);
      addFlow(acc[0], M, border, tf);
      if (tf === 1) continue;
      addFlow(acc[1], M, border, tf);
      addFlow(acc[2], M, border / eq.wHat[n], tf);
      addFlow(acc[3], M, border / eq.wHat[i], tf);
      let a = byExporter.get(i);
      if (!a) byExporter.set(i, (a = new Float64Array(4)));
      addFlow(a, M, border / eq.wHat[n], tf);
    }
  }
  const changed = acc[1][0] > 0;
  return {
    beforeTariff: pctOf(acc[0], 1),
    afterTariff: pctOf(acc[0], 2),
    changedTariffs: changed ? incidenceOf(acc[1]) : null,
    changedTariffsInImporterWage: changed
      ? { ...incidenceOf(acc[2]), byExporter: Object.fromEntries([...byExporter.entries()].sort((p, q) => q[1][0] - p[1][0]).map(([i, a]) => [codes[i], incidenceOf(a)])) }
      : null,
    changedTariffsInExporterWages: changed ? incidenceOf(acc[3]) : null,
  };
}

/** Adds a flow of weight M, price change b and tariff-factor change tf to the sums (weight, border, after tariff, factor). */
function addFlow(a: Float64Array, M: number, b: number, tf: number): void {
  a[0] += M;
  a[1] += M * b;
  a[2] += M * b * tf;
  a[3] += M * tf;
}

const pctOf = (a: Float64Array, k: number): number => (a[0] > 0 ? (a[k] / a[0] - 1) * 100 : 0);
/** From sums (weight, border, after tariff, factor): percent changes and the buyers' share. */
const incidenceOf = (a: Float64Array): Incidence => ({ beforeTariff: pctOf(a, 1), afterTariff: pctOf(a, 2), tariffFactor: pctOf(a, 3), buyersShare: pctOf(a, 2) / pctOf(a, 3) });

/** Imports of region `importer` from region `exporter` summed over sectors (net of tariffs), before and after. */
export function bilateralFlow(r: CpResults, importer: number, exporter: number): { before: number; after: number } {
  const { tradeBefore, tradeAfter, sectorNames, regionNames } = r.tables;
  const N = regionNames.length;
  let before = 0;
  let after = 0;
  for (let j = 0; j < sectorNames.length; j++) {
    before += tradeBefore[(j * N + importer) * N + exporter];
    after += tradeAfter[(j * N + importer) * N + exporter];
  }
  return { before, after };
}
