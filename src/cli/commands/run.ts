// `tariffsim run <scenario.yaml>`: solve a scenario and print the per-region report.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { ALL_CLOSURES, CLOSURES, type Closure } from '../../model/cp/model.ts';
import { bilateralFlow, type CpResults, type RegionReport } from '../../model/cp/results.ts';
import type { ScenarioRun } from '../../scenario/run.ts';
import { runScenario, type ScenarioOutcome } from '../../app/scenario.ts';
import { CLOSURE_SENTENCES, cpScenarioReport, orderRegions } from '../../app/models/cp.ts';
import type { OssaScenarioReport } from '../../app/models/ossa.ts';
import { loadScenarioFile } from '../../node/scenario.ts';
import { nodeSources } from '../../node/sources.ts';
import { billions, csv, fmt, reportJson, table, toJson, type Cell } from '../format.ts';
import { checkOutDir, writeOutputSet } from '../output.ts';
import { solveProgress } from '../progress.ts';
import { bandsFor, bandText, drawsNote } from '../sweep-bands.ts';

export function register(program: Command): void {
  program
    .command('run')
    .description('solve a scenario file and report, per region, exact real income and its decomposition, prices in stated units, tariff incidence, output, trade, revenue and balances')
    .argument('<scenario>', 'scenario YAML file, e.g. scenarios/cp2015-nafta.yaml')
    .option('--json', 'print the full results as JSON (percent changes; levels in the dataset currency)')
    .option('--csv', 'print the per-region table as CSV')
    .option('--out <dir>', 'also write every result table (CSV) and results.json into this folder')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--closure <closure>', "override the scenario's closure: fixed-deficits, zero-deficits, dollar-deficits, or both (fixed and zero: two reports)")
    .option('--prices <unit>', "unit of the price columns in the table: wage (each region's own wage, default) or numeraire (world value added; adds the wage column)", 'wage')
    .option('--one-step', "add CP2015's one-step welfare decomposition (the Table 2 method) beside the exact real income")
    .option('--path-steps <k>', 'largest number of steps of the path along which the welfare decomposition is integrated; steps are halved until the parts add up to real income within 0.001 pt (default 32)')
    .option('--draws <n>', 'also run N draws of the trade elasticities and print each region\'s real income with a 90% band')
    .option('--workers <n>', 'local worker threads for --draws')
    .addHelpText('after', `
Examples:
  $ tariffsim run scenarios/cp2015-nafta.yaml
  $ tariffsim run scenarios/cp2015-nafta.yaml --closure both
  $ tariffsim run scenarios/cp2015-nafta.yaml --json > nafta.json
  $ tariffsim run scenarios/cp2015-nafta.yaml --out out/nafta`)
    .action(async (file: string, opts: { json?: boolean; csv?: boolean; out?: string; dataDir?: string; closure?: string; prices: string; oneStep?: boolean; pathSteps?: string; draws?: string; workers?: string }) => {
      const closures = closuresFor(opts.closure);
      if (opts.out) opts.out = checkOutDir(opts.out); // before the solve: a bad folder fails fast
      if (opts.prices !== 'wage' && opts.prices !== 'numeraire') throw new InputError(`unknown price unit '${opts.prices}'`, { field: '--prices' }, 'use wage or numeraire');
      const pathSteps = opts.pathSteps === undefined ? undefined : Number(opts.pathSteps);
      if (pathSteps !== undefined && !(Number.isInteger(pathSteps) && pathSteps >= 1 && pathSteps <= 1000)) throw new InputError(`path steps '${opts.pathSteps}' is not an integer in 1..1000`, { field: '--path-steps' }, 'e.g. --path-steps 32');
      const view: TextView = { prices: opts.prices, oneStep: opts.oneStep === true };
      const progress = solveProgress('solving');
      const runs: ScenarioRun[] = [];
      const scenario = loadScenarioFile(file);
      const sources = nodeSources(opts.dataDir);
      try {
        for (const closure of closures) {
          const outcome: ScenarioOutcome = await runScenario(scenario, sources, { onIteration: progress.onIteration, closure, pathSteps });
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
      if (opts.out) {
        const files: Record<string, string> = {};
        for (const run of runs) writeTables(files, both ? `${run.results.closure}/` : '', run, orderRegions(run));
        writeOutputSet(opts.out, files, `tariffsim run ${file}${opts.closure ? ` --closure ${opts.closure}` : ''}`);
      }
      if (opts.json) {
        const reports = runs.map((run) => cpScenarioReport(run));
        process.stdout.write(reportJson(both ? Object.fromEntries(runs.map((run, k) => [run.results.closure, reports[k]])) : reports[0]) + '\n');
      } else if (opts.csv) {
        process.stdout.write(both ? runs.map((run) => `# closure ${run.results.closure}\n${regionsCsv(orderRegions(run))}`).join('') : regionsCsv(orderRegions(runs[0])));
      } else process.stdout.write(runs.map((run) => textReport(run, orderRegions(run), view)).join('\n\n') + '\n');
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
  if (opts.out) writeOutputSet(opts.out, { 'regions.csv': csv(OSSA_HEADER, rows), 'results.json': toJson(json) + '\n' }, `tariffsim run ${json.scenario.file}`);
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
        table(['wage rel. mean', 'own-industry sales', 'other industries', 'welfare', 'terms of trade', 'profit shifting'], [[t.wageRelMean, t.ownIndustrySales, t.otherIndustriesSales ?? 'none (all shocked)', t.welfare, t.termsOfTrade, t.profitShifting]]),
        '',
        table(['region', 'welfare %', 'gov. welfare %', 'ToT', 'profit shifting', 'trade volume', 'wage rel. mean', 'imports %'], rows),
      ].filter((l, k) => l !== '' || k > 1).join('\n') + '\n',
    );
  }
}

/** The entries of `o` whose values are finite numbers (non-numbers are explained by the caller). */
function closuresFor(flag: string | undefined): (Closure | undefined)[] {
  if (flag === undefined) return [undefined];
  if (flag === 'both') return [...CLOSURES];
  if ((ALL_CLOSURES as readonly string[]).includes(flag)) return [flag as Closure];
  throw new InputError(`unknown closure '${flag}'`, { field: '--closure' }, 'use fixed-deficits, zero-deficits, dollar-deficits or both');
}

function hasTradeCosts(r: CpResults): boolean {
  return r.regions.some((x) => Math.abs(x.welfare.tradeCosts) > 0);
}

export interface TextView {
  /** Unit of the price columns: each region's own wage, or the numéraire (world value added). */
  prices: 'wage' | 'numeraire' | string;
  /** Add CP2015's one-step decomposition columns. */
  oneStep: boolean;
}

export function textReport(run: ScenarioRun, regions: RegionReport[], view: TextView = { prices: 'wage', oneStep: false }): string {
  const r = run.results;
  const c = r.convergence;
  const ntb = hasTradeCosts(r);
  const numeraire = view.prices === 'numeraire';
  const steps = regions[0]?.welfare.steps ?? 1;
  const method = regions[0]?.welfare.method ?? 'one-step';
  const header = [
    'region',
    'real income %',
    'terms of trade pt',
    'volume of trade pt',
    ...(ntb ? ['trade costs pt'] : []),
    'real wage %',
    ...(numeraire ? ['wage % (numéraire)', 'CPI % (numéraire)'] : ['CPI % (in own wage)']),
    'mfg real output %',
    ...(numeraire ? ['exports % (value)', 'imports % (value)'] : []),
    'exports volume %',
    'imports volume %',
    'tariff revenue % of income',
    `balance bn ${r.currencyUnit}`,
    ...(view.oneStep ? ['one-step total', 'one-step ToT', 'one-step VoT'] : []),
  ];
  const rows: Cell[][] = regions.map((x) => [
    x.region,
    x.realIncome,
    x.welfare.termsOfTrade,
    x.welfare.volumeOfTrade,
    ...(ntb ? [x.welfare.tradeCosts] : []),
    x.realWage,
    ...(numeraire ? [x.wage, x.consumerPrices] : [x.consumerPricesRelativeToWage]),
    x.sectorGroups.manufacturing?.realOutput ?? 'n/a',
    ...(numeraire ? [x.exports.change, x.imports.change] : []),
    x.exports.volume,
    x.imports.volume,
    `${fmt(x.tariffRevenue.shareOfIncomeBefore)} → ${fmt(x.tariffRevenue.shareOfIncomeAfter)}`,
    `${billions(x.tradeBalance.before)} → ${billions(x.tradeBalance.after)}`,
    ...(view.oneStep ? [x.welfareOneStep.total, x.welfareOneStep.termsOfTrade, x.welfareOneStep.volumeOfTrade] : []),
  ]);
  const worstGap = Math.max(...regions.map((x) => Math.abs(x.welfare.gap)));
  // Goods trade in both directions between the first two shocked regions (e.g. US–China).
  const pair = run.compiled.shockedRegions.slice(0, 2);
  const bilateral =
    pair.length === 2
      ? [0, 1].map((k) => {
          const [n, i] = k === 0 ? pair : [pair[1], pair[0]];
          const f = bilateralFlow(r, n, i);
          return `  ${r.regions[n].region} imports from ${r.regions[i].region}: ${billions(f.before)} → ${billions(f.after)} bn ${r.currencyUnit}/year (${fmt(100 * (f.after / f.before - 1), 1)}%)`;
        })
      : [];
  const incidence = regions
    .filter((x) => x.importPrices.changedTariffsInImporterWage !== null)
    .map((x) => {
      const c = x.importPrices.changedTariffsInImporterWage!;
      const own = x.importPrices.ownTariffsOnly;
      return `  ${x.region}: border prices ${fmt(c.beforeTariff)}%, prices to buyers ${fmt(c.afterTariff)}%, tariff factor ${fmt(c.tariffFactor)}%: its buyers bear ${fmt(100 * c.buyersShare, 0)}%` +
        (own ? `; of its own tariff changes alone: ${fmt(100 * own.buyersShare, 0)}%` : '') +
        (c.buyersShare < 0 || c.buyersShare > 1 ? ' (outside 0–100%: the exporters\' prices also moved with other setters\' tariffs, e.g. their wages; see "alone")' : '');
    });
  return [
    `${run.compiled.name}`,
    run.compiled.description ? `  ${run.compiled.description}` : '',
    `  dataset ${run.scenario.spec.dataset}; closure ${r.closure}: changes are ${r.closureMeaning}.`,
    ...(run.policy ? [`  tariffs in force on ${run.policy.date} (policy layer): US trade-weighted average ${fmt(run.policy.usAverage.date, 1)}% vs ${fmt(run.policy.usAverage.relativeTo, 1)}% on ${run.policy.relativeTo}`] : []),
    `  solved: baseline ${c.baseline.iterations} iterations, counterfactual ${r.path ? `along a ${r.path.steps}-step path, ${r.path.iterations} iterations in all` : `${c.counterfactual.iterations} iterations`}; max residual ${Math.max(...Object.values(c.counterfactual.residuals)).toExponential(1)}`,
    '',
    table(header, rows),
    '',
    'real income % = exact change of real income Î/P̂ (the answer). Its parts, in percentage points of baseline real income:',
    method === 'path'
      ? `CP2015's decomposition integrated along the path of the shock (${steps} steps); the parts add up to real income within ${fmt(worstGap, 4)} pt.`
      : "CP2015's decomposition in one step from the baseline (does not add up to real income for large shocks).",
    numeraire
      ? 'wage and CPI % are in the numéraire (world value added): they move with the choice of numéraire; real wage and real income do not.'
      : "CPI % (in own wage) = consumer price level relative to the region's own wage (P̂/ŵ − 1); --prices numeraire for world-value-added units.",
    `mfg real output = manufacturing gross output at baseline prices; exports and imports volume = at baseline prices, net of tariffs${numeraire ? '; (value) = in the numéraire' : ''};`,
    `tariff revenue in % of income (before → after); balance = exports − imports, before → after (bn ${r.currencyUnit}/year, in the numéraire).`,
    ...(view.oneStep ? ["one-step = CP2015 §4.1 evaluated in one step from the baseline, % of income (the paper's Table 2 method)."] : []),
    ...(bilateral.length ? ['', `Bilateral trade (net of tariffs):`, ...bilateral] : []),
    ...(incidence.length ? ['', "Tariff incidence, per tariff-setter, on its imports whose tariff changed (import-weighted; prices in the importer's own wage):", ...incidence] : []),
  ].filter((l, k) => l !== '' || k > 1).join('\n');
}

const REGION_HEADER = ['region', 'code', 'real_income_pct', 'welfare_terms_of_trade_pt', 'welfare_volume_of_trade_pt', 'welfare_trade_costs_pt', 'welfare_deficits_pt', 'welfare_gap_pt', 'welfare_path_steps', 'one_step_total_pct', 'one_step_terms_of_trade_pct', 'one_step_volume_of_trade_pct', 'one_step_trade_costs_pct', 'real_wage_pct', 'consumer_prices_in_own_wage_pct', 'wage_numeraire_pct', 'consumer_prices_numeraire_pct', 'gdp', 'income_before', 'income_after', 'exports_before', 'exports_after', 'imports_before', 'imports_after', 'tariff_revenue_before', 'tariff_revenue_after', 'trade_balance_before', 'trade_balance_after', 'manufacturing_output_before', 'manufacturing_output_after', 'manufacturing_real_output_pct', 'manufacturing_employment_pct', 'exports_volume_pct', 'imports_volume_pct', 'import_prices_before_tariff_numeraire_pct', 'import_prices_after_tariff_numeraire_pct', 'buyers_share_in_own_wage', 'buyers_share_own_tariffs_only'];

function regionRow(x: RegionReport): Cell[] {
  const w = x.welfare;
  const o = x.welfareOneStep;
  return [x.region, x.code, x.realIncome, w.termsOfTrade, w.volumeOfTrade, w.tradeCosts, w.deficits, w.gap, w.steps, o.total, o.termsOfTrade, o.volumeOfTrade, o.tradeCosts, x.realWage, x.consumerPricesRelativeToWage, x.wage, x.consumerPrices, x.gdp, x.income.before, x.income.after, x.exports.before, x.exports.after, x.imports.before, x.imports.after, x.tariffRevenue.before, x.tariffRevenue.after, x.tradeBalance.before, x.tradeBalance.after, x.sectorGroups.manufacturing?.grossOutput.before ?? '', x.sectorGroups.manufacturing?.grossOutput.after ?? '', x.sectorGroups.manufacturing?.realOutput ?? '', x.sectorGroups.manufacturing?.employment ?? '', x.exports.volume, x.imports.volume, x.importPrices.beforeTariff, x.importPrices.afterTariff, x.importPrices.changedTariffsInImporterWage?.buyersShare ?? '', x.importPrices.ownTariffsOnly?.buyersShare ?? ''];
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
      ['region', 'sector', 'gross_output_before', 'gross_output_after', 'value_added_before', 'value_added_after', 'real_output_pct', 'employment_pct', 'price_change_numeraire_pct', 'exports_before', 'exports_after', 'imports_before', 'imports_after'],
      regions.flatMap((x) => x.sectors.map((s) => [x.region, s.sector, s.grossOutput.before, s.grossOutput.after, s.valueAdded.before, s.valueAdded.after, s.realOutput, s.employment, s.price, s.exports.before, s.exports.after, s.imports.before, s.imports.after])),
    ),
  );
  writeFileSync(
    join(dir, 'welfare_by_sector.csv'),
    csv(['region', 'sector', 'terms_of_trade_pt', 'volume_of_trade_pt', 'trade_costs_pt'], regions.flatMap((x) => Object.entries(x.welfare.bySector).map(([s, p]) => [x.region, s, p.termsOfTrade, p.volumeOfTrade, p.tradeCosts]))),
  );
  writeFileSync(
    join(dir, 'welfare_by_partner.csv'),
    csv(['region', 'partner', 'terms_of_trade_pt', 'volume_of_trade_pt', 'trade_costs_pt'], regions.flatMap((x) => Object.entries(x.welfare.byPartner).map(([p, v]) => [x.region, p, v.termsOfTrade, v.volumeOfTrade, v.tradeCosts]))),
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
