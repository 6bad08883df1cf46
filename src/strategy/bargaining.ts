// Two-country bargaining over bilateral tariffs: the deal zone and the Nash bargaining solution. Pure.
//
// Governments A and B start from a standoff policy (e.g. Nash tariffs, or today's tariffs). A deal is a pair
// (a, b): A's tariff on all of B's goods and B's tariff on all of A's goods, as uniform ad valorem rates
// (mode 'uniform'), or as the standoff's sector tariffs multiplied by a and b (mode 'scale'); every other
// tariff stays as in the standoff. Gains are proportional changes of government welfare relative to the
// standoff, u_A = G_A(a, b) / G_A(standoff) − 1.
//
//   deal zone:                 { (a, b) : u_A > 0 and u_B > 0 }, tabulated on a grid
//   Nash bargaining solution:  argmax u_A · u_B over the zone (Nash 1950), disagreement point = standoff,
//                              refined from the best grid cell by projected quasi-Newton on
//                              ln u_A + ln u_B with the model's exact gradient.
import { InfeasibleRestrictionError, StrategyConvergenceError } from './errors.ts';
import { minimizeBox } from './optimize.ts';
import type { StrategicModel } from './types.ts';

export type DealMode = 'uniform' | 'scale';

export interface BargainingOptions {
  a: number;
  b: number;
  /** Disagreement policy (default: the model's factual policy). */
  standoff?: Float64Array;
  mode?: DealMode;
  /** Grid of a and b: [min, max] with `steps` points each (default 0..1 (0–100%) in 41 steps; 'scale': 0..1). */
  grid?: { min?: number; max?: number; steps?: number };
  /** Called after every grid row. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Convergence tolerance of the Nash-bargaining refinement (sup-norm of the projected gradient of
   * ln u_A + ln u_B; default 1e-9). Models without exact gradients (finite differences) need a looser one.
   */
  nbsTolerance?: number;
  /**
   * The model that evaluates the grid (default `model`): the same economy and policy space, solved more
   * cheaply (e.g. a looser solver tolerance: the grid only classifies points and prints gains). The standoff
   * and the Nash-bargaining refinement always use `model`.
   */
  gridModel?: StrategicModel;
}

export interface NashBargainingSolution {
  /** A's tariff on B (uniform rate, or scale factor in mode 'scale'). */
  a: number;
  /** B's tariff on A. */
  b: number;
  gainA: number;
  gainB: number;
  /** u_A · u_B. */
  product: number;
}

export interface BargainingResult {
  a: number;
  b: number;
  names: [string, string];
  mode: DealMode;
  /** Government welfare at the standoff (relative to the model baseline). */
  standoffWelfare: [number, number];
  /** Grid values (same for both axes). */
  levels: Float64Array;
  /** u_A on the grid: index ia * steps + ib, with A's tariff = levels[ia], B's tariff = levels[ib]. */
  gainA: Float64Array;
  gainB: Float64Array;
  inZone: Uint8Array;
  zone: { cells: number; share: number; aRange: [number, number] | null; bRange: [number, number] | null };
  nbs: NashBargainingSolution | null;
}

interface PairMap {
  apply(x: number, y: number, out: Float64Array): Float64Array;
  /** d policy / d x and d policy / d y as sparse lists (index, coefficient). */
  dx: [number, number][];
  dy: [number, number][];
}

function pairMap(model: StrategicModel, a: number, b: number, standoff: Float64Array, mode: DealMode): PairMap {
  const aOnB = model.positions(a).filter((p) => p.partner === b).map((p) => p.index);
  const bOnA = model.positions(b).filter((p) => p.partner === a).map((p) => p.index);
  if (aOnB.length === 0 || bOnA.length === 0) {
    throw new InfeasibleRestrictionError(`${model.governments[a]} and ${model.governments[b]} have no bilateral tariffs in model ${model.name}`, { field: 'pair' });
  }
  const dx: [number, number][] = aOnB.map((k) => [k, mode === 'uniform' ? 1 : standoff[k]]);
  const dy: [number, number][] = bOnA.map((k) => [k, mode === 'uniform' ? 1 : standoff[k]]);
  return {
    apply(x, y, out) {
      out.set(standoff);
      for (const [k, c] of dx) out[k] = mode === 'uniform' ? x : c * x;
      for (const [k, c] of dy) out[k] = mode === 'uniform' ? y : c * y;
      return out;
    },
    dx,
    dy,
  };
}

/** The grid of a deal as plain data (structured-clonable, so that another thread can solve some of its rows). */
export interface DealGridSpec {
  a: number;
  b: number;
  standoff: Float64Array;
  mode: DealMode;
  /** Grid values (same for both axes). */
  levels: Float64Array;
}

