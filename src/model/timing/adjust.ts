// Horizon-dependent trade response (docs/timing.md eq. T2–T3). The multi-sector model (CP2015) gives the
// long-run log change x*_g,t of US imports from group g under the tariffs in force in month t (diversion
// across partners included: the target of every group comes from one general-equilibrium solve). Trade moves
// toward it by partial adjustment,
//   x_g,t = x_g,t−1 + λ (x*_g,t − x_g,t−1),   x_g,start−1 = 0,                                 (T2)
// i.e. a geometric distributed lag x_g,t = Σ_k λ(1−λ)^k x*_g,t−k: the elasticity at horizon h months is
// 1 − (1−λ)^(h+1) times the long-run one (T3). Pure.

/** Runs eq. T2 over a target series (stride `stride`, offset `g`) into `out` (same layout). */
export function partialAdjustment(target: Float64Array, lambda: number, n: number, stride: number, g: number, out: Float64Array): void {
  let x = 0;
  for (let k = 0; k < n; k++) {
    const xs = target[k * stride + g];
    x = Number.isFinite(xs) ? x + lambda * (xs - x) : x;
    out[k * stride + g] = x;
  }
}

/** Share of the long-run response reached h months after a permanent change (eq. T3). */
export function shareReached(lambda: number, h: number): number {
  return 1 - Math.pow(1 - lambda, h + 1);
}
