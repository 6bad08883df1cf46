// Separation by a regressor in a Poisson fit. Pure.
//
// The Poisson MLE does not exist when some linear combination z = Xγ of the regressors is 0 wherever y > 0 and
// has one sign (and is not identically 0) where y = 0: moving the coefficients along γ drives μ → 0 on the rows
// with z ≠ 0 and leaves every other row unchanged, so the likelihood keeps rising and the coefficient runs off to
// ±∞ (Correia, Guimarães & Zylkin 2021, "Verifying the existence of maximum likelihood estimates for generalized
// linear models", §2; Santos Silva & Tenreyro 2010). As ppmlhdfe does, the separated observations are dropped;
// the regressor is then constant on the remaining rows and is omitted (reported), and the other coefficients are
// the MLE on the remaining rows.
//
// This check covers the certificates z = x_k − c of single regressors (x_k constant at c on the rows with y > 0,
// e.g. a dummy that is 1 only where trade is 0), applied repeatedly. Combinations of several regressors with the
// fixed effects (ppmlhdfe's iterative ReLU method) are not searched: such a case still ends in a diverging
// deviance or a singular Hessian, reported as a ConvergenceError that names separation as the likely cause.

export interface RegressorSeparation {
  /** Rows kept (1) or dropped as separated (0). */
  keep: Uint8Array;
  /** Regressors found separating, with the number of observations each separated. */
  separated: { name: string; observations: number; direction: 'positive' | 'negative' }[];
}

/**
 * `canAbsorbConstant`: the model has an intercept or fixed effects, so a certificate x_k − c with c ≠ 0 is a
 * combination of the regressors; without one only c = 0 counts.
 */
export function findRegressorSeparation(y: Float64Array, X: Float64Array[], names: string[], canAbsorbConstant: boolean): RegressorSeparation {
  const n = y.length;
  const keep = new Uint8Array(n).fill(1);
  const separated: RegressorSeparation['separated'] = [];
  const done = new Set<number>();
  for (let round = 0; round < X.length; round++) {
    let found = false;
    for (let k = 0; k < X.length; k++) {
      if (done.has(k)) continue;
      const x = X[k];
      // Value on the kept rows with y > 0 (must be one constant), and the scale of the column.
      let c = NaN;
      let constant = true;
      let scale = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        scale = Math.max(scale, Math.abs(x[i]));
        if (y[i] > 0) {
          if (Number.isNaN(c)) c = x[i];
          else if (Math.abs(x[i] - c) > 1e-12 * Math.max(1, Math.abs(c))) constant = false;
        }
      }
      if (!constant || Number.isNaN(c) || scale === 0) continue;
      if (c !== 0 && !canAbsorbConstant) continue;
      const tol = 1e-12 * Math.max(1, scale);
      let pos = 0;
      let neg = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i] || y[i] > 0) continue;
        const z = x[i] - c;
        if (z > tol) pos++;
        else if (z < -tol) neg++;
      }
      if ((pos > 0) === (neg > 0)) continue; // both signs (identified) or none (constant: collinearity, not separation)
      let dropped = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i] || y[i] > 0) continue;
        if (Math.abs(x[i] - c) > tol) {
          keep[i] = 0;
          dropped++;
        }
      }
      separated.push({ name: names[k], observations: dropped, direction: pos > 0 ? 'negative' : 'positive' });
      done.add(k);
      found = true;
    }
    if (!found) break;
  }
  return { keep, separated };
}
