// Anderson acceleration (type II) for fixed-point problems x = G(x).
// Walker & Ni (2011), "Anderson acceleration for fixed-point iterations", SIAM J. Numer. Anal. 49(4), eq. (2.1):
//   f_k = G(x_k) − x_k;  γ_k = argmin ‖f_k − ΔF_k γ‖₂;  x_{k+1} = G(x_k) − ΔG_k γ_k
// where ΔF_k, ΔG_k hold the last m differences of f and G. The small least-squares problem is solved through
// regularised normal equations (m ≤ 10, so this is cheap and stable enough with the restart safeguard below).
// Pure: usable by every solver in src/model.
import { solveDenseCopy } from './dense.ts';

export interface AndersonOptions {
  /** Memory m (number of past differences). 0 turns acceleration off (plain iteration). */
  memory: number;
  /** Relative Tikhonov regularisation of the normal equations. */
  regularization?: number;
  /** Restart the memory when the residual grows by more than this factor over the best seen. */
  restartFactor?: number;
}

export class Anderson {
  private readonly m: number;
  private readonly reg: number;
  private readonly restartFactor: number;
  private readonly dim: number;
  // Ring buffers of the last m differences ΔF, ΔG (each `dim` long), preallocated.
  private readonly dF: Float64Array[];
  private readonly dG: Float64Array[];
  private count = 0; // differences stored (≤ m)
  private head = 0; // slot of the next difference
  private readonly f: Float64Array;
  private readonly prevF: Float64Array;
  private readonly prevG: Float64Array;
  private havePrev = false;
  private best = Infinity;
  private readonly A: Float64Array;
  private readonly b: Float64Array;
  // Gram matrix of the stored differences by slot, G[p*m + q] = ΔF_p · ΔF_q, updated one row per step.
  private readonly gram: Float64Array;

  constructor(dim: number, opts: AndersonOptions) {
    this.dim = dim;
    this.m = Math.max(0, Math.floor(opts.memory));
    this.reg = opts.regularization ?? 1e-12;
    this.restartFactor = opts.restartFactor ?? 1e3;
    this.dF = Array.from({ length: this.m }, () => new Float64Array(dim));
    this.dG = Array.from({ length: this.m }, () => new Float64Array(dim));
    this.f = new Float64Array(dim);
    this.prevF = new Float64Array(dim);
    this.prevG = new Float64Array(dim);
    this.A = new Float64Array(this.m * this.m);
    this.b = new Float64Array(this.m);
    this.gram = new Float64Array(this.m * this.m);
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.havePrev = false;
    this.best = Infinity;
  }

  /** Given x_k and G(x_k), writes x_{k+1} into `out` (may alias `x`, not `gx`). Returns ‖f_k‖₂. */
  step(x: Float64Array, gx: Float64Array, out: Float64Array): number {
    const d = this.dim;
    const f = this.f;
    let norm2 = 0;
    for (let a = 0; a < d; a++) {
      f[a] = gx[a] - x[a];
      norm2 += f[a] * f[a];
    }
    const norm = Math.sqrt(norm2);
    if (this.m === 0) {
      out.set(gx);
      return norm;
    }
    if (norm > this.best * this.restartFactor) this.reset();
    this.best = Math.min(this.best, norm);
    if (this.havePrev) {
      const df = this.dF[this.head];
      const dg = this.dG[this.head];
      for (let a = 0; a < d; a++) {
        df[a] = f[a] - this.prevF[a];
        dg[a] = gx[a] - this.prevG[a];
      }
      const h = this.head;
      this.head = (this.head + 1) % this.m;
      this.count = Math.min(this.count + 1, this.m);
      // Slots 0..count−1 are in use; only the new slot's row and column of the Gram matrix change.
      for (let q = 0; q < this.count; q++) {
        const fq = this.dF[q];
        let t = 0;
        for (let a = 0; a < d; a++) t += df[a] * fq[a];
        this.gram[h * this.m + q] = t;
        this.gram[q * this.m + h] = t;
      }
    }
    this.prevF.set(f);
    this.prevG.set(gx);
    this.havePrev = true;
    const k = this.count;
    if (k === 0) {
      out.set(gx);
      return norm;
    }
    // Normal equations (ΔFᵀΔF + λI) γ = ΔFᵀ f over the stored differences (slot order does not matter).
    const A = this.A;
    const b = this.b;
    let trace = 0;
    for (let p = 0; p < k; p++) {
      const fp = this.dF[p];
      let s = 0;
      for (let a = 0; a < d; a++) s += fp[a] * f[a];
      b[p] = s;
      for (let q = 0; q < k; q++) A[p * k + q] = this.gram[p * this.m + q];
      trace += A[p * k + p];
    }
    const lambda = this.reg * (trace / k || 1);
    for (let p = 0; p < k; p++) A[p * k + p] += lambda;
    const gamma = solveDenseCopy(A, b, k);
    if (!gamma) {
      this.reset();
      out.set(gx);
      return norm;
    }
    out.set(gx);
    for (let p = 0; p < k; p++) {
      const g = this.dG[p];
      const c = gamma[p];
      for (let a = 0; a < d; a++) out[a] -= g[a] * c;
    }
    return norm;
  }
}
