// Synthetic three-way gravity panel for the PPML benchmark (not a benchmark itself: bench/ppml.bench.ts runs it).
//
// nExp exporters × nImp importers × nYears years, rows ordered pair-major (pair, then year) as panel data usually
// are. Fixed effects: exporter-year, importer-year and (directional) pair — the structural gravity
// specification of Yotov et al. (2016) ch. 1, eq. (1-36) at scale. Regressors: an agreement dummy that switches
// on at a random year for 20% of pairs, a log tariff that varies by pair and year, and a continuous shifter.
// Outcome: y = μ·u with E[u] = 1 (u = 0 with probability 0.35, else exponential), so E[y|x] = μ and PPML is
// consistent; the true coefficients are TRUE_BETA.
import type { FixedEffectIndex } from '../src/estimate/demean.ts';
import type { DesignInput } from '../src/estimate/result.ts';

export const TRUE_BETA = [0.4, -5.0, 0.25];

/** Small fast seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticGravityPanel(nExp: number, nImp: number, nYears: number, seed = 1): DesignInput {
  const n = nExp * nImp * nYears;
  const rand = rng(seed);
  const gauss = () => {
    const u = rand() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const expYear = new Int32Array(n);
  const impYear = new Int32Array(n);
  const pair = new Int32Array(n);
  const rta = new Float64Array(n);
  const tariff = new Float64Array(n);
  const shifter = new Float64Array(n);
  const y = new Float64Array(n);
  const aExp = Float64Array.from({ length: nExp * nYears }, () => 0.8 * gauss());
  const aImp = Float64Array.from({ length: nImp * nYears }, () => 0.8 * gauss());
  let r = 0;
  for (let e = 0; e < nExp; e++) {
    for (let m = 0; m < nImp; m++) {
      const p = e * nImp + m;
      const aPair = 1.2 * gauss() - 1;
      const start = rand() < 0.2 ? Math.floor(rand() * nYears) : nYears;
      const baseTariff = 0.1 * rand();
      for (let t = 0; t < nYears; t++, r++) {
        expYear[r] = e * nYears + t;
        impYear[r] = m * nYears + t;
        pair[r] = p;
        rta[r] = t >= start ? 1 : 0;
        tariff[r] = Math.log1p(Math.max(0, baseTariff + 0.02 * gauss()));
        shifter[r] = gauss();
        const eta = aExp[expYear[r]] + aImp[impYear[r]] + aPair + TRUE_BETA[0] * rta[r] + TRUE_BETA[1] * tariff[r] + TRUE_BETA[2] * shifter[r];
        const u = rand() < 0.35 ? 0 : -Math.log(rand() || 1e-12) / 0.65;
        y[r] = Math.exp(eta) * u;
      }
    }
  }
  const fes: FixedEffectIndex[] = [
    { name: 'exporter^year', index: expYear, size: nExp * nYears },
    { name: 'importer^year', index: impYear, size: nImp * nYears },
    { name: 'exporter^importer', index: pair, size: nExp * nImp },
  ];
  return { y, X: [rta, tariff, shifter], names: ['rta', 'ln_tariff', 'shifter'], fixedEffects: fes, outcomeName: 'y' };
}
