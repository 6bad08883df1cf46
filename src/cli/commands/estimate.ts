// `tariffsim estimate`: PPML (or OLS) with high-dimensional fixed effects on a CSV file, fixest-style formula.
import { readText } from '../../node/data/files.ts';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { RowPool } from '../../node/estimate/pool.ts';
import { InputError } from '../../errors.ts';
import { parseCsvTable } from '../../estimate/csv.ts';
import type { EstimateResult } from '../../estimate/fit.ts';
import { estimateGravity, type EstimateInput } from '../../app/estimate.ts';
import type { Table } from '../../estimate/table.ts';
import { fmt, table, toJson } from '../format.ts';

/** Reads a CSV file into a column table (missing file → InputError naming it). */
export function readTableFile(file: string): Table {
  const t = parseCsvTable(readText(file, 'check the path (shared datasets live in ../shared/data)'), file);
  if (t.nrows === 0) throw new InputError(`has ${t.names.length ? 'a header line but ' : ''}no data rows`, { file }, 'give a CSV file with a header line and at least one data row');
  return t;
}

/** The flags as commander gives them: the app input's options, with the data file and --tol as strings. */
interface EstimateOpts extends Omit<EstimateInput, 'table' | 'source' | 'tol' | 'runner'> {
  data: string;
  tol?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('estimate')
    .description('estimate a gravity equation by PPML (or OLS) with high-dimensional fixed effects')
    .requiredOption('--data <csv>', 'CSV file with a header line')
    .requiredOption('--formula <formula>', 'fixest-style formula: "outcome ~ x1 + log(x2) | fe1^fe2 + fe3" (outcome in levels for PPML)')
    .option('--where <expression>', 'keep rows where the expression is true, e.g. "year % 4 == 2 && exporter != importer"')
    .option('--cluster <column>', 'cluster standard errors by this column (columns joined by ^ interact)')
    .option('--vcov <type>', 'iid, robust or cluster (default: cluster when --cluster is given, else robust)')
    .option('--ssc <rule>', 'small-sample correction: stata (default; G/(G−1) for PPML, as ppmlhdfe/ppml), fixest, none')
    .option('--method <method>', 'ppml (default) or ols', 'ppml')
    .option('--drop-collinear', 'drop perfectly collinear regressors (reported) instead of stopping with an error')
    .option('--keep-singletons', 'keep fixed-effect groups with a single observation (dropped by default, as ppmlhdfe)')
    .option('--tol <tol>', 'IRLS convergence tolerance on the relative deviance change', '1e-8')
    .option('--threads <n>', 'worker threads for the passes over the rows (1 = this thread; results are identical)', '1')
    .option('--json', 'print coefficients, standard errors, N, dropped observations and iterations as JSON')
    .addHelpText('after', `
Formula: terms are separated by +; a:b multiplies two terms; I(...) holds arithmetic; functions log, log1p,
exp, sqrt, abs, ifelse(cond, a, b), in(x, v1, v2, ...). After |, fixed effects; a^b interacts them.

Examples:
  $ tariffsim estimate --data ../shared/data/yotov2016/agtpa_applications.csv \\
      --formula "trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year" \\
      --where "year % 4 == 2 && exporter != importer" --cluster pair_id
  $ tariffsim estimate --data ../shared/data/yotov2016/agtpa_applications.csv \\
      --formula "trade ~ rta | exporter^year + importer^year + pair_id" --where "year % 4 == 2" --cluster pair_id --json`)
    .action(async (opts: EstimateOpts & { threads: string }) => {
      const threads = Number(opts.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InputError(`--threads must be an integer from 1 to 64, got '${opts.threads}'`, { field: '--threads' });
      const t = readTableFile(opts.data);
      const pool = threads > 1 ? await RowPool.create(threads) : undefined;
      let out: ReturnType<typeof estimateGravity>;
      try {
        const tol = opts.tol === undefined ? undefined : Number(opts.tol);
        const input = { table: t, source: opts.data, formula: opts.formula, where: opts.where, cluster: opts.cluster, vcov: opts.vcov, ssc: opts.ssc, method: opts.method, dropCollinear: opts.dropCollinear, keepSingletons: opts.keepSingletons, tol, runner: pool };
        out = estimateGravity(input);
      } finally {
        await pool?.close();
      }
      process.stdout.write((opts.json ? toJson(out.report) : textReport(out.result, opts.data)) + '\n');
    });
}


const int = (x: number) => x.toLocaleString('en-US');

export function textReport(r: EstimateResult, data: string): string {
  const out: string[] = [];
  out.push(`${r.method.toUpperCase()}  ${r.formula}`);
  out.push(`data: ${basename(data)} (${int(r.rowsTotal)} rows${r.where ? `; ${int(r.rowsAfterWhere)} where ${r.where}` : ''})`);
  out.push('');
  out.push(
    table(
      ['', 'estimate', 'std. error', 'z', 'p'],
      r.names.map((n, j) => [n, fmt(r.coef[j], 5), fmt(r.se[j], 5), fmt(r.z[j], 2), r.p[j] < 1e-4 ? '<1e-4' : fmt(r.p[j], 4)]),
    ),
  );
  out.push('');
  out.push(`N = ${int(r.n)}${r.fixedEffects.length ? `   fixed effects: ${r.fixedEffects.map((f) => `${f.name} (${int(f.groups)})`).join(', ')}` : ''}`);
  const se =
    r.vcovType === 'cluster'
      ? `clustered by ${r.clusterName} (${int(r.clusters ?? 0)} clusters)`
      : r.vcovType === 'robust'
        ? 'heteroskedasticity-robust'
        : 'iid';
  out.push(`standard errors: ${se}; small-sample factor ${r.smallSampleFactor}`);
  for (const d of [...r.missing, ...r.dropped]) {
    out.push(`dropped ${int(d.observations)} obs.: ${d.reason}${d.fixedEffect ? ` [${d.fixedEffect}, ${int(d.groups ?? 0)} groups]` : ''}`);
  }
  for (const c of r.collinear) out.push(`dropped regressor ${c.name}: ${c.reason}`);
  if (r.method === 'ppml') {
    out.push(`converged in ${r.iterations} IRLS iterations (relative deviance change ${r.epsilon.toExponential(2)}), ${int(r.demeanSweeps)} demeaning sweeps; squared corr(y, ŷ) = ${fmt(r.r2, 4)}`);
  } else out.push(`R² = ${fmt(r.r2, 4)}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
