// Typed errors of the strategy engine. They extend the shared classes of src/errors.ts, so the CLI maps
// them to exit code 2 (InputError) and 3 (ConvergenceError). Pure.
import { ConvergenceError, InputError } from '../errors.ts';

/** A restriction that leaves no feasible instrument value (e.g. lower bound above upper bound). */
export class InfeasibleRestrictionError extends InputError {
  override readonly name: string = 'InfeasibleRestrictionError';
}

/** An optimiser (best response, Nash iteration, cooperative tariffs, bargaining) did not converge. */
export class StrategyConvergenceError extends ConvergenceError {
  override readonly name: string = 'StrategyConvergenceError';
  /** What was tried, for the message and for programmatic inspection. */
  readonly attempted: string;

  constructor(message: string, attempted: string, iterations: number, residuals: Record<string, number>) {
    super(`${message}; tried: ${attempted}`, iterations, residuals);
    this.attempted = attempted;
  }
}
