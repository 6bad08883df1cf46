// Builds the embedded 2024 baseline ("world2024") from WIOD 2011, the project's concordances, Census 2024 US
// trade and published tariffs. Method (docs/baseline.md):
//   1. read WIOD 2011 (41 × 35), aggregate to the target regions and sectors (./aggregate.ts), USD;
//   2. scale every money value by one factor s so that US goods imports equal the 2024 Census total (all
//      shares, and so every parameter, unchanged);
//   3. re-target US bilateral goods flows: US imports from partner i in sector j := Census 2024 imports for
//      consumption by partner × HS2 (mapped to sectors), scaled per partner to the Census general-import headline
//      where one exists, the other partners by one common factor so the total equals the headline total; US
//      exports to i := the scaled WIOD exports (sector mix kept), partners with a Census headline set to it (the
//      EU: its built imports plus the Census-basis balance), the others scaled by one common factor so the total
//      equals the headline total. Gross output of every other
//      cell is kept, so the change in a partner's sales to the US comes out of (or goes into) its domestic sales
//      (GO is raised where exports would exceed it);
//   4. tariffs: US from 2024 calculated duties, others from published averages (./tariffs.ts);
//   5. CP2015 preprocessing (./input.ts) and a re-solve of the baseline under fixed deficits
//      (CpModel.baseline, injected as `resolveBaseline`), so the shipped world is an exact equilibrium. The re-solve moves flows only where final
//      demand shares were clipped; steps 3–5 are repeated with the US flows corrected by target / achieved until
//      the US flows match their targets (relative error < 1e-7).
import { join } from 'node:path';
import { InputError } from '../../errors.ts';
import { CP2015_CITATION } from '../cp2015.ts';
import type { World } from '../world.ts';
import { aggregateInput } from './aggregate.ts';
import { readHeadlines, readUsImportsByHs2 } from './census.ts';
import { aggregationFor, readHs2Concordance, readTargetRegions, readTargetSectors } from './concordance.ts';
import { worldFromInput, type IoInput } from './input.ts';
import { baselineTariffs, readPublishedTariffs } from './tariffs.ts';
import { readWiod2011, WIOD_CITATION } from './wiod.ts';

export interface World2024Paths {
  /** Shared data folder (holds wiod2011/ and us-tariffs/). */
  dataDir: string;
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

export interface World2024Build {
  world: World;
  scale: number;
  iterations: number;
  checks: TargetCheck[];
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

  // Step 5: preprocess, re-solve, correct.
  const setM = targetM.slice();
  const setE = targetE.slice();
  let eq: World | null = null;
  let iterations = 0;
  for (; iterations < 25; iterations++) {
    const t = trade.slice();
    for (let i = 0; i < N; i++) {
      if (i === us) continue;
      for (let j = 0; j < J; j++) {
        t[(j * N + us) * N + i] = setM[i * J + j];
        t[(j * N + i) * N + us] = setE[i * J + j];
      }
    }
    const inp: IoInput = {
      name: 'world2024',
      year: 2024,
      currencyUnit: 'USD',
      regions: base.regions,
      sectors: base.sectors,
      trade: t,
      tariff,
      grossOutput: go,
      vaShare: base.vaShare,
      io: base.io,
    };
    const raw = worldFromInput(inp, 'world2024 build');
    eq = resolveBaseline(raw);
    let worst = 0;
    for (let i = 0; i < N; i++) {
      if (i === us) continue;
      for (let j = 0; j < J; j++) {
        const am = eq.trade[(j * N + us) * N + i];
        const ae = eq.trade[(j * N + i) * N + us];
        if (targetM[i * J + j] > 0 && am > 0) {
          worst = Math.max(worst, Math.abs(am / targetM[i * J + j] - 1));
          setM[i * J + j] *= targetM[i * J + j] / am;
        }
        if (targetE[i * J + j] > 0 && ae > 0) {
          worst = Math.max(worst, Math.abs(ae / targetE[i * J + j] - 1));
          setE[i * J + j] *= targetE[i * J + j] / ae;
        }
      }
    }
    if (worst < 1e-7) break;
  }
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
  const sources = [
    WIOD_CITATION,
    CENSUS_CITATION,
    'Tariffs of importers other than the US: data/baseline/inputs/applied-tariffs-2024.csv (one citation per row).',
    `Trade elasticities θ: ${CP2015_CITATION} (Table 1; see data/concordances/world2024-sectors.csv).`,
  ];
  w.name = 'world2024';
  w.notes = [
    ...sources,
    `WIOD 2011 aggregated to ${N} regions × ${J} sectors; all values scaled by ${s.toFixed(4)} so US goods imports equal the 2024 Census total; US bilateral goods flows re-targeted to Census 2024; re-solved to an exact CP2015 equilibrium under fixed deficits.`,
  ];
  return {
    world: w,
    scale: s,
    iterations: iterations + 1,
    checks,
    totals: { importsTarget: Mtot, importsBuilt, exportsTarget: Etot, exportsBuilt },
    sources,
    diagnostics: [
      `WIOD: ${report.negativePairsClipped} negative bilateral sums (inventory draw-downs) set to 0; ${report.vaClipped} value-added shares clipped to [0,1]; max |row sum − GO| = ${report.maxRowSumGap.toFixed(0)} USD mn`,
      `Census: US imports for consumption ${(usm.total / 1e9).toFixed(1)} bn (HS2 file, excl. EU bloc row) scaled to general-import headlines`,
    ],
  };
}
