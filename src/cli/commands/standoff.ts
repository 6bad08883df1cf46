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
import { InputError } from '../../errors.ts';
import type { SweepSummary } from '../../sweep-node/summary.ts';
import { bandsFor, bandText, drawsNote } from '../sweep-bands.ts';

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
    .option('--draws <n>', 'also run N draws of the trade elasticities and print 90% bands and who loses more in what share of draws')
    .option('--workers <n>', 'local worker threads for --draws')
    .addHelpText('after', `
Examples:
  $ tariffsim standoff --a USA --b CHN
  $ tariffsim standoff --a USA --b CHN --from scenarios/us-china-2025-04-standoff.yaml --deal scenarios/busan-2025-11.yaml --json`)
    .action(async (opts: { a: string; b: string; from: string; deal: string; dataDir?: string; json?: boolean; draws?: string; workers?: string }) => {
      const progress = solveProgress('solving');
      let report: StandoffReport;
      try {
        const input = { standoff: loadScenarioFile(opts.from), deal: loadScenarioFile(opts.deal), a: opts.a, b: opts.b };
        report = await standoffApp(input, nodeSources(opts.dataDir), { onIteration: progress.onIteration });
      } finally {
        progress.stop();
      }
      const draws = opts.draws !== undefined ? Number(opts.draws) : undefined;
      if (draws !== undefined && !(Number.isInteger(draws) && draws > 0)) throw new InputError(`expected a positive integer, got '${opts.draws}'`, { field: '--draws' });
      const bands = draws
        ? await bandsFor({ name: 'standoff-draws', scenario: opts.from, deal: opts.deal, sides: [report.a.code, report.b.code], draws, dataDir: opts.dataDir, workers: opts.workers ? Number(opts.workers) : undefined })
        : undefined;
      if (opts.json) {
        process.stdout.write(toJson(bands ? { ...report, draws: bands } : report) + '\n');
        return;
      }
      process.stdout.write(standoffText(report) + '\n');
      if (bands) process.stdout.write('\n' + standoffBandsText(report, bands) + '\n');
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

/** Each side's loss with its 90% band and the share of draws in which each side loses more. */
export function standoffBandsText(r: StandoffReport, s: SweepSummary): string {
  const rows = [r.a, r.b].map((side) => [side.region, side.lossPercent, bandText(s, `loss_${side.code}`), side.realIncomeStandoff, bandText(s, `real_income_${side.code}`)]);
  const share = (code: string) => s.answers.find((a) => a.statement.startsWith(`${code} loses more from the standoff`))?.share ?? NaN;
  return [
    table(['side', 'loss from standoff % (point)', 'median [5%, 95%] over draws', 'real income standoff % (point)', 'median [5%, 95%]'], rows),
    '',
    `${r.a.region} loses more in ${(share(r.a.code) * 100).toFixed(1)}% of draws; ${r.b.region} in ${(share(r.b.code) * 100).toFixed(1)}%.`,
    drawsNote(s),
  ].join('\n');
}
