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
// Two solvers:
// * 'cg' (default): conjugate gradients on the (reduced) normal equations A α = b, A = Dᵀ W M_b D,
//   b = Dᵀ W M_b x, with the diagonal preconditioner P = diag(Dᵀ W D) (each group's weight sum), as
//   reghdfe/ppmlhdfe do (Correia 2017, "Linear models with high-dimensional fixed effects: an efficient and
//   feasible estimator", §4; Hestenes & Stiefel 1952, preconditioned form):
//     r = b − A α₀,  z = P⁻¹ r,  d = z;  repeat:  γ = rᵀz / dᵀA d,  α += γ d,  r −= γ A d,  z = P⁻¹ r,
//     d = z + (rᵀz / previous rᵀz) d                                                             (PCG)
//   One pass over the rows gives r (with x) or A d for every stored dimension at once (./row-kernels.ts, run in
//   chunks by a RowRunner, possibly on several threads). Stopping rule: z = P⁻¹ r — for each group, the
//   correction one Jacobi step would make to its coefficient — is below tol × (weighted RMS of x) for every
//   coefficient.
// * 'irons-tuck': block Gauss–Seidel over the dimensions (the method of alternating projections written on the
//   coefficients; Guimarães & Portugal 2010; Gaure 2013), one "sweep" F updating, for k = 1..K and each group g,
//     α_k[g] = ( Σ_{i∈g} w_i x_i − Σ_{i∈g} w_i Σ_{j≠k} α_j[g_j(i)] ) / Σ_{i∈g} w_i        (block Gauss–Seidel)
//   accelerated with the Irons & Tuck (1969) step as fixest does (Bergé 2018, "Efficient estimation of maximum
//   likelihood models with multiple fixed-effects: the R package FENmlm", §3):
//     X' = F(F(X)) − [ (Δ²X · ΔF(X)) / (Δ²X · Δ²X) ] ΔF(X),   ΔF(X) = F(F(X)) − F(X),  Δ²X = F(F(X)) − 2F(X) + X
//   and stopped when no coefficient moves by more than tol × RMS in one sweep. Sequential only.
// Several variables are demeaned at once (each with its own CG scalars): coefficients are stored interleaved,
// so one pass over the rows serves all m variables and the m values of a group share a cache line.
//
// Index order: rows i = 0..n−1 as given; fixed effect k has index[k][i] ∈ [0, size_k). The stored dimensions'
// coefficients form one flat vector, dimension after dimension: flat[(offset_k + g)*m + v], with per-dimension
// views alpha[k] (length 0 for the concentrated dimension).
import { blockSweepKernel, sumsKernel, sweepKernel } from './kernels.ts';
import { chunkBounds, sequentialRunner, type RowRunner } from './runner.ts';

export interface FixedEffectIndex {
  name: string;
  /** Group of each row, 0..size−1. */
  index: Int32Array;
  size: number;
  /** Optional labels of the groups (for reporting). */
  levels?: string[];
}

export type DemeanMethod = 'cg' | 'irons-tuck';

export interface DemeanOptions {
  /** Stop when no coefficient would move by more than tol × (weighted RMS of the variable). */
  tol: number;
  maxIter: number;
}

export interface DemeanStats {
  /** Passes over the rows (CG) or Gauss–Seidel sweeps (Irons–Tuck). */
  iterations: number;
  converged: boolean;
  /** Largest coefficient correction at the end, relative to the variable's RMS. */
  maxChange: number;
}

/** Warm-start state: coefficients per dimension, interleaved for m variables, plus scratch space. */
export interface DemeanState {
  m: number;
  /** Per dimension (length 0 for the concentrated one); views into `flat`. */
  alpha: Float64Array[];
  /** All stored coefficients, dimension after dimension (the CG vector). */
  flat: Float64Array;
  /** Scratch (same shapes as alpha): weighted sums S, and the two Irons–Tuck iterates. */
  scratch?: { S: Float64Array[]; GX: Float64Array[]; GGX: Float64Array[] };
  /** CG search direction (readable by the runner's threads). */
  dir?: Float64Array;
}

export interface DemeanerOptions {
  /** Look for a dimension with contiguous groups to concentrate out (default true). */
  allowBlock?: boolean;
  /** Solver (default 'cg'). */
  method?: DemeanMethod;
  /** Runs the row passes (default: sequentially on this thread). */
  runner?: RowRunner;
}

