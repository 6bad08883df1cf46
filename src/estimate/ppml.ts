// Poisson pseudo-maximum likelihood with high-dimensional fixed effects (PPML-HDFE), by iteratively reweighted
// least squares with the fixed effects partialled out at every step. Pure; typed arrays in, FitResult out.
//
// Model (Santos Silva & Tenreyro 2006): E[y_i | x_i] = μ_i = exp(x_i β + Σ_k α_k[g_k(i)]).
// IRLS (Correia, Guimarães & Zylkin 2020, Stata J. 20(1), §2, eqs. (3)–(4)): with weights w_i = μ_i and the
// working outcome z_i = η_i + (y_i − μ_i)/μ_i, one step is the weighted regression of z on x and the fixed
// effects. By Frisch–Waugh–Lovell it is the regression of the demeaned z̃ on the demeaned X̃ (./demean.ts):
//     β = (X̃ᵀWX̃)⁻¹ X̃ᵀWz̃,   e = z̃ − X̃β,   η_new = z − e,   μ_new = exp(η_new)
// (η_new = z − e holds because z − z̃ and X − X̃ lie in the span of the fixed effects).
// Inner tolerance: the demeaning's tolerance tightens with the IRLS progress, inner tol = max(min(τ_prev, 0.1·ε),
// target), as ppmlhdfe does, from a start of 1e−3 (ppmlhdfe: 1e−4; the looser start saves passes in the first,
// most expensive steps and changes no estimate beyond the target tolerance — the tolerance only decides when the
// IRLS may stop). Warm starts: the regressors' fixed-effect coefficients carry over from step to step; those of
// u = (y − μ)/μ start from zero, because at the solution the fixed-effect conditions Σ_{i∈g} (y_i − μ_i) = 0
// make u's fixed-effect part vanish, so zero is closer than the previous step's.
// Convergence: ε = |D − D_prev| / max(min(D, D_prev), 0.1) < tol with D the Poisson deviance
//     D = 2 Σ_i [ y_i ln(y_i/μ_i) − (y_i − μ_i) ]
// and the demeaning at its target tolerance. Start: μ = (y + ȳ)/2.
import { ConvergenceError, InputError } from '../errors.ts';
import { findCollinear } from './collinear.ts';
import { crossProducts } from './cross.ts';
import { Demeaner, type DemeanState, type FixedEffectIndex } from './demean.ts';
import { cholesky, cholSolve } from './linalg.ts';
import type { DesignInput, FitOptions, FitResult } from './result.ts';
import { chunkBounds, sequentialRunner, type RowRunner } from './runner.ts';
import { compact, compactFixedEffects, compactInt, findSeparated, type DropReport } from './separation.ts';
import { findRegressorSeparation } from './separation-regressors.ts';
import { computeVcov, fixedEffectParams, normalPValue } from './vcov.ts';

/** Tolerance of the first IRLS step's demeaning (tightened with the IRLS progress, see the header). */
const START_TOL = 1e-3;
/** Tolerance of the regressors' demeaning at the solution (standard errors, strict collinearity check). */
const FINAL_X_TOL = 1e-8;

