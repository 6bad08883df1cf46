// Builds the embedded 2024 baseline ("world2024") from WIOD 2011, the project's concordances, Census 2024 US
// trade, 2024 national accounts and goods trade of every region (WDI) and published tariffs. Method
// (docs/baseline.md):
//   1. read WIOD 2011 (41 × 35), aggregate to the target regions and sectors (./aggregate.ts), USD;
//   2. scale every money value by one factor s so that US goods imports equal the 2024 Census total (a start
//      value only: steps 3 and 5 set every region's level);
//   3. US bilateral goods flows by partner × sector: imports := Census 2024 imports for consumption by partner ×
//      HS2 (mapped to sectors), scaled per partner to the Census general-import headline where one exists, the
//      other partners by one common factor so the total equals the headline total; exports := the scaled WIOD
//      exports (sector mix kept), partners with a Census headline set to it (the EU: its built imports plus the
//      Census-basis balance), the others scaled by one common factor so the total equals the headline total;
//   4. tariffs: US from 2024 calculated duties, others from published averages (./tariffs.ts);
//   5. every region's total goods exports and imports to 2024 (./targets.ts): the non-US bilateral flows by RAS
//      (./ras.ts) from the 2011 structure, and domestic sales by one factor per region so that value added equals
//      2024 GDP;
//   6. CP2015 preprocessing (./input.ts) and a re-solve of the baseline under fixed deficits (CpModel.baseline,
//      injected as `resolveBaseline`), so the shipped world is an exact equilibrium. The re-solve moves flows only
//      where final-demand shares were clipped; steps 5–6 are repeated with every flow corrected by target /
//      achieved and the domestic factors by a Newton step on value added until all match (relative error < 1e-9).
import { join, relative } from 'node:path';
import { ConvergenceError, InputError } from '../../../errors.ts';
import { CP2015_CITATION } from '../../../data/cp2015.ts';
import { tradeTotals, type World } from '../../../data/world.ts';
import { aggregateInput } from '../../../data/builder/aggregate.ts';
import { readHeadlines, readUsImportsByHs2 } from './census.ts';
import { aggregationFor, readHs2Concordance, readTargetRegions, readTargetSectors } from './concordance.ts';
import { worldFromInput, type IoInput } from '../../../data/builder/input.ts';
import { baselineTariffs, readPublishedTariffs } from './tariffs.ts';
import { ras, RasFailure } from '../../../data/builder/ras.ts';
import { readRegionTargets, WDI_CITATION, type Measure, type RegionTarget, type RegionTargets, type TargetSource } from './targets.ts';
import { readWiod2011, WIOD_CITATION } from './wiod.ts';

/** Calibration rounds (re-target, re-solve) before giving up. */
const MAX_ROUNDS = 60;

/** Source of a region's target, for error messages. */
function sourceOf(t: RegionTargets, code: string, m: Measure): TargetSource {
  return t.list.find((x) => x.code === code && x.measure === m)!.source;
}

/** A shared-data path relative to the data folder (the provenance file must not depend on where it was built). */
function relativeSource(file: string, dataDir: string): string {
  const r = relative(dataDir, file);
  return r.startsWith('..') ? file : r.split('\\').join('/');
}

export interface World2024Paths {
  /** Shared data folder (holds wiod2011/, us-tariffs/ and wdi/). */
  dataDir: string;
  /** Folder of the 2024 region targets (default dataDir/wdi). */
  wdi?: string;
  regions: string;
  sectors: string;
  hs2: string;
  tariffs: string;
}

export function defaultPaths(projectRoot: string, dataDir: string): World2024Paths {
  return {
    dataDir,
    regions: join(projectRoot, 'data', 'concordances', 'world2024-regions.csv'),
    sectors: join(projectRoot, 'data', 'concordances', 'world2024-sectors.csv'),
    hs2: join(projectRoot, 'data', 'concordances', 'hs2-world2024-sectors.csv'),
    tariffs: join(projectRoot, 'data', 'baseline', 'inputs', 'applied-tariffs-2024.csv'),
  };
}

/** Census headline partners with imports and exports, used as bilateral targets (file partner name → region code). */
export const HEADLINE_PARTNERS: Record<string, string> = { China: 'CHN', Mexico: 'MEX', Canada: 'CAN' };

