// `tariffsim run <scenario.yaml>`: solve a scenario and print the per-region report.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { CLOSURES, type Closure } from '../../model/cp/model.ts';
import { bilateralFlow, type CpResults, type RegionReport } from '../../model/cp/results.ts';
import type { OssaScenarioRun } from '../../scenario/ossa.ts';
import { runAnyScenarioFile, type ScenarioRun } from '../../scenario/run.ts';
import { billions, csv, fmt, table, toJson, type Cell } from '../format.ts';
import { checkOutDir, writeOutputSet } from '../output.ts';
import { solveProgress } from '../progress.ts';

export const CLOSURE_SENTENCES: Record<string, string> = {
  'fixed-deficits': 'Trade deficits are held at their baseline levels in units of world GDP (the numéraire).',
  'zero-deficits': 'Deficits are set to zero: the baseline is re-solved with balanced trade first (as in CP2015), then the shock is applied.',
};

export function register(program: Command): void {
  program
    .command('run')
    .description('solve a scenario file and report welfare, prices, output, trade, revenue and balances per region')
    .argument('<scenario>', 'scenario YAML file, e.g. scenarios/cp2015-nafta.yaml')
    .option('--json', 'print the full results as JSON (percent changes; levels in the dataset currency)')
    .option('--csv', 'print the per-region table as CSV')
    .option('--out <dir>', 'also write every result table (CSV) and results.json into this folder')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--closure <closure>', "override the scenario's closure: fixed-deficits, zero-deficits, or both (two reports)")
    .addHelpText('after', `
Examples:
  $ tariffsim run scenarios/cp2015-nafta.yaml
  $ tariffsim run scenarios/cp2015-nafta.yaml --closure both
  $ tariffsim run scenarios/cp2015-nafta.yaml --json > nafta.json
  $ tariffsim run scenarios/cp2015-nafta.yaml --out out/nafta`)
    .action(async (file: string, opts: { json?: boolean; csv?: boolean; out?: string; dataDir?: string; closure?: string }) => {
      const closures = closuresFor(opts.closure);
      if (opts.out) opts.out = checkOutDir(opts.out); // before the solve: a bad folder fails fast
      const progress = solveProgress('solving');
      const runs: ScenarioRun[] = [];
      try {
        for (const closure of closures) {
          const any = await runAnyScenarioFile(file, { dataDir: opts.dataDir, onIteration: progress.onIteration, closure });
          if (any.model === 'ossa2014') {
            progress.stop();
            printOssa(any.run, opts);
            return;
          }
          runs.push(any.run);
        }
      } finally {
        progress.stop();
      }
      const both = runs.length > 1;
      if (opts.out) {
        const files: Record<string, string> = {};
        for (const run of runs) writeTables(files, both ? `${run.results.closure}/` : '', run, orderRegions(run));
        writeOutputSet(opts.out, files, `tariffsim run ${file}${opts.closure ? ` --closure ${opts.closure}` : ''}`);
      }
      if (opts.json) {
        const reports = runs.map((run) => jsonReport(run, orderRegions(run)));
        process.stdout.write(toJson(both ? Object.fromEntries(runs.map((run, k) => [run.results.closure, reports[k]])) : reports[0]) + '\n');
      } else if (opts.csv) {
        process.stdout.write(both ? runs.map((run) => `# closure ${run.results.closure}\n${regionsCsv(orderRegions(run))}`).join('') : regionsCsv(orderRegions(runs[0])));
      } else process.stdout.write(runs.map((run) => textReport(run, orderRegions(run))).join('\n\n') + '\n');
    });
}

const OSSA_HEADER = ['region', 'welfare', 'government_welfare', 'terms_of_trade', 'profit_shifting', 'trade_volume', 'wage_rel_mean', 'imports'];

