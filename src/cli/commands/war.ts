// `tariffsim war --data ossa2014|world2024|cp2015 [--political-economy] [--mfn] [--json|--csv]`: the Nash equilibrium of a
// worldwide tariff war (Ossa 2014), per region: median Nash tariff and welfare changes; plus each
// government's optimal tariffs when the others keep their factual tariffs.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import type { CpWarReport } from '../../node/strategy/cp.ts';
import { nashProgress } from '../progress.ts';
import type { WarReport } from '../../node/strategy/ossa.ts';
import { war, type WarReport as AnyWarReport } from '../../app/war.ts';
import { nodeSources } from '../../node/sources.ts';
import { csv, fmt, table, toJson } from '../format.ts';

export interface StrategyCliOptions {
  data: string;
  dataDir?: string;
  politicalEconomy?: boolean;
  mfn?: boolean;
  workers: string;
  json?: boolean;
  csv?: boolean;
}

export function parseWorkers(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InputError(`--workers must be an integer from 0 to 64, got '${raw}'`, { field: '--workers' }, '0 solves in this thread');
  return n;
}

export function register(program: Command): void {
  program
    .command('war')
    .description('Nash equilibrium of a worldwide tariff war (Ossa 2014 model, or the multi-sector model on world2024/cp2015): median Nash tariffs and welfare by region')
    .option('--data <name>', 'dataset with a strategic model', 'ossa2014')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--political-economy', "governments maximise political-economy weighted welfare (Ossa's estimated λ)")
    .option('--mfn', 'restrict every government to one tariff per industry for all partners (always so on multi-sector datasets)')
    .option('--workers <n>', 'worker threads for best responses (0 = this thread)', '2')
    .option('--closure <closure>', 'multi-sector datasets only: zero-deficits (default: balanced trade, as Ossa purges imbalances; with fixed deficits a prohibitive tariff turns the deficit into tariff revenue) or fixed-deficits', 'zero-deficits')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the per-region table as CSV')
    .addHelpText('after', `
Examples:
  $ tariffsim war --data world2024          # multi-sector CP2015 model, balanced trade, MFN tariffs per sector (tens of minutes)
  $ tariffsim war --data ossa2014
  $ tariffsim war --data ossa2014 --political-economy --json
  $ tariffsim war --data ossa2014 --mfn --csv > nash-mfn.csv`)
    .action(async (opts: StrategyCliOptions & { closure: string }, cmd: Command) => {
      const progress = nashProgress('war');
      let report: AnyWarReport;
      try {
        report = await war(
          {
            dataset: opts.data,
            politicalEconomy: opts.politicalEconomy,
            kind: opts.mfn ? 'mfn' : 'discriminatory',
            // Only a closure the user named: Ossa's data reject any, the multi-sector model defaults to zero deficits.
            closure: cmd.getOptionValueSource('closure') === 'cli' ? opts.closure : undefined,
            workers: parseWorkers(opts.workers),
            onBestResponse: progress.onBestResponse,
            onRound: progress.onRound,
          },
          nodeSources(opts.dataDir),
        );
      } finally {
        progress.stop();
      }
      if (report.model === 'cp2015') printCpWar(report, opts);
      else if (opts.json) process.stdout.write(toJson(report) + '\n');
      else if (opts.csv) process.stdout.write(warCsv(report));
      else process.stdout.write(warText(report) + '\n');
    });
}

/** The trade war on a multi-sector dataset (CP2015 model). */
function printCpWar(report: CpWarReport, opts: { json?: boolean; csv?: boolean }): void {
  const rows = report.nash.map((x, g) => [x.region, x.medianTariff, x.realIncome, report.optimal[g].medianTariff, report.optimal[g].realIncome]);
  const header = ['region', 'nash_median_tariff_pct', 'nash_real_income_pct', 'optimal_median_tariff_pct', 'optimal_real_income_pct'];
  if (opts.json) process.stdout.write(toJson(report) + '\n');
  else if (opts.csv) process.stdout.write(csv(header, rows));
  else {
    process.stdout.write(
      [
        `Trade war: Nash equilibrium on ${report.dataset} (Caliendo–Parro multi-sector model, ${report.closure}), ${report.kind} tariffs per sector`,
        `  converged in ${report.rounds} rounds of best responses, ${fmt(report.seconds, 1)} s; real income relative to the baseline`,
        '',
        table(['region', 'median Nash tariff %', 'real income at Nash %', 'median optimal tariff %', 'own gain when alone %'], rows),
      ].join('\n') + '\n',
    );
  }
}

const HEADER = ['region', 'median Nash tariff %', 'gov. welfare %', 'welfare %', 'wage %', 'profits %', 'imports %'];

export function warText(r: WarReport): string {
  const rows = r.nash.map((x) => [x.region, x.medianTariff, x.governmentWelfare, x.welfare, x.wage, x.profits, x.imports]);
  const a = r.nashAverage;
  rows.push(['Average', a.medianTariff, a.governmentWelfare, a.welfare, a.wage, a.profits, a.imports]);
  const opt = r.optimal.map((o) => [o.region, o.medianTariff, o.governmentWelfare]);
  const n = r.optimal.length;
  opt.push(['Average', r.optimal.reduce((s, o) => s + o.medianTariff, 0) / n, r.optimal.reduce((s, o) => s + o.governmentWelfare, 0) / n]);
  return [
    `Trade war: Nash equilibrium, Ossa (2014) data, ${r.politicalEconomy ? 'political-economy weights λ' : 'no political economy'}, ${r.kind} tariffs`,
    `  converged in ${r.rounds} rounds of simultaneous best responses, ${fmt(r.seconds, 1)} s ${r.workers ? `on ${r.workers} worker thread${r.workers === 1 ? '' : 's'}` : 'in the main thread'}`,
    '  changes relative to the factual equilibrium; wage relative to the mean region; profits relative to wages',
    '',
    table(HEADER, rows),
    '',
    'Optimal tariffs (one government re-optimises, the others keep factual tariffs):',
    table(['region', 'median optimal tariff %', 'own gov. welfare %'], opt),
  ].join('\n');
}

export function warCsv(r: WarReport): string {
  const rows = r.nash.map((x, g) => [x.region, x.medianTariff, x.governmentWelfare, x.welfare, x.wage, x.profits, x.imports, r.optimal[g].medianTariff, r.optimal[g].governmentWelfare]);
  return csv(['region', 'nash_median_tariff_pct', 'nash_gov_welfare_pct', 'nash_welfare_pct', 'nash_wage_pct', 'nash_profits_pct', 'nash_imports_pct', 'optimal_median_tariff_pct', 'optimal_gov_welfare_pct'], rows);
}
