// `tariffsim tariffs --date D [--partner P] [--hts H] [--by hs2|sector|partner] [--json]`: the additional and
// total tariff a product / partner faced on a day, by program, with the actions and rule that decided it.
import type { Command } from 'commander';
import { tariffsOnDay, type TariffGroupRow, type TariffGroupsReport, type TariffProductsReport, type TariffsInput } from '../../app/tariffs.ts';
import { flagOf } from '../../app/policy-inputs.ts';
import { nodeSources } from '../../node/sources.ts';
import type { LookupResult } from '../../policy/lookup.ts';
import { OPTION_FLAGS, describePolicyOptions, type PolicyOptionInput } from '../../policy/options.ts';
import { csv, fmt, table, toJson, type Cell } from '../format.ts';

/** The flags as commander gives them: the app input's fields as strings, the policy options flattened. */
interface Opts extends Omit<TariffsInput, 'limit' | 'options'>, PolicyOptionInput {
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

export function register(program: Command): void {
  program
    .command('tariffs')
    .description('tariffs in force on a day: per product (HTS) and partner, or trade-weighted by HS chapter, sector or partner, with the breakdown by program and the rule that decided it')
    .requiredOption('--date <YYYY-MM-DD>', 'day to look up (inside the data range, 2025-01-01 … 2026-04-30)')
    .option('--partner <country>', 'exporting country: ISO3 (CHN), Census code (5700) or name; EU for the EU bloc')
    .option('--hts <code>', 'HTS code or prefix (e.g. 9503, 9503000090); every 2024 import line under it is listed')
    .option('--by <what>', 'trade-weighted table by hs2, sector or partner (2024 import weights)')
    .option('--importer <country>', 'imposing country: USA (default) or CHN (China’s tariffs on US goods; --partner USA)', 'USA')
    .option('--usmca <mode>', 'Canada/Mexico goods: non-qualifying (default for products), qualifying, or expected (qualifying share; default for --by)')
    .option('--sectors <name>', 'sector concordance for --by sector: gtap (default), world2024, cp2015, ossa2014 or a CSV path', 'gtap')
    .option('--announced-through <YYYY-MM-DD>', 'count only actions announced on or before this day')
    .option(...OPTION_FLAGS.metalShare)
    .option(...OPTION_FLAGS.usmcaShares)
    .option(...OPTION_FLAGS.weights)
    .option(...OPTION_FLAGS.compat)
    .option('--limit <n>', 'at most n rows (default 40; 0 = all)', '40')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .addHelpText('after', `
Examples:
  $ tariffsim tariffs --date 2025-04-15 --partner CHN --hts 9503          # Chinese toys: 145 points over MFN
  $ tariffsim tariffs --date 2025-04-15 --partner CAN --hts 8703 --usmca qualifying
  $ tariffsim tariffs --date 2025-09-15 --partner JPN --by hs2             # Japan's 15% floor deal by chapter
  $ tariffsim tariffs --date 2025-04-15 --by partner                       # every partner, trade-weighted
  $ tariffsim tariffs --date 2025-04-15 --importer CHN --partner USA --hts 120190 --json   # China on US soybeans
  $ tariffsim tariffs --date 2025-09-15 --partner DEU --hts 8302416045 --metal-share flat:0.5   # metal share used is printed`)
    .action(async (opts: Opts) => {
      const report = await tariffsOnDay(
        {
          date: opts.date,
          partner: opts.partner,
          hts: opts.hts,
          by: opts.by,
          importer: opts.importer,
          usmca: opts.usmca,
          sectors: opts.sectors,
          announcedThrough: opts.announcedThrough,
          options: { metalShare: opts.metalShare, usmcaShares: opts.usmcaShares, weights: opts.weights, compat: opts.compat },
          limit: opts.limit,
        },
        nodeSources(),
        flagOf,
      );
      if (report.kind === 'products') {
        printLookups(report, opts);
        return;
      }
      if (opts.usmca && opts.usmca !== 'expected') process.stderr.write('note: --by tables mix USMCA-qualifying shares (--usmca expected)\n');
      printGroups(report, opts);
    });
}

const PROGRAM_LABELS: Record<string, string> = {
  mfn: 'MFN',
  s232: '232',
  s301: '301',
  ieepa_fentanyl: 'fentanyl',
  ieepa_reciprocal: 'reciprocal',
  ieepa_country: 'country EO',
  s122: '122',
  s201: '201',
  retaliation: 'retaliation',
};

function printLookups(report: TariffProductsReport, opts: Opts): void {
  const rows = report.lines;
  const programs = report.programs;
  if (opts.json) {
    process.stdout.write(toJson(rows) + '\n');
    return;
  }
  const withImports = rows.some((r) => r.imports2024 !== null);
  const withMetal = rows.some((r) => r.metalShare !== null);
  const header = ['hts', 'partner', ...(withImports ? ['imports 2024 $M'] : []), ...(withMetal ? ['metal share'] : []), 'MFN', ...programs.map((p) => PROGRAM_LABELS[p]), 'additional', 'total', 'rule'];
  const cells: Cell[][] = rows.map((r) => [
    r.hts,
    r.partner.key,
    ...(withImports ? [r.imports2024 === null ? '' : fmt(r.imports2024 / 1e6, 1)] : []),
    ...(withMetal ? [r.metalShare === null ? '' : fmt(r.metalShare, 3)] : []),
    r.mfnStatutory === null ? 'n/a' : r.mfn,
    ...programs.map((p) => r.byProgram[p as keyof LookupResult['byProgram']]),
    r.additional,
    r.total,
    r.rule,
  ]);
  if (opts.csv) {
    process.stdout.write(csv(header, cells));
    return;
  }
  const r0 = rows[0];
  const out = [`${r0.importer} tariffs on goods from ${r0.partner.name} on ${r0.date} (percent ad valorem)`, describePolicyOptions(report.options), table(header, cells), '', 'why (first line):'];
  for (const n of r0.notes) out.push(`  - ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}

function printGroups(report: TariffGroupsReport, opts: Opts): void {
  const by = report.by;
  const shown = report.rows;
  const programs = report.programs;
  if (opts.json) {
    process.stdout.write(toJson(shown.map((g) => ({ [by]: g.key, imports2024: g.imports, byProgram: g.byProgram, additional: g.additional, total: g.total }))) + '\n');
    return;
  }
  const label = (g: TariffGroupRow) => (g.name !== undefined ? `${g.key} ${g.name}`.trim() : g.key);
  const header = [by, `imports ${report.options.weights} $B`, ...programs.map((p) => PROGRAM_LABELS[p]), 'additional', 'total'];
  const cells: Cell[][] = shown.map((g) => [label(g), fmt(g.imports / 1e9, 2), ...programs.map((p) => g.byProgram[p]), g.additional, g.total]);
  if (opts.csv) {
    process.stdout.write(csv(header, cells));
    return;
  }
  const title = `US tariffs on ${report.partner ? `goods from ${report.partner}` : 'imports'}${opts.hts ? ` under HTS ${opts.hts}` : ''} on ${opts.date}, trade-weighted by ${by} (${report.options.weights} imports; percent of the group's imports; USMCA-qualifying shares mixed in)\n${describePolicyOptions(report.options)}`;
  const more = report.total > shown.length ? `\n(${report.total - shown.length} more rows: --limit 0 shows all)` : '';
  process.stdout.write(`${title}\n${table(header, cells)}${more}\n`);
}
