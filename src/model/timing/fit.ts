// Fitting the dynamic parameters on data through a cutoff only (docs/timing.md §Estimation). Pure.
//
// Nonlinear least squares on log imports,
//   min_{λ, κ, σ, δ, L, c, π} Σ_episodes Σ_{g fitted} Σ_{t ≤ cutoff} (ln M_g,t − ln M̂_g,t)²             (T8)
// with one adjustment speed λ for every group (optionally one per group), one front-running scale κ (optionally
// one per group) and shared anticipation parameters, π_k the belief in threats of kind k (eq. T4c).
// Search, deterministic (docs/timing.md T8): (1) every discrete choice L ∈ LEADS, c ∈ CARRIES, π ∈ BELIEFS^K
// (kinds with threats only, every other point), σ ∈ SIGMAS with δ on a 0.15 grid and λ on a coarse grid, κ by
// Gauss–Newton steps (M̂ is affine in κ, and with one κ per group the sum of squares separates by group);
// (2) the five best candidates (forty with one λ per group) and the three best of every belief pair: κ (scan,
// then safeguarded Newton) and λ (walkLambda: a grid refined to 0.001) alternated to a fixed point; from the STARTS best
// refined points of distinct discrete choices: (3) δ on 0.01 steps, (4) coordinate descent over L, c, σ, each
// π_k and δ, (6) where it stops, a profile over λ with κ re-optimised, and the descent again where that moves;
// (5) in fitDynamics, the same search at each lead alone (stage 1 shared), the best of all. Observations after
// the cutoff are never read: the caller passes `observed` arrays that end at the cutoff, and `fitDynamics`
// checks it.
import { ConvergenceError, InputError } from '../../errors.ts';
import { partialAdjustment } from './adjust.ts';
import { motive, saturate } from './anticipation.ts';
import { noTariffLevel } from './baseline.ts';
import { G, THREAT_KINDS, type Baseline, type DutyParams, type DynamicParams, type Episode, type FitReport } from './types.ts';

/** One episode with its baseline and the observed imports it is fitted on. */
export interface FitEpisode {
  episode: Episode;
  baseline: Baseline;
  /** First month of the fit window. */
  from: number;
  /** Observed imports, US$ millions, flat [(t − obsStart)·G + g], months obsStart … obsStart+obsN−1. */
  observed: Float64Array;
  obsStart: number;
  obsN: number;
}

export interface FitOptions {
  cutoff: number;
  leads?: number[];
  /** One λ per group instead of one for all (default false: one speed, as estimated on both episodes). */
  lambdaByGroup?: boolean;
  /** One κ per group instead of one for all (default false). */
  kappaByGroup?: boolean;
}

const KAPPA_MAX = 40;
/** Grids of the discrete choices: carrying cost c (per month) and saturation σ of eq. T4. */
export const CARRIES = [0, 0.01, 0.02];
export const SIGMAS = [0.01, 0.02, 0.05, 0.1, Infinity];
/** Leads L (months) by which announcements are seen coming: up to six, from the November 2024 election to April 2025. */
export const LEADS = [0, 1, 2, 3, 4, 5, 6];
/** Grid of the belief π_k in a threat of each kind (eq. T4c). */
export const BELIEFS = [0, 0.25, 0.5, 0.75, 1];
/** Starting points of stages 3–4 (the best refined points of distinct discrete choices). */
const STARTS = 3;
/** Rounds of the κ–λ alternation (stage 2). */
const MAX_ROUNDS = 20;

export function fitDynamics(eps: FitEpisode[], opts: FitOptions): FitReport {
  const leads = opts.leads ?? LEADS;
  const stage1 = new Map<number, Stage1Candidate[]>();
  const joint = searchDynamics(eps, opts, leads, stage1);
  if (leads.length === 1) return joint;
  // Profile over the lead: the search at each lead alone, and the best of those and the joint search. Stage 1
  // prices every candidate with one λ for all groups, which can rank a lead low that the refined fit (one λ
  // per group, beliefs, σ) then fits best; the joint search would miss it (seen in-sample, docs/timing.md T8).
  let best = joint;
  for (const lead of leads) {
    const r = searchDynamics(eps, opts, [lead], stage1);
    if (r.ssr < best.ssr - 1e-12) best = r;
  }
  return best;
}