/** Report of an Ossa (2014) scenario: Table 2 quantities for the importer of the first shock, and every region. */
function printOssa(run: OssaScenarioRun, opts: { json?: boolean; csv?: boolean; out?: string }): void {
  const r = run.result;
  const rows: Cell[][] = r.byRegion.map((x) => [x.region, x.welfare, x.governmentWelfare, x.termsOfTrade, x.profitShifting, x.tradeVolume, x.wageRelMean, x.imports]);
  const json = {
    scenario: { name: run.name, file: run.scenario.file, dataset: run.scenario.spec.dataset, model: 'ossa2014' },
    units: { changes: 'percent' },
    // With every industry shocked there are no "other industries": say so instead of printing a non-number.
    focus: { region: r.focusRegion, industries: r.focusIndustries, ...finiteOnly(r.table2), ...(Number.isFinite(r.table2.otherIndustriesSales) ? {} : { otherIndustries: 'none: every industry is shocked' }) },
    regions: r.byRegion,
  };
  if (opts.out) writeOutputSet(opts.out, { 'regions.csv': csv(OSSA_HEADER, rows), 'results.json': toJson(json) + '\n' }, `tariffsim run ${run.scenario.file}`);
  if (opts.json) process.stdout.write(toJson(json) + '\n');
  else if (opts.csv) process.stdout.write(csv(OSSA_HEADER, rows));
  else {
    const t = r.table2;
    process.stdout.write(
      [
        run.name,
        run.description ? `  ${run.description}` : '',
        '  model Ossa (2014): monopolistic competition with profit shifting; balanced trade',
        '',
        `${r.focusRegion}, industries ${r.focusIndustries.join(', ')} (Ossa 2014 Table 2 columns, %):`,
        table(['wage rel. mean', 'own-industry sales', 'other industries', 'welfare', 'terms of trade', 'profit shifting'], [[t.wageRelMean, t.ownIndustrySales, Number.isFinite(t.otherIndustriesSales) ? t.otherIndustriesSales : 'none (all shocked)', t.welfare, t.termsOfTrade, t.profitShifting]]),
        '',
        table(['region', 'welfare %', 'gov. welfare %', 'ToT', 'profit shifting', 'trade volume', 'wage rel. mean', 'imports %'], rows),
      ].filter((l, k) => l !== '' || k > 1).join('\n') + '\n',
    );
  }
}

/** The entries of `o` whose values are finite numbers (non-numbers are explained by the caller). */
function finiteOnly(o: object): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
}

function closuresFor(flag: string | undefined): (Closure | undefined)[] {
  if (flag === undefined) return [undefined];
  if (flag === 'both') return [...CLOSURES];
  if ((CLOSURES as readonly string[]).includes(flag)) return [flag as Closure];
  throw new InputError(`unknown closure '${flag}'`, { field: '--closure' }, 'use fixed-deficits, zero-deficits or both');
}

/** Shocked regions first (in order of mention), then the others in data order. */
export function orderRegions(run: ScenarioRun): RegionReport[] {
  const first = run.compiled.shockedRegions.map((n) => run.results.regions[n]);
  return [...first, ...run.results.regions.filter((_, n) => !run.compiled.shockedRegions.includes(n))];
}

function hasTradeCosts(r: CpResults): boolean {
  return r.regions.some((x) => Math.abs(x.welfare.tradeCosts) > 0);
}

