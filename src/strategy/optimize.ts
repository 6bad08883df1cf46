// Bound-constrained quasi-Newton minimisation: projected L-BFGS with an active set and a diagonal
// preconditioner. Pure.
//
// At x (always feasible), variables at a bound whose gradient pushes outward are fixed (the active set);
// the L-BFGS two-loop recursion, restricted to the free variables and started from H0 = γ·diag(scale),
// gives a direction; an Armijo backtracking search runs along the projected path P(x + α d).
// Convergence is measured by the scaled projected gradient ‖x − P(x − scale ⊙ g)‖∞ (the step a diagonal
// Newton method would take, in the units of x), or by a stalled objective.
import { ConvergenceError } from '../errors.ts';

export interface BoxProblem {
  /** Objective at x; fills g with the gradient. May return +Infinity (the search backs off). */
  fg(x: Float64Array, g: Float64Array): number;
  lower: Float64Array;
  upper: Float64Array;
  /**
   * Diagonal preconditioner (> 0), roughly the inverse curvature of each variable; a function is re-evaluated
   * at every accepted iterate. Default all ones.
   */
  scale?: Float64Array | ((x: Float64Array) => Float64Array);
}

export interface BoxOptions {
  maxIterations?: number;
  /** Tolerance on the scaled projected gradient (units of x). Default 1e-8. */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over the last 5 iterations is below this. Default 0 (off). */
  functionTolerance?: number;
  memory?: number;
  /** Relative rounding noise of f, below which the line search trusts the gradient (default 1e-14). */
  noise?: number;
  /**
   * Also converged when the first-order gain of the remaining projected diagonal-Newton step is below this
   * (relative to max(1, |f|); default 1e-15): the rest cannot move f beyond rounding.
   */
  gainTolerance?: number;
  /** Largest change of any variable in one iteration (a trust region in units of x; default 0.5). */
  maxStep?: number;
  /** Largest first step in units of x (default 0.1). */
  firstStep?: number;
  /** Called after every iteration. */
  onIteration?: (iteration: number, f: number, projectedGradient: number) => void;
}

export interface BoxResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: 'gradient' | 'negligible' | 'function' | 'noise' | 'max-iterations' | 'line-search';
  projectedGradient: number;
}

export function minimizeBox(p: BoxProblem, x0: Float64Array, opts: BoxOptions = {}): BoxResult {
  const n = x0.length;
  const { lower, upper } = p;
  const scaleAt = (xx: Float64Array): Float64Array => (typeof p.scale === 'function' ? p.scale(xx) : p.scale ?? ones);
  const ones = new Float64Array(n).fill(1);
  const maxIt = opts.maxIterations ?? 2000;
  const gtol = opts.gradientTolerance ?? 1e-8;
  const ftol = opts.functionTolerance ?? 0;
  const mem = opts.memory ?? 12;
  const firstStep = opts.firstStep ?? 0.1;
  const noise = opts.noise ?? 1e-14;
  const maxStep = opts.maxStep ?? 0.5;
  const gainTol = opts.gainTolerance ?? 1e-15;
  for (let i = 0; i < n; i++) {
    if (!(lower[i] <= upper[i])) throw new RangeError(`minimizeBox: lower[${i}] = ${lower[i]} > upper[${i}] = ${upper[i]}`);
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = clamp(x0[i], lower[i], upper[i]);
  const g = new Float64Array(n);
  let evals = 0;
  const evalAt = (xx: Float64Array, gg: Float64Array): number => {
    evals++;
    try {
      const f = p.fg(xx, gg);
      return Number.isNaN(f) ? Infinity : f;
    } catch (e) {
      if (e instanceof ConvergenceError) return Infinity;
      throw e;
    }
  };
  let f = evalAt(x, g);
  if (!Number.isFinite(f)) throw new RangeError('minimizeBox: the objective is not finite at the starting point');

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const free = new Uint8Array(n);
  const d = new Float64Array(n);
  const q = new Float64Array(n);
  const alphas = new Float64Array(mem);
  const rhos = new Float64Array(mem);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const fHist: number[] = [f];
  let scale = scaleAt(x);
  // With a model-supplied preconditioner, H0 = diag(scale) as is; otherwise H0 = γ I with the usual
  // γ = sᵀy / yᵀy of the newest pair (a single scalar cannot fit variables whose curvatures differ by 1e10).
  const trustScale = p.scale !== undefined;
  let it = 0;
  let pg = projGrad(x, g, scale, lower, upper);
  let reason: BoxResult['reason'] = 'max-iterations';
  let converged = false;

  while (it < maxIt) {
    if (pg <= gtol) {
      reason = 'gradient';
      converged = true;
      break;
    }
    if (predictedGain(x, g, scale, lower, upper) <= gainTol * Math.max(1, Math.abs(f))) {
      // what is left (typically tariffs on flows that are practically shut) cannot change f measurably
      reason = 'negligible';
      converged = true;
      break;
    }
    it++;
    // active set
    for (let i = 0; i < n; i++) {
      const atLo = x[i] <= lower[i] && g[i] > 0;
      const atHi = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLo || atHi ? 0 : 1;
    }
    direction(d, g, free, scale, S, Y, q, alphas, rhos, trustScale);
    let dg = 0;
    for (let i = 0; i < n; i++) dg += d[i] * g[i];
    if (!(dg < 0)) {
      S.length = 0;
      Y.length = 0;
      direction(d, g, free, scale, S, Y, q, alphas, rhos, trustScale);
      dg = 0;
      for (let i = 0; i < n; i++) dg += d[i] * g[i];
      if (!(dg < 0)) {
        reason = 'noise';
        converged = pg <= gtol * 1e3;
        break;
      }
    }
    // trust region per variable: no variable moves more than `cap` in one iteration (clipping a component
    // keeps its sign, so d stays a descent direction for the diagonal part)
    const cap = S.length === 0 ? firstStep : maxStep;
    dg = 0;
    for (let i = 0; i < n; i++) {
      if (d[i] > cap) d[i] = cap;
      else if (d[i] < -cap) d[i] = -cap;
      dg += d[i] * g[i];
    }
    if (!(dg < 0)) {
      S.length = 0;
      Y.length = 0;
      dg = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? Math.max(-firstStep, Math.min(firstStep, -scale[i] * g[i])) : 0;
        dg += d[i] * g[i];
      }
    }
    let alpha = 1;
    let accepted = false;
    let ft = Infinity;
    for (let ls = 0; ls < 50; ls++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        xt[i] = clamp(x[i] + alpha * d[i], lower[i], upper[i]);
        decrease += g[i] * (xt[i] - x[i]);
      }
      ft = evalAt(xt, gt);
      if (ft <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      // Near the optimum (or along directions that barely matter, e.g. tariffs on vanishing flows) f is flat
      // to machine precision. Then trust the exact gradient: accept a step that keeps f within rounding noise
      // and does not overshoot the minimum along the step by much (s·g(x+s) ≤ 0.9 |s·g(x)|).
      if (decrease < 0 && Number.isFinite(ft) && ft <= f + noise * Math.max(1, Math.abs(f))) {
        let sgt = 0;
        for (let i = 0; i < n; i++) sgt += gt[i] * (xt[i] - x[i]);
        if (sgt <= -0.9 * decrease) {
          accepted = true;
          break;
        }
      }
      alpha *= ls < 2 ? 0.5 : 0.25;
    }
    if (!accepted) {
      if (S.length > 0) {
        // retry once from steepest (preconditioned) descent
        S.length = 0;
        Y.length = 0;
        it--;
        continue;
      }
      reason = pg <= gtol * 1e3 ? 'noise' : 'line-search';
      converged = reason === 'noise';
      break;
    }
    // update memory with s = xt − x, y = gt − g
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i] - x[i];
      y[i] = gt[i] - g[i];
      sy += s[i] * y[i];
      ss += s[i] * s[i];
    }
    if (sy > 1e-12 * ss && sy > 0) {
      S.push(s);
      Y.push(y);
      if (S.length > mem) {
        S.shift();
        Y.shift();
      }
    }
    x.set(xt);
    g.set(gt);
    f = ft;
    scale = scaleAt(x);
    pg = projGrad(x, g, scale, lower, upper);
    fHist.push(f);
    opts.onIteration?.(it, f, pg);
    if (ftol > 0 && fHist.length > 5) {
      const old = fHist[fHist.length - 6];
      if (old - f <= ftol * Math.max(1, Math.abs(f))) {
        reason = 'function';
        converged = true;
        break;
      }
    }
  }
  if (reason === 'max-iterations' && pg <= gtol) {
    reason = 'gradient';
    converged = true;
  }
  return { x, f, g, iterations: it, evaluations: evals, converged, reason, projectedGradient: pg };
}