export function fitPpml(input: DesignInput, options: FitOptions = {}): FitResult {
  const opts = withDefaults(options);
  const yName = input.outcomeName ?? 'outcome';
  const nInput = input.y.length;
  validateOutcome(input.y, yName);
  const runner = options.runner ?? sequentialRunner;

  // 1. Separation and singletons.
  let { y, X } = input;
  let fes = input.fixedEffects;
  let cluster = input.cluster;
  let used: Uint8Array = new Uint8Array(nInput).fill(1);
  let dropped: DropReport[] = [];
  if (fes.length && (opts.separation || opts.dropSingletons)) {
    const sep = findSeparated(y, fes, { checkZeros: opts.separation, dropSingletons: opts.dropSingletons });
    dropped = sep.drops;
    let nkeep = 0;
    for (let i = 0; i < nInput; i++) nkeep += sep.keep[i];
    if (nkeep < nInput) {
      if (nkeep === 0) {
        throw new InputError(`no observations left: every fixed-effect group has an all-zero ${yName}`, { field: yName }, 'check the outcome column and the --where filter');
      }
      used = sep.keep;
      const f64 = (k: number) => runner.f64(k);
      y = compact(y, used, nkeep, f64);
      X = X.map((x) => compact(x, used, nkeep, f64));
      fes = compactFixedEffects(fes, used, nkeep);
      if (cluster) cluster = { name: cluster.name, codes: compactInt(cluster.codes, used, nkeep), size: cluster.size };
    }
  }
  let names = input.names.slice();
  let collinear: FitResult['collinear'] = [];
  // 1b. Separation by a regressor (./separation-regressors.ts): drop the separated rows, omit the regressor.
  if (opts.separation) {
    const sep = findRegressorSeparation(y, X, names, fes.length > 0 || names.includes('(Intercept)'));
    if (sep.separated.length) {
      let nkeep = 0;
      for (let i = 0; i < y.length; i++) nkeep += sep.keep[i];
      const f64 = (k: number) => runner.f64(k);
      const fullIndex: number[] = [];
      for (let i = 0; i < nInput; i++) if (used[i]) fullIndex.push(i);
      const usedNow = new Uint8Array(nInput);
      fullIndex.forEach((row, k) => (usedNow[row] = sep.keep[k]));
      used = usedNow;
      y = compact(y, sep.keep, nkeep, f64);
      X = X.map((x) => compact(x, sep.keep, nkeep, f64));
      fes = compactFixedEffects(fes, sep.keep, nkeep);
      if (cluster) cluster = { name: cluster.name, codes: compactInt(cluster.codes, sep.keep, nkeep), size: cluster.size };
      const gone = new Set(sep.separated.map((s) => s.name));
      X = X.filter((_, k) => !gone.has(names[k]));
      names = names.filter((nm) => !gone.has(nm));
      for (const s of sep.separated) {
        dropped.push({ reason: `separated by regressor '${s.name}' (its ${s.direction === 'negative' ? 'coefficient would run to −∞' : 'coefficient would run to +∞'}: it differs from its value on every positive ${yName} only where ${yName} = 0), as ppmlhdfe does`, observations: s.observations });
        collinear.push({ name: s.name, reason: `omitted: after dropping the ${s.observations} observations it separates it is constant (its estimate does not exist)` });
      }
      if (X.length === 0 && fes.length === 0) throw new InputError('every regressor separates the data: no estimate exists', { field: names.join(', ') || yName }, 'check the regressors against the zero flows');
    }
  }
  const n = y.length;
  validateDegreesOfFreedom(n, X.length, fes, yName);

  y = runner.share(y);
  X = X.map((x) => runner.share(x));

  // 2. Starting values: μ = (y + ȳ)/2, η = ln μ, u = (y − μ)/μ, and z = η + u (kept in ut).
  let ysum = 0;
  for (let i = 0; i < n; i++) ysum += y[i];
  const ybar = ysum / n;
  const mu = runner.f64(n);
  const eta = runner.f64(n);
  const u = runner.f64(n);
  const ut = runner.f64(n);
  const logy = runner.f64(n);
  const rowBounds = chunkBounds(n);
  runner.run('pinit', rowBounds, [y, ybar, mu, eta, u, logy, ut], 0);

  // 3. IRLS. Iteration 1 is the full weighted regression of z = η + u on X (z and X demeaned together, one pass
  // over the rows serving all of them; z̃ is kept in `ut`). From then on η = Xβ + (fixed effects) and each step
  // is the Newton step
  //     Δβ = (X̃ᵀWX̃)⁻¹ X̃ᵀW ũ,   η ← η + (u − ũ) + X̃Δβ,   u = (y − μ)/μ,   ũ = M_W u
  // (algebraically the same as re-solving on z = η + u, since M_W z = X̃β + ũ; iteration 1 is this update
  // with ũ → z̃ and Δβ → β). Only u must be demeaned exactly (it carries the score X̃ᵀ(y − μ) and the
  // fixed-effect conditions Σ_g (y − μ) = 0); X̃ enters only the Hessian, so it is refreshed — demeaned again
  // with the current weights, warm-started — only while the deviance still moves by more than `refreshEps`,
  // and once more at the solution for the standard errors. A stale X̃ makes this a quasi-Newton step with the
  // same fixed point (the MLE). The row loops run as kernels (./row-kernels.ts) through the runner.
  const dm = new Demeaner(fes, n, { runner, method: opts.demeanMethod });
  let p = X.length;
  let Xt: Float64Array[] = X.map(() => runner.f64(n));
  let state = dm.newState(p + 1);
  const stateU = dm.newState(1);
  let beta: Float64Array = new Float64Array(p);
  let sweeps = 0;
  let devOld = Infinity;
  let dev = Infinity;
  let eps = Infinity;
  let innerTol = Math.max(START_TOL, opts.demeanTol);
  let converged = false;
  let iter = 0;
  let refreshedAt = 0;
  let devRose = false;
  const refreshEps = opts.refreshEps;
  const demean = (xs: Float64Array[], outs: Float64Array[], st: DemeanState, tol: number) => {
    const r = dm.demean(xs, outs, st, { tol, maxIter: opts.demeanMaxIter });
    sweeps += r.iterations;
    if (!r.converged) throw new ConvergenceError('demeaning (fixed-effect normal equations) did not converge', r.iterations, { maxChange: r.maxChange });
  };
  for (iter = 1; iter <= opts.maxIter; iter++) {
    dm.setWeights(mu);
    let d: Float64Array;
    if (iter === 1) {
      // z = η + u (in ut), full solve.
      demean([ut, ...X], [ut, ...Xt], state, innerTol);
      refreshedAt = 1;
      // First collinearity check, at the loose starting tolerance τ: a regressor absorbed by the fixed effects
      // keeps a share ≈ τ² of its sum of squares, so the screen's threshold is max(1e−9, (10τ)²). What it flags
      // is confirmed on the regressors demeaned to the target tolerance (strict threshold 1e−9); the strict check
      // runs again on the converged regressors below.
      let col = findCollinear(X, Xt, mu, names, fes.length > 0, Math.max(1e-9, 100 * innerTol * innerTol), runner);
      if (col.reports.length && innerTol > opts.demeanTol) {
        const st = dm.newState(p);
        copyX(state, st, true);
        demean(X, Xt, st, Math.max(opts.demeanTol, FINAL_X_TOL));
        copyX(state, st, false);
        col = findCollinear(X, Xt, mu, names, fes.length > 0, 1e-9, runner);
      }
      if (col.reports.length) {
        handleCollinear(col.reports, opts.collinear);
        collinear = [...collinear, ...col.reports];
        ({ X, Xt, names, state } = keepColumns(col.kept, X, Xt, names, state, dm));
        p = X.length;
      }
      beta = wls(Xt, ut, mu, p, runner);
      d = beta;
    } else {
      if (eps > refreshEps || devRose) {
        zeroSlot(state.flat, p + 1, 0);
        demean([u, ...X], [ut, ...Xt], state, innerTol);
        refreshedAt = iter;
      } else {
        stateU.flat.fill(0);
        demean([u], [ut], stateU, innerTol);
      }
      d = wls(Xt, ut, mu, p, runner);
      for (let j = 0; j < p; j++) beta[j] += d[j];
    }
    // η ← η + (u − ũ) + X̃d, μ = exp(η), u = (y − μ)/μ, and the deviance
    //     D = 2 Σ_i [ y_i ln(y_i/μ_i) − (y_i − μ_i) ]
    dev = 2 * runner.run(`pstep:${p}`, rowBounds, [y, logy, eta, mu, u, ut, ...d, ...Xt], 1)[0];
    if (!Number.isFinite(dev)) {
      throw new ConvergenceError('PPML diverged (non-finite deviance); the data may be separated by a regressor', iter, { deviance: dev });
    }
    eps = Math.abs(dev - devOld) / Math.max(Math.min(dev, devOld), 0.1);
    // A step that raised the deviance (possible with a stale X̃) makes the next step refresh X̃.
    devRose = dev > devOld;
    options.onIteration?.({ iteration: iter, deviance: dev, epsilon: eps, demeanTol: innerTol, sweeps, refreshed: refreshedAt === iter });
    if (eps < opts.tol && innerTol <= opts.demeanTol) {
      converged = true;
      break;
    }
    innerTol = Math.max(Math.min(innerTol, 0.1 * eps), opts.demeanTol);
    // Within 10× of the IRLS tolerance the next step may be the last: demean it to the target tolerance.
    if (eps < 10 * opts.tol) innerTol = opts.demeanTol;
    devOld = dev;
  }
  if (!converged) throw new ConvergenceError('PPML (IRLS) did not converge', opts.maxIter, { epsilon: eps, deviance: dev });
  // X̃ at the solution's weights, for the standard errors and the strict collinearity check.
  dm.setWeights(mu);
  {
    const st = dm.newState(p);
    copyX(state, st, true);
    demean(X, Xt, st, Math.max(opts.demeanTol, FINAL_X_TOL));
  }
  {
    const col = findCollinear(X, Xt, mu, names, fes.length > 0, 1e-9, runner);
    if (col.reports.length) {
      // Missed by the loose first check: refit without them (or report them as an error).
      handleCollinear(col.reports, opts.collinear);
      const kept = col.kept;
      const again = fitPpml(
        { ...input, X: kept.map((j) => input.X[input.names.indexOf(names[j])]), names: kept.map((j) => names[j]) },
        options,
      );
      again.collinear = [...collinear, ...col.reports, ...again.collinear];
      return again;
    }
  }

  // 4. Standard errors: scores x̃_i (y_i − μ_i) at the solution.
  const r = runner.f64(n);
  for (let i = 0; i < n; i++) r[i] = y[i] - mu[i];
  const clusterArg = cluster ? { codes: cluster.codes, size: cluster.size } : undefined;
  if (opts.vcov === 'cluster' && !clusterArg) throw new InputError('clustered standard errors need a cluster variable', { field: 'cluster' }, 'pass --cluster <column>');
  const feParams = fixedEffectParams(fes, opts.vcov === 'cluster' ? clusterArg : undefined);
  const vc = computeVcov({ method: 'ppml', Xt, w: mu, r, type: opts.vcov, cluster: clusterArg, ssc: opts.ssc, feParams, runner });
  const notes: string[] = [];
  return assemble({
    method: 'ppml',
    names,
    beta,
    V: vc.V,
    n,
    nInput,
    dropped,
    collinear,
    fes,
    vcovType: opts.vcov,
    ssc: opts.ssc,
    factorText: vc.factorText,
    clusters: vc.clusters,
    clusterName: cluster?.name,
    converged,
    iterations: iter,
    sweeps,
    eps,
    deviance: dev,
    r2: squaredCorrelation(y, mu),
    used,
    fitted: opts.keepFitted ? mu : undefined,
    notes,
  });
}

