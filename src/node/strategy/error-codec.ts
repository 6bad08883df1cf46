// Typed errors across the worker boundary: serialise the fields, revive an object of the same class so that
// `instanceof` (and hence the CLI exit code) survives.
import { ConvergenceError, InputError, TariffsimError } from '../../errors.ts';
import { InfeasibleRestrictionError, StrategyConvergenceError } from '../../strategy/errors.ts';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

const CLASSES: Record<string, { prototype: object }> = {
  StrategyConvergenceError,
  InfeasibleRestrictionError,
  ConvergenceError,
  InputError,
  TariffsimError,
};

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const fields: Record<string, unknown> = {};
    for (const k of ['iterations', 'residuals', 'attempted', 'location', 'hint'] as const) {
      if (k in e) fields[k] = (e as unknown as Record<string, unknown>)[k];
    }
    return { name: e.name, message: e.message, stack: e.stack, fields };
  }
  return { name: 'Error', message: String(e), fields: {} };
}

export function reviveError(s: SerializedError, context: string): Error {
  const cls = CLASSES[s.name];
  const e: Error = Object.create(cls ? cls.prototype : Error.prototype);
  Object.defineProperty(e, 'message', { value: s.message, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(e, 'name', { value: s.name, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(e, 'stack', { value: `${s.stack ?? `${s.name}: ${s.message}`}\n    (in ${context})`, enumerable: false, writable: true, configurable: true });
  Object.assign(e, s.fields);
  return e;
}
