// Typed errors shared by every layer. Pure: no Node APIs, so the model layers can use them in a browser.
//
// Each error names the input it is about (file, row, field, YAML line:column, formula position, action id)
// and, where possible, says what would fix it. The CLI maps the error class to an exit code:
//   InputError       → 2 (bad file, bad YAML, unknown region/sector, bad data)
//   ConvergenceError → 3 (a solver did not reach its tolerance)

/** Where in an input the problem is. Every field is optional; fill in what is known. */
export interface InputLocation {
  file?: string;
  row?: number; // 1-based data row (header excluded) or 1-based line for text files
  field?: string; // column name or YAML path
  line?: number; // 1-based
  column?: number; // 1-based
  id?: string; // e.g. a tariff action id
}

export class TariffsimError extends Error {
  override readonly name: string = 'TariffsimError';
}

/** Bad input: the message names the input and says what would fix it. CLI exit code 2. */
export class InputError extends TariffsimError {
  override readonly name: string = 'InputError';
  readonly location: InputLocation;
  readonly hint?: string;
  /** The message without location and hint (for re-raising with a better location). */
  readonly detail: string;

  constructor(message: string, location: InputLocation = {}, hint?: string) {
    super(formatInputMessage(message, location, hint));
    this.location = location;
    this.hint = hint;
    this.detail = message;
  }
}

/** A solver did not converge. Carries the iteration count and the residual of each condition. Exit code 3. */
export class ConvergenceError extends TariffsimError {
  override readonly name: string = 'ConvergenceError';
  readonly iterations: number;
  readonly residuals: Record<string, number>;
  /** What the failure means (e.g. a fixed surplus that cannot be financed), when the solver could tell. */
  readonly diagnosis?: string;
  /** What would fix it. */
  readonly hint?: string;

  constructor(message: string, iterations: number, residuals: Record<string, number>, explain: { diagnosis?: string; hint?: string } = {}) {
    // Non-finite residuals are named as such: a message never shows NaN or Infinity.
    const parts = Object.entries(residuals).map(([k, v]) => `${k}=${Number.isFinite(v) ? v.toExponential(3) : 'not finite'}`);
    super(`${message} after ${iterations} iterations (residuals: ${parts.join(', ')})${explain.diagnosis ? `\n  diagnosis: ${explain.diagnosis}` : ''}${explain.hint ? `\n  hint: ${explain.hint}` : ''}`);
    this.iterations = iterations;
    this.residuals = residuals;
    this.diagnosis = explain.diagnosis;
    this.hint = explain.hint;
  }
}

export function formatInputMessage(message: string, loc: InputLocation, hint?: string): string {
  const where: string[] = [];
  if (loc.file) where.push(loc.file);
  if (loc.line !== undefined) where.push(loc.column !== undefined ? `line ${loc.line}:${loc.column}` : `line ${loc.line}`);
  if (loc.row !== undefined) where.push(`row ${loc.row}`);
  if (loc.field) where.push(`field '${loc.field}'`);
  if (loc.id) where.push(`id '${loc.id}'`);
  const prefix = where.length ? `${where.join(', ')}: ` : '';
  return `${prefix}${message}${hint ? `\n  hint: ${hint}` : ''}`;
}

/** Guard: every entry of `a` must be finite, else a TariffsimError naming `what` and the index. */
export function assertFinite(a: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new TariffsimError(`${what}[${i}] is ${a[i]}: the computation produced a non-finite value`);
    }
  }
}
