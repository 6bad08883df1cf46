// Restarted GMRES for a linear system A x = b given only the product v ↦ A v. Pure.
// Saad & Schultz (1986): Arnoldi with modified Gram–Schmidt, the small least-squares problem kept triangular
// by Givens rotations; restarted every `restart` steps. Used for adjoint systems (src/model/cp/adjoint.ts).

export interface GmresOptions {
  /** Stop when ‖b − A x‖₂ ≤ tolerance · ‖b‖₂. */
  tolerance: number;
  /** Krylov dimension before a restart. */
  restart: number;
  /** Total matrix–vector products allowed. */
  maxIterations: number;
}

export interface GmresResult {
  iterations: number;
  /** Final ‖b − A x‖₂ / ‖b‖₂ (recomputed from x at the end). */
  residual: number;
  converged: boolean;
}

/** Solves A x = b; `x` holds the start on entry and the solution on return. */
export function gmres(apply: (v: Float64Array, out: Float64Array) => void, b: Float64Array, x: Float64Array, opts: GmresOptions): GmresResult {
  const n = b.length;
  const m = Math.max(1, Math.min(opts.restart, n));
  const bNorm = norm(b);
  if (bNorm === 0) {
    x.fill(0);
    return { iterations: 0, residual: 0, converged: true };
  }
  const V = Array.from({ length: m + 1 }, () => new Float64Array(n));
  const H = new Float64Array((m + 1) * m); // H[i*m + k]
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const y = new Float64Array(m);
  const w = new Float64Array(n);
  let total = 0;
  let rel = Infinity;
  while (total < opts.maxIterations) {
    // r = b − A x
    apply(x, w);
    const r = V[0];
    for (let q = 0; q < n; q++) r[q] = b[q] - w[q];
    let beta = norm(r);
    rel = beta / bNorm;
    if (rel <= opts.tolerance) return { iterations: total, residual: rel, converged: true };
    for (let q = 0; q < n; q++) r[q] /= beta;
    g.fill(0);
    g[0] = beta;
    let k = 0;
    for (; k < m && total < opts.maxIterations; k++) {
      apply(V[k], w);
      total++;
      for (let i = 0; i <= k; i++) {
        const vi = V[i];
        let h = 0;
        for (let q = 0; q < n; q++) h += w[q] * vi[q];
        H[i * m + k] = h;
        for (let q = 0; q < n; q++) w[q] -= h * vi[q];
      }
      const hn = norm(w);
      H[(k + 1) * m + k] = hn;
      if (hn > 0) {
        const v = V[k + 1];
        for (let q = 0; q < n; q++) v[q] = w[q] / hn;
      }
      for (let i = 0; i < k; i++) {
        const a = H[i * m + k];
        const c = H[(i + 1) * m + k];
        H[i * m + k] = cs[i] * a + sn[i] * c;
        H[(i + 1) * m + k] = -sn[i] * a + cs[i] * c;
      }
      const a = H[k * m + k];
      const c = H[(k + 1) * m + k];
      const d = Math.hypot(a, c);
      cs[k] = d === 0 ? 1 : a / d;
      sn[k] = d === 0 ? 0 : c / d;
      H[k * m + k] = d;
      H[(k + 1) * m + k] = 0;
      g[k + 1] = -sn[k] * g[k];
      g[k] = cs[k] * g[k];
      beta = Math.abs(g[k + 1]);
      if (beta / bNorm <= opts.tolerance * 0.5 || hn === 0) {
        k++;
        break;
      }
    }
    // x += V y with H y = g (upper triangular k × k)
    for (let i = k - 1; i >= 0; i--) {
      let s = g[i];
      for (let j = i + 1; j < k; j++) s -= H[i * m + j] * y[j];
      y[i] = H[i * m + i] === 0 ? 0 : s / H[i * m + i];
    }
    for (let i = 0; i < k; i++) {
      const vi = V[i];
      const yi = y[i];
      for (let q = 0; q < n; q++) x[q] += yi * vi[q];
    }
  }
  apply(x, w);
  for (let q = 0; q < n; q++) w[q] = b[q] - w[q];
  rel = norm(w) / bNorm;
  return { iterations: total, residual: rel, converged: rel <= opts.tolerance };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let q = 0; q < v.length; q++) s += v[q] * v[q];
  return Math.sqrt(s);
}
