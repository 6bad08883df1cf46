// Weighted within-transformation for any number of fixed-effect dimensions, by alternating projections in the
// space of fixed-effect coefficients, accelerated with Irons–Tuck. Pure; typed arrays only.
//
// For a variable x and weights w, the demeaned x̃ = x − Σ_k α_k[g_k(i)] where α solves the normal equations of
// the weighted regression of x on all the fixed-effect dummies. Gauss–Seidel over the dimensions (one "sweep"
// F) updates, for k = 1..K and every group g of dimension k,
//     α_k[g] = ( Σ_{i∈g} w_i x_i − Σ_{i∈g} w_i Σ_{j≠k} α_j[g_j(i)] ) / Σ_{i∈g} w_i        (block Gauss–Seidel)
// which is the method of alternating projections (Guimarães & Portugal 2010; Gaure 2013) written on the
// coefficients, as fixest does (Bergé 2018, "Efficient estimation of maximum likelihood models with multiple
// fixed-effects: the R package FENmlm", §3). The iteration is accelerated with the Irons & Tuck (1969) step:
//     X' = F(F(X)) − [ (Δ²X · ΔF(X)) / (Δ²X · Δ²X) ] ΔF(X),   ΔF(X) = F(F(X)) − F(X),  Δ²X = F(F(X)) − 2F(X) + X
// Several variables are demeaned at once: coefficients are stored interleaved, alpha_k[g*m + v], so one pass
// over the rows serves all m variables and the m values of a group share a cache line.
//
// Blocked variant: when one dimension b has contiguous groups (the rows of each group adjacent, as in a panel
// sorted by pair), its coefficient is concentrated out inside each block,
//     α_b[g] = Σ_{i∈g} w_i (x_i − Σ_{j≠b} α_j[g_j(i)]) / Σ_{i∈g} w_i,
// so it is never stored or iterated on: a sweep makes one pass per other dimension (each pass recomputes the
// block means with the newest coefficients), and the acceleration works on the small stored dimensions only.
// This is the same Gauss–Seidel iteration with b updated before every other dimension.
//
// Index order: rows i = 0..n−1 as given; fixed effect k has index[k][i] ∈ [0, size_k).
import { blockSubtractKernel, blockSweepKernel, subtractKernel, sumsKernel, sweepKernel } from './kernels.ts';

export interface FixedEffectIndex {
  name: string;
  /** Group of each row, 0..size−1. */
  index: Int32Array;
  size: number;
  /** Optional labels of the groups (for reporting). */
  levels?: string[];
}

export interface DemeanOptions {
  /** Stop when every coefficient moves less than tol × (RMS of the variable) in one accelerated step. */
  tol: number;
  maxIter: number;
}

export interface DemeanStats {
  iterations: number;
  converged: boolean;
  /** Largest coefficient change in the last step, relative to the variable's RMS. */
  maxChange: number;
}

/** Warm-start state: coefficients per dimension, interleaved for m variables, plus scratch space. */
export interface DemeanState {
  m: number;
  alpha: Float64Array[];
  /** Scratch (same shapes as alpha): weighted sums S, and the two Irons–Tuck iterates. */
  scratch?: { S: Float64Array[]; GX: Float64Array[]; GGX: Float64Array[] };
}

export class Demeaner {
  readonly n: number;
  readonly K: number;
  private w: Float64Array | null = null;
  private invW: Float64Array[];
  private readonly idx: Int32Array[];
  private readonly sizes: number[];
  /** The concentrated (contiguous) dimension, if any, with its block starts. */
  readonly block: { dim: number; starts: Int32Array; R: number; maxRun: number } | null;
  /** Dimensions whose coefficients are stored and iterated on. */
  private readonly stored: number[];
  private scratchT: Float64Array = new Float64Array(0);

  constructor(readonly fes: FixedEffectIndex[], n: number, opts: { allowBlock?: boolean } = {}) {
    this.n = n;
    this.K = fes.length;
    this.idx = fes.map((f) => f.index);
    this.sizes = fes.map((f) => f.size);
    this.block = this.K >= 2 && opts.allowBlock !== false ? findBlock(fes, n) : null;
    this.stored = fes.map((_, k) => k).filter((k) => k !== this.block?.dim);
    this.invW = this.sizes.map((s, k) => new Float64Array(k === this.block?.dim ? 0 : s));
    this.setWeights(null);
  }

  /** Sets the observation weights (null = unit weights) and the inverse per-group weight sums. */
  setWeights(w: Float64Array | null): void {
    this.w = w;
    for (const k of this.stored) {
      const ix = this.idx[k];
      const W = this.invW[k];
      W.fill(0);
      if (w) for (let i = 0; i < this.n; i++) W[ix[i]] += w[i];
      else for (let i = 0; i < this.n; i++) W[ix[i]] += 1;
      for (let g = 0; g < W.length; g++) W[g] = W[g] > 0 ? 1 / W[g] : 0;
    }
  }

  newState(m: number): DemeanState {
    return { m, alpha: this.sizes.map((s, k) => new Float64Array(k === this.block?.dim ? 0 : s * m)) };
  }

  /**
   * Demeans the m variables `xs` into `outs` (may be the same arrays: in place). `state` holds the starting
   * coefficients (warm start) and receives the solution.
   */
  demean(xs: Float64Array[], outs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const { n, K } = this;
    const m = xs.length;
    if (state.m !== m) throw new Error(`demean: state holds ${state.m} variables, got ${m}`);
    if (K === 0) {
      for (let v = 0; v < m; v++) if (outs[v] !== xs[v]) outs[v].set(xs[v]);
      return { iterations: 0, converged: true, maxChange: 0 };
    }
    const w = this.w;
    const shape = () => state.alpha.map((a) => new Float64Array(a.length));
    const scratch = (state.scratch ??= { S: this.block ? [] : shape(), GX: shape(), GGX: shape() });
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
    let wsum = 0;
    if (w) for (let i = 0; i < n; i++) wsum += w[i];
    else wsum = n;
    for (let v = 0; v < m; v++) {
      const x = xs[v];
      let s = 0;
      if (w) for (let i = 0; i < n; i++) s += w[i] * x[i] * x[i];
      else for (let i = 0; i < n; i++) s += x[i] * x[i];
      scale[v] = Math.sqrt(s / Math.max(wsum, 1e-300)) || 1;
    }

    let stats: DemeanStats;
    if (K === 1) {
      const a = state.alpha[0];
      const inv = this.invW[0];
      const S0 = S[0];
      for (let g = 0; g < this.sizes[0]; g++) for (let v = 0; v < m; v++) a[g * m + v] = S0[g * m + v] * inv[g];
      stats = { iterations: 1, converged: true, maxChange: 0 };
    } else {
      stats = this.iterate(S, xs, state, scratch.GX, scratch.GGX, scale, opts);
    }

    // x̃ = x − Σ_k α_k[g_k(i)]
    if (this.block) {
      const b = this.block;
      const args: unknown[] = [b.R, b.starts, w];
      for (const k of this.stored) args.push(state.alpha[k], this.idx[k]);
      for (let v = 0; v < m; v++) args.push(xs[v], outs[v]);
      blockSubtractKernel(m, this.stored.length, w !== null)(...args);
    } else {
      const args: unknown[] = [n];
      for (let k = 0; k < K; k++) args.push(state.alpha[k], this.idx[k]);
      for (let v = 0; v < m; v++) args.push(xs[v], outs[v]);
      subtractKernel(m, K)(...args);
    }
    return stats;
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