export class Demeaner {
  readonly n: number;
  readonly K: number;
  readonly method: DemeanMethod;
  private readonly runner: RowRunner;
  private w: Float64Array | null = null;
  private wsum = 0;
  /** 1 / (weight sum) of every stored group, dimension after dimension; per dimension views in invW. */
  private readonly invFlat: Float64Array;
  private readonly invW: Float64Array[];
  private readonly idx: Int32Array[];
  private readonly sizes: number[];
  /** The concentrated (contiguous) dimension, if any, with its block starts. */
  readonly block: { dim: number; starts: Int32Array; R: number; maxRun: number } | null;
  /** Dimensions whose coefficients are stored and iterated on, and their offsets in the flat vectors. */
  private readonly stored: number[];
  private readonly offset: number[];
  /** Number of stored coefficients per variable (Σ sizes of the stored dimensions). */
  private readonly N: number;
  private readonly boundsCache = new Map<number, Int32Array>();
  private scratchT: Float64Array = new Float64Array(0);
  /** Flat group number of each stored dimension, per row: gi[i*nO + j] (shared with the runner's threads). */
  private readonly gi: Int32Array;
  private weightsPending = true;

  constructor(readonly fes: FixedEffectIndex[], n: number, opts: DemeanerOptions = {}) {
    this.n = n;
    this.K = fes.length;
    this.method = opts.method ?? 'cg';
    this.runner = opts.runner ?? sequentialRunner;
    this.idx = fes.map((f) => f.index);
    this.sizes = fes.map((f) => f.size);
    this.block = this.K >= 2 && opts.allowBlock !== false ? findBlock(fes, n) : null;
    if (this.block) this.block.starts = this.runner.share(this.block.starts);
    this.stored = fes.map((_, k) => k).filter((k) => k !== this.block?.dim);
    this.offset = fes.map(() => 0);
    let N = 0;
    for (const k of this.stored) {
      this.offset[k] = N;
      N += this.sizes[k];
    }
    this.N = N;
    // Flat group numbers of the stored dimensions, row after row (see ./row-kernels.ts).
    const nO = this.stored.length;
    this.gi = this.runner.i32(n * nO);
    this.stored.forEach((k, j) => {
      const ix = this.idx[k];
      const off = this.offset[k];
      for (let i = 0, c = j; i < n; i++, c += nO) this.gi[c] = ix[i] + off;
    });
    this.invFlat = new Float64Array(N);
    this.invW = this.sizes.map((s, k) => (k === this.block?.dim ? new Float64Array(0) : this.invFlat.subarray(this.offset[k], this.offset[k] + s)));
    this.setWeights(null);
  }

  /**
   * Chunks of a pass (over blocks when `blocked`, else rows) whose reductions have length outLen: about 32,768
   * rows each, at most 16, and few enough that the chunks' reduction buffers (chunks × outLen) stay within
   * max(n, 2²⁰) numbers — so a pass never spends more on its buffers than on its rows. Depends only on the
   * problem's shape, never on the runner (the same chunks, the same sums, on any number of threads).
   */
  private bounds(outLen: number, blocked: boolean): Int32Array {
    const maxChunks = Math.max(1, Math.min(16, Math.floor(Math.max(this.n, 1 << 20) / Math.max(outLen, 1))));
    const key = (blocked ? 1 : 0) + 2 * maxChunks;
    let b = this.boundsCache.get(key);
    if (!b) {
      b = blocked && this.block
        ? chunkBounds(this.block.R, Math.max(1, Math.ceil((32768 * this.block.R) / Math.max(this.n, 1))), maxChunks)
        : chunkBounds(this.n, 32768, maxChunks);
      this.boundsCache.set(key, b);
    }
    return b;
  }

  /**
   * Sets the observation weights (null = unit weights). The group weight sums are formed in the next pass over
   * the rows. The array must stay unchanged while it is in use; a parallel runner needs it in shared memory
   * (otherwise it is copied).
   */
  setWeights(w: Float64Array | null): void {
    this.w = w === null ? null : this.runner.share(w);
    this.weightsPending = true;
  }

  /** Forms the group weight sums now (when no pass is about to form them). */
  private weightSums(): void {
    const W = this.runner.run(`wsum:${this.stored.length}`, this.bounds(this.N + 1, false), [this.w, this.gi, this.N], this.N + 1);
    this.takeWeightSums(W, 0);
  }

  private takeWeightSums(W: Float64Array, off: number): void {
    for (let g = 0; g < this.N; g++) this.invFlat[g] = W[off + g] > 0 ? 1 / W[off + g] : 0;
    this.wsum = W[off + this.N];
    this.weightsPending = false;
  }

