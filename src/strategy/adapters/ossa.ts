// The Ossa (2014) model as a StrategicModel. Pure.
//
// Policy vector = the full tariff array bil(s, j, i) = (s * N + j) * N + i (j importer, i exporter);
// government j controls the (N−1)·S positions with importer j and i ≠ j. Welfare is the government
// objective Ĝ_j (political-economy weighted when the model was built with λ).
import type { OssaData } from '../../data/ossa2014.ts';
import { OssaModel, type OssaModelOptions } from '../../model/ossa/model.ts';
import type { Evaluation, PolicyPosition, StrategicModel } from '../types.ts';

export class OssaStrategicModel implements StrategicModel {
  readonly name = 'ossa2014';
  readonly governments: readonly string[];
  readonly sectors: readonly string[];
  readonly policySize: number;
  readonly hasGradient = true;
  readonly model: OssaModel;

  constructor(data: OssaData | OssaModel, opts: OssaModelOptions = {}) {
    this.model = data instanceof OssaModel ? data : new OssaModel(data, opts);
    this.governments = this.model.base.regions;
    this.sectors = this.model.base.industries;
    this.policySize = this.model.S * this.model.N * this.model.N;
  }

  baselinePolicy(): Float64Array {
    return this.model.factualTariffs();
  }

  positions(g: number): PolicyPosition[] {
    const { N, S } = this.model;
    const out: PolicyPosition[] = [];
    for (let s = 0; s < S; s++) {
      for (let i = 0; i < N; i++) {
        if (i !== g) out.push({ index: (s * N + g) * N + i, owner: g, partner: i, sector: s });
      }
    }
    return out;
  }

  evaluate(policy: Float64Array, weights?: Float64Array): Evaluation {
    if (!weights) return { welfare: this.model.welfare(policy, 'government') };
    return this.model.welfareAndGradient(policy, weights, 'government');
  }

  /**
   * Import value (tariff inclusive) of each position relative to the importer's spending, at `policy`
   * (floored at 1e-14 of the largest, so positions whose flow a prohibitive tariff has nearly shut still
   * get a finite preconditioner).
   */
  scaleHints(policy: Float64Array): Float64Array {
    const { N, S, eq } = this.model;
    this.model.solveEquilibrium(policy);
    const h = new Float64Array(S * N * N);
    for (let j = 0; j < N; j++) {
      const spend = Math.exp(eq.z[N + j]) * this.model.base.expenditure[j];
      for (let s = 0; s < S; s++) {
        for (let i = 0; i < N; i++) {
          const k = (s * N + j) * N + i;
          h[k] = (this.model.base.sigma[s] * (1 + eq.tariff[k]) * eq.V[k]) / spend;
        }
      }
    }
    return h;
  }
}
