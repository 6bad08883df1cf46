// `tariffsim estimate`: PPML (or OLS) with high-dimensional fixed effects on a CSV file, fixest-style formula.
import { readText } from '../../data/files.ts';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { RowPool } from '../../estimate-node/pool.ts';
import { InputError } from '../../errors.ts';
import { parseCsvTable } from '../../estimate/csv.ts';
import { estimate, type EstimateResult } from '../../estimate/fit.ts';
import type { Table } from '../../estimate/table.ts';
import type { SmallSample, VcovType } from '../../estimate/vcov.ts';
import { fmt, table, toJson } from '../format.ts';

/** Reads a CSV file into a column table (missing file → InputError naming it). */
export function readTableFile(file: string): Table {
  const t = parseCsvTable(readText(file, 'check the path (shared datasets live in ../shared/data)'), file);
  if (t.nrows === 0) throw new InputError(`has ${t.names.length ? 'a header line but ' : ''}no data rows`, { file }, 'give a CSV file with a header line and at least one data row');
  return t;
}

interface EstimateOpts {
  data: string;
  formula: string;
  where?: string;
  cluster?: string;
  vcov?: string;
  ssc?: string;
  method?: string;
  dropCollinear?: boolean;
  keepSingletons?: boolean;
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
      let result: EstimateResult;
      try {
        result = estimate(t, {
          formula: opts.formula,
          where: opts.where,
          cluster: opts.cluster,
          vcov: parseChoice(opts.vcov, ['iid', 'robust', 'cluster'], '--vcov') as VcovType | undefined,
          ssc: parseChoice(opts.ssc, ['stata', 'fixest', 'none'], '--ssc') as SmallSample | undefined,
          method: parseChoice(opts.method, ['ppml', 'ols'], '--method') as 'ppml' | 'ols',
          collinear: opts.dropCollinear ? 'drop' : 'error',
          dropSingletons: !opts.keepSingletons,
          tol: parseTol(opts.tol),
          runner: pool,
        });
      } finally {
        await pool?.close();
      }
      process.stdout.write((opts.json ? toJson(jsonReport(result, opts.data)) : textReport(result, opts.data)) + '\n');
    });
}

function parseChoice(v: string | undefined, allowed: string[], flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v)) throw new InputError(`unknown value '${v}'`, { field: flag }, `use one of: ${allowed.join(', ')}`);
  return v;
}

function parseTol(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new InputError(`tolerance must be a number in (0, 1), got '${v}'`, { field: '--tol' });
  return x;
}

export function jsonReport(r: EstimateResult, data: string) {
  return {
    method: r.method,
    data,
    formula: r.formula,
    where: r.where ?? null,
    n: r.n,
    rows: { file: r.rowsTotal, afterWhere: r.rowsAfterWhere, estimationInput: r.nInput },
    coefficients: r.names.map((name, j) => ({ name, estimate: r.coef[j], se: r.se[j], z: r.z[j], p: r.p[j] })),
    vcov: { type: r.vcovType, ssc: r.ssc, smallSampleFactor: r.smallSampleFactor, cluster: r.clusterName ?? null, clusters: r.clusters ?? null, matrix: r.vcov },
    fixedEffects: r.fixedEffects,
    dropped: [...r.missing, ...r.dropped],
    collinear: r.collinear,
    converged: r.converged,
    iterations: r.iterations,
    demeanSweeps: r.demeanSweeps,
    epsilon: r.epsilon,
    deviance: r.deviance ?? null,
    r2: r.r2,
    notes: r.notes,
  };
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