  newState(m: number): DemeanState {
    const flat = this.runner.f64(this.N * m);
    const alpha = this.sizes.map((s, k) => (k === this.block?.dim ? new Float64Array(0) : flat.subarray(this.offset[k] * m, (this.offset[k] + s) * m)));
    return { m, alpha, flat };
  }

  /**
   * Demeans the m variables `xs` into `outs` (may be the same arrays: in place). `state` holds the starting
   * coefficients (warm start) and receives the solution.
   */
  demean(xs: Float64Array[], outs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const { K } = this;
    const m = xs.length;
    if (state.m !== m) throw new Error(`demean: state holds ${state.m} variables, got ${m}`);
    if (K === 0) {
      for (let v = 0; v < m; v++) if (outs[v] !== xs[v]) outs[v].set(xs[v]);
      return { iterations: 0, converged: true, maxChange: 0 };
    }
    const sx = xs.map((x) => this.runner.share(x));
    const so = outs.map((o) => this.runner.share(o));
    const stats = this.method === 'cg' || K === 1 ? this.solveCG(sx, state, opts) : this.solveIronsTuck(sx, state, opts);
    // x̃ = M_b (x − Σ_k α_k[g_k(i)])
    const args: (Float64Array | Int32Array | number | null)[] = [this.block?.starts ?? null, this.w, this.gi, state.flat];
    for (let v = 0; v < m; v++) args.push(sx[v], so[v]);
    const blocked = this.block ? 1 : 0;
    this.runner.run(`sub:${m},${this.stored.length},${this.w ? 1 : 0},${blocked}`, this.bounds(0, blocked === 1), args, 0);
    for (let v = 0; v < m; v++) if (so[v] !== outs[v]) outs[v].set(so[v]);
    return stats;
  }

  /**
   * One pass over the rows: mode 0 returns Dᵀ W M_b (x − D a), then Σ w x² per variable, then (when the weights
   * changed) the group weight sums and their total; mode 1 returns Dᵀ W M_b D a. `a` is a flat coefficient
   * vector (m interleaved variables).
   */
  private pass(mode: 0 | 1, a: Float64Array, xs: Float64Array[]): Float64Array {
    const m = xs.length;
    const NM = this.N * m;
    const ws = mode === 0 && this.weightsPending;
    const args: (Float64Array | Int32Array | number | null)[] = [this.block?.starts ?? null, this.w, this.gi, a, NM, NM + m, NM + m + this.N];
    if (mode === 0) args.push(...xs);
    const name = `fe:${m},${this.stored.length},${mode},${this.w ? 1 : 0},${this.block ? 1 : 0},${ws ? 1 : 0}`;
    const outLen = mode === 1 ? NM : ws ? NM + m + this.N + 1 : NM + m;
    const out = this.runner.run(name, this.bounds(outLen, this.block !== null), args, outLen);
    if (ws) this.takeWeightSums(out, NM + m);
    return out;
  }

  /** Preconditioned conjugate gradients on the (reduced) normal equations, per variable, warm-started. */
  private solveCG(xs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const m = state.m;
    const N = this.N;
    const NM = N * m;
    const inv = this.invFlat;
    const alpha = state.flat;
    const res = this.pass(0, alpha, xs);
    // Tolerance scale: the weighted RMS of each variable.
    const lim = new Float64Array(m);
    for (let v = 0; v < m; v++) lim[v] = opts.tol * (Math.sqrt(res[NM + v] / Math.max(this.wsum, 1e-300)) || 1);
    const r = res.subarray(0, NM);
    const z = new Float64Array(NM);
    const rho = new Float64Array(m);
    const zmax = new Float64Array(m);
    const precondition = (): boolean => {
      rho.fill(0);
      zmax.fill(0);
      for (let g = 0, q = 0; g < N; g++) {
        const ig = inv[g];
        for (let v = 0; v < m; v++, q++) {
          const zq = r[q] * ig;
          z[q] = zq;
          rho[v] += r[q] * zq;
          const az = Math.abs(zq);
          if (az > zmax[v]) zmax[v] = az;
        }
      }
      let done = true;
      for (let v = 0; v < m; v++) if (!(zmax[v] <= lim[v])) done = false;
      return done;
    };
    const worst = () => {
      let w = 0;
      for (let v = 0; v < m; v++) w = Math.max(w, (zmax[v] / lim[v]) * opts.tol);
      return w;
    };
    let passes = 1;
    if (this.K === 1) {
      // One dimension: the preconditioner is the exact inverse, one step solves the equations.
      precondition();
      for (let q = 0; q < NM; q++) alpha[q] += z[q];
      return { iterations: passes, converged: true, maxChange: 0 };
    }
    if (precondition()) return { iterations: passes, converged: true, maxChange: worst() };
    const p = (state.dir ??= this.runner.f64(NM));
    p.set(z);
    const gamma = new Float64Array(m);
    const beta = new Float64Array(m);
    const pq = new Float64Array(m);
    while (passes < opts.maxIter) {
      const Ap = this.pass(1, p, xs);
      passes++;
      pq.fill(0);
      for (let q = 0; q < NM; ) for (let v = 0; v < m; v++, q++) pq[v] += p[q] * Ap[q];
      for (let v = 0; v < m; v++) gamma[v] = pq[v] > 0 ? rho[v] / pq[v] : 0;
      for (let q = 0; q < NM; ) {
        for (let v = 0; v < m; v++, q++) {
          alpha[q] += gamma[v] * p[q];
          r[q] -= gamma[v] * Ap[q];
        }
      }
      const rhoOld = rho.slice();
      if (precondition()) return { iterations: passes, converged: true, maxChange: worst() };
      for (let v = 0; v < m; v++) beta[v] = rhoOld[v] > 0 ? rho[v] / rhoOld[v] : 0;
      for (let q = 0; q < NM; ) for (let v = 0; v < m; v++, q++) p[q] = z[q] + beta[v] * p[q];
    }
    return { iterations: passes, converged: false, maxChange: worst() };
  }

