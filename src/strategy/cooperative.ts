// Cooperative tariffs ("trade talks"). Pure.
//
// Ossa (2014, §VI; replication code mycooperativetariff.m / myconcoop.m): efficient tariffs at which every
// government gains the same proportion relative to a reference point (the factual tariffs, the Nash
// equilibrium or free trade):
//
//   max_{t ∈ [lower, upper], m}  m   s.t.   c_g(t) = ln G_g(t) − ln G_g^ref − m = 0   for every negotiating g.
//
// Option gains = 'maxmin' relaxes the constraints to c_g ≥ 0 (no government gains less than m; some may gain
// more), which is Pareto-superior when the instruments cannot move welfare between every pair of
// governments (e.g. under MFN). With N(N−1)S discriminatory tariffs both give the same answer.
// Method: augmented Lagrangian (Nocedal & Wright 2006, §17.3–17.4) with the common gain m eliminated exactly
// for each t, and the bound-constrained inner problems solved by the projected L-BFGS of optimize.ts on the
// model's exact gradient of Σ_g ν_g ln G_g (one adjoint solve per evaluation).
import { StrategyConvergenceError } from './errors.ts';
import { applyInstruments, instrumentGradient, instrumentScale, instrumentSet, readInstruments, type InstrumentSet } from './instruments.ts';
import { minimizeBox } from './optimize.ts';
import type { InstrumentKind, Restriction, StrategicModel } from './types.ts';

export interface CooperativeOptions {
  kind?: InstrumentKind;
  /** 'equal' (Ossa: every government gains the same proportion; default) or 'maxmin' (no one gains less). */
  gains?: 'equal' | 'maxmin';
  restriction?: Restriction;
  /** Governments at the table (default all); the others' tariffs stay as in `start`. */
  governments?: number[];
  /** Starting policy (default the model's factual policy). */
  start?: Float64Array;
  /** Reference welfare G^ref (relative to the model baseline) each government must improve on (default: 1 = factual). */
  referenceWelfare?: Float64Array;
  /** Tolerance on constraint violation and on the spread of gains (log units; default 1e-7). */
  tolerance?: number;
  maxOuterIterations?: number;
  maxInnerIterations?: number;
  onOuter?: (info: { outer: number; commonGain: number; violation: number; rho: number; innerIterations: number }) => void;
}

export interface CooperativeResult {
  policy: Float64Array;
  /** Government welfare relative to the model baseline. */
  welfare: Float64Array;
  /** ln(G_g / G_g^ref) for every government (NaN for governments not at the table). */
  gains: Float64Array;
  /** The common gain m (log units); exp(m) − 1 is the proportional gain of every negotiating government. */
  commonGain: number;
  /** Lagrange multipliers (welfare weights) of the equal-gain constraints. */
  multipliers: Float64Array;
  governments: number[];
  outerIterations: number;
  innerIterations: number;
  evaluations: number;
  seconds: number;
}

interface Combined {
  sets: InstrumentSet[];
  offsets: number[];
  size: number;
  lower: Float64Array;
  upper: Float64Array;
}

function combine(sets: InstrumentSet[]): Combined {
  const offsets: number[] = [];
  let size = 0;
  for (const s of sets) {
    offsets.push(size);
    size += s.size;
  }
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  sets.forEach((s, q) => {
    lower.set(s.lower, offsets[q]);
    upper.set(s.upper, offsets[q]);
  });
  return { sets, offsets, size, lower, upper };
}

