// First-order decomposition of welfare changes in the Ossa (2014) model (Ossa 2014, §III, Table 2;
// replication code mydecomposition.m). Pure.
//
// With Δw_i = ŵ_i − 1 and X, t, E at their baseline values, for region j (percent):
//   terms of trade   ToT_j = 100 Σ_i,s (X_ijs / E_j) (Δw_j − Δw_i)
//                    (the value of j's purchases revalued at j's wage change minus its suppliers')
//   profit shifting  PS_j  = 100 Σ_s (Π_js / E_j) (Π̂_js − 1 − Δw_j)
//                    (profits of j's firms relative to wages)
//   trade volume     TV_j  = 100 Σ_i,s [t_ijs (X'_ijs − X_ijs) − t_ijs X_ijs Δw_i] / E_j
//                    (tariff revenue from changed import volumes at constant prices)
// The three effects approximate the welfare change to first order; they do not sum exactly to it.
import type { OssaBaseline } from './baseline.ts';
import type { OssaOutcome } from './model.ts';

export interface WelfareDecomposition {
  termsOfTrade: Float64Array;
  profitShifting: Float64Array;
  tradeVolume: Float64Array;
}

export function decomposeWelfare(base: OssaBaseline, out: OssaOutcome): WelfareDecomposition {
  const { N, S, trade: X, tariff: t, expenditure: E } = base;
  const dw = Float64Array.from(out.wageHat, (w) => w - 1);
  const termsOfTrade = new Float64Array(N);
  const profitShifting = new Float64Array(N);
  const tradeVolume = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++) {
        const k = (s * N + j) * N + i;
        termsOfTrade[j] += (X[k] / E[j]) * (dw[j] - dw[i]);
        tradeVolume[j] += (t[k] * (out.trade[k] - X[k]) - t[k] * X[k] * dw[i]) / E[j];
      }
    }
  }
  for (let j = 0; j < N; j++) {
    for (let s = 0; s < S; s++) {
      const q = j * S + s;
      profitShifting[j] += (base.profits[q] / E[j]) * (out.salesHat[q] - 1 - dw[j]);
    }
    termsOfTrade[j] *= 100;
    profitShifting[j] *= 100;
    tradeVolume[j] *= 100;
  }
  return { termsOfTrade, profitShifting, tradeVolume };
}