  /** Irons–Tuck accelerated block Gauss–Seidel (see the header). */
  private solveIronsTuck(xs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const { n, K } = this;
    const m = xs.length;
    const w = this.w;
    const shape = () => state.alpha.map((a) => new Float64Array(a.length));
    const scratch = (state.scratch ??= { S: this.block ? [] : shape(), GX: shape(), GGX: shape() });
    if (this.weightsPending) this.weightSums();
    // Weighted group sums S_k[g*m+v] = Σ_{i∈g} w_i x_i^v, and the RMS of each variable (convergence scale).
    const S = scratch.S;
    if (!this.block) {
      const sums = sumsKernel(m, w !== null);
      for (let k = 0; k < K; k++) {
        S[k].fill(0);
        sums(n, w, this.idx[k], S[k], ...xs);
      }
    } else if (this.scratchT.length < this.block.maxRun * m) {
      this.scratchT = new Float64Array(this.block.maxRun * m);
    }
    const scale = new Float64Array(m);
    for (let v = 0; v < m; v++) {
      const x = xs[v];
      let s = 0;
      if (w) for (let i = 0; i < n; i++) s += w[i] * x[i] * x[i];
      else for (let i = 0; i < n; i++) s += x[i] * x[i];
      scale[v] = Math.sqrt(s / Math.max(this.wsum, 1e-300)) || 1;
    }
    return this.iterate(S, xs, state, scratch.GX, scratch.GGX, scale, opts);
  }

  /**
   * One Gauss–Seidel sweep: dst = F(src). When `change` is given it receives, per variable, the largest
   * |dst − src| over all coefficients (the convergence measure).
   */
  private sweep(S: Float64Array[], xs: Float64Array[], src: Float64Array[], dst: Float64Array[], m: number, change: Float64Array | null): void {
    const { n, K } = this;
    const w = this.w;
    const idx = this.idx;
    if (change) change.fill(0);
    for (const k of this.stored) {
      const acc = dst[k];
      acc.fill(0);
      if (this.block) {
        // acc = Σ w (x − block mean − other stored dims); the update is acc / W.
        const b = this.block;
        const args: unknown[] = [b.R, b.starts, w, this.scratchT, acc];
        let pos = 0;
        this.stored.forEach((j, q) => {
          if (j === k) pos = q;
          args.push(j < k ? dst[j] : src[j], idx[j]);
        });
        for (let v = 0; v < m; v++) args.push(xs[v]);
        blockSweepKernel(m, this.stored.length, pos, w !== null)(...args);
        const inv = this.invW[k];
        const old = src[k];
        const G = this.sizes[k];
        for (let g = 0, q = 0; g < G; g++, q += m) {
          const ig = inv[g];
          for (let v = 0; v < m; v++) {
            const a = acc[q + v] * ig;
            acc[q + v] = a;
            if (change) {
              const d = Math.abs(a - old[q + v]);
              if (d > change[v]) change[v] = d;
            }
          }
        }
        continue;
      }
      // Coefficients of the other dimensions: already-updated ones (j < k) from dst, the rest from src.
      const args: unknown[] = [n, w, idx[k], acc];
      for (let j = 0; j < K; j++) if (j !== k) args.push(j < k ? dst[j] : src[j], idx[j]);
      sweepKernel(m, K - 1, w !== null)(...args);
      const Sk = S[k];
      const inv = this.invW[k];
      const old = src[k];
      const G = this.sizes[k];
      if (change) {
        for (let g = 0, b = 0; g < G; g++, b += m) {
          const ig = inv[g];
          for (let v = 0; v < m; v++) {
            const a = (Sk[b + v] - acc[b + v]) * ig;
            acc[b + v] = a;
            const d = Math.abs(a - old[b + v]);
            if (d > change[v]) change[v] = d;
          }
        }
      } else {
        for (let g = 0, b = 0; g < G; g++, b += m) {
          const ig = inv[g];
          for (let v = 0; v < m; v++) acc[b + v] = (Sk[b + v] - acc[b + v]) * ig;
        }
      }
    }
  }

