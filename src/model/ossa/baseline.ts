// Ossa (2014) model: the baseline shares every counterfactual is computed from. Pure.
//
// Model (Ossa 2014, §I): N regions, S industries; labour is the only factor and is mobile across industries;
// industry s has a fixed set of monopolistically competitive firms (Krugman 1980 with restricted entry), so
// firms charge the markup σ_s/(σ_s−1), earn profits Π_is = Y_is/σ_s and pay wages ((σ_s−1)/σ_s)·Y_is.
// Cobb–Douglas preferences across industries (shares μ_js), CES across varieties within an industry.
// Income = labour income + profits + tariff revenue − net exports.
//
// Notation (Ossa's, with i = exporter, j = importer):
//   X_ijs   trade flow i → j in industry s at exporter prices (net of tariffs)
//   t_ijs   ad valorem tariff of j on i; τ_ijs = 1 + t_ijs
//   γ_ijs = τ_ijs X_ijs / Σ_i τ_ijs X_ijs      expenditure share of j's industry-s spending on i (GAMMAs)
//   μ_js  = Σ_i τ_ijs X_ijs / E_j              Cobb–Douglas share of industry s in j's spending (MUs)
//   α_ijs = X_ijs / Y_is                        share of destination j in i's industry-s sales (ALPHAs)
//   δ_is  = ((σ_s−1)/σ_s) Y_is / Σ_s ((σ_s−1)/σ_s) Y_is   share of industry s in i's wage bill (DELTAs)
//   E_j   = Σ_i,s τ_ijs X_ijs                  expenditure (EXPENDITURE)
//   LI_j  = E_j + NX_j − R_j − Σ_s Π_js         labour income (LABORINCOME)
//
// Index order: bil(s, j, i) = (s * N + j) * N + i  (j importer, i exporter, as in src/data/world.ts);
//              rs(n, s) = n * S + s.
import type { OssaData } from '../../data/ossa2014.ts';
import { InputError } from '../../errors.ts';

export interface OssaBaseline {
  N: number;
  S: number;
  regions: string[];
  industries: string[];
  sigma: Float64Array;
  /** (σ_s − 1)/σ_s, the wage-bill share of revenue. length S. */
  kappa: Float64Array;
  /** X_ijs, bil(s, j, i). */
  trade: Float64Array;
  /** Factual tariffs t_ijs, bil(s, j, i). */
  tariff: Float64Array;
  /** γ_ijs, bil(s, j, i). */
  gamma: Float64Array;
  /** μ_js, rs(j, s). */
  mu: Float64Array;
  /** Y_is = Σ_j X_ijs (sales), rs(i, s). */
  sales: Float64Array;
  /** Π_is = Y_is / σ_s, rs(i, s). */
  profits: Float64Array;
  /** E_j. length N. */
  expenditure: Float64Array;
  /** LI_j (Ossa's definition). length N. */
  laborIncome: Float64Array;
  /** Σ_s ((σ_s−1)/σ_s) Y_is: wage bill implied by sales (equals LI_i up to NX). length N. */
  wageBill: Float64Array;
  /** NX_j = Σ_s (Y_js − Σ_i X_ijs), data net exports. length N. */
  netExports: Float64Array;
  /** R_j = Σ_i,s t_ijs X_ijs. length N. */
  revenue: Float64Array;
  /** Political-economy weights λ_js, rs(j, s) (all ones = welfare-maximising governments). */
  lambda: Float64Array;
  /** Government objective at the baseline, Σ_s λ_js (Y_js + δ_js R_j). length N. */
  govBase: Float64Array;
}

export const bil = (N: number, s: number, j: number, i: number): number => (s * N + j) * N + i;

/**
 * Computes the baseline shares from the data. `lambda` defaults to all ones (no political economy);
 * pass `data.lambda` for Ossa's estimated weights.
 */
export function calibrateOssa(data: OssaData, lambda?: Float64Array): OssaBaseline {
  const N = data.regions.length;
  const S = data.industries.length;
  const X = data.trade;
  const t = data.tariff;
  if (X.length !== S * N * N || t.length !== S * N * N) {
    throw new InputError(`trade/tariff arrays have ${X.length}/${t.length} entries, expected ${S * N * N}`, { file: data.source });
  }
  const lam = lambda ?? new Float64Array(N * S).fill(1);
  if (lam.length !== N * S) throw new InputError(`λ has ${lam.length} entries, expected ${N * S} (regions × industries)`, { file: data.source, field: 'lambda' });
  const sigma = Float64Array.from(data.sigma);
  const kappa = sigma.map((s) => (s - 1) / s);
  const gamma = new Float64Array(S * N * N);
  const mu = new Float64Array(N * S);
  const sales = new Float64Array(N * S);
  const purchases = new Float64Array(N);
  const expenditure = new Float64Array(N);
  const revenue = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < N; j++) {
      const base = (s * N + j) * N;
      let tot = 0;
      for (let i = 0; i < N; i++) {
        const k = base + i;
        const v = (1 + t[k]) * X[k];
        gamma[k] = v;
        tot += v;
        sales[i * S + s] += X[k];
        purchases[j] += X[k];
        revenue[j] += t[k] * X[k];
      }
      for (let i = 0; i < N; i++) gamma[base + i] /= tot;
      mu[j * S + s] = tot;
      expenditure[j] += tot;
    }
  }
  for (let j = 0; j < N; j++) for (let s = 0; s < S; s++) mu[j * S + s] /= expenditure[j];
  const profits = new Float64Array(N * S);
  const wageBill = new Float64Array(N);
  const netExports = new Float64Array(N);
  const laborIncome = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let prof = 0;
    let sal = 0;
    for (let s = 0; s < S; s++) {
      profits[i * S + s] = sales[i * S + s] / sigma[s];
      prof += profits[i * S + s];
      wageBill[i] += kappa[s] * sales[i * S + s];
      sal += sales[i * S + s];
    }
    netExports[i] = sal - purchases[i];
    laborIncome[i] = expenditure[i] + netExports[i] - revenue[i] - prof;
    if (!(laborIncome[i] > 0)) {
      throw new InputError(`labour income of ${data.regions[i]} is ${laborIncome[i]}`, { file: data.source }, 'check the trade flows');
    }
  }
  const govBase = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let g = 0;
    for (let s = 0; s < S; s++) {
      const delta = (kappa[s] * sales[j * S + s]) / wageBill[j];
      g += lam[j * S + s] * (sales[j * S + s] + delta * revenue[j]);
    }
    govBase[j] = g;
  }
  return {
    N,
    S,
    regions: data.regions.slice(),
    industries: data.industries.map((x) => x.code),
    sigma,
    kappa,
    trade: X,
    tariff: t,
    gamma,
    mu,
    sales,
    profits,
    expenditure,
    laborIncome,
    wageBill,
    netExports,
    revenue,
    lambda: Float64Array.from(lam),
    govBase,
  };
}
