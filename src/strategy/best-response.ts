// A government's optimal tariffs given everyone else's (its best response). Pure.
//
//   max over x ∈ [lower, upper]   ln G_g( policy with g's instruments set to x )
//
// G_g is the government's objective as reported by the model (Ossa: political-economy weighted welfare;
// with λ ≡ 1 plain welfare). Solved by projected L-BFGS on the model's exact gradient (or central finite
// differences when the model has none), warm-started from `job.start` or the current tariffs.
import { StrategyConvergenceError } from './errors.ts';
import { applyInstruments, instrumentGradient, instrumentScale, instrumentSet, readInstruments, type InstrumentSet } from './instruments.ts';
import { minimizeBox } from './optimize.ts';
import type { BestResponseJob, BestResponseMap, BestResponseResult, StrategicModel } from './types.ts';

/** Objective ln G_g over g's instruments (negated for minimisation), with gradient. */
export function bestResponseObjective(model: StrategicModel, set: InstrumentSet, policy: Float64Array): (x: Float64Array, grad: Float64Array) => number {
  const weights = new Float64Array(model.governments.length);
  weights[set.government] = 1;
  const work = Float64Array.from(policy);
  const g = set.government;
  return (x, grad) => {
    applyInstruments(set, policy, x, work);
    if (model.hasGradient) {
      const ev = model.evaluate(work, weights);
      if (!ev.gradient) throw new Error(`model ${model.name} claims gradients but returned none`);
      instrumentGradient(set, ev.gradient, grad);
      for (let c = 0; c < set.size; c++) grad[c] = -grad[c];
      return -Math.log(ev.welfare[g]);
    }
    // central differences, step 1e-6 (tariff units)
    const f0 = Math.log(model.evaluate(work, undefined).welfare[g]);
    const h = 1e-6;
    const xp = Float64Array.from(x);
    for (let c = 0; c < set.size; c++) {
      xp[c] = x[c] + h;
      const fp = Math.log(model.evaluate(applyInstruments(set, policy, xp, work), undefined).welfare[g]);
      xp[c] = x[c] - h;
      const fm = Math.log(model.evaluate(applyInstruments(set, policy, xp, work), undefined).welfare[g]);
      xp[c] = x[c];
      grad[c] = -(fp - fm) / (2 * h);
    }
    applyInstruments(set, policy, x, work);
    return -f0;
  };
}

/** Solves one best-response job. Throws StrategyConvergenceError if the optimiser fails. */
export function bestResponse(model: StrategicModel, job: BestResponseJob): BestResponseResult {
  const t0 = Date.now();
  const set = instrumentSet(model, job.government, job.kind, job.restriction);
  const x0 = job.start ? Float64Array.from(job.start) : readInstruments(set, job.policy);
  if (x0.length !== set.size) {
    throw new StrategyConvergenceError(`best response of ${model.governments[job.government]}: start has ${x0.length} values, the ${job.kind} instrument set has ${set.size}`, 'nothing (bad warm start)', 0, {});
  }
  const o = job.options ?? {};
  const res = minimizeBox(
    { fg: bestResponseObjective(model, set, job.policy), lower: set.lower, upper: set.upper, scale: scaleFunction(model, set, job.policy) },
    x0,
    { maxIterations: o.maxIterations ?? 2000, gradientTolerance: o.gradientTolerance ?? 1e-7, functionTolerance: o.functionTolerance ?? 0, memory: o.memory ?? 12 },
  );
  if (!res.converged) {
    const who = model.governments[job.government];
    throw new StrategyConvergenceError(
      `best response of ${who} (${set.size} ${job.kind} tariffs) did not converge (${res.reason})`,
      `projected L-BFGS from ${job.start ? 'the given warm start' : 'the current tariffs'} within bounds [${min(set.lower)}, ${max(set.upper)}], ` +
        `${res.iterations} iterations, ${res.evaluations} equilibrium solves, gradient tolerance ${o.gradientTolerance ?? 1e-7}; ` +
        `raise maxIterations or loosen gradientTolerance`,
      res.iterations,
      { projectedGradient: res.projectedGradient, objective: -res.f },
    );
  }
  const policy = applyInstruments(set, job.policy, res.x);
  const welfare = model.evaluate(policy).welfare;
  return {
    government: job.government,
    instruments: res.x,
    policy,
    welfare,
    iterations: res.iterations,
    evaluations: res.evaluations,
    projectedGradient: res.projectedGradient,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** The default, in-process map: solves the jobs one after another. */
export function sequentialMap(model: StrategicModel): BestResponseMap {
  return async (jobs, onDone) => {
    const out: BestResponseResult[] = [];
    for (let q = 0; q < jobs.length; q++) {
      out.push(bestResponse(model, jobs[q]));
      onDone?.(q);
      // yield to the event loop so progress bars can redraw
      await new Promise((r) => setTimeout(r, 0));
    }
    return out;
  };
}

function min(a: Float64Array): number {
  let m = Infinity;
  for (const v of a) m = Math.min(m, v);
  return m;
}
function max(a: Float64Array): number {
  let m = -Infinity;
  for (const v of a) m = Math.max(m, v);
  return m;
}

/** Preconditioner of g's instruments at x, from the model's scale hints at the implied policy (or ones). */
export function scaleFunction(model: StrategicModel, set: InstrumentSet, policy: Float64Array): ((x: Float64Array) => Float64Array) | undefined {
  if (!model.scaleHints) return undefined;
  const work = Float64Array.from(policy);
  return (x) => instrumentScale(set, model.scaleHints!(applyInstruments(set, policy, x, work)));
}