/**
 * Copies the regressors' fixed-effect coefficients between the joint state (m = p + 1: z or u in slot 0, then
 * X) and an X-only state (m = p): `toX` true copies joint → X-only, false copies X-only → joint.
 */
function copyX(joint: DemeanState, xOnly: DemeanState, toX: boolean): void {
  const p = xOnly.m;
  const a = joint.flat;
  const b = xOnly.flat;
  for (let q = 0, r = 0; r < b.length; q += p + 1, r += p) {
    for (let j = 0; j < p; j++) {
      if (toX) b[r + j] = a[q + j + 1];
      else a[q + j + 1] = b[r + j];
    }
  }
}

/** Sets variable `v` of an m-interleaved coefficient vector to zero. */
function zeroSlot(flat: Float64Array, m: number, v: number): void {
  for (let q = v; q < flat.length; q += m) flat[q] = 0;
}

function handleCollinear(reports: FitResult['collinear'], mode: 'error' | 'drop'): void {
  if (mode === 'drop') return;
  const r = reports[0];
  throw new InputError(
    `regressor '${r.name}' ${r.reason}${reports.length > 1 ? ` (also: ${reports.slice(1).map((c) => `'${c.name}' ${c.reason}`).join('; ')})` : ''}`,
    { field: r.name },
    'remove it from the formula, or pass --drop-collinear (collinear: "drop") to drop it automatically',
  );
}

