// "Tariffs in force on DATE": a scenario's `policy` block, resolved through the tariff policy layer into the
// importer × exporter × sector tariff matrix of the scenario's world (src/policy/matrix.ts). US tariffs on every
// partner and China's tariffs on US goods change by what the policy layer says changed since 2025-01-01; every
// other tariff keeps the baseline. Errors point at the YAML line and column of the policy block.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import { CONCORDANCES, loadConcordance, loadPolicyContext, loadWeightScale2025 } from '../policy/inputs.ts';
import { parsePolicyOptions } from '../policy/options.ts';
import { tariffMatrixOn, type TariffMatrix } from '../policy/matrix.ts';
import type { LoadedScenario } from './load.ts';

export async function policyTariffs(scenario: LoadedScenario, world: World, dataDir?: string): Promise<TariffMatrix | undefined> {
  const p = scenario.spec.policy;
  if (!p) return undefined;
  const at = (field: string, message: string, hint?: string): never => {
    const { line, column } = scenario.locate(['policy', field]);
    throw new InputError(message, { file: scenario.file, line, column, field: `policy.${field}` }, hint);
  };
  if (!CONCORDANCES[scenario.spec.dataset]) {
    at('date', `dataset ${scenario.spec.dataset} has no HS concordance for the policy layer`, `policy dates work with: ${Object.keys(CONCORDANCES).join(', ')}`);
  }
  const ctx = await loadPolicyContext(dataDir ? { dataDir } : {});
  try {
    const options = parsePolicyOptions({ metalShare: p.metalShare, usmcaShares: p.usmcaShares, weights: p.weights, compat: p.compat });
    return tariffMatrixOn(p.date, ctx, world, {
      concordance: loadConcordance(scenario.spec.dataset, ctx.data),
      announcedThrough: p.announcedThrough,
      includeChina: p.china,
      policy: options,
      weightScale: options.weights === '2025' ? loadWeightScale2025(ctx.data, dataDir).scale : undefined,
    });
  } catch (err) {
    if (err instanceof InputError) {
      const f = err.location.field ?? '';
      const field = /announced/i.test(f) ? 'announcedThrough' : ['metalShare', 'usmcaShares', 'weights', 'compat'].includes(f) ? f : 'date';
      return at(field, err.detail, err.hint);
    }
    throw err;
  }
}
