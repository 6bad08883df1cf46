// From estimates to counterfactuals: the partial-effect shock of the structural gravity GE and the trade
// elasticity implied by a tariff coefficient. Pure.
import { InputError } from '../errors.ts';
import type { FitResult } from './result.ts';

function coef(result: FitResult, name: string): { estimate: number; se: number } {
  const k = result.names.indexOf(name);
  if (k < 0) throw new InputError(`the estimate has no coefficient '${name}'`, { field: name }, `coefficients: ${result.names.join(', ')}`);
  return { estimate: result.coef[k], se: result.se[k] };
}

/**
 * Partial effect per pair, b_ij = β̂ · Δd_ij, for the GE's `shock` (Δ ln of the trade-cost term t_ij^{−θ}): β̂ is
 * the estimated coefficient of the policy variable d (e.g. an agreement dummy) and `change` its change per
 * pair in the counterfactual (1 for pairs that sign, −1 for pairs that leave, 0 otherwise).
 * As in Baier, Yotov & Zylkin (2019) and the ge_gravity example (eu_effect = β̂ · new_eu_pair).
 */
export function partialEffectShock(result: FitResult, coefficient: string, change: ArrayLike<number>): Float64Array {
  const { estimate } = coef(result, coefficient);
  const out = new Float64Array(change.length);
  for (let i = 0; i < change.length; i++) out[i] = estimate * change[i];
  return out;
}

/**
 * Trade elasticity from the coefficient β̂ on ln(1 + tariff) in a PPML gravity regression with trade measured
 * before tariffs (Yotov et al. 2016, ch. 1, exercise 2: σ = −β̂): the elasticity of substitution σ = −β̂ and the
 * trade-cost elasticity θ = σ − 1 (the θ of the one-sector GE). Standard errors carry over (linear maps).
 */
export function elasticityFromTariff(result: FitResult, coefficient: string): { sigma: number; theta: number; se: number } {
  const { estimate, se } = coef(result, coefficient);
  return { ...elasticityFromTariffCoefficient(estimate, coefficient), se };
}

/** σ = −β̂ and θ = σ − 1 from a coefficient β̂ on ln(1 + tariff) (see elasticityFromTariff). */
export function elasticityFromTariffCoefficient(beta: number, coefficient: string): { sigma: number; theta: number } {
  if (!(beta < 0)) {
    throw new InputError(`the tariff coefficient '${coefficient}' is ${beta.toFixed(4)}, not negative: no trade elasticity can be read from it`, { field: coefficient });
  }
  return { sigma: -beta, theta: -beta - 1 };
}