export function cooperativeTariffs(model: StrategicModel, opts: CooperativeOptions = {}): CooperativeResult {
  const t0 = Date.now();
  const G = model.governments.length;
  const govs = opts.governments ?? Array.from({ length: G }, (_, g) => g);
  const kind = opts.kind ?? 'discriminatory';
  const tol = opts.tolerance ?? 1e-7;
  const maxOuter = opts.maxOuterIterations ?? 40;
  const maxInner = opts.maxInnerIterations ?? 3000;
  const ref = opts.referenceWelfare ?? new Float64Array(G).fill(1);
  const lnRef = Float64Array.from(ref, Math.log);
  const cmb = combine(govs.map((g) => instrumentSet(model, g, kind, opts.restriction)));
  const basePolicy = opts.start ? Float64Array.from(opts.start) : model.baselinePolicy();
  const x = new Float64Array(cmb.size);
  cmb.sets.forEach((s, q) => x.set(readInstruments(s, basePolicy), cmb.offsets[q]));
  for (let c = 0; c < cmb.size; c++) x[c] = Math.min(cmb.upper[c], Math.max(cmb.lower[c], x[c]));

  const policyOf = (xx: Float64Array, out: Float64Array): Float64Array => {
    out.set(basePolicy);
    cmb.sets.forEach((s, q) => applyInstruments(s, out, xx.subarray(cmb.offsets[q], cmb.offsets[q] + s.size), out));
    return out;
  };
  const work = new Float64Array(model.policySize);
  const gInst = new Float64Array(cmb.size);
  const scaleFn = model.scaleHints
    ? (xx: Float64Array): Float64Array => {
        const h = model.scaleHints!(policyOf(xx, work));
        const out = new Float64Array(cmb.size);
        cmb.sets.forEach((s, q) => out.set(instrumentScale(s, h), cmb.offsets[q]));
        return out;
      }
    : undefined;

  const mu = new Float64Array(G);
  for (const g of govs) mu[g] = 1 / govs.length;
  let rho = 1e3;
  let evaluations = 0;
  let innerTotal = 0;
  let lastViolation = Infinity;
  const a = new Float64Array(G); // ln G_g − ln G_g^ref at the last evaluation
  let m = 0;

  // For given a_g, the m minimising L(m) = −m + (1/2ρ) Σ_g max(0, μ_g − ρ (a_g − m))² solves
  // Σ_g max(0, μ_g − ρ a_g + ρ m) = 1 (piecewise linear, increasing in m).
  const equal = (opts.gains ?? 'equal') === 'equal';
  const bestM = (aa: Float64Array): number => {
    if (equal) {
      // L(m) = −m − Σ μ_g (a_g − m) + (ρ/2) Σ (a_g − m)²  ⇒  m = mean(a) + (1 − Σ μ_g) / (ρ G)
      let sa = 0;
      let sm = 0;
      for (const g of govs) {
        sa += aa[g];
        sm += mu[g];
      }
      return sa / govs.length + (1 - sm) / (rho * govs.length);
    }
    // term g is active for m > kink_g = a_g − μ_g/ρ; with the k leftmost terms active the root is
    // m = (1 − Σ μ_g + ρ Σ a_g) / (ρ k)
    const order = govs.map((g) => ({ g, kink: aa[g] - mu[g] / rho })).sort((p, q) => p.kink - q.kink);
    let sumA = 0;
    let sumMu = 0;
    for (let k = 0; k < order.length; k++) {
      sumA += aa[order[k].g];
      sumMu += mu[order[k].g];
      const cand = (1 - sumMu + rho * sumA) / (rho * (k + 1));
      const next = k + 1 < order.length ? order[k + 1].kink : Infinity;
      if (cand >= order[k].kink && cand <= next) return cand;
    }
    return order[order.length - 1].kink;
  };

  const weights = new Float64Array(G);
  const fg = (xx: Float64Array, grad: Float64Array): number => {
    evaluations++;
    const pol = policyOf(xx, work);
    // first the welfare (to find m and the weights), then one adjoint gradient with those weights
    const w0 = model.evaluate(pol).welfare;
    for (const g of govs) a[g] = Math.log(w0[g]) - lnRef[g];
    const mm = bestM(a);
    let L = -mm;
    weights.fill(0);
    for (const g of govs) {
      const c = a[g] - mm;
      if (equal) {
        L += -mu[g] * c + 0.5 * rho * c * c;
        weights[g] = mu[g] - rho * c; // ∂L/∂ln G_g = −weight
      } else {
        const v = Math.max(0, mu[g] - rho * c);
        L += (v * v - mu[g] * mu[g]) / (2 * rho);
        weights[g] = v;
      }
    }
    const ev = model.evaluate(pol, weights);
    if (!ev.gradient) throw new Error(`model ${model.name} returned no gradient`);
    cmb.sets.forEach((s, q) => {
      instrumentGradient(s, ev.gradient!, gInst.subarray(0, s.size));
      for (let c = 0; c < s.size; c++) grad[cmb.offsets[q] + c] = -gInst[c];
    });
    m = mm;
    return L;
  };

  let outer = 0;
  let converged = false;
  let violation = Infinity;
  let spread = Infinity;
  for (outer = 1; outer <= maxOuter; outer++) {
    // inner tolerance tightens with the outer iterations (1e-4, 1e-5, ... down to 1e-8)
    const innerTol = Math.max(1e-8, 10 ** (-3 - outer));
    const res = minimizeBox({ fg, lower: cmb.lower, upper: cmb.upper, scale: scaleFn }, x, {
      maxIterations: maxInner,
      gradientTolerance: innerTol,
    });
    innerTotal += res.iterations;
    x.set(res.x);
    fg(x, new Float64Array(cmb.size));
    violation = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const g of govs) {
      const c = a[g] - m;
      violation = Math.max(violation, equal ? Math.abs(c) : -c);
      lo = Math.min(lo, a[g]);
      hi = Math.max(hi, a[g]);
    }
    spread = hi - lo;
    opts.onOuter?.({ outer, commonGain: m, violation, rho, innerIterations: res.iterations });
    for (const g of govs) mu[g] = equal ? mu[g] - rho * (a[g] - m) : Math.max(0, mu[g] - rho * (a[g] - m));
    if (violation <= tol && res.converged && innerTol <= 1e-7) {
      converged = true;
      break;
    }
    if (violation > 0.25 * lastViolation) rho *= 10;
    lastViolation = violation;
  }
  if (!converged) {
    throw new StrategyConvergenceError(
      `cooperative tariffs (${kind}, ${equal ? 'equal gains' : 'max–min gains'}, ${govs.length} governments) did not converge`,
      `augmented Lagrangian with ${outer - 1} outer iterations, penalty up to ${rho.toExponential(0)}, inner projected L-BFGS up to ${maxInner} iterations`,
      outer - 1,
      { violation, spread },
    );
  }
  const policy = policyOf(x, new Float64Array(model.policySize));
  const welfare = model.evaluate(policy).welfare;
  const gains = new Float64Array(G).fill(NaN);
  for (const g of govs) gains[g] = Math.log(welfare[g]) - lnRef[g];
  let common = Infinity;
  for (const g of govs) common = Math.min(common, gains[g]);
  return {
    policy,
    welfare,
    gains,
    commonGain: common,
    multipliers: Float64Array.from(mu),
    governments: govs,
    outerIterations: outer,
    innerIterations: innerTotal,
    evaluations,
    seconds: (Date.now() - t0) / 1000,
  };
}
