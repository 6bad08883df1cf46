// A small synthetic world with closed-form optimal tariffs, implementing StrategicModel. Pure.
//
// Every (importer d, exporter o, sector s), o ≠ d, is a separate partial-equilibrium market with constant-
// elasticity import demand and export supply:
//   D = A p^(−η),   X = B p*^ε,   p = (1 + t) p*,   so   p* = (A/B)^(1/(ε+η)) (1 + t)^(−η/(ε+η)).
// Welfare is quasi-linear: importer d gets consumer surplus A p^(1−η)/(η−1) plus tariff revenue t p* X;
// exporter o gets producer surplus B p*^(ε+1)/(ε+1); each government also has a fixed income Y_g.
// The importer's optimal tariff is the inverse export supply elasticity, t* = 1/ε (independently of all other
// tariffs), so the Nash equilibrium is t_dos = 1/ε_os, and with symmetric governments the efficient
// (cooperative) tariffs are zero.
//
// Policy index: bil(s, d, o) = (s * G + d) * G + o (d importer, o exporter), diagonal unused (0).
import { InputError } from '../errors.ts';
import type { Evaluation, PolicyPosition, StrategicModel } from './types.ts';

export interface SyntheticWorld {
  governments: string[];
  sectors: string[];
  /** Export supply elasticity ε, bil(s, d, o) (may differ by importer for generality). */
  supplyElasticity: Float64Array;
  /** Import demand elasticity η > 1, bil(s, d, o). */
  demandElasticity: Float64Array;
  /** Demand scale A, bil(s, d, o). */
  demandScale: Float64Array;
  /** Supply scale B, bil(s, d, o). */
  supplyScale: Float64Array;
  /** Fixed income Y_g (> 0). */
  income: Float64Array;
  /** Baseline tariffs (default 0), bil(s, d, o). */
  baseline?: Float64Array;
}

/** A world where every market has the same elasticities except the supply elasticity ε_o of each exporter. */
export function simpleSyntheticWorld(opts: { governments: string[]; sectors: string[]; epsilon: number[][]; eta?: number; income?: number; baseline?: number }): SyntheticWorld {
  const G = opts.governments.length;
  const S = opts.sectors.length;
  const K = S * G * G;
  const eps = new Float64Array(K);
  for (let s = 0; s < S; s++) for (let d = 0; d < G; d++) for (let o = 0; o < G; o++) eps[(s * G + d) * G + o] = opts.epsilon[o][s];
  return {
    governments: opts.governments,
    sectors: opts.sectors,
    supplyElasticity: eps,
    demandElasticity: new Float64Array(K).fill(opts.eta ?? 2),
    demandScale: new Float64Array(K).fill(1),
    supplyScale: new Float64Array(K).fill(1),
    income: new Float64Array(G).fill(opts.income ?? 10),
    baseline: new Float64Array(K).fill(opts.baseline ?? 0).map((v, k) => (k % G === Math.floor(k / G) % G ? 0 : v)),
  };
}

export class SyntheticModel implements StrategicModel {
  readonly name = 'synthetic';
  readonly governments: readonly string[];
  readonly sectors: readonly string[];
  readonly policySize: number;
  readonly hasGradient = true;
  readonly world: SyntheticWorld;
  private readonly G: number;
  private readonly S: number;
  private readonly base: Float64Array;
  private readonly W0: Float64Array;

  constructor(world: SyntheticWorld) {
    this.world = world;
    this.G = world.governments.length;
    this.S = world.sectors.length;
    this.governments = world.governments;
    this.sectors = world.sectors;
    this.policySize = this.S * this.G * this.G;
    for (const [name, a] of [['supplyElasticity', world.supplyElasticity], ['demandElasticity', world.demandElasticity], ['demandScale', world.demandScale], ['supplyScale', world.supplyScale]] as const) {
      if (a.length !== this.policySize) throw new InputError(`${name} has ${a.length} entries, expected ${this.policySize}`, { field: name });
      for (let k = 0; k < a.length; k++) {
        if (!(a[k] > 0)) throw new InputError(`${name}[${k}] = ${a[k]} must be positive`, { field: name });
      }
    }
    for (let k = 0; k < this.policySize; k++) {
      if (!(world.demandElasticity[k] > 1)) throw new InputError(`demandElasticity[${k}] = ${world.demandElasticity[k]} must exceed 1`, { field: 'demandElasticity' });
    }
    this.base = world.baseline ? Float64Array.from(world.baseline) : new Float64Array(this.policySize);
    this.W0 = this.levels(this.base);
  }

