// `tariffsim tariffs --date D [--partner P] [--hts H] [--by hs2|sector|partner] [--json]`: the additional and
// total tariff a product / partner faced on a day, by program, with the actions and rule that decided it.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { parseDay } from '../../policy/dates.ts';
import type { PolicyData } from '../../policy/data.ts';
import { PolicyView } from '../../policy/view.ts';
import { EtrEngine, ETR_COLUMNS, type EtrGroup } from '../../policy/etr.ts';
import { normalizeCode } from '../../policy/hts.ts';
import { loadConcordance, loadPolicyContext, loadWeightScale2025 } from '../../policy/inputs.ts';
import { describePolicyOptions, OPTION_FLAGS, parsePolicyOptions, type PolicyOptions } from '../../policy/options.ts';
import { loadPolicy } from '../../policy/load.ts';
import { resolvePartner, type LookupResult, type UsmcaMode } from '../../policy/lookup.ts';
import { csv, fmt, table, toJson, type Cell } from '../format.ts';
import { checkHtsChapter, checkPair } from '../../policy/checks.ts';
import { tariffLinesOf, type TariffLine } from '../../app/policy.ts';

interface Opts {
  date: string;
  partner?: string;
  hts?: string;
  by?: string;
  importer?: string;
  usmca?: string;
  sectors?: string;
  limit?: string;
  announcedThrough?: string;
  json?: boolean;
  csv?: boolean;
  metalShare?: string;
  usmcaShares?: string;
  weights?: string;
  compat?: string;
}

const USMCA_MODES = ['non-qualifying', 'qualifying', 'expected'];

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
      const day = parseDay(opts.date, { field: '--date' });
      const options = parsePolicyOptions({ metalShare: opts.metalShare, usmcaShares: opts.usmcaShares, weights: opts.weights, compat: opts.compat }, (n) => ({ metalShare: '--metal-share', usmcaShares: '--usmca-shares', weights: '--weights', compat: '--compat' })[n]);
      if (opts.usmca && !USMCA_MODES.includes(opts.usmca)) throw new InputError(`unknown --usmca mode '${opts.usmca}'`, { field: '--usmca' }, `use ${USMCA_MODES.join(', ')}`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new InputError(`--limit must be a whole number ≥ 0, got '${opts.limit}'`, { field: '--limit' });
      const cutoff = opts.announcedThrough ? parseDay(opts.announcedThrough, { field: '--announced-through' }) : null;
      if (opts.by && !['hs2', 'sector', 'partner'].includes(opts.by)) throw new InputError(`unknown --by '${opts.by}'`, { field: '--by' }, 'use hs2, sector or partner');
      const importer = (opts.importer ?? 'USA').toUpperCase();
      if (importer !== 'USA' && importer !== 'CHN') throw new InputError(`unknown --importer '${opts.importer}'`, { field: '--importer' }, 'use USA or CHN');
      if (importer === 'CHN' && opts.by) throw new InputError('--by is available for US imports only (2024 US import weights)', { field: '--by' }, 'drop --by, or drop --importer CHN');
      if (opts.hts && !normalizeCode(opts.hts)) throw new InputError(`'${opts.hts}' is not an HTS code of 2–10 digits`, { field: '--hts' });
      if (opts.hts) checkHtsChapter(normalizeCode(opts.hts)!);
      if (importer === 'CHN' || (opts.hts && !opts.by)) {
        const data = loadPolicy();
        const view = new PolicyView(data, cutoff, options.compat);
        view.checkDay(day);
        if (!opts.partner) throw new InputError('--hts needs --partner', { field: '--partner' }, 'e.g. --partner CHN');
        if (!opts.hts) throw new InputError('--importer CHN needs --hts (an HS6 code)', { field: '--hts' });
        const results = await productLookups(view, importer, opts, day, limit, options);
        printLookups(results, opts, options);
        return;
      }
      const ctx = await loadPolicyContext();
      const view = new PolicyView(ctx.data, cutoff, options.compat);
      view.checkDay(day);
      const by = opts.by ?? (opts.partner ? 'hs2' : 'partner');
      const partner = opts.partner ? resolvePartner(view, opts.partner) : null;
      checkPair(importer, partner?.key ?? null);
      const prefix = opts.hts ? normalizeCode(opts.hts)! : null;
      const sectorOf = by === 'sector' && opts.sectors !== 'gtap' ? sectorFunction(opts.sectors ?? 'gtap', ctx.data) : undefined;
      const engine = new EtrEngine(view, ctx.weights, { ...(sectorOf ? { sectorOf } : {}), policy: options, weightScale: options.weights === '2025' ? loadWeightScale2025(ctx.data).scale : undefined });
      if (opts.usmca && opts.usmca !== 'expected') process.stderr.write('note: --by tables mix USMCA-qualifying shares (--usmca expected)\n');
      const groups = engine
        .aggregate(day, (p, cls) => {
          if (partner && p.key !== partner.key) return null;
          if (prefix && !cls.rep.startsWith(prefix)) return null;
          return by === 'partner' ? p.key : by === 'hs2' ? cls.rep.slice(0, 2) : engine.sectors[cls.sector];
        })
        .sort((a, b) => b.imports - a.imports);
      if (groups.length === 0) throw new InputError(`no 2024 imports match${partner ? ` partner ${partner.key}` : ''}${prefix ? ` HTS ${prefix}` : ''}`, { field: '--hts' });
      printGroups(groups, by, opts, limit, partner?.key ?? null, view.data, options);
    });
}

