// The one place where the web app reads fields of the application layer's reports (CpScenarioReport,
// StandoffReport). Every figure it returns carries its unit and what it is relative to. When the report
// format changes (e.g. issue 11's prices in own-wage units), only this file changes.
import type { EngineRun } from './engine.ts';

export const BN = 1e9;

export interface Column {
  key: string;
  label: string;
  unit: string;
}

export interface Table {
  id: string;
  title: string;
  columns: Column[];
  rows: Record<string, string | number>[];
}

export interface ViewModel {
  title: string;
  description: string;
  subtitle: string;
  closure: string;
  closureAssumes: string;
  policyLine: string | null;
  currency: string;
  regions: Table;
  bilateral: Table;
  partners: Table;
  anxious: { table: Table; moreAnxious: string | null; sentence: string } | null;
  realIncome: Map<string, number>;
  convergence: string;
}

const pctOwnWage = (prices: number, wage: number) => 100 * ((1 + prices / 100) / (1 + wage / 100) - 1);

export function viewModel(run: EngineRun, focus: string): ViewModel {
  const r = run.report;
  const cur = r.units.levels;
  const regions: Table = {
    id: 'regions',
    title: 'Results by region',
    columns: [
      { key: 'code', label: 'Code', unit: '' },
      { key: 'region', label: 'Region', unit: '' },
      { key: 'realIncome', label: 'Real income', unit: '% change (exact Î/P̂)' },
      { key: 'consumerPricesOwnWage', label: 'Consumer prices', unit: "% change, in the region's own wage" },
      { key: 'consumerPrices', label: 'Consumer prices', unit: '% change, in world GDP units (numéraire)' },
      { key: 'realWage', label: 'Real wage', unit: '% change' },
      { key: 'tariffRevenueBefore', label: 'Tariff revenue before', unit: `${cur} bn / year` },
      { key: 'tariffRevenueAfter', label: 'Tariff revenue after', unit: `${cur} bn / year` },
      { key: 'manufacturing', label: 'Manufacturing output', unit: '% change (gross output)' },
      { key: 'balanceBefore', label: 'Trade balance before', unit: `${cur} bn / year` },
      { key: 'balanceAfter', label: 'Trade balance after', unit: `${cur} bn / year` },
    ],
    rows: r.regions.map((g) => ({
      code: g.code,
      region: g.region,
      realIncome: g.realIncome,
      consumerPricesOwnWage: pctOwnWage(g.consumerPrices, g.wage),
      consumerPrices: g.consumerPrices,
      realWage: g.realWage,
      tariffRevenueBefore: g.tariffRevenue.before / BN,
      tariffRevenueAfter: g.tariffRevenue.after / BN,
      manufacturing: g.sectorGroups.manufacturing?.grossOutput.change ?? NaN,
      balanceBefore: g.tradeBalance.before / BN,
      balanceAfter: g.tradeBalance.after / BN,
    })),
  };
  const bilateral: Table = {
    id: 'bilateral',
    title: 'US–China goods trade, each direction',
    columns: [
      { key: 'flow', label: 'Flow', unit: '' },
      { key: 'before', label: 'Before', unit: `${cur} bn / year, net of tariffs` },
      { key: 'after', label: 'After', unit: `${cur} bn / year, net of tariffs` },
      { key: 'change', label: 'Change', unit: '%' },
    ],
    rows: r.bilateral.map((b) => ({ flow: `${b.importer} imports from ${b.exporter}`, before: b.before / BN, after: b.after / BN, change: b.change })),
  };
  const fr = r.regions.find((g) => g.code === focus) ?? r.regions[0];
  const partners: Table = {
    id: 'partners',
    title: `Trade balance of ${fr.region} by partner`,
    columns: [
      { key: 'partner', label: 'Partner', unit: '' },
      { key: 'before', label: 'Balance before', unit: `${cur} bn / year (exports − imports)` },
      { key: 'after', label: 'Balance after', unit: `${cur} bn / year (exports − imports)` },
    ],
    rows: Object.entries(fr.tradeBalance.byPartner).map(([p, t]) => ({ partner: p, before: t.before / BN, after: t.after / BN })),
  };
  let anxious: ViewModel['anxious'] = null;
  if (run.standoff) {
    const s = run.standoff;
    // The six measures of scenario/standoff.ts (the CLI's anxiety table) and its plain-English verdict.
    const table: Table = {
      id: 'anxious',
      title: `Who is more anxious: staying in “${s.standoff}” instead of “${s.deal}”`,
      columns: [
        { key: 'measure', label: 'Measure', unit: '' },
        { key: 'unit', label: 'Unit', unit: '' },
        { key: 'a', label: s.a.code, unit: '' },
        { key: 'b', label: s.b.code, unit: '' },
        { key: 'pointsTo', label: 'More anxious by this measure', unit: '' },
      ],
      rows: s.measures.map((m) => ({ measure: m.measure, unit: m.unit, a: m.a, b: m.b, pointsTo: m.pointsTo ?? 'tie' })),
    };
    const sentence = s.verdict;
    anxious = { table, moreAnxious: s.moreAnxious, sentence };
  }
  const c = r.convergence;
  return {
    title: r.scenario.name,
    description: r.scenario.description ?? '',
    subtitle: `dataset ${r.scenario.dataset}; closure ${r.scenario.closure}`,
    closure: r.scenario.closure,
    closureAssumes: r.scenario.closureAssumes,
    policyLine: r.scenario.policy
      ? `Tariffs in force on ${r.scenario.policy.date} (policy layer): US trade-weighted average ${r.scenario.policy.usAverage.date.toFixed(1)}% vs ${r.scenario.policy.usAverage.relativeTo.toFixed(1)}% on ${r.scenario.policy.relativeTo}`
      : null,
    currency: cur,
    regions,
    bilateral,
    partners,
    anxious,
    realIncome: new Map(r.regions.map((g) => [g.code, g.realIncome])),
    convergence: `solved: baseline ${c.baseline.iterations} iterations, counterfactual ${c.counterfactual.iterations} iterations`,
  };
}

