// `tariffsim standoff --a USA --b CHN [--from <scenario>] [--deal <scenario>] [--json]`: who loses more by
// staying in a standoff instead of a deal.
import type { Command } from 'commander';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../data/paths.ts';
import { standoff as standoffApp, type StandoffReport } from '../../app/standoff.ts';
import { loadScenarioFile } from '../../node/scenario.ts';
import { nodeSources } from '../../node/sources.ts';
import { billions, fmt, table, toJson } from '../format.ts';
import { solveProgress } from '../progress.ts';

export const DEFAULT_STANDOFF = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');
export const DEFAULT_DEAL = join(PROJECT_ROOT, 'scenarios', 'geneva-2025-05.yaml');

export function register(program: Command): void {
  program
    .command('standoff')
    .description("each side's loss of real income from staying in a standoff instead of a deal, and who loses more relative to its size")
    .requiredOption('--a <region>', 'first side (name or code), e.g. USA')
    .requiredOption('--b <region>', 'second side, e.g. CHN')
    .option('--from <scenario>', 'the standoff scenario', DEFAULT_STANDOFF)
    .option('--deal <scenario>', 'the deal scenario', DEFAULT_DEAL)
    .option('--data-dir <dir>', 'folder holding the shared datasets')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  $ tariffsim standoff --a USA --b CHN
  $ tariffsim standoff --a USA --b CHN --from scenarios/us-china-2025-04-standoff.yaml --deal scenarios/busan-2025-11.yaml --json`)
    .action(async (opts: { a: string; b: string; from: string; deal: string; dataDir?: string; json?: boolean }) => {
      const progress = solveProgress('solving');
      let report: StandoffReport;
      try {
        const input = { standoff: loadScenarioFile(opts.from), deal: loadScenarioFile(opts.deal), a: opts.a, b: opts.b };
        report = await standoffApp(input, nodeSources(opts.dataDir), { onIteration: progress.onIteration });
      } finally {
        progress.stop();
      }
      if (opts.json) {
        process.stdout.write(toJson(report) + '\n');
        return;
      }
      process.stdout.write(standoffText(report) + '\n');
    });
}

export function standoffText(r: StandoffReport): string {
  const rows = [r.a, r.b].map((s) => [
    s.region,
    s.realIncomeStandoff,
    s.realIncomeDeal,
    s.lossPercent,
    billions(s.lossPerMonth, 2),
    `${billions(s.exportsToOther.baseline)} / ${billions(s.exportsToOther.standoff)} / ${billions(s.exportsToOther.deal)}`,
  ]);
  const more = r.moreAnxious === null ? 'Both sides lose the same share of income.' : `${r.moreAnxious === r.a.code ? r.a.region : r.b.region} loses more relative to its size: it is the more anxious party.`;
  return [
    `Standoff: ${r.standoff}`,
    `Deal:     ${r.deal}`,
    `  dataset ${r.dataset}; closure ${r.closure}`,
    '',
    table(['side', 'real income standoff %', 'real income deal %', 'loss from standoff %', `loss bn ${r.currencyUnit}/month`, 'exports to other (bn): base / standoff / deal'], rows),
    '',
    `Loss from standoff = real income under the deal over real income under the standoff − 1 (exact Î/P̂). ${more}`,
    `(${fmt(r.a.lossPercent)}% vs ${fmt(r.b.lossPercent)}% of income.)`,
  ].join('\n');
}
