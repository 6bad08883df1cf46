// Standoff cost: how much real income each side loses by staying in a standoff instead of a deal.
// Both scenarios are solved from the same baseline (same dataset and closure); for side n,
//   loss_n (%) = (1 + r_n^deal/100) / (1 + r_n^standoff/100) − 1, in percent of deal income,
// where r is the exact change in real income (Î/P̂ − 1) of each scenario against the baseline, and
//   loss_n ($ per month) = loss_n × baseline income_n / 12.
// The side with the larger percentage loss is the "more anxious party": the standoff costs it more relative to
// its size.
import { InputError } from '../errors.ts';
import { bilateralFlow } from '../model/cp/results.ts';
import type { ScenarioRun } from './run.ts';

export interface StandoffSide {
  region: string;
  code: string;
  /** Real-income change against the baseline in each scenario, percent. */
  realIncomeStandoff: number;
  realIncomeDeal: number;
  /** Loss from staying in the standoff instead of the deal: percent of income, and currency units per month. */
  lossPercent: number;
  lossPerMonth: number;
  /** Baseline annual income, currency units. */
  income: number;
  /** Bilateral trade of this side with the other, exports net of tariffs: baseline, standoff, deal. */
  exportsToOther: { baseline: number; standoff: number; deal: number };
}

export interface StandoffReport {
  standoff: string;
  deal: string;
  dataset: string;
  closure: string;
  currencyUnit: string;
  a: StandoffSide;
  b: StandoffSide;
  /** Code of the side whose percentage loss is larger (ties within 1e-9: null). */
  moreAnxious: string | null;
}

export function standoffReport(standoff: ScenarioRun, deal: ScenarioRun, a: string, b: string): StandoffReport {
  if (standoff.scenario.spec.dataset !== deal.scenario.spec.dataset) {
    throw new InputError(`the standoff uses dataset '${standoff.scenario.spec.dataset}' but the deal uses '${deal.scenario.spec.dataset}'`, { file: deal.scenario.file, field: 'dataset' }, 'compare two scenarios of the same dataset');
  }
  if (standoff.results.closure !== deal.results.closure) {
    throw new InputError(`the standoff uses closure '${standoff.results.closure}' but the deal uses '${deal.results.closure}'`, { file: deal.scenario.file, field: 'closure' }, 'compare two scenarios with the same closure');
  }
  const names = standoff.results.tables.regionNames;
  const index = (key: string, flag: string): number => {
    const k = names.findIndex((n, i) => n.toLowerCase() === key.toLowerCase() || standoff.results.regions[i].code.toLowerCase() === key.toLowerCase());
    if (k < 0) throw new InputError(`unknown region '${key}'`, { field: flag }, `regions: ${standoff.results.regions.map((r) => r.code).join(', ')}`);
    return k;
  };
  const ia = index(a, '--a');
  const ib = index(b, '--b');
  if (ia === ib) throw new InputError('--a and --b name the same region', { field: '--b' });
  const side = (n: number, other: number): StandoffSide => {
    const s = standoff.results.regions[n];
    const d = deal.results.regions[n];
    const lossPercent = ((1 + d.realIncome / 100) / (1 + s.realIncome / 100) - 1) * 100;
    return {
      region: s.region,
      code: s.code,
      realIncomeStandoff: s.realIncome,
      realIncomeDeal: d.realIncome,
      lossPercent,
      lossPerMonth: (lossPercent / 100) * (s.income.before / 12),
      income: s.income.before,
      exportsToOther: {
        baseline: bilateralFlow(standoff.results, other, n).before,
        standoff: bilateralFlow(standoff.results, other, n).after,
        deal: bilateralFlow(deal.results, other, n).after,
      },
    };
  };
  const sa = side(ia, ib);
  const sb = side(ib, ia);
  const diff = sa.lossPercent - sb.lossPercent;
  return {
    standoff: standoff.compiled.name,
    deal: deal.compiled.name,
    dataset: standoff.scenario.spec.dataset,
    closure: standoff.results.closure,
    currencyUnit: standoff.results.currencyUnit,
    a: sa,
    b: sb,
    moreAnxious: Math.abs(diff) < 1e-9 ? null : diff > 0 ? sa.code : sb.code,
  };
}
