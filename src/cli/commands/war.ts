// `tariffsim war --data ossa2014 [--political-economy] [--mfn] [--json|--csv]`: the Nash equilibrium of a
// worldwide tariff war (Ossa 2014), per region: median Nash tariff and welfare changes; plus each
// government's optimal tariffs when the others keep their factual tariffs.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadOssa2014, ossaDataDir } from '../../data/ossa2014.ts';
import { InputError } from '../../errors.ts';
import { nashProgress } from '../../strategy-node/progress.ts';
import { runWar, type WarReport } from '../../strategy-node/ossa.ts';
import { csv, fmt, table, toJson } from '../format.ts';

export const STRATEGY_DATASETS = ['ossa2014'];

export interface StrategyCliOptions {
  data: string;
  dataDir?: string;
  politicalEconomy?: boolean;
  mfn?: boolean;
  workers: string;
  json?: boolean;
  csv?: boolean;
}

/** Loads the dataset named by --data (only ossa2014 has a strategic model so far). */
export function loadStrategyData(opts: { data: string; dataDir?: string }) {
  if (opts.data.toLowerCase() !== 'ossa2014') {
    throw new InputError(`dataset '${opts.data}' has no strategic model`, { field: '--data' }, `supported: ${STRATEGY_DATASETS.join(', ')} (the Caliendo–Parro model is not wired into the strategy engine yet)`);
  }
  return loadOssa2014(opts.dataDir ? resolve(opts.dataDir, 'ossa2014') : ossaDataDir());
}

export function parseWorkers(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InputError(`--workers must be an integer from 0 to 64, got '${raw}'`, { field: '--workers' }, '0 solves in this thread');
  return n;
}

export function register(program: Command): void {
  program
    .command('war')
    .description('Nash equilibrium of a worldwide tariff war (Ossa 2014): median Nash tariffs and welfare by region')
    .option('--data <name>', 'dataset with a strategic model', 'ossa2014')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--political-economy', "governments maximise political-economy weighted welfare (Ossa's estimated λ)")
    .option('--mfn', 'restrict every government to one tariff per industry for all partners')
    .option('--workers <n>', 'worker threads for best responses (0 = this thread)', '2')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the per-region table as CSV')
    .addHelpText('after', `
Examples:
  $ tariffsim war --data ossa2014
  $ tariffsim war --data ossa2014 --political-economy --json
  $ tariffsim war --data ossa2014 --mfn --csv > nash-mfn.csv`)
    .action(async (opts: StrategyCliOptions) => {
      const data = loadStrategyData(opts);
      const progress = nashProgress('war');
      let report: WarReport;
      try {
        report = await runWar({
          data,
          politicalEconomy: opts.politicalEconomy,
          kind: opts.mfn ? 'mfn' : 'discriminatory',
          workers: parseWorkers(opts.workers),
          onBestResponse: progress.onBestResponse,
          onRound: progress.onRound,
        });
      } finally {
        progress.stop();
      }
      if (opts.json) process.stdout.write(toJson(report) + '\n');
      else if (opts.csv) process.stdout.write(warCsv(report));
      else process.stdout.write(warText(report) + '\n');
    });
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
