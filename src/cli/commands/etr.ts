// `tariffsim etr`: the statutory effective US tariff rate (pre-substitution, 2024 import weights) — a daily
// series with one column per program, or one day with breakdowns by program, partner or sector.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { formatDay, parseDay } from '../../policy/dates.ts';
import { PolicyView } from '../../policy/view.ts';
import { EtrEngine, ETR_COLUMNS, realizedComparison, type EtrPoint } from '../../policy/etr.ts';
import { loadConcordance, loadPolicyContext, loadRealizedDuties, loadWeightScale2025, type RealizedMonth } from '../../policy/inputs.ts';
import { describePolicyOptions, OPTION_FLAGS, parsePolicyOptions, type PolicyOptionInput } from '../../policy/options.ts';
import { csv, fmt, table, toJson, type Cell } from '../format.ts';

interface Opts {
  from?: string;
  to?: string;
  date?: string;
  by?: string;
  sectors?: string;
  announcedThrough?: string;
  limit?: string;
  csv?: boolean;
  json?: boolean;
  metalShare?: string;
  usmcaShares?: string;
  weights?: string;
  realized?: boolean;
  compat?: string;
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
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new InputError(`--limit must be a whole number ≥ 0, got '${opts.limit}'`, { field: '--limit' });
      if (opts.by && !['program', 'partner', 'sector'].includes(opts.by)) throw new InputError(`unknown --by '${opts.by}'`, { field: '--by' }, 'use program, partner or sector');
      if (opts.by && !opts.date && !opts.announcedThrough) throw new InputError('--by needs --date (or --announced-through)', { field: '--by' });
      // Dates are checked for form before the (slow) policy data load; ranges are checked against the data below.
      for (const [flag, v] of [['--from', opts.from], ['--to', opts.to], ['--date', opts.date], ['--announced-through', opts.announcedThrough]] as const) if (v !== undefined) parseDay(v, { field: flag });
      if (opts.from && opts.to && parseDay(opts.from, { field: '--from' }) > parseDay(opts.to, { field: '--to' })) throw new InputError(`--from ${opts.from} is after --to ${opts.to}`, { field: '--from' }, 'give --from on or before --to');
      const options = parsePolicyOptions({ metalShare: opts.metalShare, usmcaShares: opts.usmcaShares, weights: opts.weights, compat: opts.compat }, (n) => FLAG_OF[n]);
      if (opts.realized && (opts.date || opts.by || opts.announcedThrough)) throw new InputError('--realized prints a monthly series: drop --date, --by and --announced-through', { field: '--realized' });
      const ctx = await loadPolicyContext();
      const cutoff = opts.announcedThrough ? parseDay(opts.announcedThrough, { field: '--announced-through' }) : null;
      const view = new PolicyView(ctx.data, cutoff, options.compat);
      const conc = opts.by === 'sector' && opts.sectors && opts.sectors !== 'gtap' ? loadConcordance(opts.sectors, ctx.data) : null;
      const engine = new EtrEngine(view, ctx.weights, {
        ...(conc ? { sectorOf: (h: string) => conc.sectors[conc.sectorOf(h)] ?? '(unmapped)' } : {}),
        policy: options,
        weightScale: options.weights === '2025' ? loadWeightScale2025(ctx.data).scale : undefined,
      });
      const header = describePolicyOptions(options);
      if (opts.realized) {
        printRealized(engine, loadRealizedDuties(), opts, header);
        return;
      }
      if (opts.date || cutoff !== null) {
        const day = opts.date ? parseDay(opts.date, { field: '--date' }) : view.inForceDay();
        view.checkDay(day, '--date');
        printDay(engine, day, opts, limit, cutoff, header);
        return;
      }
      const from = parseDay(opts.from ?? formatDay(ctx.data.coverage.from), { field: '--from' });
      const to = parseDay(opts.to ?? formatDay(ctx.data.coverage.to), { field: '--to' });
      const series = engine.series(from, to);
      const optionsLine = header;
      const cols = ['date', 'etr', ...ETR_COLUMNS];
      if (opts.csv) {
        process.stdout.write(csv(cols, series.map((p) => [p.date, round(p.etr), ...p.byProgram.map(round)])));
      } else if (opts.json) {
        process.stdout.write(toJson(series.map((p) => ({ date: p.date, etr: p.etr, byProgram: Object.fromEntries(ETR_COLUMNS.map((c, k) => [c, p.byProgram[k]])) }))) + '\n');
      } else {
        const changes = series.filter((p, k) => k === 0 || Math.abs(p.etr - series[k - 1].etr) > 5e-5 || p.byProgram.some((x, j) => Math.abs(x - series[k - 1].byProgram[j]) > 5e-5));
        process.stdout.write(`Statutory effective US tariff rate, percent (${options.weights} import weights, pre-substitution); days on which it changes\n${optionsLine}\n${table(cols, changes.map(row))}\n(--csv prints every day)\n`);
      }
    });
}

