// The project's one dense linear solver: Gaussian elimination with partial pivoting on a small row-major n×n
// system (the 2N×2N Newton and adjoint systems of the Ossa solver, the k×k least-squares problem of Anderson
// acceleration). The estimator's symmetric positive-definite normal equations use Cholesky instead
// (src/estimate/linalg.ts). Pure.

/**
 * Solves A x = b in place by Gaussian elimination with partial pivoting. A is n×n row-major and is
 * overwritten; b is overwritten with x. With `transpose`, solves Aᵀ x = b. Returns false if A is singular.
 */
export function solveDense(A: Float64Array, b: Float64Array, n: number, transpose = false): boolean {
  const M = transpose ? transposed(A, n) : A;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(M[c * n + c]);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(M[r * n + c]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > 1e-300) || best === Infinity) return false;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const tmp = M[c * n + k];
        M[c * n + k] = M[p * n + k];
        M[p * n + k] = tmp;
      }
      const tb = b[c];
      b[c] = b[p];
      b[p] = tb;
    }
    const piv = M[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= M[r * n + k] * b[k];
    b[r] = s / M[r * n + r];
  }
  for (let r = 0; r < n; r++) if (!Number.isFinite(b[r])) return false;
  return true;
}

/** Solves A x = b without touching A and b; null if A is singular or the solution is not finite. */
export function solveDenseCopy(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const x = b.slice(0, n);
  return solveDense(A.slice(0, n * n), x, n) ? x : null;
}

function transposed(A: Float64Array, n: number): Float64Array {
  const T = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) T[c * n + r] = A[r * n + c];
  return T;
}
