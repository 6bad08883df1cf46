// Per-region summaries of a tariff policy in the format of Ossa (2014) Tables 3–5. Pure.
//
// Columns (percent changes relative to the factual equilibrium):
//   median tariff            median over the region's (N−1)·S import tariffs
//   government welfare       100(Ĝ − 1);  welfare 100(Ŵ − 1)
//   wage                     100(ŵ − mean_i ŵ_i)  (Ossa: WAGEHAT − mean(WAGEHAT) + 1)
//   profits                  100(Π̂ / ŵ − 1)      (profits relative to wages)
//   imports                  100(imports hat − 1)
import type { OssaModel, OssaOutcome } from './model.ts';

export interface OssaRegionRow {
  region: string;
  medianTariff: number;
  governmentWelfare: number;
  welfare: number;
  wage: number;
  profits: number;
  imports: number;
}

export interface OssaPolicySummary {
  rows: OssaRegionRow[];
  /** Mean of every column over the regions (Ossa's "Average" row). */
  average: Omit<OssaRegionRow, 'region'>;
  outcome: OssaOutcome;
}

export function medianOf(values: number[]): number {
  const v = values.slice().sort((x, y) => x - y);
  const n = v.length;
  if (n === 0) return NaN;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Median import tariff of every region (percent), over partners and industries. */
export function medianTariffsOf(N: number, S: number, tariffs: Float64Array): number[] {
  return Array.from({ length: N }, (_, j) => {
    const v: number[] = [];
    for (let s = 0; s < S; s++) for (let i = 0; i < N; i++) if (i !== j) v.push(tariffs[(s * N + j) * N + i]);
    return 100 * medianOf(v);
  });
}

export function summarizeOssaPolicy(model: OssaModel, tariffs: Float64Array): OssaPolicySummary {
  const out = model.solve(tariffs);
  const { N, S } = model;
  const med = medianTariffsOf(N, S, tariffs);
  const meanW = out.wageHat.reduce((a, b) => a + b, 0) / N;
  const rows: OssaRegionRow[] = out.regions.map((region, j) => ({
    region,
    medianTariff: med[j],
    governmentWelfare: 100 * (out.governmentWelfareHat[j] - 1),
    welfare: 100 * (out.welfareHat[j] - 1),
    wage: 100 * (out.wageHat[j] - meanW),
    profits: 100 * (out.profitsHat[j] / out.wageHat[j] - 1),
    imports: 100 * (out.importsHat[j] - 1),
  }));
  const avg = (f: (r: OssaRegionRow) => number): number => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  return {
    rows,
    average: {
      medianTariff: avg((r) => r.medianTariff),
      governmentWelfare: avg((r) => r.governmentWelfare),
      welfare: avg((r) => r.welfare),
      wage: avg((r) => r.wage),
      profits: avg((r) => r.profits),
      imports: avg((r) => r.imports),
    },
    outcome: out,
  };
}
