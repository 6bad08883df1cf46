// Standoff cost and "who is the more anxious party", on more than one number (docs/cp2015.md, "Reports").
// Both scenarios are solved from the same baseline (same dataset and closure). For side n:
//   loss_n (%)        = (1 + r_n^deal/100) / (1 + r_n^standoff/100) − 1, percent of real income under the deal,
//                       r = the exact change in real income (Î/P̂ − 1) of each scenario against the baseline;
//   loss_n ($ / year) = loss_n × GDP_n (baseline value added of the dataset): a long-run annual loss;
//   loss_n ($ / month)= loss_n ($ / year) ÷ 12 (the same long-run loss spread over months, not a short-run figure).
// Measures of anxiety (each side, this closure):
//   exports to the other side, % of GDP (closure baseline: exports / value added);
//   few substitutes: share of its imports that come from the other side in sectors where the other side supplies
//     at least `fewSubstitutesThreshold`% of world exports (closure baseline);
//   tariff revenue it collects in the standoff and under the deal, % of GDP (closure baseline value added);
//   manufacturing gross output at baseline prices (real output), standoff against the deal, percent.
// The verdict says which side each measure points to, with ties (equal at the precision shown) stated as ties.
import { InputError } from '../errors.ts';
import { bilateralFlow, type RegionReport } from '../model/cp/results.ts';
import type { ScenarioRun } from './run.ts';

/** Default threshold of "few substitutes": the other side supplies at least this share (%) of world exports. */
export const FEW_SUBSTITUTES_THRESHOLD = 25;

export interface StandoffSide {
  region: string;
  code: string;
  /** Baseline value added (GDP) of the dataset, currency units per year. */
  gdp: number;
  /** Real-income change against the baseline in each scenario, percent (exact Î/P̂ − 1). */
  realIncomeStandoff: number;
  realIncomeDeal: number;
  /** Loss from staying in the standoff instead of the deal, percent of real income. */
  lossPercent: number;
  /** lossPercent × GDP: long-run annual loss, currency units per year; and the same ÷ 12. */
  lossPerYear: number;
  lossPerMonth: number;
  /** Exports of this side to the other, net of tariffs, currency units per year: baseline, standoff, deal. */
  exportsToOther: { baseline: number; standoff: number; deal: number };
  /** Baseline exports to the other side over baseline value added of this closure, percent. */
  exportsToOtherPercentOfGdp: number;
  /** Imports from the other side in sectors where the other supplies ≥ threshold of world exports. */
  fewSubstitutes: {
    thresholdPercent: number;
    /** Per traded sector: the other side's share of world exports (%), and this side's imports from it. */
    sectors: { sector: string; otherShareOfWorldExports: number; importsFromOther: number; counted: boolean }[];
    importsFromOtherInThoseSectors: number;
    imports: number;
    /** importsFromOtherInThoseSectors / imports × 100. */
    sharePercent: number;
  };
  /** Tariff revenue collected, currency units per year, and percent of the closure baseline's value added. */
  tariffRevenue: { standoff: number; deal: number; standoffPercentOfGdp: number; dealPercentOfGdp: number };
  /** Manufacturing gross output at baseline prices, percent change against the baseline under the standoff and the
   *  deal, and standoff against deal, (1 + standoff/100) / (1 + deal/100) − 1, percent. */
  manufacturing: { standoff: number; deal: number; standoffVsDealPercent: number } | null;
}

/** One measure of who is more anxious, the side it points to (null = tie at the precision shown) and why. */
export interface AnxietyMeasure {
  measure: string;
  unit: string;
  a: number;
  b: number;
  /** Code of the side this measure says is more anxious; null when the two are equal at `digits` decimals. */
  pointsTo: string | null;
  digits: number;
  /** What a larger value means. */
  reading: string;
}

export interface StandoffReport {
  standoff: string;
  deal: string;
  dataset: string;
  closure: string;
  /** What this closure's numbers are relative to. */
  closureMeaning: string;
  currencyUnit: string;
  a: StandoffSide;
  b: StandoffSide;
  /** Code of the side whose percentage loss is larger (ties within 1e-9: null). */
  moreAnxious: string | null;
  measures: AnxietyMeasure[];
  /** Plain-English verdict: which measures point which way. */
  verdict: string;
}