/** Welfare G_A, G_B (relative to the model baseline) on rows [from, to) of a deal grid, index (ia − from) · steps + ib. */
export interface DealGridBlock {
  from: number;
  to: number;
  welfareA: Float64Array;
  welfareB: Float64Array;
  /** Equilibrium solves the rows took (models that count them), for reports. */
  solves?: number;
}

/** Rows [from, to) solved elsewhere (e.g. a worker thread): called before the caller solves the other rows. */
export type DealGridRows = (spec: DealGridSpec, from: number, to: number, onRow?: (row: number) => void) => Promise<DealGridBlock>;

interface Setup {
  spec: DealGridSpec;
  pm: PairMap;
  lo: number;
  hi: number;
  sA: number;
  sB: number;
  gridModel: StrategicModel;
}

function setup(model: StrategicModel, opts: BargainingOptions): Setup {
  const { a, b } = opts;
  const G = model.governments.length;
  for (const [g, f] of [[a, 'a'], [b, 'b']] as const) {
    if (!Number.isInteger(g) || g < 0 || g >= G) {
      throw new InfeasibleRestrictionError(`government ${f} = ${g} is out of range`, { field: f }, `the model has ${G} governments: ${model.governments.join(', ')}`);
    }
  }
  if (a === b) throw new InfeasibleRestrictionError(`bargaining needs two different governments, got ${model.governments[a]} twice`, { field: 'b' });
  const mode = opts.mode ?? 'uniform';
  const lo = opts.grid?.min ?? 0;
  const hi = opts.grid?.max ?? 1;
  const steps = opts.grid?.steps ?? 41;
  if (!(lo <= hi) || !(lo > -1) || !Number.isInteger(steps) || steps < 2) {
    throw new InfeasibleRestrictionError(`deal grid [${lo}, ${hi}] with ${steps} steps is infeasible`, { field: 'grid' }, 'use min ≤ max, min > −1 and at least 2 steps');
  }
  const standoff = opts.standoff ? Float64Array.from(opts.standoff) : model.baselinePolicy();
  const pm = pairMap(model, a, b, standoff, mode);
  const gridModel = opts.gridModel ?? model;
  if (gridModel.policySize !== model.policySize || gridModel.governments.length !== G) {
    throw new InfeasibleRestrictionError(`the grid model ${gridModel.name} does not have the policy space of ${model.name}`, { field: 'gridModel' });
  }
  const w0 = model.evaluate(standoff).welfare;
  const levels = Float64Array.from({ length: steps }, (_, q) => lo + ((hi - lo) * q) / (steps - 1));
  return { spec: { a, b, standoff, mode, levels }, pm, lo, hi, sA: w0[a], sB: w0[b], gridModel };
}

/**
 * Welfare on rows [from, to) of a deal grid. Serpentine order (rows alternate direction), so that every
 * evaluation is next to the previous one and a model that warm-starts (continuation) starts each solve from a
 * neighbouring equilibrium.
 */
export function dealGridRows(model: StrategicModel, spec: DealGridSpec, from: number, to: number, onRow?: (row: number) => void): DealGridBlock {
  const steps = spec.levels.length;
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= steps)) {
    throw new InfeasibleRestrictionError(`deal grid rows [${from}, ${to}) are not within the ${steps} rows`, { field: 'rows' });
  }
  const pm = pairMap(model, spec.a, spec.b, spec.standoff, spec.mode);
  const work = new Float64Array(model.policySize);
  const welfareA = new Float64Array((to - from) * steps);
  const welfareB = new Float64Array((to - from) * steps);
  for (let ia = from; ia < to; ia++) {
    for (let ib0 = 0; ib0 < steps; ib0++) {
      const ib = ia % 2 === 0 ? ib0 : steps - 1 - ib0;
      const w = model.evaluate(pm.apply(spec.levels[ia], spec.levels[ib], work)).welfare;
      welfareA[(ia - from) * steps + ib] = w[spec.a];
      welfareB[(ia - from) * steps + ib] = w[spec.b];
    }
    onRow?.(ia);
  }
  return { from, to, welfareA, welfareB };
}

export function bargain(model: StrategicModel, opts: BargainingOptions): BargainingResult {
  const s = setup(model, opts);
  const steps = s.spec.levels.length;
  let done = 0;
  const block = dealGridRows(s.gridModel, s.spec, 0, steps, () => opts.onProgress?.(++done, steps));
  return finish(model, s, [block], opts);
}