  baselinePolicy(): Float64Array {
    return Float64Array.from(this.base);
  }

  positions(g: number): PolicyPosition[] {
    const out: PolicyPosition[] = [];
    for (let s = 0; s < this.S; s++) for (let o = 0; o < this.G; o++) if (o !== g) out.push({ index: (s * this.G + g) * this.G + o, owner: g, partner: o, sector: s });
    return out;
  }

  /** Market k at tariff t: world price p*, quantity X and the derivatives needed for welfare. */
  private market(k: number, t: number): { ps: number; X: number; cs: number; rev: number; prod: number; dImp: number; dExp: number } {
    const w = this.world;
    const eps = w.supplyElasticity[k];
    const eta = w.demandElasticity[k];
    const r = eta / (eps + eta);
    const c = Math.pow(w.demandScale[k] / w.supplyScale[k], 1 / (eps + eta));
    const ps = c * Math.pow(1 + t, -r);
    const p = (1 + t) * ps;
    const X = w.supplyScale[k] * Math.pow(ps, eps);
    const cs = (w.demandScale[k] * Math.pow(p, 1 - eta)) / (eta - 1);
    const rev = t * ps * X;
    const prod = (w.supplyScale[k] * Math.pow(ps, eps + 1)) / (eps + 1);
    // d(cs + rev)/dt = p* X r [1 − t(1 + ε)/(1 + t)];  d prod/dt = −r p* X / (1 + t)
    const dImp = ps * X * r * (1 - (t * (1 + eps)) / (1 + t));
    const dExp = (-r * ps * X) / (1 + t);
    return { ps, X, cs, rev, prod, dImp, dExp };
  }

  private levels(policy: Float64Array, grad?: { weights: Float64Array; out: Float64Array }): Float64Array {
    const { G, S } = this;
    if (policy.length !== this.policySize) throw new InputError(`policy has ${policy.length} entries, expected ${this.policySize}`, { field: 'policy' });
    const W = Float64Array.from(this.world.income);
    const dImp = grad ? new Float64Array(this.policySize) : undefined;
    const dExp = grad ? new Float64Array(this.policySize) : undefined;
    for (let s = 0; s < S; s++) {
      for (let d = 0; d < G; d++) {
        for (let o = 0; o < G; o++) {
          if (o === d) continue;
          const k = (s * G + d) * G + o;
          const t = policy[k];
          if (!(t > -1) || !Number.isFinite(t)) throw new InputError(`tariff ${t} at position ${k} must be finite and > −1`, { field: 'policy' });
          const m = this.market(k, t);
          W[d] += m.cs + m.rev;
          W[o] += m.prod;
          if (dImp && dExp) {
            dImp[k] = m.dImp;
            dExp[k] = m.dExp;
          }
        }
      }
    }
    if (grad && dImp && dExp) {
      grad.out.fill(0);
      for (let s = 0; s < S; s++) {
        for (let d = 0; d < G; d++) {
          for (let o = 0; o < G; o++) {
            if (o === d) continue;
            const k = (s * G + d) * G + o;
            grad.out[k] = (grad.weights[d] * dImp[k]) / W[d] + (grad.weights[o] * dExp[k]) / W[o];
          }
        }
      }
    }
    return W;
  }

  evaluate(policy: Float64Array, weights?: Float64Array): Evaluation {
    const gradient = weights ? new Float64Array(this.policySize) : undefined;
    const W = this.levels(policy, weights && gradient ? { weights, out: gradient } : undefined);
    const welfare = W.map((w, g) => w / this.W0[g]);
    return gradient ? { welfare, gradient } : { welfare }; // ∂ ln(W/W0) = ∂ ln W
  }

  /** Import value share p X / W_d at `policy` (the curvature of ln W in t scales with it). */
  scaleHints(policy: Float64Array): Float64Array {
    const { G, S } = this;
    const W = this.levels(policy);
    const h = new Float64Array(this.policySize);
    for (let s = 0; s < S; s++) {
      for (let d = 0; d < G; d++) {
        for (let o = 0; o < G; o++) {
          if (o === d) continue;
          const k = (s * G + d) * G + o;
          const m = this.market(k, policy[k]);
          h[k] = ((1 + policy[k]) * m.ps * m.X * (1 + this.world.supplyElasticity[k])) / W[d];
        }
      }
    }
    return h;
  }
}