export function standoffReport(standoff: ScenarioRun, deal: ScenarioRun, a: string, b: string, options: { fewSubstitutesThreshold?: number } = {}): StandoffReport {
  if (standoff.scenario.spec.dataset !== deal.scenario.spec.dataset) {
    throw new InputError(`the standoff uses dataset '${standoff.scenario.spec.dataset}' but the deal uses '${deal.scenario.spec.dataset}'`, { file: deal.scenario.file, field: 'dataset' }, 'compare two scenarios of the same dataset');
  }
  if (standoff.results.closure !== deal.results.closure) {
    throw new InputError(`the standoff uses closure '${standoff.results.closure}' but the deal uses '${deal.results.closure}'`, { file: deal.scenario.file, field: 'closure' }, 'compare two scenarios with the same closure');
  }
  const threshold = options.fewSubstitutesThreshold ?? FEW_SUBSTITUTES_THRESHOLD;
  if (!(threshold > 0 && threshold <= 100)) throw new InputError(`few-substitutes threshold ${threshold} is not a percentage in (0, 100]`, { field: '--few-substitutes' });
  const names = standoff.results.tables.regionNames;
  const index = (key: string, flag: string): number => {
    const k = names.findIndex((n, i) => n.toLowerCase() === key.toLowerCase() || standoff.results.regions[i].code.toLowerCase() === key.toLowerCase());
    if (k < 0) throw new InputError(`unknown region '${key}'`, { field: flag }, `regions: ${standoff.results.regions.map((r) => r.code).join(', ')}`);
    return k;
  };
  const ia = index(a, '--a');
  const ib = index(b, '--b');
  if (ia === ib) throw new InputError('--a and --b name the same region', { field: '--b' });
  const sa = side(standoff, deal, ia, ib, threshold);
  const sb = side(standoff, deal, ib, ia, threshold);
  const diff = sa.lossPercent - sb.lossPercent;
  const measures = anxietyMeasures(sa, sb, standoff.results.currencyUnit);
  return {
    standoff: standoff.compiled.name,
    deal: deal.compiled.name,
    dataset: standoff.scenario.spec.dataset,
    closure: standoff.results.closure,
    closureMeaning: standoff.results.closureMeaning,
    currencyUnit: standoff.results.currencyUnit,
    a: sa,
    b: sb,
    moreAnxious: Math.abs(diff) < 1e-9 ? null : diff > 0 ? sa.code : sb.code,
    measures,
    verdict: verdictOf(measures, sa, sb),
  };
}

/** Baseline value added of the closure's baseline (sum of sectoral value added before the shock). */
const baselineVA = (r: RegionReport): number => r.sectors.reduce((s, x) => s + x.valueAdded.before, 0);

function side(standoff: ScenarioRun, deal: ScenarioRun, n: number, other: number, threshold: number): StandoffSide {
  const s = standoff.results.regions[n];
  const d = deal.results.regions[n];
  const lossPercent = ((1 + d.realIncome / 100) / (1 + s.realIncome / 100) - 1) * 100;
  const lossPerYear = (lossPercent / 100) * s.gdp;
  const va = baselineVA(s);
  // Few substitutes: world exports by sector (closure baseline), the other side's share, n's imports from it.
  const { tradeBefore, sectorNames, regionNames } = standoff.results.tables;
  const N = regionNames.length;
  const sectors: StandoffSide['fewSubstitutes']['sectors'] = [];
  let counted = 0;
  let imports = 0;
  for (let j = 0; j < sectorNames.length; j++) {
    let world = 0;
    let fromOther = 0;
    for (let m = 0; m < N; m++) {
      for (let i = 0; i < N; i++) {
        if (i === m) continue;
        const v = tradeBefore[(j * N + m) * N + i];
        world += v;
        if (i === other) fromOther += v;
        if (m === n) imports += v;
      }
    }
    if (world === 0) continue;
    const share = (100 * fromOther) / world;
    const importsFromOther = tradeBefore[(j * N + n) * N + other];
    const isCounted = share >= threshold;
    if (isCounted) counted += importsFromOther;
    sectors.push({ sector: sectorNames[j], otherShareOfWorldExports: share, importsFromOther, counted: isCounted });
  }
  const exportsBaseline = bilateralFlow(standoff.results, other, n).before;
  const mS = s.sectorGroups.manufacturing?.realOutput;
  const mD = d.sectorGroups.manufacturing?.realOutput;
  return {
    region: s.region,
    code: s.code,
    gdp: s.gdp,
    realIncomeStandoff: s.realIncome,
    realIncomeDeal: d.realIncome,
    lossPercent,
    lossPerYear,
    lossPerMonth: lossPerYear / 12,
    exportsToOther: { baseline: exportsBaseline, standoff: bilateralFlow(standoff.results, other, n).after, deal: bilateralFlow(deal.results, other, n).after },
    exportsToOtherPercentOfGdp: (100 * exportsBaseline) / va,
    fewSubstitutes: { thresholdPercent: threshold, sectors, importsFromOtherInThoseSectors: counted, imports, sharePercent: imports > 0 ? (100 * counted) / imports : 0 },
    tariffRevenue: { standoff: s.tariffRevenue.after, deal: d.tariffRevenue.after, standoffPercentOfGdp: (100 * s.tariffRevenue.after) / va, dealPercentOfGdp: (100 * d.tariffRevenue.after) / va },
    manufacturing: mS !== undefined && mD !== undefined ? { standoff: mS, deal: mD, standoffVsDealPercent: ((1 + mS / 100) / (1 + mD / 100) - 1) * 100 } : null,
  };
}

