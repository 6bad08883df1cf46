// Input limits at the edge of tariffsim: every number a user can give is checked against a documented range
// before anything is solved, and every rejection is an InputError naming the field and the allowed range.
// The ranges keep the models inside the region where they are well posed and their solvers are fast; they are
// documented in docs/limits.md (keep both in sync).
import { InputError, type InputLocation } from '../errors.ts';

export interface Range {
  min: number;
  max: number;
  /** Unit or meaning, for messages ("percent", "points"). */
  unit: string;
  /** Why the bound exists, for the hint. */
  why: string;
}

export const LIMITS = {
  /** An ad valorem tariff after a shock, in percent. */
  tariff: { min: -50, max: 1000, unit: 'percent', why: 'tariffs above 1000% are prohibitive already (the strategy engine uses the same bound); import subsidies beyond 50% leave the range where the model is solved reliably' },
  /** `add`: percentage points added to a tariff. */
  tariffAdd: { min: -1050, max: 1000, unit: 'percentage points', why: 'the resulting tariff must lie within −50% … 1000%' },
  /** `ntb.change`: percent change of the iceberg trade cost in one shock. */
  ntbChange: { min: -90, max: 1000, unit: 'percent', why: 'a cut of more than 90% or a rise of more than 1000% in a trade cost is outside what the model can represent reliably' },
  /** The compounded iceberg factor d̂ after all NTB shocks on one flow. */
  ntbFactor: { min: 0.1, max: 11, unit: 'factor', why: 'compounded NTB changes must stay within −90% … +1000% per flow' },
  /** Trade elasticity θ (CP2015 estimates range from 0.37 to 51; gravity literature 2–15). */
  theta: { min: 0.1, max: 100, unit: '', why: 'published trade elasticities lie between 0.37 and 51; beyond 0.1 … 100 the price index over- or underflows' },
  /** Partial-effect shock of gravity-ge (Δ ln of the trade-cost term per pair). */
  gravityShock: { min: -30, max: 30, unit: '', why: 'a change of ln trade costs beyond ±30 moves trade by a factor over 10^13' },
  /** Grid points per axis of `deal` / `talks` two-country bargaining grids. */
  gridSteps: { min: 2, max: 101, unit: 'points per axis', why: 'each grid point is an equilibrium solve: 101 × 101 = 10,201 solves is the most the command runs' },
  /** Largest tariff on a bargaining grid, as a fraction (10 = 1000%). */
  gridMax: { min: 0.01, max: 10, unit: 'fraction', why: 'the grid tops out at 1000%, the model\'s tariff bound' },
  /** Draws of one sweep file (`draws:`, `--draws`). */
  sweepDraws: { min: 1, max: 1_000_000, unit: 'draws', why: 'a million draws is more than any quantile or share needs; split a larger study into sweeps with different seeds' },
  /** Draws of one sweep run over HTTP (the default of `tariffsim serve --max-draws`). */
  apiSweepDraws: { min: 1, max: 1000, unit: 'draws per sweep run over HTTP', why: 'a sweep run holds one solve thread; 1000 draws at 0.05–0.3 s each stay within the default 600 s run time cap' },
  /** Solver settings a scenario may give. */
  maxIterations: { min: 1, max: 10000, unit: 'iterations', why: 'more iterations than 10,000 means the shock should be changed, not the solver' },
} as const satisfies Record<string, Range>;

/** Longest strings accepted (characters). */
export const STRING_LIMITS = {
  name: 200,
  description: 10_000,
  /** region/sector/group names, codes, file paths inside a scenario */
  identifier: 200,
  /** elements of a selector list, groups, shocks, elasticities */
  listLength: 10_000,
} as const;

/** Largest scenario file, bytes. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** `value` (parsed from `raw`) if it is a finite number within `range`, else an InputError naming `field`. */
export function checkRange(value: number, range: Range, field: string, raw: unknown = value, loc: InputLocation = {}): number {
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new InputError(`${field} must be a number from ${range.min} to ${range.max}${range.unit ? ` (${range.unit})` : ''}, got '${String(raw)}'`, { ...loc, field: loc.field ?? field }, range.why);
  }
  return value;
}

/** `checkRange` for integers. */
export function checkInteger(value: number, range: Range, field: string, raw: unknown = value, loc: InputLocation = {}): number {
  checkRange(value, range, field, raw, loc);
  if (!Number.isInteger(value)) throw new InputError(`${field} must be a whole number from ${range.min} to ${range.max}, got '${String(raw)}'`, { ...loc, field: loc.field ?? field }, range.why);
  return value;
}