const FLAG_OF: Record<keyof PolicyOptionInput, string> = { metalShare: '--metal-share', usmcaShares: '--usmca-shares', weights: '--weights', compat: '--compat' };

/** Statutory rate by month (mean of the daily series) beside realized duties ÷ imports. */
function printRealized(engine: EtrEngine, realized: { months: RealizedMonth[]; source: string }, opts: Opts, header: string): void {
  const c = engine.view.data.coverage;
  const from = opts.from ? parseDay(opts.from, { field: '--from' }) : c.from;
  const to = opts.to ? parseDay(opts.to, { field: '--to' }) : c.to;
  const rows = realizedComparison(engine.series(from, to), realized.months);
  if (rows.length === 0) throw new InputError('no month of the series has realized duties (data: 2024-01 … 2026-03)', { field: '--from' });
  if (opts.json) {
    process.stdout.write(toJson({ units: 'percent of imports', options: engine.options, realizedSource: realized.source, months: rows }) + '\n');
    return;
  }
  const cols = ['month', 'statutory %', 'realized %', 'gap pts', 'duties $B', 'imports $B'];
  const cells: Cell[][] = rows.map((r) => [r.month, r.statutory, r.realized, r.statutory - r.realized, fmt(r.duties / 1e3, 2), fmt(r.imports / 1e3, 1)]);
  if (opts.csv) {
    process.stdout.write(csv(['month', 'statutory_etr', 'realized_rate', 'gap', 'duties_usd_m', 'imports_usd_m'], rows.map((r) => [r.month, round(r.statutory), round(r.realized), round(r.statutory - r.realized), r.duties, r.imports])));
    return;
  }
  const stat = rows.reduce((s, r) => s + r.statutory * r.imports, 0) / rows.reduce((s, r) => s + r.imports, 0);
  const real = (100 * rows.reduce((s, r) => s + r.duties, 0)) / rows.reduce((s, r) => s + r.imports, 0);
  process.stdout.write(
    `Statutory effective rate (monthly mean of the daily series, ${engine.options.weights} weights) vs realized duties ÷ imports, percent of imports\n${header}\n${table(cols, cells)}\n` +
      `${rows[0].month} … ${rows[rows.length - 1].month}, import-weighted: statutory ${fmt(stat)}%, realized ${fmt(real)}% (gap ${fmt(stat - real)} points; docs/policy.md explains the gap)\nrealized: ${realized.source}\n`,
  );
}

function printDay(engine: EtrEngine, day: number, opts: Opts, limit: number, cutoff: number | null, headerLine: string): void {
  const b = engine.breakdown(day);
  const title = cutoff !== null ? `Every action announced through ${formatDay(cutoff)} in force (evaluated on ${b.date})` : `Effective US tariff rate on ${b.date}`;
  if (opts.json) {
    process.stdout.write(toJson({ ...b, options: engine.options, announcedThrough: cutoff === null ? null : formatDay(cutoff), byProgram: Object.fromEntries(ETR_COLUMNS.map((c, k) => [c, b.byProgram[k]])) }) + '\n');
    return;
  }
  const by = opts.by ?? 'program';
  if (by === 'program') {
    const cells: Cell[][] = ETR_COLUMNS.map((c, k) => [c, b.byProgram[k]]);
    cells.push(['total', b.etr]);
    if (opts.csv) process.stdout.write(csv(['program', 'points'], cells));
    else process.stdout.write(`${title}: ${fmt(b.etr)}% (statutory, pre-substitution, ${engine.options.weights} weights)\n${headerLine}\n${table(['program', 'points'], cells)}\n`);
    return;
  }
  const list = by === 'partner' ? b.byPartner.map((p) => [`${p.key} ${p.name}`, p.imports, p.etr] as const) : b.bySector.map((s) => [s.sector, s.imports, s.etr] as const);
  const shown = limit > 0 ? list.slice(0, limit) : list;
  const cells: Cell[][] = shown.map(([k, imp, etr]) => [k, fmt(imp / 1e9, 2), etr]);
  const optionsLine = headerLine;
  const header = [by, `imports ${engine.options.weights} $B`, 'etr %'];
  if (opts.csv) process.stdout.write(csv(header, cells));
  else process.stdout.write(`${title}: ${fmt(b.etr)}%\n${optionsLine}\n${table(header, cells)}\n`);
}

function row(p: EtrPoint): Cell[] {
  return [p.date, p.etr, ...p.byProgram];
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
