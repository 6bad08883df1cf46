// Reading one coefficient from a `tariffsim estimate --json` file (scenario `fromEstimate`, gravity-ge
// `--coef-from`). Any other shape — null, a string, `{"coefficients": "b"}`, a non-numeric estimate — is an
// InputError naming the file and saying what the file should hold.
import { InputError } from '../errors.ts';
import { readText } from '../data/files.ts';

const HINT = 'use the output of `tariffsim estimate … --json > file.json`';

/** The estimate of coefficient `name` in the estimate report `file`. */
export function coefficientFromReport(file: string, name: string): number {
  const text = readText(file, HINT, 64 * 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not valid JSON (${(err as Error).message})`, { file }, HINT);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`holds ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}, not an estimate report (a JSON object with a "coefficients" array)`, { file }, HINT);
  }
  const coefs = (parsed as { coefficients?: unknown }).coefficients;
  if (!Array.isArray(coefs)) throw new InputError(`has no "coefficients" array${coefs === undefined ? '' : ` (found ${typeof coefs})`}`, { file, field: 'coefficients' }, HINT);
  const named = coefs.filter((c): c is { name: string; estimate?: unknown } => c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string');
  const c = named.find((x) => x.name === name);
  if (!c) throw new InputError(`has no coefficient '${name}'`, { file, field: name }, `coefficients: ${named.map((x) => x.name).join(', ') || 'none'}`);
  if (typeof c.estimate !== 'number' || !Number.isFinite(c.estimate)) {
    throw new InputError(`coefficient '${name}' has no finite numeric estimate (found ${JSON.stringify(c.estimate) ?? 'nothing'})`, { file, field: `${name}.estimate` }, HINT);
  }
  return c.estimate;
}
