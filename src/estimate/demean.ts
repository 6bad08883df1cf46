// Weighted within-transformation for any number of fixed-effect dimensions. Pure; typed arrays only.
//
// For a variable x and weights w, the demeaned x̃ = x − Σ_k α_k[g_k(i)] where α solves the normal equations of
// the weighted regression of x on all the fixed-effect dummies D = [D_1 … D_K]:
//     Dᵀ W D α = Dᵀ W x.                                                                     (normal equations)
// Concentrated dimension: when one dimension b has contiguous groups (the rows of each group adjacent, as in a
// panel sorted by pair), its coefficient is solved out inside each block, α_b = block mean of w(x − Σ_{j≠b} α_j),
// so it is never stored; the remaining ("stored") dimensions D solve the reduced equations
//     Dᵀ W M_b D α = Dᵀ W M_b x,   M_b = the weighted within-block demeaning              (reduced equations)
// and x̃ = M_b (x − D α). Without such a dimension M_b = I and every dimension is stored.
//
// Methods, one file each behind the DemeanSolver interface (./demean/types.ts), sharing the layout and the
// passes over the rows of ./demean/layout.ts:
// * 'cg' (default): preconditioned conjugate gradients on the (reduced) normal equations (./demean/cg.ts);
// * 'irons-tuck': Irons–Tuck accelerated block Gauss–Seidel over the dimensions (./demean/irons-tuck.ts).
// With one dimension the preconditioned CG step is exact, so CG is used whatever the method.
// Several variables are demeaned at once (each with its own CG scalars): coefficients are stored interleaved,
// so one pass over the rows serves all m variables and the m values of a group share a cache line.
//
// Index order: rows i = 0..n−1 as given; fixed effect k has index[k][i] ∈ [0, size_k). The stored dimensions'
// coefficients form one flat vector, dimension after dimension: flat[(offset_k + g)*m + v], with per-dimension
// views alpha[k] (length 0 for the concentrated dimension).
import { ConjugateGradients } from './demean/cg.ts';
import { IronsTuck } from './demean/irons-tuck.ts';
import { FixedEffectLayout } from './demean/layout.ts';
import type { DemeanerOptions, DemeanMethod, DemeanOptions, DemeanSolver, DemeanState, DemeanStats, FixedEffectIndex } from './demean/types.ts';

export type { DemeanerOptions, DemeanMethod, DemeanOptions, DemeanSolver, DemeanState, DemeanStats, FixedEffectIndex } from './demean/types.ts';

/** The demeaning methods by name. */
const METHODS: Record<DemeanMethod, (layout: FixedEffectLayout) => DemeanSolver> = {
  cg: (layout) => new ConjugateGradients(layout),
  'irons-tuck': (layout) => new IronsTuck(layout),
};

export class Demeaner {
  readonly n: number;
  readonly K: number;
  readonly method: DemeanMethod;
  /** The concentrated (contiguous) dimension, if any, with its block starts. */
  readonly block: { dim: number; starts: Int32Array; R: number; maxRun: number } | null;
  private readonly layout: FixedEffectLayout;
  private readonly solver: DemeanSolver;

  constructor(readonly fes: FixedEffectIndex[], n: number, opts: DemeanerOptions = {}) {
    this.n = n;
    this.K = fes.length;
    this.method = opts.method ?? 'cg';
    this.layout = new FixedEffectLayout(fes, n, { allowBlock: opts.allowBlock, runner: opts.runner });
    this.block = this.layout.block;
    this.solver = METHODS[this.K === 1 ? 'cg' : this.method](this.layout);
  }

  /**
   * Sets the observation weights (null = unit weights). The group weight sums are formed in the next pass over
   * the rows. The array must stay unchanged while it is in use; a parallel runner needs it in shared memory
   * (otherwise it is copied).
   */
  setWeights(w: Float64Array | null): void {
    this.layout.setWeights(w);
  }

  newState(m: number): DemeanState {
    return this.layout.newState(m);
  }

  /**
   * Demeans the m variables `xs` into `outs` (may be the same arrays: in place). `state` holds the starting
   * coefficients (warm start) and receives the solution.
   */
  demean(xs: Float64Array[], outs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const m = xs.length;
    if (state.m !== m) throw new Error(`demean: state holds ${state.m} variables, got ${m}`);
    if (this.K === 0) {
      for (let v = 0; v < m; v++) if (outs[v] !== xs[v]) outs[v].set(xs[v]);
      return { iterations: 0, converged: true, maxChange: 0 };
    }
    const runner = this.layout.runner;
    const sx = xs.map((x) => runner.share(x));
    const so = outs.map((o) => runner.share(o));
    const stats = this.solver.solve(sx, state, opts);
    // x̃ = M_b (x − Σ_k α_k[g_k(i)])
    this.layout.subtract(sx, so, state);
    for (let v = 0; v < m; v++) if (so[v] !== outs[v]) outs[v].set(so[v]);
    return stats;
  }
}