type Stage1Candidate = { lead: number; carry: number; belief: number[]; sigma: number; delta: number; lambda: number; ssr: number };

function searchDynamics(eps: FitEpisode[], opts: FitOptions, leads: number[], stage1 = new Map<number, Stage1Candidate[]>()): FitReport {
  // Observations by group: (episode, index k·G + g, ln y).
  const prepared = eps.map((e) => {
    const ep = e.episode;
    if (e.obsStart + e.obsN - 1 > opts.cutoff) {
      throw new InputError(`observed data of episode ${ep.name} run past the cutoff`, { field: 'fit-through' }, 'pass only months up to the cutoff to the fit');
    }
    const B = new Float64Array(ep.n * G);
    for (let k = 0; k < ep.n; k++) for (let g = 0; g < G; g++) B[k * G + g] = noTariffLevel(e.baseline, g, ep.start + k);
    // The path is causal: months after the last observation do not enter the sum of squares and are not computed.
    const last = Math.min(opts.cutoff, ep.start + ep.n - 1, e.obsStart + e.obsN - 1);
    return { ep, B, n: Math.max(0, Math.min(ep.n, last - ep.start + 1)), e };
  });
  const obs: { e: number; i: number; ly: number }[][] = Array.from({ length: G }, () => []);
  prepared.forEach((p, ei) => {
    const { e, ep } = p;
    const last = Math.min(opts.cutoff, ep.start + ep.n - 1, e.obsStart + e.obsN - 1);
    for (let t = Math.max(e.from, ep.start, e.obsStart); t <= last; t++) {
      for (const g of ep.fitGroups) {
        const y = e.observed[(t - e.obsStart) * G + g];
        if (!(y > 0)) throw new InputError(`observed imports of group ${g} in month ${t} are ${y}`, { field: 'imports' });
        obs[g].push({ e: ei, i: (t - ep.start) * G + g, ly: Math.log(y) });
      }
    }
  });
  const nObs = obs.reduce((s, o) => s + o.length, 0);
  if (nObs === 0) throw new InputError('no observations to fit the timing model on', { field: 'fit-through' }, 'choose a cutoff after the first tariff changes (2018-07 or later)');

  const work = prepared.map((p) => ({ x: new Float64Array(p.n * G), P: new Float64Array(p.n * G), F: new Float64Array(p.n * G), D: new Float64Array(p.n * G) }));
  // Group g's observations gathered after each fill (hot loop): ln y, P and Q = F − D per unit of κ, index = the
  // observation's position in obs[g].
  const lyObs = obs.map((o) => Float64Array.from(o, (x) => x.ly));
  const pObs = obs.map((o) => new Float64Array(o.length));
  const qObs = obs.map((o) => new Float64Array(o.length));
  let evaluations = 0;
  // Fills x, P and the per-unit-κ F, D of group g in every episode for (λ_g, S, σ, δ).
  const fillGroup = (g: number, lambda: number, S: Float64Array[], sigma: number, delta: number) => {
    prepared.forEach((p, e) => {
      const w = work[e];
      partialAdjustment(p.ep.target, lambda, p.n, G, g, w.x);
      let inv = 0;
      for (let k = 0; k < p.n; k++) {
        const i = k * G + g;
        w.P[i] = p.B[i] * Math.exp(w.x[i]);
        const f = w.P[i] * saturate(S[e][i], sigma);
        const d = delta * inv;
        inv = inv - d + f;
        w.F[i] = f;
        w.D[i] = d;
      }
    });
    const os = obs[g];
    for (let j = 0; j < os.length; j++) {
      const w = work[os[j].e];
      const i = os[j].i;
      pObs[g][j] = w.P[i];
      qObs[g][j] = w.F[i] - w.D[i];
    }
  };
  const ssrGroup = (g: number, kappa: number): number => {
    evaluations++;
    let s = 0;
    const ly = lyObs[g];
    const P = pObs[g];
    const Q = qObs[g];
    for (let j = 0; j < ly.length; j++) {
      const m = P[j] + kappa * Q[j];
      if (!(m > 0)) return Infinity;
      const r = ly[j] - Math.log(m);
      s += r * r;
    }
    return s;
  };
  const groupsFitted = [...new Set(prepared.flatMap((p) => p.ep.fitGroups))].sort((a, b) => a - b);
  const ssrAll = (kappa: number[]): number => {
    let s = 0;
    for (const g of groupsFitted) s += ssrGroup(g, kappa[g]);
    return s;
  };
  /**
   * Σ (ln y − ln(P + κQ))² over groups gs and its first two derivatives in κ (z = Q/m, r = ln y − ln m):
   * f' = −2 Σ r z, f'' = 2 Σ z² (1 + r). Infinite where a fitted month is not positive.
   */
  const ssrDerivs = (gs: readonly number[], kappa: number): [number, number, number] => {
    evaluations++;
    let f = 0;
    let d1 = 0;
    let d2 = 0;
    for (const g of gs) {
      const ly = lyObs[g];
      const P = pObs[g];
      const Q = qObs[g];
      for (let j = 0; j < ly.length; j++) {
        const m = P[j] + kappa * Q[j];
        if (!(m > 0)) return [Infinity, NaN, NaN];
        const r = ly[j] - Math.log(m);
        const z = Q[j] / m;
        f += r * r;
        d1 -= 2 * r * z;
        d2 += 2 * z * z * (1 + r);
      }
    }
    return [f, d1, d2];
  };
  /**
   * κ minimising the sum of squares of groups gs on [0, KAPPA_MAX]: a scan (the SSR need not be unimodal over the
   * whole range), then safeguarded Newton steps inside the bracket of the best scan point (halving a step that
   * does not lower the SSR) until the step is below the tolerance.
   */
  const minimizeKappa = (gs: readonly number[]): { kappa: number; ssr: number } => {
    let bk = 0;
    let bs = ssrDerivs(gs, 0)[0];
    const steps = 40;
    for (let i = 1; i <= steps; i++) {
      const k = (KAPPA_MAX * i) / steps;
      const s = ssrDerivs(gs, k)[0];
      if (s < bs) {
        bs = s;
        bk = k;
      }
    }
    const lo = Math.max(0, bk - KAPPA_MAX / steps);
    const hi = Math.min(KAPPA_MAX, bk + KAPPA_MAX / steps);
    const tol = 1e-9;
    let k = bk;
    let [f, d1, d2] = ssrDerivs(gs, k);
    for (let it = 0; it < 60; it++) {
      let step = d2 > 0 ? -d1 / d2 : -Math.sign(d1) * (hi - lo) / 4;
      if (!Number.isFinite(step)) break;
      let next = Math.min(hi, Math.max(lo, k + step));
      step = next - k;
      let r = ssrDerivs(gs, next);
      while (!(r[0] <= f) && Math.abs(step) > tol) {
        step /= 2;
        next = k + step;
        r = ssrDerivs(gs, next);
      }
      if (!(r[0] <= f)) break;
      k = next;
      [f, d1, d2] = r;
      if (Math.abs(step) <= tol) break;
    }
    return f <= bs ? { kappa: k, ssr: f } : { kappa: bk, ssr: bs };
  };
  /**
   * Stage 1's cheap κ: Gauss–Newton steps on Σ (ln y − ln(P + κ Q))², Q = F − D, from κ = 0 within [0, KAPPA_MAX]
   * (only the ranking of the candidates depends on it; later stages use minimizeKappa).
   */
  const gaussNewtonKappa = (gs: readonly number[]): { kappa: number; ssr: number } => {
    let k = 0;
    for (let it = 0; it < 8; it++) {
      let num = 0;
      let den = 0;
      for (const g of gs) {
        const ly = lyObs[g];
        for (let j = 0; j < ly.length; j++) {
          const q = qObs[g][j];
          const m = pObs[g][j] + k * q;
          const z = q / m;
          num += (ly[j] - Math.log(m)) * z;
          den += z * z;
        }
      }
      if (!(den > 0)) break;
      let next = Math.min(KAPPA_MAX, Math.max(0, k + num / den));
      // Keep every fitted month positive.
      for (const g of gs) for (let j = 0; j < qObs[g].length; j++) {
        const q = qObs[g][j];
        if (q < 0) next = Math.min(next, (0.99 * pObs[g][j]) / -q);
      }
      if (Math.abs(next - k) < 1e-6) {
        k = next;
        break;
      }
      k = next;
    }
    let ssr = 0;
    for (const g of gs) ssr += ssrGroup(g, k);
    return { kappa: k, ssr };
  };
  const quickKappaSsr = (): number => {
    if (!opts.kappaByGroup) return gaussNewtonKappa(groupsFitted).ssr;
    let s = 0;
    for (const g of groupsFitted) s += gaussNewtonKappa([g]).ssr;
    return s;
  };
  /** κ optimal given the filled paths: one for all groups, or one per group (the SSR separates by group). */
  const bestKappa = (): { kappa: number[]; ssr: number } => {
    if (!opts.kappaByGroup) {
      const r = minimizeKappa(groupsFitted);
      return { kappa: new Array(G).fill(r.kappa), ssr: r.ssr };
    }
    const kappa = new Array(G).fill(0);
    let ssr = 0;
    for (const g of groupsFitted) {
      const r = minimizeKappa([g]);
      kappa[g] = r.kappa;
      ssr += r.ssr;
    }
    return { kappa, ssr };
  };
  // Beliefs: a grid over the kinds that have threats in some episode (the others stay 0).
  const kindsPresent = THREAT_KINDS.map((_, k) => prepared.some((p) => (p.ep.threats ?? []).some((th) => th.kind === k)));
  // Stage 1 scans the beliefs on every other point of BELIEFS; stage 4 refines them on the full grid.
  const coarseBeliefs = BELIEFS.filter((_, i) => i % 2 === 0);
  let beliefGrid: number[][] = [[]];
  for (let k = 0; k < THREAT_KINDS.length; k++) beliefGrid = beliefGrid.flatMap((b) => (kindsPresent[k] ? coarseBeliefs : [0]).map((x) => [...b, x]));
  const motives = new Map<string, Float64Array[]>();
  const motiveOf = (lead: number, carry: number, belief: number[]) => {
    const key = `${lead}|${carry}|${belief.join(',')}`;
    let S = motives.get(key);
    if (!S) {
      S = prepared.map((p) => motive(p.ep.steps, p.ep.tariff, p.ep.start, p.n, lead, carry, p.ep.threats ?? [], belief));
      motives.set(key, S);
    }
    return S;
  };
  /**
   * λ on a grid (0.01 steps to 0.1, 0.05 steps above), then 0.01 steps within ±0.04 of the best so far, then
   * 0.001 steps within ±0.009 (`best` reads the best so far).
   */
  const walkLambda = (tryL: (l: number) => void, best: () => number): void => {
    for (let li = 1; li <= 10; li++) tryL(li / 100);
    for (let li = 3; li <= 20; li++) tryL(li / 20);
    const fine = (step: number, n: number) => {
      const c = best();
      for (let li = -n; li <= n; li++) {
        const l = Math.round((c + li * step) * 1000) / 1000;
        if (l > 0 && l <= 1 && li !== 0) tryL(l);
      }
    };
    fine(0.01, 4);
    fine(0.001, 9);
  };
  /**
   * For given discrete choices and δ: alternate κ (all groups) and each λ_g (its own observations) to a fixed
   * point (λ_g by walkLambda; at most MAX_ROUNDS rounds).
   */
  const solveGiven = (lead: number, carry: number, belief: number[], sigma: number, delta: number, start: number[]): { params: DynamicParams; ssr: number } => {
    const S = motiveOf(lead, carry, belief);
    const lambdas = start.slice();
    let kappa: number[] = new Array(G).fill(0);
    let ssr = Infinity;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      for (let g = 0; g < G; g++) fillGroup(g, lambdas[g], S, sigma, delta);
      const kb = bestKappa();
      kappa = kb.kappa;
      let changed = false;
      const groupsNow = opts.lambdaByGroup ? groupsFitted.map((g) => [g]) : [groupsFitted];
      for (const gs of groupsNow) {
        let bl = lambdas[gs[0]];
        const ssrOf = (l: number) => {
          let v = 0;
          for (const g of gs) {
            fillGroup(g, l, S, sigma, delta);
            v += ssrGroup(g, kappa[g]);
          }
          return v;
        };
        let bs = ssrOf(bl);
        const tryL = (l: number) => {
          const v = ssrOf(l);
          if (v < bs - 1e-15) {
            bs = v;
            bl = l;
          }
        };
        walkLambda(tryL, () => bl);
        for (const g of gs) {
          if (bl !== lambdas[g]) changed = true;
          lambdas[g] = bl;
          fillGroup(g, bl, S, sigma, delta);
        }
      }
      if (!opts.lambdaByGroup) for (let g = 0; g < G; g++) if (!groupsFitted.includes(g)) lambdas[g] = lambdas[groupsFitted[0]];
      if (!opts.kappaByGroup) for (let g = 0; g < G; g++) kappa[g] = kappa[groupsFitted[0]];
      ssr = ssrAll(kappa);
      if (!changed && round > 0) break;
    }
    return { ssr, params: { lambda: lambdas, kappa, sigma, drawdown: delta, lead, carry, belief: belief.slice() } };
  };
  /**
   * A profile over λ at given discrete choices and δ: each λ block (all groups, or each group) on walkLambda's grid
   * and then 0.001 steps with κ re-optimised at every trial value, block by block until no block moves. The
   * alternation of solveGiven holds κ while it moves λ, and where κ and λ are correlated it can stop at a point
   * that is not a minimum (docs/timing.md T8); the profile moves both together.
   */
  const profileLambda = (p: DynamicParams): { params: DynamicParams; ssr: number } => {
    const S = motiveOf(p.lead, p.carry, p.belief);
    const lambdas = p.lambda.slice();
    for (let g = 0; g < G; g++) fillGroup(g, lambdas[g], S, p.sigma, p.drawdown);
    let cur = bestKappa();
    const blocks = opts.lambdaByGroup ? groupsFitted.map((g) => [g]) : [groupsFitted];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = false;
      for (const gs of blocks) {
        const l0 = lambdas[gs[0]];
        let bl = l0;
        const tryL = (l: number) => {
          for (const g of gs) fillGroup(g, l, S, p.sigma, p.drawdown);
          const kb = bestKappa();
          if (kb.ssr < cur.ssr - 1e-15) {
            cur = kb;
            bl = l;
          }
        };
        walkLambda(tryL, () => bl);
        for (const g of gs) {
          lambdas[g] = bl;
          fillGroup(g, bl, S, p.sigma, p.drawdown);
        }
        if (bl !== l0) changed = true;
      }
      if (!changed) break;
    }
    if (!opts.lambdaByGroup) for (let g = 0; g < G; g++) if (!groupsFitted.includes(g)) lambdas[g] = lambdas[groupsFitted[0]];
    const kappa = cur.kappa.slice();
    if (!opts.kappaByGroup) for (let g = 0; g < G; g++) kappa[g] = kappa[groupsFitted[0]];
    return { ssr: ssrAll(kappa), params: { ...p, lambda: lambdas, kappa } };
  };
  // Stage 1: every discrete choice (L, c, π, σ) and δ on a coarse grid, with λ on a coarse grid and κ optimal.
  const cands: Stage1Candidate[] = [];
  for (const lead of leads) {
    // Stage 1 at a lead does not depend on the other leads searched: the profile over L re-uses it.
    const cached = stage1.get(lead);
    if (cached) {
      cands.push(...cached);
      continue;
    }
    const atLead: Stage1Candidate[] = [];
    for (const carry of CARRIES) {
      for (const belief of beliefGrid) {
        const S = motiveOf(lead, carry, belief);
        for (const sigma of SIGMAS) {
          for (let di = 1; di <= 19; di += 3) {
            const delta = di / 20;
            let bestHere: Stage1Candidate | null = null;
            for (const lambda of [0.03, 0.06, 0.1, 0.2, 0.4]) {
              for (let g = 0; g < G; g++) fillGroup(g, lambda, S, sigma, delta);
              const ssr = quickKappaSsr();
              if (!bestHere || ssr < bestHere.ssr - 1e-15) bestHere = { lead, carry, belief, sigma, delta, lambda, ssr };
            }
            atLead.push(bestHere!);
          }
        }
      }
    }
    stage1.set(lead, atLead);
    cands.push(...atLead);
  }
  const cmpBelief = (a: number[], b: number[]) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
    return 0;
  };
  cands.sort((x, y) => x.ssr - y.ssr || x.lead - y.lead || x.carry - y.carry || cmpBelief(x.belief, y.belief) || x.sigma - y.sigma || x.delta - y.delta);
  // Stage 2: the five best candidates with κ and λ alternated to a fixed point.
  // Besides the best few, the best candidate of every belief combination, so that each is refined (and the fit
  // with threats is never worse than the one with π = 0).
  const chosen = cands.slice(0, opts.lambdaByGroup ? 40 : 5);
  for (const bel of beliefGrid) {
    for (const c of cands.filter((x) => cmpBelief(x.belief, bel) === 0).slice(0, 3)) if (!chosen.includes(c)) chosen.push(c);
  }
  const refined: { params: DynamicParams; ssr: number }[] = [];
  for (const c of chosen) refined.push(solveGiven(c.lead, c.carry, c.belief, c.sigma, c.delta, new Array(G).fill(c.lambda)));
  refined.sort((x, y) => x.ssr - y.ssr);
  /** Stages 3, 4 and 6 from one refined point. */
  const descend = (from: { params: DynamicParams; ssr: number }): { params: DynamicParams; ssr: number } => {
    let best = from;
    // Stage 3: δ refined on 0.01 steps at this discrete choice.
    const c0 = best.params;
    for (let di = -14; di <= 14; di++) {
      const delta = Math.round((c0.drawdown + di * 0.01) * 100) / 100;
      if (delta <= 0 || delta >= 1 || di === 0) continue;
      const r = solveGiven(c0.lead, c0.carry, c0.belief, c0.sigma, delta, c0.lambda);
      if (r.ssr < best.ssr - 1e-15) best = r;
    }
    // Stage 4: coordinate descent over the discrete choices (L, c, σ, each π_k on the full grid, δ on 0.01 steps)
    // until no single change improves the fit.
    for (let sweep = 0; sweep < 6; sweep++) {
      const p0 = best.params;
      const tries: { lead: number; carry: number; belief: number[]; sigma: number; delta: number }[] = [];
      const at = { lead: p0.lead, carry: p0.carry, belief: p0.belief, sigma: p0.sigma, delta: p0.drawdown };
      for (const lead of leads) if (lead !== at.lead) tries.push({ ...at, lead });
      for (const carry of CARRIES) if (carry !== at.carry) tries.push({ ...at, carry });
      for (const sigma of SIGMAS) if (sigma !== at.sigma) tries.push({ ...at, sigma });
      for (let k = 0; k < THREAT_KINDS.length; k++) {
        if (!kindsPresent[k]) continue;
        for (const x of BELIEFS) if (x !== at.belief[k]) tries.push({ ...at, belief: at.belief.map((y, j) => (j === k ? x : y)) });
      }
      for (const dd of [-0.01, 0.01]) {
        const delta = Math.round((at.delta + dd) * 100) / 100;
        if (delta > 0 && delta < 1) tries.push({ ...at, delta });
      }
      let improved = false;
      for (const c of tries) {
        const r = solveGiven(c.lead, c.carry, c.belief, c.sigma, c.delta, p0.lambda);
        if (r.ssr < best.ssr - 1e-12) {
          best = r;
          improved = true;
        }
      }
      if (improved) continue;
      // Stage 6 (where no single change improves the fit): the profile over λ with κ re-optimised; where it
      // moves, the descent goes on from there.
      const prof = profileLambda(best.params);
      if (!(prof.ssr < best.ssr - 1e-12)) break;
      best = prof;
    }
    return best;
  };
  // Stages 3–4 from the best refined points of distinct discrete choices (a multi-start: the descent moves one
  // choice at a time and a basin may need several to change together).
  const key = (q: DynamicParams) => `${q.lead}|${q.carry}|${q.sigma}|${q.belief.join(',')}`;
  const starts: { params: DynamicParams; ssr: number }[] = [];
  for (const r of refined) if (starts.length < STARTS && !starts.some((x) => key(x.params) === key(r.params))) starts.push(r);
  let best: { params: DynamicParams; ssr: number } | null = null;
  for (const st of starts) {
    const r = descend(st);
    if (!best || r.ssr < best.ssr - 1e-15) best = r;
  }
  const b = best as { params: DynamicParams; ssr: number } | null;
  if (!b || !Number.isFinite(b.ssr)) throw new ConvergenceError('timing fit found no parameters with a finite sum of squares', evaluations, { ssr: b ? b.ssr : NaN });
  // Parameters: the speeds and scales (one or one per fitted group), σ, δ, c, L when the caller searches it (not
  // when fixed; the profile over L is still a search) and one belief per kind with threats.
  const k = (opts.lambdaByGroup ? groupsFitted.length : 1) + (opts.kappaByGroup ? groupsFitted.length : 1) + 3 + ((opts.leads ?? LEADS).length > 1 ? 1 : 0) + kindsPresent.filter(Boolean).length;
  return { params: b.params, ssr: b.ssr, observations: nObs, cutoff: opts.cutoff, parameters: k, bic: nObs * Math.log(b.ssr / nObs) + k * Math.log(nObs) };
}