export function textReport(run: ScenarioRun, regions: RegionReport[]): string {
  const r = run.results;
  const c = r.convergence;
  const ntb = hasTradeCosts(r);
  const header = ['region', 'welfare %', 'ToT', 'VoT', ...(ntb ? ['NTB'] : []), 'real income', 'real wage', 'CPI', 'mfg output %', 'exports %', 'imports %', 'tariff rev % inc', 'balance bn'];
  const rows: Cell[][] = regions.map((x) => [
    x.region,
    x.welfare.total,
    x.welfare.termsOfTrade,
    x.welfare.volumeOfTrade,
    ...(ntb ? [x.welfare.tradeCosts] : []),
    x.realIncome,
    x.realWage,
    x.consumerPrices,
    x.sectorGroups.manufacturing?.grossOutput.change ?? 'n/a',
    x.exports.change,
    x.imports.change,
    `${fmt(x.tariffRevenue.shareOfIncomeBefore)} → ${fmt(x.tariffRevenue.shareOfIncomeAfter)}`,
    `${billions(x.tradeBalance.before)} → ${billions(x.tradeBalance.after)}`,
  ]);
  // Goods trade in both directions between the first two shocked regions (e.g. US–China).
  const pair = run.compiled.shockedRegions.slice(0, 2);
  const bilateral =
    pair.length === 2
      ? [0, 1].map((k) => {
          const [n, i] = k === 0 ? pair : [pair[1], pair[0]];
          const f = bilateralFlow(r, n, i);
          return `  ${r.regions[n].region} imports from ${r.regions[i].region}: ${billions(f.before)} → ${billions(f.after)} bn (${fmt(100 * (f.after / f.before - 1), 1)}%)`;
        })
      : [];
  const incidence = regions
    .filter((x) => x.importPrices.changedTariffs !== null)
    .map((x) => {
      const c = x.importPrices.changedTariffs!;
      return `  ${x.region}: on imports whose tariff changed, border prices ${fmt(c.beforeTariff)}%, prices to buyers ${fmt(c.afterTariff)}% (tariff factor ${fmt(c.tariffFactor)}%): buyers bear ${fmt(100 * c.buyersShare, 0)}%`;
    });
  return [
    `${run.compiled.name}`,
    run.compiled.description ? `  ${run.compiled.description}` : '',
    `  dataset ${run.scenario.spec.dataset}; closure ${r.closure}: ${CLOSURE_SENTENCES[r.closure]}`,
    ...(run.policy ? [`  tariffs in force on ${run.policy.date} (policy layer): US trade-weighted average ${fmt(run.policy.usAverage.date, 1)}% vs ${fmt(run.policy.usAverage.relativeTo, 1)}% on ${run.policy.relativeTo}`] : []),
    `  solved: baseline ${c.baseline.iterations} iterations, counterfactual ${c.counterfactual.iterations} iterations; max residual ${Math.max(...Object.values(c.counterfactual.residuals)).toExponential(1)}`,
    '',
    table(header, rows),
    '',
    'mfg = manufacturing gross output. welfare % = CP2015 decomposition (terms of trade + volume of trade' + (ntb ? ' + trade-cost change' : '') + '), % of income; real income = exact Î/P̂;',
    `CPI = consumer price level; all changes in %. Balance = exports − imports (${r.currencyUnit}, billions), before → after.`,
    ...(bilateral.length ? ['', `Bilateral trade (net of tariffs, ${r.currencyUnit}):`, ...bilateral] : []),
    ...(incidence.length ? ['', 'Tariff incidence (import-weighted):', ...incidence] : []),
  ].filter((l, k) => l !== '' || k > 1).join('\n');
}

export function jsonReport(run: ScenarioRun, regions: RegionReport[]): unknown {
  const r = run.results;
  return {
    scenario: { name: run.compiled.name, file: run.scenario.file, dataset: run.scenario.spec.dataset, closure: r.closure, closureAssumes: CLOSURE_SENTENCES[r.closure], ...(run.policy ? { policy: run.policy } : {}) },
    units: { changes: 'percent', levels: r.currencyUnit },
    convergence: r.convergence,
    regions,
  };
}

const REGION_HEADER = ['region', 'code', 'welfare_total', 'welfare_terms_of_trade', 'welfare_volume_of_trade', 'welfare_trade_costs', 'real_income', 'real_wage', 'wage', 'consumer_prices', 'income_before', 'income_after', 'exports_before', 'exports_after', 'imports_before', 'imports_after', 'tariff_revenue_before', 'tariff_revenue_after', 'trade_balance_before', 'trade_balance_after', 'manufacturing_output_before', 'manufacturing_output_after', 'import_prices_before_tariff', 'import_prices_after_tariff', 'tariff_share_paid_by_buyers'];