/**
 * As `bargain`, with rows [split, steps) of the grid solved by `rows` (e.g. on a worker thread) while this
 * thread solves rows [0, split) and then, while the other rows are still being solved, refines the bargaining
 * point from the best cell of its own rows. That point is kept when its product u_A · u_B beats every cell of
 * the whole grid (in particular when the best cell is one of this thread's: then it is exactly `bargain`'s
 * refinement); otherwise the refinement starts again from the best cell of the whole grid. The grid is the
 * same as `bargain`'s up to the solver tolerance of the grid (each part warm-starts on its own).
 */
export async function bargainSplit(model: StrategicModel, opts: BargainingOptions, rows: DealGridRows, split?: number): Promise<BargainingResult> {
  const s = setup(model, opts);
  const steps = s.spec.levels.length;
  const h = Math.min(steps, Math.max(0, split ?? Math.ceil(steps / 2)));
  let done = 0;
  const progress = (): void => opts.onProgress?.(++done, steps);
  const remote = h < steps ? rows(s.spec, h, steps, progress) : Promise.resolve({ from: steps, to: steps, welfareA: new Float64Array(0), welfareB: new Float64Array(0) });
  // If a local solve fails, the remote part still settles (and its rejection is not left unhandled).
  remote.catch(() => undefined);
  const local = dealGridRows(s.gridModel, s.spec, 0, h, progress);
  const localGrid = tabulate(s, [local], h);
  let early: { nbs: NashBargainingSolution | null; error?: unknown } | null = null;
  if (localGrid.best >= 0) {
    try {
      early = { nbs: refineFrom(model, s, localGrid.best, opts) };
    } catch (error) {
      early = { nbs: null, error };
    }
  }
  const other = await remote;
  if (other.from !== h || other.to !== steps || other.welfareA.length !== (steps - h) * steps || other.welfareB.length !== (steps - h) * steps) {
    throw new InfeasibleRestrictionError(`the deal grid rows [${h}, ${steps}) came back as [${other.from}, ${other.to}) with ${other.welfareA.length} cells`, { field: 'rows' });
  }
  const grid = tabulate(s, [local, other], steps);
  let nbs: NashBargainingSolution | null = null;
  if (grid.best >= 0) {
    if (early && grid.best === localGrid.best) {
      // The best cell is this thread's: the early refinement is bargain's own (its error too).
      if (early.error !== undefined) throw early.error;
      nbs = early.nbs;
    } else if (early?.nbs && early.nbs.product >= grid.bestProd) {
      nbs = early.nbs;
    } else {
      nbs = refineFrom(model, s, grid.best, opts);
    }
  }
  return result(model, s, grid, nbs);
}

interface Tabulated {
  gainA: Float64Array;
  gainB: Float64Array;
  inZone: Uint8Array;
  cells: number;
  aRange: [number, number] | null;
  bRange: [number, number] | null;
  /** Index of the cell with the largest u_A · u_B in the zone (−1: none) and that product. */
  best: number;
  bestProd: number;
}

/** Gains, zone and best cell over the first `rowsFilled` rows of the grid from the blocks' welfare. */
function tabulate(s: Setup, blocks: DealGridBlock[], rowsFilled: number): Tabulated {
  const { levels } = s.spec;
  const { sA, sB } = s;
  const steps = levels.length;
  const gainA = new Float64Array(steps * steps);
  const gainB = new Float64Array(steps * steps);
  const inZone = new Uint8Array(steps * steps);
  for (const blk of blocks) {
    for (let q = 0; q < blk.welfareA.length; q++) {
      gainA[blk.from * steps + q] = blk.welfareA[q] / sA - 1;
      gainB[blk.from * steps + q] = blk.welfareB[q] / sB - 1;
    }
  }
  let cells = 0;
  let aMin = Infinity;
  let aMax = -Infinity;
  let bMin = Infinity;
  let bMax = -Infinity;
  let best = -1;
  let bestProd = 0;
  for (let ia = 0; ia < rowsFilled; ia++) {
    for (let ib = 0; ib < steps; ib++) {
      const q = ia * steps + ib;
      if (gainA[q] > 0 && gainB[q] > 0) {
        inZone[q] = 1;
        cells++;
        aMin = Math.min(aMin, levels[ia]);
        aMax = Math.max(aMax, levels[ia]);
        bMin = Math.min(bMin, levels[ib]);
        bMax = Math.max(bMax, levels[ib]);
        const prod = gainA[q] * gainB[q];
        if (prod > bestProd) {
          bestProd = prod;
          best = q;
        }
      }
    }
  }
  return { gainA, gainB, inZone, cells, aRange: cells ? [aMin, aMax] : null, bRange: cells ? [bMin, bMax] : null, best, bestProd };
}