/**
 * Duty collection (eq. T9): duties collected in month t are
 *   Duty_t = ρ0 Σ_g τ_g,0 M_g,t−ℓ + ρ1 Σ_g (τ_g,t−ℓ − τ_g,0) M_g,t−ℓ
 * for each ℓ ∈ {0, 1, 2}: ρ0 from the baseline year (before any change), ρ1 by least squares over the months from
 * `from` to the cutoff; the ℓ with the smallest sum of squares wins. `imports(g, t)` and `tariff(g, t)` must answer for t − ℓ; `duties(t)` for t ≤ cutoff.
 */
export function fitDuties(args: {
  baseFrom: number;
  baseTo: number;
  from: number;
  cutoff: number;
  duties: (t: number) => number;
  imports: (g: number, t: number) => number;
  tariff: (g: number, t: number) => number;
  baseTariff: (g: number) => number;
}): DutyParams & { ssr: number } {
  const { baseFrom, baseTo, from, cutoff } = args;
  let best: (DutyParams & { ssr: number }) | null = null;
  for (const lag of [0, 1, 2]) {
    let num = 0;
    let den = 0;
    for (let t = baseFrom; t <= baseTo; t++) {
      num += args.duties(t);
      for (let g = 0; g < G; g++) den += args.baseTariff(g) * args.imports(g, t - lag);
    }
    if (!(den > 0)) throw new InputError('no baseline months to measure duty collection on', { field: 'fit-through' });
    const rhoBase = num / den;
    let sxy = 0;
    let sxx = 0;
    const rows: { y: number; x: number }[] = [];
    for (let t = from; t <= cutoff; t++) {
      let base = 0;
      let inc = 0;
      for (let g = 0; g < G; g++) {
        const m = args.imports(g, t - lag);
        base += args.baseTariff(g) * m;
        inc += (args.tariff(g, t - lag) - args.baseTariff(g)) * m;
      }
      const y = args.duties(t) - rhoBase * base;
      rows.push({ y, x: inc });
      sxy += y * inc;
      sxx += inc * inc;
    }
    // No month with new tariffs in the window: ρ1 cannot be estimated; the statutory rate (1) stands in.
    const rhoNew = sxx > 0 ? sxy / sxx : 1;
    let ssr = 0;
    for (const r of rows) ssr += (r.y - rhoNew * r.x) ** 2;
    if (!best || ssr < best.ssr) best = { rhoBase, rhoNew, lag, ssr };
  }
  return best!;
}

/** Mean absolute percentage error, percent. */
export function mape(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(pred[i] / actual[i] - 1);
  return (100 * s) / actual.length;
}