/** d = −H g on the free variables (L-BFGS two-loop recursion with H0 = γ diag(scale)); 0 elsewhere. */
function direction(
  d: Float64Array,
  g: Float64Array,
  free: Uint8Array,
  scale: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  q: Float64Array,
  alphas: Float64Array,
  rhos: Float64Array,
  trustScale: boolean,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) q[i] = free[i] ? g[i] : 0;
  const m = S.length;
  const use = new Uint8Array(m);
  for (let k = m - 1; k >= 0; k--) {
    const s = S[k];
    const y = Y[k];
    let sy = 0;
    for (let i = 0; i < n; i++) if (free[i]) sy += s[i] * y[i];
    if (!(sy > 0)) continue;
    use[k] = 1;
    rhos[k] = 1 / sy;
    let a = 0;
    for (let i = 0; i < n; i++) if (free[i]) a += s[i] * q[i];
    a *= rhos[k];
    alphas[k] = a;
    for (let i = 0; i < n; i++) if (free[i]) q[i] -= a * y[i];
  }
  let gamma = 1;
  for (let k = m - 1; k >= 0 && !trustScale; k--) {
    if (!use[k]) continue;
    const y = Y[k];
    let yDy = 0;
    for (let i = 0; i < n; i++) if (free[i]) yDy += y[i] * y[i] * scale[i];
    if (yDy > 0) gamma = 1 / (rhos[k] * yDy);
    break;
  }
  for (let i = 0; i < n; i++) d[i] = free[i] ? gamma * scale[i] * q[i] : 0;
  for (let k = 0; k < m; k++) {
    if (!use[k]) continue;
    const s = S[k];
    const y = Y[k];
    let b = 0;
    for (let i = 0; i < n; i++) if (free[i]) b += y[i] * d[i];
    b *= rhos[k];
    const c = alphas[k] - b;
    for (let i = 0; i < n; i++) if (free[i]) d[i] += c * s[i];
  }
  for (let i = 0; i < n; i++) d[i] = free[i] ? -d[i] : 0;
}

function projGrad(x: Float64Array, g: Float64Array, scale: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(clamp(x[i] - scale[i] * g[i], lo[i], hi[i]) - x[i]);
    if (v > m) m = v;
  }
  return m;
}

/** First-order gain Σ_i |g_i · Δ_i| of the projected diagonal-Newton step Δ = P(x − scale ⊙ g) − x. */
function predictedGain(x: Float64Array, g: Float64Array, scale: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(g[i] * (clamp(x[i] - scale[i] * g[i], lo[i], hi[i]) - x[i]));
  return s;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
