// Incidence of each tariff-setter's own tariffs (docs/cp2015.md, "Reports"): for every importer n whose tariffs
// change in a counterfactual, the counterfactual is re-solved with only n's tariff changes (every other tariff
// and trade cost at the baseline), and the import-weighted incidence is measured in n's wage:
//   border price  b = Σ M ĉ_i^j d̂_ni^j / ŵ_n / Σ M − 1,  tariff factor t = Σ M (1+τ'_ni^j)/(1+τ_ni^j) / Σ M − 1,
//   price to buyers a = Σ M (ĉ_i^j d̂_ni^j / ŵ_n)(1+τ'_ni^j)/(1+τ_ni^j) / Σ M − 1,  buyers' share = a / t,
// over the flows whose tariff n changed, weights M = baseline imports net of tariffs. Isolating n's own tariffs
// removes the price changes that other setters' tariffs cause (e.g. US tariffs raising US wages and so the
// price of US goods in China), which would otherwise be attributed to China's tariff.
import type { CpCounterfactual, CpModel } from './model.ts';
import { importPriceChanges, type CpResults } from './results.ts';

/**
 * Tolerance of the own-tariff solves: the shares are printed to 0.01 point, and at 1e-7 the border price and
 * buyers' share are within 2e-6 points of the solution to 1e-9 on NAFTA and the US–China standoff (docs/cp2015.md,
 * "Cost"); the scenario's own solve keeps the solver's tolerance.
 */
export const INCIDENCE_TOLERANCE = 1e-7;

/**
 * Fills `importPrices.ownTariffsOnly` of every region whose tariffs changed in `results` (one solve per setter,
 * from the baseline: a start at the scenario's equilibrium saves no iterations and, after a large shock, can be
 * too far away to converge; only the setter's import prices are evaluated, not a full report).
 */
export function ownTariffIncidence(model: CpModel, cf: CpCounterfactual, results: CpResults): void {
  if (!cf.tariff) return;
  const { economy: e } = model.baseline();
  const { N, J } = e;
  const tauNew = results.equilibrium.shock.tauNew;
  const codes = model.data.regions.map((r) => r.code);
  for (let n = 0; n < N; n++) {
    if (results.regions[n].importPrices.changedTariffs === null) continue;
    const only = e.tau.slice();
    let others = false;
    for (let j = 0; j < J; j++) {
      for (let m = 0; m < N; m++) {
        for (let i = 0; i < N; i++) {
          const x = (j * N + m) * N + i;
          if (m === n) only[x] = tauNew[x];
          else if (tauNew[x] !== e.tau[x]) others = true;
        }
      }
    }
    // Nothing else changed: the scenario's own incidence already is this setter's.
    const own = others || cf.tradeCostChange
      ? importPriceChanges(e, model.equilibrium({ tariff: only }, undefined, undefined, { tolerance: Math.max(INCIDENCE_TOLERANCE, model.tolerance) }).equilibrium, n, codes).changedTariffsInImporterWage!
      : results.regions[n].importPrices.changedTariffsInImporterWage!;
    results.regions[n].importPrices.ownTariffsOnly = stripByExporter(own);
  }
}

function stripByExporter<T extends { byExporter?: unknown }>(x: T): Omit<T, 'byExporter'> {
  const { byExporter: _, ...rest } = x;
  return rest;
}