/** Keeps regressor columns `kept` (and their warm-start coefficients; variable 0 of the state is z). */
function keepColumns(kept: number[], X: Float64Array[], Xt: Float64Array[], names: string[], old: DemeanState, dm: Demeaner) {
  if (kept.length === 0) throw new InputError('every regressor was dropped as collinear', { field: names.join(', ') }, 'check the formula');
  const state = dm.newState(kept.length + 1);
  const vars = [0, ...kept.map((j) => j + 1)];
  const a = state.flat;
  const b = old.flat;
  for (let q = 0, r = 0; q < a.length; q += state.m, r += old.m) vars.forEach((src, v) => (a[q + v] = b[r + src]));
  return { X: kept.map((j) => X[j]), Xt: kept.map((j) => Xt[j]), names: kept.map((j) => names[j]), state };
}

export function withDefaults(o: FitOptions): Required<Omit<FitOptions, 'keepFitted' | 'onIteration' | 'runner'>> & { keepFitted: boolean } {
  return {
    vcov: o.vcov ?? 'robust',
    ssc: o.ssc ?? 'stata',
    tol: o.tol ?? 1e-8,
    maxIter: o.maxIter ?? 100,
    demeanTol: o.demeanTol ?? 1e-9,
    demeanMaxIter: o.demeanMaxIter ?? 10000,
    collinear: o.collinear ?? 'error',
    separation: o.separation ?? true,
    dropSingletons: o.dropSingletons ?? true,
    keepFitted: o.keepFitted ?? false,
    refreshEps: o.refreshEps ?? 0.1,
    demeanMethod: o.demeanMethod ?? 'cg',
  };
}