function regionRow(x: RegionReport): Cell[] {
  return [x.region, x.code, x.welfare.total, x.welfare.termsOfTrade, x.welfare.volumeOfTrade, x.welfare.tradeCosts, x.realIncome, x.realWage, x.wage, x.consumerPrices, x.income.before, x.income.after, x.exports.before, x.exports.after, x.imports.before, x.imports.after, x.tariffRevenue.before, x.tariffRevenue.after, x.tradeBalance.before, x.tradeBalance.after, x.sectorGroups.manufacturing?.grossOutput.before ?? '', x.sectorGroups.manufacturing?.grossOutput.after ?? '', x.importPrices.beforeTariff, x.importPrices.afterTariff, x.importPrices.changedTariffs?.buyersShare ?? ''];
}

export function regionsCsv(regions: RegionReport[]): string {
  return csv(REGION_HEADER, regions.map(regionRow));
}

/** Adds every result table of `run` to `files` (name → content) under the folder prefix `dir`. */
function writeTables(files: Record<string, string>, dir: string, run: ScenarioRun, regions: RegionReport[]): void {
  const join = (d: string, name: string) => `${d}${name}`;
  const writeFileSync = (name: string, text: string) => {
    files[name] = text;
  };
  const r = run.results;
  writeFileSync(join(dir, 'regions.csv'), regionsCsv(regions));
  writeFileSync(
    join(dir, 'sectors.csv'),
    csv(
      ['region', 'sector', 'gross_output_before', 'gross_output_after', 'value_added_before', 'value_added_after', 'price_change_pct', 'exports_before', 'exports_after', 'imports_before', 'imports_after'],
      regions.flatMap((x) => x.sectors.map((s) => [x.region, s.sector, s.grossOutput.before, s.grossOutput.after, s.valueAdded.before, s.valueAdded.after, s.price, s.exports.before, s.exports.after, s.imports.before, s.imports.after])),
    ),
  );
  writeFileSync(
    join(dir, 'welfare_by_sector.csv'),
    csv(['region', 'sector', 'terms_of_trade', 'volume_of_trade', 'trade_costs'], regions.flatMap((x) => Object.entries(x.welfare.bySector).map(([s, p]) => [x.region, s, p.termsOfTrade, p.volumeOfTrade, p.tradeCosts]))),
  );
  writeFileSync(
    join(dir, 'welfare_by_partner.csv'),
    csv(['region', 'partner', 'terms_of_trade', 'volume_of_trade', 'trade_costs'], regions.flatMap((x) => Object.entries(x.welfare.byPartner).map(([p, v]) => [x.region, p, v.termsOfTrade, v.volumeOfTrade, v.tradeCosts]))),
  );
  writeFileSync(
    join(dir, 'balance_by_partner.csv'),
    csv(['region', 'partner', 'balance_before', 'balance_after', 'imports_before', 'imports_after', 'exports_before', 'exports_after'], regions.flatMap((x) => Object.entries(x.tradeBalance.byPartner).map(([p, v]) => [x.region, p, v.before, v.after, v.imports.before, v.imports.after, v.exports.before, v.exports.after]))),
  );
  const { regionNames, sectorNames, tradeBefore, tradeAfter, tariffBefore, tariffAfter } = r.tables;
  const N = regionNames.length;
  const rows: Cell[][] = [];
  for (let j = 0; j < sectorNames.length; j++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        const x = (j * N + n) * N + i;
        if (tradeBefore[x] === 0 && tradeAfter[x] === 0) continue;
        rows.push([regionNames[n], regionNames[i], sectorNames[j], tradeBefore[x], tradeAfter[x], tariffBefore[x] * 100, tariffAfter[x] * 100]);
      }
    }
  }
  writeFileSync(join(dir, 'bilateral_trade.csv'), csv(['importer', 'exporter', 'sector', 'trade_before', 'trade_after', 'tariff_before_pct', 'tariff_after_pct'], rows));
  writeFileSync(join(dir, 'results.json'), toJson(jsonReport(run, regions)) + '\n');
}
