// Small synthetic worlds for tests that must run without ../shared/data. Deterministic (seeded).
import type { World } from '../../src/data/world.ts';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SyntheticOptions {
  N: number;
  J: number;
  seed?: number;
  /** Value-added share for every region and sector; 1 means no intermediate inputs. */
  vaShare?: number;
  theta?: number;
  /** Tariff level (fraction) on every international flow, or 'random' (0–20%). */
  tariff?: number | 'random';
  /** Number of non-tradable sectors at the end of the list. */
  services?: number;
}

/** A consistent world: random flows, IO shares, final-demand shares backed out of expenditure. */
export function syntheticWorld(o: SyntheticOptions): World {
  const { N, J } = o;
  const r = rng(o.seed ?? 1);
  const services = o.services ?? 0;
  const sectors = Array.from({ length: J }, (_, j) => ({ name: `S${j + 1}`, tradable: j < J - services, theta: o.theta ?? 2 + 6 * r() }));
  const regions = Array.from({ length: N }, (_, n) => ({ name: `Region${n + 1}`, code: `R${String(n + 1).padStart(2, '0')}` }));
  const trade = new Float64Array(J * N * N);
  const tariff = new Float64Array(J * N * N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        const x = (j * N + n) * N + i;
        if (i === n) trade[x] = 50 + 100 * r();
        else if (sectors[j].tradable) {
          trade[x] = 1 + 20 * r();
          tariff[x] = o.tariff === 'random' ? 0.2 * r() : (o.tariff ?? 0);
        }
      }
    }
  }
  const vaShare = new Float64Array(N * J).fill(o.vaShare ?? 0.5);
  const io = new Float64Array(N * J * J);
  if ((o.vaShare ?? 0.5) < 1) {
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < J; j++) {
        let s = 0;
        for (let k = 0; k < J; k++) s += io[(n * J + k) * J + j] = 0.2 + r();
        for (let k = 0; k < J; k++) io[(n * J + k) * J + j] /= s;
      }
    }
  }
  // Output Y_i^j = Σ_n X_ni^j; expenditure X_n^j = Σ_i X_ni (1+τ); α from expenditure minus intermediate use.
  const Y = new Float64Array(N * J);
  const X = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        const x = (j * N + n) * N + i;
        Y[i * J + j] += trade[x];
        X[n * J + j] += trade[x] * (1 + tariff[x]);
      }
    }
  }
  const alpha = new Float64Array(N * J);
  const valueAdded = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let tot = 0;
    for (let j = 0; j < J; j++) {
      let inter = 0;
      for (let k = 0; k < J; k++) inter += io[(n * J + j) * J + k] * (1 - vaShare[n * J + k]) * Y[n * J + k];
      alpha[n * J + j] = Math.max(1e-3, X[n * J + j] - inter);
      tot += alpha[n * J + j];
      valueAdded[n] += vaShare[n * J + j] * Y[n * J + j];
    }
    for (let j = 0; j < J; j++) alpha[n * J + j] /= tot;
  }
  const deficit = new Float64Array(N);
  for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (i !== n) {
    const v = trade[(j * N + n) * N + i];
    deficit[n] += v;
    deficit[i] -= v;
  }
  return { name: 'synthetic', year: 2000, currencyUnit: 'units', regions, sectors, trade, tariff, vaShare, io, alpha, valueAdded, deficit };
}