/** Largest outcome value accepted: beyond it sums and the deviance overflow. */
export const MAX_OUTCOME = 1e100;

/** Residual degrees of freedom n − p − (fixed-effect parameters) must be positive for standard errors. */
function validateDegreesOfFreedom(n: number, p: number, fes: { index: Int32Array; size: number }[], yName: string): void {
  const params = p + fixedEffectParams(fes);
  if (n - params <= 0) {
    throw new InputError(`${n} observation${n === 1 ? '' : 's'} and ${params} parameters leave no residual degrees of freedom: the fit is exact and has no standard errors`, { field: yName }, 'use more observations, or fewer regressors and fixed effects');
  }
}

function validateOutcome(y: Float64Array, name: string): void {
  let anyPositive = false;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new InputError(`${name} is not a finite number at data row ${i + 1} of the estimation sample`, { field: name, row: i + 1 }, 'rows with missing values must be removed first');
    if (v > MAX_OUTCOME) throw new InputError(`${name} is ${v.toExponential(3)} at data row ${i + 1} of the estimation sample, above ${MAX_OUTCOME.toExponential(0)}: sums of the outcome would overflow`, { field: name, row: i + 1 }, 'rescale the column (e.g. to millions)');
    if (v < 0) throw new InputError(`${name} is negative (${v}) at data row ${i + 1} of the estimation sample; PPML needs y ≥ 0`, { field: name, row: i + 1 }, 'PPML models levels, not logs: give the outcome in levels');
    if (v > 0) anyPositive = true;
  }
  if (y.length === 0) throw new InputError('no observations to estimate on', { field: name }, 'check the --where filter and missing values');
  if (!anyPositive) throw new InputError(`${name} is zero for every observation (${y.length} rows): nothing to estimate`, { field: name }, 'check the outcome column and the --where filter');
}

/** Weighted least squares on demeaned columns: (X̃ᵀWX̃)β = X̃ᵀWz̃. */
export function wls(Xt: Float64Array[], zt: Float64Array, w: Float64Array | null, p: number, runner: RowRunner = sequentialRunner): Float64Array {
  const { A, b } = crossProducts(Xt, zt, w, runner);
  const L = cholesky(A, p);
  if (!L) throw new ConvergenceError('the weighted regressor matrix became singular (possible separation by a regressor)', 0, {});
  return cholSolve(L, p, b);
}

export function squaredCorrelation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? (sab * sab) / (saa * sbb) : 0;
}

export function assemble(a: {
  method: 'ppml' | 'ols';
  names: string[];
  beta: Float64Array;
  V: Float64Array;
  n: number;
  nInput: number;
  dropped: DropReport[];
  collinear: FitResult['collinear'];
  fes: FixedEffectIndex[];
  vcovType: FitResult['vcovType'];
  ssc: FitResult['ssc'];
  factorText: string;
  clusters?: number;
  clusterName?: string;
  converged: boolean;
  iterations: number;
  sweeps: number;
  eps: number;
  deviance?: number;
  r2: number;
  used: Uint8Array;
  fitted?: Float64Array;
  notes: string[];
}): FitResult {
  const p = a.names.length;
  const se = new Float64Array(p);
  const z = new Float64Array(p);
  const pv = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    se[j] = Math.sqrt(a.V[j * p + j]);
    z[j] = a.beta[j] / se[j];
    pv[j] = normalPValue(z[j]);
    if (!Number.isFinite(a.beta[j]) || !Number.isFinite(se[j])) {
      throw new ConvergenceError(`the estimate of '${a.names[j]}' is not finite`, a.iterations, { coef: a.beta[j], se: se[j] });
    }
  }
  return {
    method: a.method,
    names: a.names,
    coef: a.beta,
    se,
    vcov: a.V,
    z,
    p: pv,
    n: a.n,
    nInput: a.nInput,
    dropped: a.dropped,
    collinear: a.collinear,
    fixedEffects: a.fes.map((f) => ({ name: f.name, groups: f.size })),
    vcovType: a.vcovType,
    ssc: a.ssc,
    smallSampleFactor: a.factorText,
    clusters: a.clusters,
    clusterName: a.clusterName,
    converged: a.converged,
    iterations: a.iterations,
    demeanSweeps: a.sweeps,
    epsilon: a.eps,
    deviance: a.deviance,
    r2: a.r2,
    used: a.used,
    fitted: a.fitted,
    notes: a.notes,
  };
}
