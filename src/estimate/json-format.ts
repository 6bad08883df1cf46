// The `tariffsim estimate --json` format: the one module that writes the report (`estimateReport`) and reads it
// back (`parseEstimateJson`, `coefficientOf`) for `gravity-ge --coef-from` and the scenario elasticities'
// `fromEstimate`. Reading checks the part the readers use with a zod schema, so a hand-written or edited file
// is accepted as long as it has a `coefficients` array of {name, estimate}; errors name the file and the field.
// Pure: text in, objects out (src/node/estimate/json-file.ts reads the file).
import { z } from 'zod';
import { InputError } from '../errors.ts';
import type { EstimateResult } from './fit.ts';

/** How to make the file, for error hints. */
export const ESTIMATE_JSON_HINT = 'use the output of: tariffsim estimate … --json > file.json';

/** The JSON report of an estimation (`data` is the CSV path as given). Typed arrays are written as arrays. */
export function estimateReport(r: EstimateResult, data: string) {
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

export type EstimateReport = ReturnType<typeof estimateReport>;

/** What a reader needs from the file (other fields are ignored); each estimate is checked when it is used. */
export const EstimateJsonSchema = z.object({
  coefficients: z.array(z.object({ name: z.string().min(1), estimate: z.unknown() })),
});

export type EstimateJson = z.infer<typeof EstimateJsonSchema>;

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** Parses and checks the text of an estimate --json file; InputErrors name `file` and the offending field. */
export function parseEstimateJson(text: string, file: string): EstimateJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`is not valid JSON (${(e as Error).message})`, { file }, ESTIMATE_JSON_HINT);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`holds ${kind(value)}, not an estimate report (a JSON object with a "coefficients" array)`, { file }, ESTIMATE_JSON_HINT);
  }
  const coefs = (value as { coefficients?: unknown }).coefficients;
  if (!Array.isArray(coefs)) throw new InputError(`has no "coefficients" array${coefs === undefined ? '' : ` (found ${typeof coefs})`}`, { file, field: 'coefficients' }, ESTIMATE_JSON_HINT);
  const r = EstimateJsonSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
    throw new InputError(issue.message, { file, ...(field ? { field } : {}) }, ESTIMATE_JSON_HINT);
  }
  return r.data;
}

/** The estimate of the coefficient `name`; an InputError naming the file and listing the coefficients otherwise. */
export function coefficientOf(report: EstimateJson, name: string, file: string): number {
  const c = report.coefficients.find((x) => x.name === name);
  if (!c) throw new InputError(`has no coefficient '${name}'`, { file }, `coefficients: ${report.coefficients.map((x) => x.name).join(', ') || 'none'}`);
  if (typeof c.estimate !== 'number' || !Number.isFinite(c.estimate)) {
    const found = c.estimate === null ? 'null: it was not identified' : (JSON.stringify(c.estimate) ?? 'nothing');
    throw new InputError(`coefficient '${name}' has no finite numeric estimate (found ${found})`, { file, field: 'estimate' }, c.estimate === null ? 'estimate a model in which it is identified' : ESTIMATE_JSON_HINT);
  }
  return c.estimate;
}
