// `tariffsim run <scenario.yaml>`: solve a scenario and print the per-region report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { CLOSURES, type Closure } from '../../model/cp/model.ts';
import { bilateralFlow, type CpResults, type RegionReport } from '../../model/cp/results.ts';
import type { ScenarioRun } from '../../scenario/run.ts';
import { runScenario, type ScenarioOutcome } from '../../app/scenario.ts';
import { CLOSURE_SENTENCES, cpScenarioReport, orderRegions } from '../../app/models/cp.ts';
import type { OssaScenarioReport } from '../../app/models/ossa.ts';
import { loadScenarioFile } from '../../node/scenario.ts';
import { nodeSources } from '../../node/sources.ts';
import { billions, csv, fmt, table, toJson, type Cell } from '../format.ts';
import { solveProgress } from '../progress.ts';
import { bandsFor, bandText, drawsNote } from '../sweep-bands.ts';

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
    .option('--draws <n>', 'also run N draws of the trade elasticities and print each region\'s real income with a 90% band')
    .option('--workers <n>', 'local worker threads for --draws')
    .addHelpText('after', `
Examples:
  $ tariffsim run scenarios/cp2015-nafta.yaml
  $ tariffsim run scenarios/cp2015-nafta.yaml --closure both
  $ tariffsim run scenarios/cp2015-nafta.yaml --json > nafta.json
  $ tariffsim run scenarios/cp2015-nafta.yaml --out out/nafta`)
    .action(async (file: string, opts: { json?: boolean; csv?: boolean; out?: string; dataDir?: string; closure?: string; draws?: string; workers?: string }) => {
      const closures = closuresFor(opts.closure);
      const progress = solveProgress('solving');
      const runs: ScenarioRun[] = [];
      const scenario = loadScenarioFile(file);
      const sources = nodeSources(opts.dataDir);
      try {
        for (const closure of closures) {
          const outcome: ScenarioOutcome = await runScenario(scenario, sources, { onIteration: progress.onIteration, closure });
          if (outcome.model === 'ossa2014') {
            progress.stop();
            printOssa(outcome.report, opts);
            return;
          }
          runs.push(outcome.run);
        }
      } finally {
        progress.stop();
      }
      const both = runs.length > 1;
      for (const run of runs) if (opts.out) writeTables(both ? join(opts.out, run.results.closure) : opts.out, run, orderRegions(run));
      if (opts.json) {
        const reports = runs.map((run) => cpScenarioReport(run));
        process.stdout.write(toJson(both ? Object.fromEntries(runs.map((run, k) => [run.results.closure, reports[k]])) : reports[0]) + '\n');
      } else if (opts.csv) {
        process.stdout.write(both ? runs.map((run) => `# closure ${run.results.closure}\n${regionsCsv(orderRegions(run))}`).join('') : regionsCsv(orderRegions(runs[0])));
      } else process.stdout.write(runs.map((run) => textReport(run, orderRegions(run))).join('\n\n') + '\n');
      if (opts.draws !== undefined) {
        const draws = Number(opts.draws);
        if (!(Number.isInteger(draws) && draws > 0)) throw new InputError(`expected a positive integer, got '${opts.draws}'`, { field: '--draws' });
        const bands = await bandsFor({ name: 'run-draws', scenario: file, draws, dataDir: opts.dataDir, workers: opts.workers ? Number(opts.workers) : undefined });
        const run = runs[0];
        const rows = orderRegions(run).map((r) => [r.region, r.realIncome, bandText(bands, `real_income_${r.code}`)]);
        process.stdout.write(`\n${table(['region', 'real income % (point)', 'median [5%, 95%] over draws'], rows)}\n${drawsNote(bands)}\n`);
      }
    });
}

const OSSA_HEADER = ['region', 'welfare', 'government_welfare', 'terms_of_trade', 'profit_shifting', 'trade_volume', 'wage_rel_mean', 'imports'];