function refineFrom(model: StrategicModel, s: Setup, cell: number, opts: BargainingOptions): NashBargainingSolution {
  const { a, b, levels } = s.spec;
  const steps = levels.length;
  return refineNbs(model, s.pm, a, b, s.sA, s.sB, levels[Math.floor(cell / steps)], levels[cell % steps], s.lo, s.hi, opts.nbsTolerance ?? 1e-9);
}

function finish(model: StrategicModel, s: Setup, blocks: DealGridBlock[], opts: BargainingOptions): BargainingResult {
  const grid = tabulate(s, blocks, s.spec.levels.length);
  return result(model, s, grid, grid.best >= 0 ? refineFrom(model, s, grid.best, opts) : null);
}

function result(model: StrategicModel, s: Setup, grid: Tabulated, nbs: NashBargainingSolution | null): BargainingResult {
  const { a, b, levels, mode } = s.spec;
  const steps = levels.length;
  return {
    a,
    b,
    names: [model.governments[a], model.governments[b]],
    mode,
    standoffWelfare: [s.sA, s.sB],
    levels,
    gainA: grid.gainA,
    gainB: grid.gainB,
    inZone: grid.inZone,
    zone: { cells: grid.cells, share: grid.cells / (steps * steps), aRange: grid.aRange, bRange: grid.bRange },
    nbs,
  };
}

/** Maximises ln u_A + ln u_B over (x, y) ∈ [lo, hi]² from a point inside the zone. */
function refineNbs(model: StrategicModel, pm: PairMap, a: number, b: number, sA: number, sB: number, x0: number, y0: number, lo: number, hi: number, tolerance: number): NashBargainingSolution {
  const G = model.governments.length;
  const work = new Float64Array(model.policySize);
  const weights = new Float64Array(G);
  const fd = !model.hasGradient;
  const objective = (x: number, y: number): { f: number; uA: number; uB: number; w: Float64Array } => {
    const w = model.evaluate(pm.apply(x, y, work)).welfare;
    const uA = w[a] / sA - 1;
    const uB = w[b] / sB - 1;
    return { f: uA > 0 && uB > 0 ? -(Math.log(uA) + Math.log(uB)) : Infinity, uA, uB, w };
  };
  const fg = (v: Float64Array, g: Float64Array): number => {
    const o = objective(v[0], v[1]);
    if (!Number.isFinite(o.f)) return Infinity;
    if (fd) {
      const h = 1e-6;
      for (let c = 0; c < 2; c++) {
        const vp = [v[0], v[1]];
        const vm = [v[0], v[1]];
        vp[c] += h;
        vm[c] -= h;
        g[c] = (objective(vp[0], vp[1]).f - objective(vm[0], vm[1]).f) / (2 * h);
      }
      return o.f;
    }
    // ∂(ln u_A + ln u_B) = (1 + u_A)/u_A ∂ln G_A + (1 + u_B)/u_B ∂ln G_B
    weights.fill(0);
    weights[a] = (1 + o.uA) / o.uA;
    weights[b] = (1 + o.uB) / o.uB;
    const ev = model.evaluate(pm.apply(v[0], v[1], work), weights);
    const grad = ev.gradient!;
    let gx = 0;
    let gy = 0;
    for (const [k, c] of pm.dx) gx += grad[k] * c;
    for (const [k, c] of pm.dy) gy += grad[k] * c;
    g[0] = -gx;
    g[1] = -gy;
    return o.f;
  };
  const res = minimizeBox({ fg, lower: Float64Array.of(lo, lo), upper: Float64Array.of(hi, hi) }, Float64Array.of(x0, y0), {
    maxIterations: 500,
    gradientTolerance: tolerance,
    firstStep: (hi - lo) / 20,
    maxStep: (hi - lo) / 4,
  });
  if (!res.converged) {
    throw new StrategyConvergenceError(
      `Nash bargaining solution of ${model.governments[a]}–${model.governments[b]} did not converge (${res.reason})`,
      `projected quasi-Newton on ln u_A + ln u_B from the best grid cell (${x0}, ${y0}) within [${lo}, ${hi}]², ${res.iterations} iterations`,
      res.iterations,
      { projectedGradient: res.projectedGradient },
    );
  }
  const o = objective(res.x[0], res.x[1]);
  return { a: res.x[0], b: res.x[1], gainA: o.uA, gainB: o.uB, product: o.uA * o.uB };
}
