// Demeaning by Irons–Tuck accelerated block Gauss–Seidel (method 'irons-tuck'; see ../demean.ts for the
// equations): Gauss–Seidel over the dimensions (the method of alternating projections written on the
// coefficients; Guimarães & Portugal 2010; Gaure 2013), one "sweep" F updating, for k = 1..K and each group g,
//     α_k[g] = ( Σ_{i∈g} w_i x_i − Σ_{i∈g} w_i Σ_{j≠k} α_j[g_j(i)] ) / Σ_{i∈g} w_i        (block Gauss–Seidel)
// accelerated with the Irons & Tuck (1969) step as fixest does (Bergé 2018, "Efficient estimation of maximum
// likelihood models with multiple fixed-effects: the R package FENmlm", §3):
//     X' = F(F(X)) − [ (Δ²X · ΔF(X)) / (Δ²X · Δ²X) ] ΔF(X),   ΔF(X) = F(F(X)) − F(X),  Δ²X = F(F(X)) − 2F(X) + X
// and stopped when no coefficient moves by more than tol × RMS in one sweep. Sequential only (the sweeps use
// the unrolled kernels of ../kernels.ts). Pure.
import { blockSweepKernel, sumsKernel, sweepKernel } from '../kernels.ts';
import type { FixedEffectLayout } from './layout.ts';
import type { DemeanOptions, DemeanSolver, DemeanStats, DemeanState } from './types.ts';

export class IronsTuck implements DemeanSolver {
  /** Scratch of the blocked sweep (≥ longest block × m). */
  private scratchT: Float64Array = new Float64Array(0);

  constructor(private readonly layout: FixedEffectLayout) {}

  solve(xs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const L = this.layout;
    const { n, K } = L;
    const m = xs.length;
    const w = L.w;
    const shape = () => state.alpha.map((a) => new Float64Array(a.length));
    const scratch = (state.scratch ??= { S: L.block ? [] : shape(), GX: shape(), GGX: shape() });
    if (L.weightsPending) L.weightSums();
    // Weighted group sums S_k[g*m+v] = Σ_{i∈g} w_i x_i^v, and the RMS of each variable (convergence scale).
    const S = scratch.S;
    if (!L.block) {
      const sums = sumsKernel(m, w !== null);
      for (let k = 0; k < K; k++) {
        S[k].fill(0);
        sums(n, w, L.idx[k], S[k], ...xs);
      }
    } else if (this.scratchT.length < L.block.maxRun * m) {
      this.scratchT = new Float64Array(L.block.maxRun * m);
    }
    const scale = new Float64Array(m);
    for (let v = 0; v < m; v++) {
      const x = xs[v];
      let s = 0;
      if (w) for (let i = 0; i < n; i++) s += w[i] * x[i] * x[i];
      else for (let i = 0; i < n; i++) s += x[i] * x[i];
      scale[v] = Math.sqrt(s / Math.max(L.wsum, 1e-300)) || 1;
    }
    return this.iterate(S, xs, state, scratch.GX, scratch.GGX, scale, opts);
  }

  /**
   * One Gauss–Seidel sweep: dst = F(src). When `change` is given it receives, per variable, the largest
   * |dst − src| over all coefficients (the convergence measure).
   */
  private sweep(S: Float64Array[], xs: Float64Array[], src: Float64Array[], dst: Float64Array[], m: number, change: Float64Array | null): void {
    const L = this.layout;
    const { n, K } = L;
    const w = L.w;
    const idx = L.idx;
    if (change) change.fill(0);
    for (const k of L.stored) {
      const acc = dst[k];
      acc.fill(0);
      if (L.block) {
        // acc = Σ w (x − block mean − other stored dims); the update is acc / W.
        const b = L.block;
        const args: unknown[] = [b.R, b.starts, w, this.scratchT, acc];
        let pos = 0;
        L.stored.forEach((j, q) => {
          if (j === k) pos = q;
          args.push(j < k ? dst[j] : src[j], idx[j]);
        });
        for (let v = 0; v < m; v++) args.push(xs[v]);
        blockSweepKernel(m, L.stored.length, pos, w !== null)(...args);
        const inv = L.invW[k];
        const old = src[k];
        const G = L.sizes[k];
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
      const inv = L.invW[k];
      const old = src[k];
      const G = L.sizes[k];
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
    const L = this.layout;
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
        for (const k of L.stored) X[k].set(GX[k]);
        return { iterations: 2 * it - 1, converged: true, maxChange: maxRel };
      }
      this.sweep(S, xs, GX, GGX, m, null);
      // Irons–Tuck extrapolation, per variable.
      dot1.fill(0);
      dot2.fill(0);
      for (const k of L.stored) {
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
      for (const k of L.stored) {
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