function sectorFunction(name: string, data: PolicyData): (h: string) => string {
  const conc = loadConcordance(name, data);
  return (h) => conc.sectors[conc.sectorOf(h)] ?? '(unmapped)';
}

/** HTS10 lines under the prefix with 2024 imports from the partner (or the code itself): src/app/policy.ts. */
async function productLookups(view: PolicyView, importer: string, opts: Pick<Opts, 'hts' | 'partner' | 'usmca'>, day: number, limit: number, options: PolicyOptions): Promise<TariffLine[]> {
  const weights = importer === 'USA' ? (await loadPolicyContext()).weights : null;
  return tariffLinesOf(view, weights, importer, { hts: opts.hts!, partner: opts.partner!, usmca: opts.usmca as UsmcaMode | undefined }, day, limit, options).lines;
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

function printLookups(rows: { result: LookupResult; imports: number | null }[], opts: Opts, options: PolicyOptions): void {
  const programs = ETR_COLUMNS.slice(1).filter((p) => rows.some((r) => r.result.byProgram[p as keyof LookupResult['byProgram']] !== 0));
  if (opts.json) {
    process.stdout.write(toJson(rows.map((r) => ({ ...r.result, imports2024: r.imports }))) + '\n');
    return;
  }
  const withImports = rows.some((r) => r.imports !== null);
  const withMetal = rows.some((r) => r.result.metalShare !== null);
  const header = ['hts', 'partner', ...(withImports ? ['imports 2024 $M'] : []), ...(withMetal ? ['metal share'] : []), 'MFN', ...programs.map((p) => PROGRAM_LABELS[p]), 'additional', 'total', 'rule'];
  const cells: Cell[][] = rows.map(({ result: r, imports }) => [
    r.hts,
    r.partner.key,
    ...(withImports ? [imports === null ? '' : fmt(imports / 1e6, 1)] : []),
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
  const r0 = rows[0].result;
  const out = [`${r0.importer} tariffs on goods from ${r0.partner.name} on ${r0.date} (percent ad valorem)`, describePolicyOptions(options), table(header, cells), '', 'why (first line):'];
  for (const n of r0.notes) out.push(`  - ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}

function printGroups(groups: EtrGroup[], by: string, opts: Opts, limit: number, partner: string | null, data: PolicyData, options: PolicyOptions): void {
  const shown = limit > 0 ? groups.slice(0, limit) : groups;
  const programs = ETR_COLUMNS.map((p, k) => [p, k] as const).filter(([, k]) => groups.some((g) => Math.abs(g.byProgram[k]) > 1e-9));
  if (opts.json) {
    process.stdout.write(toJson(shown.map((g) => ({ [by]: g.key, imports2024: g.imports, byProgram: Object.fromEntries(ETR_COLUMNS.map((p, k) => [p, g.byProgram[k]])), additional: g.total - g.byProgram[0], total: g.total }))) + '\n');
    return;
  }
  const label = (k: string) => (by === 'partner' ? `${k} ${data.countries.find(k)?.name ?? ''}`.trim() : k);
  const header = [by, `imports ${options.weights} $B`, ...programs.map(([p]) => PROGRAM_LABELS[p]), 'additional', 'total'];
  const cells: Cell[][] = shown.map((g) => [label(g.key), fmt(g.imports / 1e9, 2), ...programs.map(([, k]) => g.byProgram[k]), g.total - g.byProgram[0], g.total]);
  if (opts.csv) {
    process.stdout.write(csv(header, cells));
    return;
  }
  const title = `US tariffs on ${partner ? `goods from ${partner}` : 'imports'}${opts.hts ? ` under HTS ${opts.hts}` : ''} on ${opts.date}, trade-weighted by ${by} (${options.weights} imports; percent of the group's imports; USMCA-qualifying shares mixed in)\n${describePolicyOptions(options)}`;
  const more = groups.length > shown.length ? `\n(${groups.length - shown.length} more rows: --limit 0 shows all)` : '';
  process.stdout.write(`${title}\n${table(header, cells)}${more}\n`);
}
