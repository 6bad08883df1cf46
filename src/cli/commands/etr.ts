// `tariffsim etr`: the statutory effective US tariff rate (pre-substitution, 2024 import weights) — a daily
// series with one column per program, or one day with breakdowns by program, partner or sector.
import type { Command } from 'commander';
import { effectiveRate, type EffectiveRateInput, type EtrDayReport, type EtrRealizedReport, type EtrSeriesReport } from '../../app/etr.ts';
import { flagOf } from '../../app/policy-inputs.ts';
import { nodeSources } from '../../node/sources.ts';
import { ETR_COLUMNS } from '../../policy/etr.ts';
import { describePolicyOptions, OPTION_FLAGS, type PolicyOptionInput } from '../../policy/options.ts';
import { csv, fmt, table, toJson, type Cell } from '../format.ts';

/** The flags as commander gives them: the app input's fields as strings, the policy options flattened. */
interface Opts extends Omit<EffectiveRateInput, 'limit' | 'options'>, PolicyOptionInput {
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

export function register(program: Command): void {
  program
    .command('etr')
    .description('statutory effective US tariff rate (import-weighted, pre-substitution, 2024 weights): daily series by program, or one day by partner or sector')
    .option('--from <YYYY-MM-DD>', 'first day of the series (default 2025-01-01)')
    .option('--to <YYYY-MM-DD>', 'last day of the series (default 2026-04-30)')
    .option('--date <YYYY-MM-DD>', 'one day instead of a series (with --by for a breakdown)')
    .option('--by <what>', 'with --date or --announced-through: breakdown by program (default), partner or sector')
    .option('--sectors <name>', 'sector concordance for --by sector: gtap (default), world2024, cp2015, ossa2014 or a CSV path', 'gtap')
    .option('--announced-through <YYYY-MM-DD>', 'every action announced on or before this day, as if in force (evaluated on the day the last of them takes effect)')
    .option('--limit <n>', 'rows of a --by partner/sector table (default 30; 0 = all)', '30')
    .option(...OPTION_FLAGS.metalShare)
    .option(...OPTION_FLAGS.usmcaShares)
    .option(...OPTION_FLAGS.weights)
    .option(...OPTION_FLAGS.compat)
    .option('--realized', 'by month: the mean statutory rate beside realized duties ÷ imports (Treasury customs duties, Census imports; 2025-01 … 2026-03)')
    .option('--csv', 'print CSV: date, etr (percent), then one column per program (percentage points)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  $ tariffsim etr --from 2025-01-01 --to 2026-04-30 --csv > etr.csv     # daily series
  $ tariffsim etr --date 2025-11-15 --by partner
  $ tariffsim etr --announced-through 2025-04-02                        # Yale Budget Lab's 22.5% reference point
  $ tariffsim etr --realized                                            # statutory vs collected, by month
  $ tariffsim etr --date 2025-09-15 --metal-share flat:0.5 --usmca-shares h2-2025   # the layer's former assumptions`)
    .action(async (opts: Opts) => {
      const report = await effectiveRate(
        {
          from: opts.from,
          to: opts.to,
          date: opts.date,
          by: opts.by,
          sectors: opts.sectors,
          announcedThrough: opts.announcedThrough,
          limit: opts.limit,
          options: { metalShare: opts.metalShare, usmcaShares: opts.usmcaShares, weights: opts.weights, compat: opts.compat },
          realized: opts.realized,
        },
        nodeSources(),
        flagOf,
      );
      if (report.kind === 'realized') printRealized(report, opts);
      else if (report.kind === 'day') printDay(report, opts);
      else printSeries(report, opts);
    });
}

function printSeries(report: EtrSeriesReport, opts: Opts): void {
  const series = report.series.map((p) => ({ date: p.date, etr: p.etr, byProgram: ETR_COLUMNS.map((c) => p.byProgram[c]) }));
  const cols = ['date', 'etr', ...ETR_COLUMNS];
  if (opts.csv) {
    process.stdout.write(csv(cols, series.map((p) => [p.date, round(p.etr), ...p.byProgram.map(round)])));
  } else if (opts.json) {
    process.stdout.write(toJson(report.series) + '\n');
  } else {
    const changes = series.filter((p, k) => k === 0 || Math.abs(p.etr - series[k - 1].etr) > 5e-5 || p.byProgram.some((x, j) => Math.abs(x - series[k - 1].byProgram[j]) > 5e-5));
    process.stdout.write(`Statutory effective US tariff rate, percent (${report.options.weights} import weights, pre-substitution); days on which it changes\n${describePolicyOptions(report.options)}\n${table(cols, changes.map(row))}\n(--csv prints every day)\n`);
  }
}

/** Statutory rate by month (mean of the daily series) beside realized duties ÷ imports. */
function printRealized(report: EtrRealizedReport, opts: Opts): void {
  const rows = report.months;
  if (opts.json) {
    process.stdout.write(toJson({ units: report.units, options: report.options, realizedSource: report.realizedSource, months: rows }) + '\n');
    return;
  }
  const cols = ['month', 'statutory %', 'realized %', 'gap pts', 'duties $B', 'imports $B'];
  const cells: Cell[][] = rows.map((r) => [r.month, r.statutory, r.realized, r.statutory - r.realized, fmt(r.duties / 1e3, 2), fmt(r.imports / 1e3, 1)]);
  if (opts.csv) {
    process.stdout.write(csv(['month', 'statutory_etr', 'realized_rate', 'gap', 'duties_usd_m', 'imports_usd_m'], rows.map((r) => [r.month, round(r.statutory), round(r.realized), round(r.statutory - r.realized), r.duties, r.imports])));
    return;
  }
  const w = report.importWeighted;
  process.stdout.write(
    `Statutory effective rate (monthly mean of the daily series, ${report.options.weights} weights) vs realized duties ÷ imports, percent of imports\n${describePolicyOptions(report.options)}\n${table(cols, cells)}\n` +
      `${w.from} … ${w.to}, import-weighted: statutory ${fmt(w.statutory)}%, realized ${fmt(w.realized)}% (gap ${fmt(w.gap)} points; docs/policy.md explains the gap)\nrealized: ${report.realizedSource}\n`,
  );
}

function printDay(report: EtrDayReport, opts: Opts): void {
  const title = report.announcedThrough !== null ? `Every action announced through ${report.announcedThrough} in force (evaluated on ${report.date})` : `Effective US tariff rate on ${report.date}`;
  const headerLine = describePolicyOptions(report.options);
  if (opts.json) {
    const { date, etr, byProgram, byPartner, bySector, options, announcedThrough } = report;
    process.stdout.write(toJson({ date, etr, byProgram, byPartner, bySector, options, announcedThrough }) + '\n');
    return;
  }
  const by = report.by;
  if (by === 'program') {
    const cells: Cell[][] = ETR_COLUMNS.map((c) => [c, report.byProgram[c]]);
    cells.push(['total', report.etr]);
    if (opts.csv) process.stdout.write(csv(['program', 'points'], cells));
    else process.stdout.write(`${title}: ${fmt(report.etr)}% (statutory, pre-substitution, ${report.options.weights} weights)\n${headerLine}\n${table(['program', 'points'], cells)}\n`);
    return;
  }
  const cells: Cell[][] = report.rows.map((r) => [r.key, fmt(r.imports / 1e9, 2), r.etr]);
  const header = [by, `imports ${report.options.weights} $B`, 'etr %'];
  if (opts.csv) process.stdout.write(csv(header, cells));
  else process.stdout.write(`${title}: ${fmt(report.etr)}%\n${headerLine}\n${table(header, cells)}\n`);
}

function row(p: { date: string; etr: number; byProgram: number[] }): Cell[] {
  return [p.date, p.etr, ...p.byProgram];
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