/** Report of an Ossa (2014) scenario: Table 2 quantities for the importer of the first shock, and every region. */
function printOssa(json: OssaScenarioReport, opts: { json?: boolean; csv?: boolean; out?: string }): void {
  const rows: Cell[][] = json.regions.map((x) => [x.region, x.welfare, x.governmentWelfare, x.termsOfTrade, x.profitShifting, x.tradeVolume, x.wageRelMean, x.imports]);
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'regions.csv'), csv(OSSA_HEADER, rows));
    writeFileSync(join(opts.out, 'results.json'), toJson(json) + '\n');
  }
  if (opts.json) process.stdout.write(toJson(json) + '\n');
  else if (opts.csv) process.stdout.write(csv(OSSA_HEADER, rows));
  else {
    const t = json.focus;
    process.stdout.write(
      [
        json.scenario.name,
        json.scenario.description ? `  ${json.scenario.description}` : '',
        '  model Ossa (2014): monopolistic competition with profit shifting; balanced trade',
        '',
        `${t.region}, industries ${t.industries.join(', ')} (Ossa 2014 Table 2 columns, %):`,
        table(['wage rel. mean', 'own-industry sales', 'other industries', 'welfare', 'terms of trade', 'profit shifting'], [[t.wageRelMean, t.ownIndustrySales, t.otherIndustriesSales, t.welfare, t.termsOfTrade, t.profitShifting]]),
        '',
        table(['region', 'welfare %', 'gov. welfare %', 'ToT', 'profit shifting', 'trade volume', 'wage rel. mean', 'imports %'], rows),
      ].filter((l, k) => l !== '' || k > 1).join('\n') + '\n',
    );
  }
}

function closuresFor(flag: string | undefined): (Closure | undefined)[] {
  if (flag === undefined) return [undefined];
  if (flag === 'both') return [...CLOSURES];
  if ((CLOSURES as readonly string[]).includes(flag)) return [flag as Closure];
  throw new InputError(`unknown closure '${flag}'`, { field: '--closure' }, 'use fixed-deficits, zero-deficits or both');
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

const REGION_HEADER = ['region', 'code', 'welfare_total', 'welfare_terms_of_trade', 'welfare_volume_of_trade', 'welfare_trade_costs', 'real_income', 'real_wage', 'wage', 'consumer_prices', 'income_before', 'income_after', 'exports_before', 'exports_after', 'imports_before', 'imports_after', 'tariff_revenue_before', 'tariff_revenue_after', 'trade_balance_before', 'trade_balance_after', 'manufacturing_output_before', 'manufacturing_output_after', 'import_prices_before_tariff', 'import_prices_after_tariff', 'tariff_share_paid_by_buyers'];

function regionRow(x: RegionReport): Cell[] {
  return [x.region, x.code, x.welfare.total, x.welfare.termsOfTrade, x.welfare.volumeOfTrade, x.welfare.tradeCosts, x.realIncome, x.realWage, x.wage, x.consumerPrices, x.income.before, x.income.after, x.exports.before, x.exports.after, x.imports.before, x.imports.after, x.tariffRevenue.before, x.tariffRevenue.after, x.tradeBalance.before, x.tradeBalance.after, x.sectorGroups.manufacturing?.grossOutput.before ?? '', x.sectorGroups.manufacturing?.grossOutput.after ?? '', x.importPrices.beforeTariff, x.importPrices.afterTariff, x.importPrices.changedTariffs?.buyersShare ?? ''];
}

export function regionsCsv(regions: RegionReport[]): string {
  return csv(REGION_HEADER, regions.map(regionRow));
}

function writeTables(dir: string, run: ScenarioRun, regions: RegionReport[]): void {
  mkdirSync(dir, { recursive: true });
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
  writeFileSync(join(dir, 'results.json'), toJson(cpScenarioReport(run)) + '\n');
}
