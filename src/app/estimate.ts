// Use case: a gravity equation by PPML (or OLS) with high-dimensional fixed effects on a table of rows.
// Input is plain data (a parsed table and the options); the report is JSON-ready (the `estimate --json` format).
import { InputError } from '../errors.ts';
import { estimate, type EstimateResult } from '../estimate/fit.ts';
import type { RowRunner } from '../estimate/runner.ts';
import type { Table } from '../estimate/table.ts';
import type { SmallSample, VcovType } from '../estimate/vcov.ts';
import { estimateReport, type EstimateReport } from '../estimate/json-format.ts';

export { estimateReport, type EstimateReport };

export interface EstimateInput {
  table: Table;
  /** Where the table came from (a file name), reported back. */
  source: string;
  formula: string;
  where?: string;
  cluster?: string;
  vcov?: string;
  ssc?: string;
  method?: string;
  dropCollinear?: boolean;
  keepSingletons?: boolean;
  tol?: number;
  /** Runs the passes over the rows (worker threads in Node); default this thread. */
  runner?: RowRunner;
}


function choice<T extends string>(v: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`unknown value '${v}'`, { field: flag }, `use one of: ${allowed.join(', ')}`);
  return v as T;
}

export function estimateGravity(input: EstimateInput): { report: EstimateReport; result: EstimateResult } {
  if (input.tol !== undefined && !(input.tol > 0 && input.tol < 1)) throw new InputError(`tolerance must be a number in (0, 1), got '${input.tol}'`, { field: '--tol' });
  const result = estimate(input.table, {
    formula: input.formula,
    where: input.where,
    cluster: input.cluster,
    vcov: choice<VcovType>(input.vcov, ['iid', 'robust', 'cluster'], '--vcov'),
    ssc: choice<SmallSample>(input.ssc, ['stata', 'fixest', 'none'], '--ssc'),
    method: choice(input.method, ['ppml', 'ols'] as const, '--method') ?? 'ppml',
    collinear: input.dropCollinear ? 'drop' : 'error',
    dropSingletons: !input.keepSingletons,
    tol: input.tol,
    runner: input.runner,
  });
  return { report: estimateReport(result, input.source), result };
}