/** The "more anxious" wording and the regions' numbers as the CLI's headline prints them. */
export function headline(vm: ViewModel): string[] {
  const row = (code: string) => vm.regions.rows.find((r) => r.code === code);
  const us = row('USA');
  const cn = row('CHN');
  const out = [vm.title];
  if (us) out.push(`  United States real income ${Number(us.realIncome).toFixed(2)}% (exact), consumer prices ${Number(us.consumerPricesOwnWage).toFixed(2)}% in own wage`);
  if (cn) out.push(`  China real income ${Number(cn.realIncome).toFixed(2)}% (exact), consumer prices ${Number(cn.consumerPricesOwnWage).toFixed(2)}% in own wage`);
  if (vm.anxious) out.push(`  ${vm.anxious.sentence}`);
  return out;
}

/** One tariff lookup as the API answers it (src/policy/lookup.ts LookupResult, plus 2024 imports when listed). */
export interface LookupRow {
  hts: string;
  partner: { key: string; name: string };
  date: string;
  importer: string;
  mfn: number;
  mfnStatutory: number | null;
  additional: number;
  total: number;
  byProgram: Record<string, number>;
  actions: Record<string, string[]>;
  rule: string;
  notes: string[];
  imports2024?: number | null;
}

/**
 * Reads a GET /v1/policy/tariffs answer (`{tariffs}`, every HTS10 line under the prefix) or a GET /v1/policy/tariff
 * answer: a list of lookups (`npm run web`'s server: every HTS10 line under the
 * prefix, as `tariffsim tariffs --hts` lists them), `{tariff}` (the API server of issue 14: one lookup, or a
 * list), `{results}` / `{lookups}`, or one lookup.
 */
export function lookupRows(body: unknown): LookupRow[] {
  const b = body as Record<string, unknown> | null;
  const inner = b && !Array.isArray(b) ? (b.tariffs ?? b.tariff ?? b.results ?? b.lookups) : undefined;
  const x = inner ?? body;
  if (Array.isArray(x)) return x as LookupRow[];
  return x && typeof x === 'object' && 'hts' in x ? [x as LookupRow] : [];
}
