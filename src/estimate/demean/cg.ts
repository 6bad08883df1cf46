// Demeaning by preconditioned conjugate gradients (the default method; see ../demean.ts for the equations):
// CG on the (reduced) normal equations A α = b, A = Dᵀ W M_b D, b = Dᵀ W M_b x, with the diagonal
// preconditioner P = diag(Dᵀ W D) (each group's weight sum), as reghdfe/ppmlhdfe do (Correia 2017, "Linear
// models with high-dimensional fixed effects: an efficient and feasible estimator", §4; Hestenes & Stiefel
// 1952, preconditioned form):
//     r = b − A α₀,  z = P⁻¹ r,  d = z;  repeat:  γ = rᵀz / dᵀA d,  α += γ d,  r −= γ A d,  z = P⁻¹ r,
//     d = z + (rᵀz / previous rᵀz) d                                                             (PCG)
// One pass over the rows gives r (with x) or A d for every stored dimension at once (./layout.ts pass), in
// chunks by a RowRunner, possibly on several threads. Each of the m variables has its own CG scalars. Stopping
// rule: z = P⁻¹ r — for each group, the correction one Jacobi step would make to its coefficient — is below
// tol × (weighted RMS of x) for every coefficient. Pure.
import type { FixedEffectLayout } from './layout.ts';
import type { DemeanOptions, DemeanSolver, DemeanStats, DemeanState } from './types.ts';

/** Preconditioned conjugate gradients on the (reduced) normal equations, per variable, warm-started. */
export class ConjugateGradients implements DemeanSolver {
  constructor(private readonly layout: FixedEffectLayout) {}

  solve(xs: Float64Array[], state: DemeanState, opts: DemeanOptions): DemeanStats {
    const L = this.layout;
    const m = state.m;
    const N = L.N;
    const NM = N * m;
    const inv = L.invFlat;
    const alpha = state.flat;
    const res = L.pass(0, alpha, xs);
    // Tolerance scale: the weighted RMS of each variable.
    const lim = new Float64Array(m);
    for (let v = 0; v < m; v++) lim[v] = opts.tol * (Math.sqrt(res[NM + v] / Math.max(L.wsum, 1e-300)) || 1);
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
    if (L.K === 1) {
      // One dimension: the preconditioner is the exact inverse, one step solves the equations.
      precondition();
      for (let q = 0; q < NM; q++) alpha[q] += z[q];
      return { iterations: passes, converged: true, maxChange: 0 };
    }
    if (precondition()) return { iterations: passes, converged: true, maxChange: worst() };
    const p = (state.dir ??= L.runner.f64(NM));
    p.set(z);
    const gamma = new Float64Array(m);
    const beta = new Float64Array(m);
    const pq = new Float64Array(m);
    while (passes < opts.maxIter) {
      const Ap = L.pass(1, p, xs);
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
}