function anxietyMeasures(a: StandoffSide, b: StandoffSide, currency: string): AnxietyMeasure[] {
  const m = (measure: string, unit: string, va: number, vb: number, digits: number, largerIsMoreAnxious: boolean, reading: string): AnxietyMeasure => {
    const ra = Number(va.toFixed(digits));
    const rb = Number(vb.toFixed(digits));
    const pointsTo = ra === rb ? null : (ra > rb) === largerIsMoreAnxious ? a.code : b.code;
    return { measure, unit, a: va, b: vb, pointsTo, digits, reading };
  };
  const out = [
    m('loss', '% of real income', a.lossPercent, b.lossPercent, 2, true, 'a larger loss relative to its size: more anxious'),
    m('loss', `bn ${currency}/year on GDP`, a.lossPerYear / 1e9, b.lossPerYear / 1e9, 1, true, 'more money lost per year: more anxious'),
    m('exports to the other', '% of GDP', a.exportsToOtherPercentOfGdp, b.exportsToOtherPercentOfGdp, 2, true, 'more of its output sold to the other side: more exposed, more anxious'),
    m('few-substitute imports from the other', '% of its imports', a.fewSubstitutes.sharePercent, b.fewSubstitutes.sharePercent, 2, true, `more of its imports come from the other side in sectors where the other supplies ≥ ${a.fewSubstitutes.thresholdPercent}% of world exports: more anxious`),
    m('tariff revenue in the standoff', '% of GDP', a.tariffRevenue.standoffPercentOfGdp, b.tariffRevenue.standoffPercentOfGdp, 2, false, 'more revenue cushions the standoff (it is already inside real income): less anxious'),
  ];
  if (a.manufacturing && b.manufacturing) {
    out.push(m('manufacturing real output, standoff vs deal', '% change', a.manufacturing.standoffVsDealPercent, b.manufacturing.standoffVsDealPercent, 2, false, 'manufacturing shrinks more (or grows less) in the standoff: more anxious'));
  }
  return out;
}

function verdictOf(measures: AnxietyMeasure[], a: StandoffSide, b: StandoffSide): string {
  const name = (code: string) => (code === a.code ? a.region : b.region);
  const label = (x: AnxietyMeasure) => `${x.measure}, ${x.unit}`;
  const toA = measures.filter((x) => x.pointsTo === a.code).map(label);
  const toB = measures.filter((x) => x.pointsTo === b.code).map(label);
  const ties = measures.filter((x) => x.pointsTo === null).map(label);
  const parts: string[] = [];
  if (toA.length) parts.push(`${toA.length} of ${measures.length} measures point to ${name(a.code)} as the more anxious party: ${toA.join('; ')}.`);
  if (toB.length) parts.push(`${toB.length} of ${measures.length} point to ${name(b.code)}: ${toB.join('; ')}.`);
  if (ties.length) parts.push(`Tied at the precision shown: ${ties.join('; ')}.`);
  const head = toA.length && toB.length ? 'The measures disagree.' : toA.length || toB.length ? 'Every measure that is not tied points the same way.' : 'Every measure is tied.';
  return [head, ...parts].join(' ');
}
