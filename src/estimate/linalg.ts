// Small dense linear algebra for the p×p normal equations (p = number of regressors, small). Row-major
// Float64Array, index r*p + c. Pure.

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix, in order, skipping ("dropping")
 * columns whose pivot is below `relTol` times their diagonal: the pivot is the part of the column not explained
 * by the columns kept before it, so a small pivot means (near-)perfect collinearity with them.
 * Returns the kept column indices and, for each dropped one, the kept columns it is collinear with.
 */
export function choleskyDropCollinear(A: Float64Array, p: number, relTol: number): { kept: number[]; dropped: number[] } {
  const kept: number[] = [];
  const dropped: number[] = [];
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    // Tentatively factor column j against the kept columns.
    const row = new Float64Array(kept.length);
    for (let a = 0; a < kept.length; a++) {
      const ka = kept[a];
      let s = A[j * p + ka];
      for (let b = 0; b < a; b++) s -= row[b] * L[ka * p + kept[b]];
      row[a] = s / L[ka * p + ka];
    }
    let d = A[j * p + j];
    for (let a = 0; a < kept.length; a++) d -= row[a] * row[a];
    if (!(d > relTol * A[j * p + j]) || !(A[j * p + j] > 0)) {
      dropped.push(j);
      continue;
    }
    for (let a = 0; a < kept.length; a++) L[j * p + kept[a]] = row[a];
    L[j * p + j] = Math.sqrt(d);
    kept.push(j);
  }
  return { kept, dropped };
}

/** Cholesky factorisation in place (lower triangle); returns false when not positive definite. */
export function cholesky(A: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j];
    for (let k = 0; k < j; k++) d -= L[j * p + k] * L[j * p + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = s / ljj;
    }
  }
  return L;
}

/** Solves (L Lᵀ) x = b. */
export function cholSolve(L: Float64Array, p: number, b: Float64Array): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
    y[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix from its Cholesky factor. */
export function cholInverse(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    e.fill(0);
    e[c] = 1;
    const x = cholSolve(L, p, e);
    for (let r = 0; r < p; r++) inv[r * p + c] = x[r];
  }
  return inv;
}

/** C = A B A for symmetric p×p A, B (the sandwich). */
export function sandwich(A: Float64Array, B: Float64Array, p: number): Float64Array {
  const T = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += A[i * p + k] * B[k * p + j];
      T[i * p + j] = s;
    }
  const C = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += T[i * p + k] * A[k * p + j];
      C[i * p + j] = s;
    }
  return C;
}
