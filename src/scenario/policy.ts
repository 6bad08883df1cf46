// "Tariffs in force on DATE": a scenario's `policy` block, resolved through the tariff policy layer into the
// importer × exporter × sector tariff matrix of the scenario's world (src/policy/matrix.ts). US tariffs on every
// partner and China's tariffs on US goods change by what the policy layer says changed since 2025-01-01; every
// other tariff keeps the baseline. Errors point at the YAML line and column of the policy block.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import type { PolicyContext } from '../policy/inputs.ts';
import type { Concordance } from '../policy/concordance.ts';
import { tariffMatrixOn, type TariffMatrix } from '../policy/matrix.ts';
import type { LoadedScenario } from './load.ts';

/** The policy inputs a scenario with a `policy` block needs: the policy layer's data and the dataset's concordance. */
export interface PolicyInputs {
  context: () => Promise<PolicyContext>;
  /** The dataset's HS → sector concordance, or null when it has none. */
  concordance: (ctx: PolicyContext) => Concordance | null;
  /** Datasets that have a concordance, for the error message. */
  known: string[];
}

export async function policyTariffs(scenario: LoadedScenario, world: World, inputs: PolicyInputs): Promise<TariffMatrix | undefined> {
  const p = scenario.spec.policy;
  if (!p) return undefined;
  const at = (field: string, message: string, hint?: string): never => {
    const { line, column } = scenario.locate(['policy', field]);
    throw new InputError(message, { file: scenario.file, line, column, field: `policy.${field}` }, hint);
  };
  const ctx = await inputs.context();
  const concordance = inputs.concordance(ctx);
  if (!concordance) return at('date', `dataset ${scenario.spec.dataset} has no HS concordance for the policy layer`, `policy dates work with: ${inputs.known.join(', ')}`);
  try {
    return tariffMatrixOn(p.date, ctx, world, {
      concordance,
      announcedThrough: p.announcedThrough,
      includeChina: p.china,
    });
  } catch (err) {
    if (err instanceof InputError) {
      const field = /announced/i.test(err.location.field ?? '') ? 'announcedThrough' : 'date';
      return at(field, err.detail, err.hint);
    }
    throw err;
  }
}
