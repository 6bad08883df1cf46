// Anticipation: front-running before known tariff increases and the inventory drawdown after them
// (docs/timing.md eq. T4–T5). In month t importers know every step k announced before the end of month
// t + L (L = lead: how far ahead announcements are seen coming, fitted) that has not yet taken effect
// (month_k > t) nor been called off. Buying now instead of in month t+h saves the known rise of the tariff
// factor up to t+h and costs the carrying cost c per month of storage, so the motive is the best net
// saving over horizons h = 1 … H:
//   S_g,t = max(0, max_h [ ln(1 + τ_g,t + Σ_{k known, t < month_k ≤ t+h} Δτ_g,k) − ln(1 + τ_g,t) − c·h ])   (T4a)
// Extra purchases saturate (storage room, working capital and the demand of the coming months bound them):
//   F_g,t = κ_g · P_g,t · σ (1 − exp(−S_g,t / σ))          (P = the adjusted path of eq. T2)              (T4b)
// (σ → ∞ gives the linear rule κ P S). The front-run goods go into inventory that is drawn down at rate δ
// a month, replacing imports:
//   I_g,t = (1 − δ) I_g,t−1 + F_g,t,   D_g,t = δ I_g,t−1                                                (T5)
// so the surge is paid back later (cumulated F − D → 0).
// Threats and pledges not (yet) in the schedule (data/timing/threats-2024-26.csv) enter the known steps of
// eq. T4a scaled by the subjective probability π of their kind (T4c): a threat stated before the end of
// month t (no lead: the statement is the news) and not resolved before month t (a threat that an action of the
// schedule enacted ends at the start of the month in which that action is seen coming, floor(announced − L),
// so that the step is not counted twice) counts π_kind · Δτ_g at its
// expected date, or in month t + 1 once that date has passed unresolved; of a chain of restatements only the
// latest stated row counts. Where the information changes within a month (a call-off, a threat's resolution, a
// scenario's unforeseen switch) S is the average of the motive over the month's stretches. Pure.
import { G, type TariffStep, type Threat } from './types.ts';

/** Longest horizon over which importers compare a later purchase (months). */
export const HORIZON = 12;

/**
 * S_g,t of eq. T4a for months start … start+n−1, flat [(t−start)·G + g]; `tariff` is τ_g,t in the same layout.
 * Known decreases count against increases within the horizon (a known cut makes waiting cheaper).
 */
export function motive(steps: readonly TariffStep[], tariff: Float64Array, start: number, n: number, lead: number, carry: number, threats: readonly Threat[] = [], belief: readonly number[] = []): Float64Array {
  const out = new Float64Array(n * G);
  const known: { month: number; dTau: ArrayLike<number> }[] = [];
  for (let k = 0; k < n; k++) {
    const t = start + k;
    const info = t + 1 + lead; // announcements strictly before the end of month t + L
    const stepsNow = steps.filter((s) => s.announced < (s.unforeseen ? t + 1 : info) && s.month > t && !(s.cancelled <= t) && s.month <= t + HORIZON);
    const threatsNow = expectedThreats(threats, t, lead).filter((th) => (belief[th.kind] ?? 0) > 0);
    if (stepsNow.length === 0 && threatsNow.length === 0) continue;
    // The information changes within month t when a step is called off, an unforeseen step (a scenario's switch)
    // is announced or a threat is resolved: S_g,t is the average over the month of the motive on each stretch
    // (front-running is a flow over the month; eq. T4a on each stretch, weighted by its share of the month).
    const cuts = [t, t + 1];
    for (const s of stepsNow) {
      if (s.cancelled > t && s.cancelled < t + 1) cuts.push(s.cancelled);
      if (s.unforeseen && s.announced > t) cuts.push(s.announced);
    }
    for (const th of threatsNow) {
      const e = threatEnd(th, lead);
      if (e > t && e < t + 1) cuts.push(e);
    }
    const b = [...new Set(cuts)].sort((x, y) => x - y);
    for (let i = 0; i + 1 < b.length; i++) {
      const u = b[i];
      known.length = 0;
      for (const s of stepsNow) if (!(s.cancelled <= u) && !(s.unforeseen && s.announced > u)) known.push(s);
      for (const th of threatsNow) {
        const e = threatEnd(th, lead);
        if (e <= u) continue;
        const p = belief[th.kind];
        const m0 = Math.floor(th.expected);
        const frac = th.expected - m0;
        const parts: [number, number][] = m0 <= t ? [[t + 1, 1]] : [[m0, 1 - frac], [m0 + 1, frac]];
        for (const [month, share] of parts) if (share > 0 && month <= t + HORIZON) known.push({ month, dTau: th.dTau.map((x) => p * share * x) });
      }
      if (known.length === 0) continue;
      const w = b[i + 1] - u;
      for (let g = 0; g < G; g++) {
        const tau = tariff[k * G + g];
        let best = 0;
        let cum = 0;
        for (let h = 1; h <= HORIZON; h++) {
          for (const s of known) if (s.month === t + h) cum += s.dTau[g];
          best = Math.max(best, Math.log((1 + tau + cum) / (1 + tau)) - carry * h);
        }
        out[k * G + g] += w * best;
      }
    }
  }
  return out;
}

/**
 * When a threat stops counting (months, fractional; NaN = never): at its resolution, or, when an action of the
 * schedule enacted it, at the start of the first month in which importers see that action coming (eq. T4a: an
 * action announced at r is known for the whole of every month t with r < t + 1 + L, i.e. from floor(r − L)):
 * from then on the step is in the known steps and the threat would count it twice.
 */
export function threatEnd(th: Threat, lead: number): number {
  return th.enacted ? Math.floor(th.resolved - lead) : th.resolved;
}

/** Threats in force in month t (eq. T4c): stated before the end of t, not ended before t, latest of each chain. */
export function expectedThreats(threats: readonly Threat[], t: number, lead = 0): Threat[] {
  const latest = new Map<string, Threat>();
  for (const th of threats) {
    if (!(th.stated < t + 1)) continue;
    const cur = latest.get(th.chain);
    if (!cur || th.stated > cur.stated || (th.stated === cur.stated && (th.depth ?? 0) > (cur.depth ?? 0))) latest.set(th.chain, th);
  }
  return [...latest.values()].filter((th) => !(threatEnd(th, lead) <= t));
}

/** σ(1 − e^(−S/σ)) of eq. T4b (S itself when σ is infinite). */
export function saturate(S: number, sigma: number): number {
  return Number.isFinite(sigma) ? sigma * -Math.expm1(-S / sigma) : S;
}

/** Eq. T4b–T5: front-running F and drawdown D (US$ millions) given the adjusted path P and the motive S. */
export function inventoryPath(P: Float64Array, S: Float64Array, n: number, kappa: number | readonly number[], sigma: number, drawdown: number, F: Float64Array, D: Float64Array): void {
  for (let g = 0; g < G; g++) {
    const kg = typeof kappa === 'number' ? kappa : kappa[g];
    let inv = 0;
    for (let k = 0; k < n; k++) {
      const x = k * G + g;
      const f = kg * P[x] * saturate(S[x], sigma);
      const d = drawdown * inv;
      inv = inv - d + f;
      F[x] = f;
      D[x] = d;
    }
  }
}