/**
 * Partners with a Census-basis goods balance but no export figure: their export target is the built import
 * target plus the balance (European Union: −235.6 bn in 2024).
 */
export const BALANCE_PARTNERS: Record<string, string> = { 'European Union': 'EU' };

export interface TargetCheck {
  partner: string;
  importsTarget: number;
  importsBuilt: number;
  exportsTarget: number;
  exportsBuilt: number;
}

/** A region's 2024 target (GDP, goods exports or imports) with its source and the built value. */
export interface RegionCheck extends RegionTarget {
  achieved: number;
}

export interface World2024Build {
  world: World;
  scale: number;
  iterations: number;
  /** US flows by partner: Census targets and built values. */
  checks: TargetCheck[];
  /** Every region's GDP, exports and imports: 2024 target, source row, built value (source files relative to the data folder). */
  regionChecks: RegionCheck[];
  /** Factor on the non-US importer margins (its inverse on the exporter margins) that reconciles world imports and exports. */
  reconcile: number;
  rasIterations: number;
  /** Factor d_n on each region's (scaled 2011) domestic sales that makes value added equal 2024 GDP, by region code. */
  domesticFactor: Record<string, number>;
  totals: { importsTarget: number; importsBuilt: number; exportsTarget: number; exportsBuilt: number };
  sources: string[];
  diagnostics: string[];
}

export const CENSUS_CITATION =
  'U.S. Census Bureau, U.S. International Trade in Goods, 2024 (imports for consumption and calculated duties by country × HS chapter via the Census international trade API, compiled by tradewartracker/trade-war-redux-2025, MIT; Census-basis goods headline totals).';

/**
 * Re-solves a world to an exact equilibrium with unchanged parameters and deficits (CpModel.baseline() under
 * fixed deficits). Injected by the caller because the data layer may not import the model layer.
 */
export type Resolver = (w: World) => World;

