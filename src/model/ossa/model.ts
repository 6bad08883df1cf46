// The Ossa (2014) model object: data in, `solve(tariffs)` → outcome out; welfare gradients for the
// strategy engine. Pure.
import type { OssaData } from '../../data/ossa2014.ts';
import { ConvergenceError, InputError } from '../../errors.ts';
import { calibrateOssa, type OssaBaseline } from './baseline.ts';
import { OssaEquilibrium, type SolveOptions } from './equilibrium.ts';
import { welfareGradient } from './gradient.ts';
import { consumerWelfareHat, governmentWelfareHat, type WelfareKind } from './welfare.ts';

export interface OssaModelOptions {
  /** Use Ossa's estimated political-economy weights λ (LAMBDAPOL) in the government objective. */
  politicalEconomy?: boolean;
  /** Explicit λ (rs(region, industry)); overrides `politicalEconomy`. */
  lambda?: Float64Array;
}

/** Everything a counterfactual reports. Changes are ratios (1 = unchanged). */
export interface OssaOutcome {
  regions: string[];
  industries: string[];
  /** ŵ_i: wage changes, numéraire = world labour income (Σ LI_i ŵ_i / Σ LI_i = 1). */
  wageHat: Float64Array;
  /** Ê_j. */
  expenditureHat: Float64Array;
  /** P̂_j (aggregate consumer price index). */
  priceHat: Float64Array;
  /** Consumer welfare Ŵ_j = Ê_j / P̂_j. */
  welfareHat: Float64Array;
  /** Government welfare Ĝ_j (equals Ŵ_j when λ ≡ 1). */
  governmentWelfareHat: Float64Array;
  /** Counterfactual trade flows V_ijs = X_ijs X̂_ijs, bil(s, j, i), baseline money units. */
  trade: Float64Array;
  /** Ŷ_is: sales changes, rs(i, s). */
  salesHat: Float64Array;
  /** Π̂_i: total profit changes. */
  profitsHat: Float64Array;
  /** Change of international imports (net of tariffs) of each region. */
  importsHat: Float64Array;
  /** The tariffs solved for (bil(s, j, i)). */
  tariff: Float64Array;
  iterations: number;
  residual: number;
}

export class OssaModel {
  readonly data: OssaData;
  readonly base: OssaBaseline;
  readonly eq: OssaEquilibrium;
  readonly politicalEconomy: boolean;

  constructor(data: OssaData, opts: OssaModelOptions = {}) {
    this.data = data;
    this.politicalEconomy = !!opts.lambda || !!opts.politicalEconomy;
    this.base = calibrateOssa(data, opts.lambda ?? (opts.politicalEconomy ? data.lambda : undefined));
    this.eq = new OssaEquilibrium(this.base);
  }

  get N(): number {
    return this.base.N;
  }
  get S(): number {
    return this.base.S;
  }

  /** The factual tariffs, bil(s, j, i) (a copy). */
  factualTariffs(): Float64Array {
    return Float64Array.from(this.base.tariff);
  }

  /**
   * Solves the equilibrium at `tariffs`, warm-started from the previous solution; if Newton fails from
   * there, retries from ŵ = Ê = 1 before giving up (ConvergenceError names both attempts).
   */
  solveEquilibrium(tariffs: Float64Array, opts: SolveOptions = {}): { iterations: number; residual: number } {
    try {
      return this.eq.solve(tariffs, opts);
    } catch (e) {
      if (!(e instanceof ConvergenceError) || opts.guess) throw e;
      try {
        return this.eq.solve(tariffs, { ...opts, guess: new Float64Array(2 * this.N) });
      } catch (e2) {
        if (e2 instanceof ConvergenceError) {
          throw new ConvergenceError(`Ossa equilibrium failed from the previous solution (${e.message}) and from ŵ = Ê = 1`, e2.iterations, e2.residuals);
        }
        throw e2;
      }
    }
  }

  /** Full outcome of a counterfactual. */
  solve(tariffs: Float64Array, opts: SolveOptions = {}): OssaOutcome {
    const info = this.solveEquilibrium(tariffs, opts);
    const { N, S, base, eq } = this;
    const lnP = eq.lnPriceHat();
    const salesHat = new Float64Array(N * S);
    const profitsHat = new Float64Array(N);
    const importsHat = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let p0 = 0;
      let p1 = 0;
      for (let s = 0; s < S; s++) {
        salesHat[i * S + s] = eq.salesC[i * S + s] / base.sales[i * S + s];
        p0 += base.profits[i * S + s];
        p1 += eq.salesC[i * S + s] / base.sigma[s];
      }
      profitsHat[i] = p1 / p0;
    }
    const imp0 = new Float64Array(N);
    const imp1 = new Float64Array(N);
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < N; i++) {
          if (i === j) continue;
          const k = (s * N + j) * N + i;
          imp0[j] += base.trade[k];
          imp1[j] += eq.V[k];
        }
      }
    }
    for (let j = 0; j < N; j++) importsHat[j] = imp1[j] / imp0[j];
    return {
      regions: base.regions,
      industries: base.industries,
      wageHat: eq.wageHat(),
      expenditureHat: eq.expenditureHat(),
      priceHat: Float64Array.from(lnP, Math.exp),
      welfareHat: consumerWelfareHat(eq),
      governmentWelfareHat: governmentWelfareHat(eq),
      trade: Float64Array.from(eq.V),
      salesHat,
      profitsHat,
      importsHat,
      tariff: Float64Array.from(eq.tariff),
      iterations: info.iterations,
      residual: info.residual,
    };
  }

  /** Welfare of every region at `tariffs` (government objective by default). */
  welfare(tariffs: Float64Array, kind: WelfareKind = 'government'): Float64Array {
    this.solveEquilibrium(tariffs);
    return kind === 'government' ? governmentWelfareHat(this.eq) : consumerWelfareHat(this.eq);
  }

  /** Welfare and the exact gradient of Σ_j weights_j ln welfare_j with respect to every tariff. */
  welfareAndGradient(tariffs: Float64Array, weights: Float64Array, kind: WelfareKind = 'government'): { welfare: Float64Array; gradient: Float64Array } {
    if (weights.length !== this.N) throw new InputError(`weights have ${weights.length} entries, expected ${this.N}`, { field: 'weights' });
    this.solveEquilibrium(tariffs);
    const welfare = kind === 'government' ? governmentWelfareHat(this.eq) : consumerWelfareHat(this.eq);
    const gradient = welfareGradient(this.eq, weights, kind);
    return { welfare, gradient };
  }
}
