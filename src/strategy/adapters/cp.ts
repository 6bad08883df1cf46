// The Caliendo–Parro (2015) multi-sector input–output model as a StrategicModel. Pure.
//
// Policy vector = the full tariff array bil(j, n, i) = (j * N + n) * N + i (n importer, i exporter), fractions.
// Government n controls its tariffs on every partner i ≠ n in every traded sector. Welfare of government n is
// its exact real income relative to the model's baseline, Î_n / P̂_n (CP2015 §4). The model has no analytic
// gradient: the strategy engine differentiates numerically, and every solve is warm-started from the previous
// equilibrium, which makes the nearby solves of a finite-difference gradient cheap.
//
// Use it with balanced trade (closure 'zero-deficits'), as Ossa (2014) purges imbalances: with a deficit held
// fixed, a prohibitive tariff turns the deficit into a windfall of tariff revenue, and a government's "optimal"
// tariff runs to the upper bound.
import { ConvergenceError } from '../../errors.ts';
import type { CpModel } from '../../model/cp/model.ts';
import type { CpEquilibrium } from '../../model/cp/solve.ts';
import type { Evaluation, PolicyPosition, StrategicModel } from '../types.ts';

export class CpStrategicModel implements StrategicModel {
  readonly name = 'cp2015-io';
  readonly governments: readonly string[];
  readonly sectors: readonly string[];
  readonly policySize: number;
  readonly hasGradient = false;
  readonly model: CpModel;
  /** Number of equilibrium solves so far (for reports and tests). */
  solves = 0;
  private readonly N: number;
  private readonly J: number;
  private last: CpEquilibrium | undefined;
  private readonly tradeCostChange: Float64Array | undefined;

  /** `tradeCostChange` (d̂, bil) is held fixed in every evaluation, e.g. a scenario's NTB assumptions. */
  constructor(model: CpModel, tradeCostChange?: Float64Array) {
    this.model = model;
    this.tradeCostChange = tradeCostChange;
    const w = model.baseline().world;
    this.N = w.regions.length;
    this.J = w.sectors.length;
    this.governments = w.regions.map((r) => r.code);
    this.sectors = w.sectors.map((s) => s.name);
    this.policySize = this.J * this.N * this.N;
  }

  baselinePolicy(): Float64Array {
    return this.model.baseline().world.tariff.slice();
  }

  positions(g: number): PolicyPosition[] {
    const { N, J } = this;
    const econ = this.model.baseline().economy;
    const out: PolicyPosition[] = [];
    for (let j = 0; j < J; j++) {
      if (!econ.traded[j]) continue;
      for (let i = 0; i < N; i++) if (i !== g) out.push({ index: (j * N + g) * N + i, owner: g, partner: i, sector: j });
    }
    return out;
  }

  evaluate(policy: Float64Array): Evaluation {
    const r = this.model.solve({ tariff: policy, tradeCostChange: this.tradeCostChange }, undefined, this.last);
    this.last = r.equilibrium;
    this.solves++;
    const welfare = Float64Array.from(r.regions, (x) => 1 + x.realIncome / 100);
    for (let g = 0; g < welfare.length; g++) {
      if (!(welfare[g] > 0) || !Number.isFinite(welfare[g])) {
        throw new ConvergenceError(`real income of ${this.governments[g]} is ${welfare[g]} at this tariff policy`, r.convergence.counterfactual.iterations, r.convergence.counterfactual.residuals);
      }
    }
    return { welfare };
  }

  /** Imports of each position at the baseline relative to the importer's total spending (floored at 1e-14 of the largest). */
  scaleHints(): Float64Array {
    const { N, J } = this;
    const e = this.model.baseline().economy;
    const h = new Float64Array(J * N * N);
    for (let n = 0; n < N; n++) {
      let spend = 0;
      for (let j = 0; j < J; j++) spend += e.X[n * J + j];
      for (let j = 0; j < J; j++) for (let i = 0; i < N; i++) h[(j * N + n) * N + i] = (e.pi[(j * N + n) * N + i] * e.X[n * J + j]) / spend;
    }
    let max = 0;
    for (let x = 0; x < h.length; x++) max = Math.max(max, h[x]);
    for (let x = 0; x < h.length; x++) h[x] = Math.max(h[x], 1e-14 * max);
    return h;
  }
}
