// `tariffsim standoff --a USA --b CHN [--from <scenario>] [--deal <scenario>] [--closure both] [--json]`: what
// each side loses by staying in a standoff instead of a deal, and who is the more anxious party on several measures.
import type { Command } from 'commander';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../node/paths.ts';
import { InputError } from '../../errors.ts';
import { ALL_CLOSURES, CLOSURES, type Closure } from '../../model/cp/model.ts';
import { FEW_SUBSTITUTES_THRESHOLD } from '../../scenario/standoff.ts';
import { standoffByClosure, type StandoffReport } from '../../app/standoff.ts';
import { loadScenarioFile } from '../../node/scenario.ts';
import { nodeSources } from '../../node/sources.ts';
import { billions, fmt, table, toJson } from '../format.ts';
import { solveProgress } from '../progress.ts';
import type { SweepSummary } from '../../node/sweep/summary.ts';
import { bandsFor, bandText, drawsNote } from '../sweep-bands.ts';

export const DEFAULT_STANDOFF = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');
export const DEFAULT_DEAL = join(PROJECT_ROOT, 'scenarios', 'geneva-2025-05.yaml');

export function register(program: Command): void {
  program
    .command('standoff')
    .description("each side's loss of real income from staying in a standoff instead of a deal, and who is the more anxious party on several measures")
    .requiredOption('--a <region>', 'first side (name or code), e.g. USA')
    .requiredOption('--b <region>', 'second side, e.g. CHN')
    .option('--from <scenario>', 'the standoff scenario', DEFAULT_STANDOFF)
    .option('--deal <scenario>', 'the deal scenario', DEFAULT_DEAL)
    .option('--closure <closure>', 'fixed-deficits, zero-deficits, dollar-deficits, or both (fixed and zero; the default)', 'both')
    .option('--few-substitutes <percent>', "a sector has few substitutes when the other side supplies at least this share of world exports", String(FEW_SUBSTITUTES_THRESHOLD))
    .option('--data-dir <dir>', 'folder holding the shared datasets')
    .option('--json', 'print the report as JSON (with --closure both: an object keyed by closure)')
    .option('--draws <n>', 'also run N draws of the trade elasticities and print 90% bands and who loses more in what share of draws')
    .option('--workers <n>', 'local worker threads for --draws')
    .addHelpText('after', `
Examples:
  $ tariffsim standoff --a USA --b CHN
  $ tariffsim standoff --a USA --b CHN --closure fixed-deficits --json
  $ tariffsim standoff --a USA --b CHN --from scenarios/us-china-2025-04-standoff.yaml --deal scenarios/busan-2025-11.yaml`)
    .action(async (opts: { a: string; b: string; from: string; deal: string; closure: string; fewSubstitutes: string; dataDir?: string; json?: boolean; draws?: string; workers?: string }) => {
      const closures: Closure[] = opts.closure === 'both' ? [...CLOSURES] : (ALL_CLOSURES as readonly string[]).includes(opts.closure) ? [opts.closure as Closure] : [];
      if (!closures.length) throw new InputError(`unknown closure '${opts.closure}'`, { field: '--closure' }, 'use fixed-deficits, zero-deficits, dollar-deficits or both');
      const threshold = Number(opts.fewSubstitutes);
      if (!Number.isFinite(threshold)) throw new InputError(`'${opts.fewSubstitutes}' is not a number`, { field: '--few-substitutes' }, 'give a percentage, e.g. 25');
      const draws = opts.draws !== undefined ? Number(opts.draws) : undefined;
      if (draws !== undefined && !(Number.isInteger(draws) && draws > 0)) throw new InputError(`expected a positive integer, got '${opts.draws}'`, { field: '--draws' });
      const progress = solveProgress('solving');
      let answer: StandoffReport | Record<string, StandoffReport>;
      const input = { standoff: loadScenarioFile(opts.from), deal: loadScenarioFile(opts.deal), a: opts.a, b: opts.b, fewSubstitutesThreshold: threshold };
      const standoffClosure = input.standoff.spec.closure;
      try {
        answer = await standoffByClosure(input, nodeSources(opts.dataDir), { onIteration: progress.onIteration, closure: opts.closure === 'both' ? 'both' : closures[0] });
      } finally {
        progress.stop();
      }
      const first = 'a' in answer ? (answer as StandoffReport) : Object.values(answer)[0];
      const bands = draws
        ? await bandsFor({ name: 'standoff-draws', scenario: opts.from, deal: opts.deal, sides: [first.a.code, first.b.code], draws, dataDir: opts.dataDir, workers: opts.workers ? Number(opts.workers) : undefined })
        : undefined;
      if (opts.json) {
        process.stdout.write(toJson(bands ? { ...answer, draws: bands } : answer) + '\n');
        return;
      }
      const reports = 'a' in answer ? [answer as StandoffReport] : Object.values(answer);
      process.stdout.write(reports.map(standoffText).join('\n\n') + '\n');
      // The draws keep the standoff scenario's own closure: their bands sit beside that closure's point estimates.
      if (bands) process.stdout.write('\n' + standoffBandsText(reports.find((r) => r.closure === standoffClosure) ?? reports[0], bands) + '\n');
    });
}

export function standoffText(r: StandoffReport): string {
  const cur = r.currencyUnit;
  const rows = [r.a, r.b].map((s) => [
    s.region,
    s.realIncomeStandoff,
    s.realIncomeDeal,
    s.lossPercent,
    billions(s.lossPerYear, 1),
    billions(s.lossPerMonth, 2),
    billions(s.gdp, 0),
  ]);
  const measureRows = r.measures.map((m) => [`${m.measure}, ${m.unit}`, fmt(m.a, m.digits), fmt(m.b, m.digits), m.pointsTo ?? 'tie', m.reading]);
  return [
    `Standoff: ${r.standoff}`,
    `Deal:     ${r.deal}`,
    `  dataset ${r.dataset}; closure ${r.closure}: ${r.closureMeaning}`,
    '',
    table(['side', 'real income, standoff (% vs baseline)', 'real income, deal (%)', 'loss from standoff (% of real income)', `loss (bn ${cur}/year)`, `loss (bn ${cur}/month = /12)`, `GDP (bn ${cur}/year)`], rows),
    '',
    'Loss = real income under the deal / real income under the standoff − 1 (exact Î/P̂). In money: loss % × baseline GDP,',
    'a long-run annual loss (per year); per month is that ÷ 12, not a short-run monthly figure.',
    '',
    `Who is the more anxious party (${r.closure}):`,
    table(['measure', r.a.code, r.b.code, 'more anxious', 'reading'], measureRows),
    '',
    r.verdict,
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
