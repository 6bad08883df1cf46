// Assertions shared by the robustness tests (issue 18): an outcome is one of exit 0 (finite output), exit 2 (a
// message naming the field or file) or exit 3 (a diagnosis and a hint), never a stack trace, never a non-finite
// number in the output.
import assert from 'node:assert/strict';
import { runCli } from './cli.ts';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A stack trace line ("    at f (file:1:2)") or an engine error class printed raw. */
export const STACK = /^\s+at .+[:(]/m;
/** Non-finite numbers as text would show them (JSON null is checked where a number is expected). */
export const NON_FINITE_OUT = /\b(NaN|Infinity|undefined)\b|(^|[\s,(])-?inf(%|\b)|n\/a%/;
/** In a message; the user's own text quoted back ('NaN') is allowed. */
export const NON_FINITE_ERR = /(?<!['\w])(NaN|Infinity|undefined)(?![\w'])/;
/** An exit-2 message names a field, a file or an option. */
export const NAMES_INPUT = /field '[^']+'|error: [^\n]*?[\w.-]*\/[\w./-]+|\b[\w.-]+\.(ya?ml|csv|json)\b|'--[\w-]+|--[\w-]+|option '/;

export async function cli(args: string[]): Promise<Outcome> {
  const t0 = Date.now();
  const r = await runCli(args);
  return { ...r, ms: Date.now() - t0 };
}

/** Checks the invariants every outcome must satisfy; returns the outcome for further checks. */
export function wellBehaved(r: Outcome, what: string): Outcome {
  const ctx = `${what}\n--- exit ${r.code}; stderr:\n${r.stderr.slice(0, 2000)}\n--- stdout:\n${r.stdout.slice(0, 500)}`;
  assert.ok([0, 2, 3].includes(r.code), `exit code ${r.code}: ${ctx}`);
  assert.doesNotMatch(r.stderr, STACK, `stack trace: ${ctx}`);
  assert.doesNotMatch(r.stdout, NON_FINITE_OUT, `non-finite number in stdout: ${ctx}`);
  assert.doesNotMatch(r.stderr, NON_FINITE_ERR, `non-finite number in the message: ${ctx}`);
  if (r.code === 2) assert.match(r.stderr, NAMES_INPUT, `exit 2 names no field or file: ${ctx}`);
  if (r.code === 3) assert.match(r.stderr, /hint: /, `exit 3 without a hint: ${ctx}`);
  return r;
}

/** Runs `args` and asserts exit `code`, a message matching `pattern`, and the invariants; at most 30 s. */
export async function expectExit(args: string[], code: number, pattern: RegExp, what = args.join(' ')): Promise<Outcome> {
  const r = wellBehaved(await cli(args), what);
  assert.equal(r.code, code, `${what}: expected exit ${code}, got ${r.code}\n${r.stderr}`);
  if (code !== 0) assert.match(r.stderr, pattern, `${what}: message\n${r.stderr}`);
  else assert.match(r.stdout, pattern, `${what}: output`);
  assert.ok(r.ms < 30_000, `${what} took ${r.ms} ms`);
  return r;
}
