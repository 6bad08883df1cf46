// A run as plain data (posted to a solve worker and hashed into the run id), and what a solve worker reports back.
import { ConvergenceError, InputError } from '../errors.ts';
import type { Closure } from '../model/cp/model.ts';
import type { TableRow } from './tables.ts';

/** A scenario in a job: the validated spec (defaults filled in) and the label errors and reports name it by. */
export interface ScenarioInput {
  label: string;
  spec: unknown;
}

/**
 * A sweep in a job: the sweep file's text (YAML, or the JSON form of a posted object) under a label, and the
 * texts of the shipped scenarios its `scenario` and `deal` fields name (resolved by the request handler).
 */
export interface SweepInput {
  label: string;
  text: string;
  scenario: { file: string; text: string };
  deal?: { file: string; text: string };
}

export type JobSpec =
  | { kind: 'scenario'; scenario: ScenarioInput; closure?: Closure }
  | { kind: 'standoff'; a: string; b: string; standoff: ScenarioInput; deal: ScenarioInput; closure: 'fixed-deficits' | 'zero-deficits' | 'dollar-deficits' | 'both' }
  | {
      kind: 'deal';
      a: string;
      b: string;
      scenario?: ScenarioInput;
      dataset?: string;
      grid?: { max?: number; steps?: number };
      closure?: Closure;
      standoffKind?: 'nash' | 'factual';
      politicalEconomy?: boolean;
    }
  | { kind: 'war'; dataset: string; politicalEconomy?: boolean; mfn?: boolean; closure?: Closure }
  | { kind: 'sweep'; sweep: SweepInput; draws?: number }
  | { kind: 'timeline'; from: string; to: string; fitThrough: string; scenario?: ScenarioInput };

export type RunKind = JobSpec['kind'];

/** Progress of a running solve: which phase, and the latest iteration/residual or done/total. */
export interface Progress {
  phase: string;
  /** Fraction done in [0, 1] where known (grids, best responses); null for iterative solves. */
  fraction: number | null;
  iteration?: number;
  residual?: number;
  done?: number;
  total?: number;
  round?: number;
  /** Sweeps: chunks finished and planned. */
  chunksDone?: number;
  chunks?: number;
}

/** A failure as problem+json members (RFC 9457) plus the error class. */
export interface RunError {
  errorClass: 'InputError' | 'ConvergenceError' | 'TimeCap' | 'Error';
  title: string;
  detail: string;
  field?: string;
  line?: number;
  column?: number;
  file?: string;
  row?: number;
  actionId?: string;
  hint?: string;
  iterations?: number;
  residuals?: Record<string, number>;
  /** Time cap: the last progress the run reported. */
  lastProgress?: Progress;
}

export type WorkerReply =
  | { ready: true }
  | { fatal: string }
  | { progress: Progress }
  | { done: { report: unknown; rows: TableRow[]; convergence: unknown } }
  | { failed: RunError };

/** An error of a run as RunError members (the CLI's message parts: field, line, hint; iterations, residuals). */
export function failure(err: unknown): RunError {
  if (err instanceof InputError) {
    const { id: actionId, ...where } = err.location;
    return { errorClass: 'InputError', title: 'Invalid input', detail: err.detail, ...where, ...(actionId ? { actionId } : {}), ...(err.hint ? { hint: err.hint } : {}) };
  }
  if (err instanceof ConvergenceError) {
    return { errorClass: 'ConvergenceError', title: 'No convergence', detail: err.message, iterations: err.iterations, residuals: err.residuals };
  }
  return { errorClass: 'Error', title: 'Internal error', detail: err instanceof Error ? err.message : String(err) };
}