  private iterate(S: Float64Array[], xs: Float64Array[], state: DemeanState, GX: Float64Array[], GGX: Float64Array[], scale: Float64Array, opts: DemeanOptions): DemeanStats {
    const m = state.m;
    const X = state.alpha;
    const dot1 = new Float64Array(m);
    const dot2 = new Float64Array(m);
    const change = new Float64Array(m);
    const coef = new Float64Array(m);
    let maxRel = Infinity;
    for (let it = 1; it <= opts.maxIter; it++) {
      this.sweep(S, xs, X, GX, m, change);
      // Convergence: largest move of any coefficient in one sweep, relative to the variable's RMS.
      maxRel = 0;
      for (let v = 0; v < m; v++) maxRel = Math.max(maxRel, change[v] / scale[v]);
      if (maxRel <= opts.tol) {
        for (const k of this.stored) X[k].set(GX[k]);
        return { iterations: 2 * it - 1, converged: true, maxChange: maxRel };
      }
      this.sweep(S, xs, GX, GGX, m, null);
      // Irons–Tuck extrapolation, per variable.
      dot1.fill(0);
      dot2.fill(0);
      for (const k of this.stored) {
        const x = X[k];
        const gx = GX[k];
        const ggx = GGX[k];
        for (let q = 0; q < x.length; q += m) {
          for (let v = 0; v < m; v++) {
            const dG = ggx[q + v] - gx[q + v];
            const d2 = dG - (gx[q + v] - x[q + v]);
            dot1[v] += dG * d2;
            dot2[v] += d2 * d2;
          }
        }
      }
      for (let v = 0; v < m; v++) coef[v] = dot2[v] > 0 ? dot1[v] / dot2[v] : 0;
      for (const k of this.stored) {
        const x = X[k];
        const gx = GX[k];
        const ggx = GGX[k];
        for (let q = 0; q < x.length; q += m) {
          for (let v = 0; v < m; v++) x[q + v] = ggx[q + v] - coef[v] * (ggx[q + v] - gx[q + v]);
        }
      }
    }
    return { iterations: 2 * opts.maxIter, converged: false, maxChange: maxRel };
  }
}

/**
 * The dimension to concentrate out: among those whose groups are contiguous runs of rows, the one with the
 * most groups. Returns its run starts (R + 1 entries) or null when no dimension has contiguous groups.
 */
function findBlock(fes: FixedEffectIndex[], n: number): { dim: number; starts: Int32Array; R: number; maxRun: number } | null {
  let best = -1;
  for (let k = 0; k < fes.length; k++) {
    const ix = fes[k].index;
    const seen = new Uint8Array(fes[k].size);
    let ok = n > 0;
    for (let i = 0; i < n && ok; i++) {
      if (i > 0 && ix[i] === ix[i - 1]) continue;
      if (seen[ix[i]]) ok = false;
      seen[ix[i]] = 1;
    }
    if (ok && (best < 0 || fes[k].size > fes[best].size)) best = k;
  }
  if (best < 0) return null;
  const ix = fes[best].index;
  const R = fes[best].size;
  const starts = new Int32Array(R + 1);
  let r = 0;
  let maxRun = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || ix[i] !== ix[i - 1]) {
      if (r > 0) maxRun = Math.max(maxRun, i - starts[r - 1]);
      starts[r++] = i;
    }
  }
  starts[r] = n;
  maxRun = Math.max(maxRun, n - starts[r - 1]);
  return { dim: best, starts, R: r, maxRun };
}