export function buildWorld2024(p: World2024Paths, resolveBaseline: Resolver): World2024Build {
  const tr = readTargetRegions(p.regions);
  const ts = readTargetSectors(p.sectors);
  const targets = readRegionTargets(p.wdi ?? join(p.dataDir, 'wdi'), tr);
  const { input: wiod, report } = readWiod2011(join(p.dataDir, 'wiod2011'));
  const agg = aggregationFor(tr, ts, {
    regionCodes: wiod.regions.map((r) => r.name),
    sectorCodes: wiod.sectors.map((s) => s.name),
    regionField: 'wiod_countries',
    sectorField: 'wiod_industries',
  });
  const base = aggregateInput(wiod, agg, p.regions);
  const N = base.regions.length;
  const J = base.sectors.length;
  const us = base.regions.findIndex((r) => r.code === 'USA');
  if (us < 0) throw new InputError("the region concordance has no 'USA' row", { file: p.regions, field: 'code' });
  // USD millions → USD.
  const trade = base.trade.map((v) => v * 1e6);
  const go = base.grossOutput.map((v) => v * 1e6);

  const tradeDir = join(p.dataDir, 'us-tariffs', 'trade');
  const hs2 = readHs2Concordance(p.hs2, base.sectors);
  const usm = readUsImportsByHs2(join(tradeDir, 'us_imports_2024_by_partner_hs2.csv'), tr, base.sectors, hs2);
  const headlinesFile = join(tradeDir, 'us_trade_2024_bilateral_headlines.csv');
  const heads = readHeadlines(headlinesFile).byPartner;
  const world = heads.get('World');
  if (!world?.imports || !world.exports) throw new InputError("no Census-basis goods 'World' imports and exports rows", { file: headlinesFile });
  const Mtot = world.imports;
  const Etot = world.exports;

  // Step 2: one scale factor.
  let wiodUsImports = 0;
  for (let j = 0; j < J; j++) for (let i = 0; i < N; i++) if (i !== us) wiodUsImports += trade[(j * N + us) * N + i];
  const s = Mtot / wiodUsImports;
  for (let x = 0; x < trade.length; x++) trade[x] *= s;
  for (let x = 0; x < go.length; x++) go[x] *= s;

  // Step 3: targets.
  const headM = new Float64Array(N).fill(NaN);
  const headE = new Float64Array(N).fill(NaN);
  for (const [name, code] of Object.entries(HEADLINE_PARTNERS)) {
    const i = base.regions.findIndex((r) => r.code === code);
    const h = heads.get(name);
    if (i < 0 || !h?.imports || !h.exports) throw new InputError(`no Census-basis goods headline for ${name} (${code})`, { file: headlinesFile });
    headM[i] = h.imports;
    headE[i] = h.exports;
  }
  const conByPartner = new Float64Array(N);
  for (let i = 0; i < N; i++) for (let j = 0; j < J; j++) conByPartner[i] += usm.imports[i * J + j];
  let fixedM = 0;
  let otherCon = 0;
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    if (Number.isNaN(headM[i])) otherCon += conByPartner[i];
    else fixedM += headM[i];
  }
  const fM = (Mtot - fixedM) / otherCon;
  const targetM = new Float64Array(N * J); // by partner i, sector j
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    const f = Number.isNaN(headM[i]) ? fM : headM[i] / conByPartner[i];
    for (let j = 0; j < J; j++) targetM[i * J + j] = usm.imports[i * J + j] * f;
  }
  // Export targets from a Census balance: exports = built imports + balance.
  for (const [name, code] of Object.entries(BALANCE_PARTNERS)) {
    const i = base.regions.findIndex((r) => r.code === code);
    const h = heads.get(name);
    if (i < 0) continue;
    if (h?.balance === undefined) throw new InputError(`no Census-basis goods balance for ${name} (${code})`, { file: headlinesFile });
    let m = 0;
    for (let j = 0; j < J; j++) m += targetM[i * J + j];
    headE[i] = m + h.balance;
    if (!(headE[i] > 0)) throw new InputError(`the Census balance of ${name} (${(h.balance / 1e9).toFixed(1)} bn) exceeds its imports`, { file: headlinesFile });
  }
  const wiodE = new Float64Array(N * J);
  for (let i = 0; i < N; i++) for (let j = 0; j < J; j++) if (i !== us) wiodE[i * J + j] = trade[(j * N + i) * N + us];
  let fixedE = 0;
  let otherE = 0;
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    let e = 0;
    for (let j = 0; j < J; j++) e += wiodE[i * J + j];
    if (Number.isNaN(headE[i])) otherE += e;
    else fixedE += headE[i];
  }
  const gE = (Etot - fixedE) / otherE;
  const targetE = new Float64Array(N * J); // US exports to partner i, sector j
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    let e = 0;
    for (let j = 0; j < J; j++) e += wiodE[i * J + j];
    const f = Number.isNaN(headE[i]) ? gE : headE[i] / e;
    for (let j = 0; j < J; j++) targetE[i * J + j] = wiodE[i * J + j] * f;
  }
  for (let j = 0; j < J; j++) {
    if (base.sectors[j].tradable) continue;
    for (let i = 0; i < N; i++) if (targetM[i * J + j] > 0 || targetE[i * J + j] > 0) throw new InputError(`US trade target in non-tradable sector ${base.sectors[j].name}`, { file: p.sectors });
  }

  // Step 4: tariffs.
  const tariff = baselineTariffs(base.regions, base.sectors, us, usm, readPublishedTariffs(p.tariffs, base.regions), p.tariffs);

  // Step 5: every region to its 2024 totals. The US cells are fixed above; the rest of the off-diagonal matrix
  // (importer and exporter both non-US) is a RAS update of the scaled 2011 flows to the margins
  //   R_n = M_n(2024) − US exports to n,   C_i = E_i(2024) − US imports from i,
  // reconciled to one world total by the geometric mean (R_n × √(ΣC/ΣR), C_i × √(ΣR/ΣC)): world imports exceed
  // world exports in the sources (c.i.f. vs f.o.b. and asymmetries), the model has one value per flow.
  const inBlock = base.regions.map((_, n) => n !== us);
  const usExpTo = new Float64Array(N);
  const usImpFrom = new Float64Array(N);
  for (let n = 0; n < N; n++) for (let j = 0; j < J; j++) {
    usExpTo[n] += targetE[n * J + j];
    usImpFrom[n] += targetM[n * J + j];
  }
  const rowT = new Float64Array(N);
  const colT = new Float64Array(N);
  let sumR = 0;
  let sumC = 0;
  for (let n = 0; n < N; n++) {
    if (n === us) continue;
    rowT[n] = targets.imports[n] - usExpTo[n];
    colT[n] = targets.exports[n] - usImpFrom[n];
    for (const [side, v, us24] of [['imports', rowT[n], usExpTo[n]], ['exports', colT[n], usImpFrom[n]]] as const) {
      if (v > 0) continue;
      const src = sourceOf(targets, base.regions[n].code, side);
      throw new InputError(`the 2024 goods ${side} target of region ${base.regions[n].code} (${(targets[side][n] / 1e9).toFixed(1)} bn) does not exceed its Census 2024 goods ${side === 'imports' ? 'imports from' : 'exports to'} the US (${(us24 / 1e9).toFixed(1)} bn): RAS cannot meet a negative margin for its trade with the other regions`, { file: src.file, row: src.row, field: src.item }, 'check the value (units: current US$) and the region\'s wdi_code');
    }
    sumR += rowT[n];
    sumC += colT[n];
  }
  const reconcile = Math.sqrt(sumC / sumR);
  for (let n = 0; n < N; n++) {
    rowT[n] *= reconcile;
    colT[n] /= reconcile;
  }
  let blockTarget: Float64Array;
  let rasIterations: number;
  try {
    const r = ras(trade, N, J, inBlock, rowT, colT);
    blockTarget = r.trade;
    rasIterations = r.iterations;
  } catch (e) {
    if (!(e instanceof RasFailure)) throw e;
    const src = sourceOf(targets, base.regions[e.region].code, e.side);
    throw new InputError(`RAS cannot meet the 2024 goods ${e.side} of region ${base.regions[e.region].code}: ${e.message}`, { file: src.file, row: src.row, field: src.item }, 'check the target value against the region\'s 2011 trade structure');
  }
  // Domestic sales: D_n^j = d_n · D0_n^j (2011 structure, scaled), one factor per region so that value added
  // w_n L_n = Σ_j γ_n^j (D_n^j + exports_n^j) equals 2024 GDP.
  const dom0 = new Float64Array(N * J);
  for (let i = 0; i < N; i++) for (let j = 0; j < J; j++) {
    let e = 0;
    for (let n = 0; n < N; n++) if (n !== i) e += trade[(j * N + n) * N + i];
    dom0[i * J + j] = Math.max(0, go[i * J + j] - e);
  }
  const offTarget = blockTarget.slice(); // every off-diagonal cell's target: block from RAS, US cells from Census
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    for (let j = 0; j < J; j++) {
      offTarget[(j * N + us) * N + i] = targetM[i * J + j];
      offTarget[(j * N + i) * N + us] = targetE[i * J + j];
    }
  }
  const exportsOf = (t: Float64Array) => {
    const e = new Float64Array(N * J);
    for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (i !== n) e[i * J + j] += t[(j * N + n) * N + i];
    return e;
  };
  const dFactor = new Float64Array(N);
  {
    const e = exportsOf(offTarget);
    for (let n = 0; n < N; n++) {
      let ve = 0;
      let vd = 0;
      for (let j = 0; j < J; j++) {
        ve += base.vaShare[n * J + j] * e[n * J + j];
        vd += base.vaShare[n * J + j] * dom0[n * J + j];
      }
      if (!(targets.gdp[n] > ve) || !(vd > 0)) {
        const src = sourceOf(targets, base.regions[n].code, 'gdp');
        throw new InputError(`the 2024 GDP target of region ${base.regions[n].code} (${(targets.gdp[n] / 1e9).toFixed(1)} bn) is below the value added in its 2024 goods exports (${(ve / 1e9).toFixed(1)} bn)`, { file: src.file, row: src.row, field: src.item }, 'check the value (units: current US$)');
      }
      dFactor[n] = (targets.gdp[n] - ve) / vd;
    }
  }

  // Step 6: preprocess, re-solve, correct. The re-solve moves flows only where final-demand shares were clipped;
  // every off-diagonal cell is corrected by target / achieved and each region's domestic factor by a Newton step
  // on value added, until all match (relative error < 1e-9).
  const set = offTarget.slice();
  let eq: World | null = null;
  let iterations = 0;
  let worst = Infinity;
  for (; iterations < MAX_ROUNDS; iterations++) {
    const t = set.slice();
    const e = exportsOf(t);
    const g = new Float64Array(N * J);
    for (let x = 0; x < N * J; x++) g[x] = dFactor[Math.floor(x / J)] * dom0[x] + e[x];
    const inp: IoInput = {
      name: 'world2024',
      year: 2024,
      currencyUnit: 'USD',
      regions: base.regions,
      sectors: base.sectors,
      trade: t,
      tariff,
      grossOutput: g,
      vaShare: base.vaShare,
      io: base.io,
    };
    const raw = worldFromInput(inp, 'world2024 build');
    eq = resolveBaseline(raw);
    worst = 0;
    for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) {
      if (i === n) continue;
      const x = (j * N + n) * N + i;
      const a = eq.trade[x];
      if (offTarget[x] > 0 && a > 0) {
        worst = Math.max(worst, Math.abs(a / offTarget[x] - 1));
        set[x] *= offTarget[x] / a;
      }
    }
    for (let n = 0; n < N; n++) {
      const va = eq.valueAdded[n];
      let vd = 0;
      for (let j = 0; j < J; j++) vd += base.vaShare[n * J + j] * eq.trade[(j * N + n) * N + n];
      worst = Math.max(worst, Math.abs(va / targets.gdp[n] - 1));
      dFactor[n] *= 1 + (targets.gdp[n] - va) / vd;
    }
    if (worst < 1e-9) break;
  }
  if (!(worst < 1e-6)) throw new ConvergenceError('world2024 calibration (re-target, re-solve) did not match its targets', iterations, { maxRelativeError: worst });
  const w = eq!;
  const checks: TargetCheck[] = [];
  let importsBuilt = 0;
  let exportsBuilt = 0;
  for (let i = 0; i < N; i++) {
    if (i === us) continue;
    let m = 0;
    let e = 0;
    let tm = 0;
    let te = 0;
    for (let j = 0; j < J; j++) {
      m += w.trade[(j * N + us) * N + i];
      e += w.trade[(j * N + i) * N + us];
      tm += targetM[i * J + j];
      te += targetE[i * J + j];
    }
    importsBuilt += m;
    exportsBuilt += e;
    checks.push({ partner: base.regions[i].code, importsTarget: tm, importsBuilt: m, exportsTarget: te, exportsBuilt: e });
  }
  const totals = tradeTotals(w);
  const regionChecks: RegionCheck[] = targets.list.map((t) => {
    const n = base.regions.findIndex((r) => r.code === t.code);
    const achieved = t.measure === 'gdp' ? w.valueAdded[n] : t.measure === 'exports' ? totals.exports[n] : totals.imports[n];
    return { ...t, achieved, source: { ...t.source, file: relativeSource(t.source.file, p.dataDir) } };
  });
  const sources = [
    WIOD_CITATION,
    CENSUS_CITATION,
    WDI_CITATION,
    'Tariffs of importers other than the US: data/baseline/inputs/applied-tariffs-2024.csv (one citation per row).',
    `Trade elasticities θ: ${CP2015_CITATION} (Table 1; see data/concordances/world2024-sectors.csv).`,
  ];
  w.name = 'world2024';
  w.notes = [
    ...sources,
    `WIOD 2011 aggregated to ${N} regions × ${J} sectors and scaled by ${s.toFixed(4)}; US bilateral goods flows by partner × sector re-targeted to Census 2024; every region's GDP (value added) and total goods exports and imports re-targeted to 2024 (WDI; the other bilateral flows by RAS, domestic sales by one factor per region); re-solved to an exact CP2015 equilibrium under fixed deficits.`,
  ];
  return {
    world: w,
    scale: s,
    iterations: iterations + 1,
    checks,
    regionChecks,
    reconcile,
    rasIterations,
    domesticFactor: Object.fromEntries(base.regions.map((r, n) => [r.code, dFactor[n]])),
    totals: { importsTarget: Mtot, importsBuilt, exportsTarget: Etot, exportsBuilt },
    sources,
    diagnostics: [
      `WIOD: ${report.negativePairsClipped} negative bilateral sums (inventory draw-downs) set to 0; ${report.vaClipped} value-added shares clipped to [0,1]; max |row sum − GO| = ${report.maxRowSumGap.toFixed(0)} USD mn`,
      `Census: US imports for consumption ${(usm.total / 1e9).toFixed(1)} bn (HS2 file, excl. EU bloc row) scaled to general-import headlines`,
    ],
  };
}
