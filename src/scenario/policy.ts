// "Tariffs in force on DATE": a scenario's `policy` block, resolved through the tariff policy layer into the
// importer × exporter × sector tariff matrix of the scenario's world (src/policy/matrix.ts). US tariffs on every
// partner and China's tariffs on US goods change by what the policy layer says changed since 2025-01-01; every
// other tariff keeps the baseline. Errors point at the YAML line and column of the policy block.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import type { PolicyContext } from '../policy/inputs.ts';
import type { Concordance } from '../policy/concordance.ts';
import type { Country } from '../policy/countries.ts';
import { parsePolicyOptions } from '../policy/options.ts';
import { tariffMatrixOn, type TariffMatrix } from '../policy/matrix.ts';
import type { LoadedScenario } from './load.ts';

/**
 * A store of resolved tariff matrices by key (the dataset and the scenario's policy block). The face that supplies
 * it answers for the rest of the key: the policy files, the trade weights, the dataset's files and the code
 * (src/node/policy-cache.ts keys on their modification times).
 */
export interface PolicyMatrixCache {
  get(key: string): TariffMatrix | null;
  set(key: string, matrix: TariffMatrix): void;
}

/** The policy inputs a scenario with a `policy` block needs: the policy layer's data and the dataset's concordance. */
export interface PolicyInputs {
  /** Resolved matrices from earlier calls (optional): a hit skips loading the policy layer altogether. */
  cache?: PolicyMatrixCache;
  context: () => Promise<PolicyContext>;
  /** The dataset's HS → sector concordance, or null when it has none. */
  concordance: (ctx: PolicyContext) => Concordance | null;
  /** Datasets that have a concordance, for the error message. */
  known: string[];
  /** 2025 import weights relative to 2024 by partner (the `weights: 2025` option), from the monthly series. */
  weightScale2025: (ctx: PolicyContext) => (partner: Country) => number;
}

export async function policyTariffs(scenario: LoadedScenario, world: World, inputs: PolicyInputs): Promise<TariffMatrix | undefined> {
  const p = scenario.spec.policy;
  if (!p) return undefined;
  const at = (field: string, message: string, hint?: string): never => {
    const { line, column } = scenario.locate(['policy', field]);
    throw new InputError(message, { file: scenario.file, line, column, field: `policy.${field}` }, hint);
  };
  const key = JSON.stringify({ dataset: scenario.spec.dataset, regions: world.regions.map((r) => r.code), sectors: world.sectors.map((x) => x.name), policy: p });
  const hit = inputs.cache?.get(key);
  if (hit) return hit;
  const ctx = await inputs.context();
  const concordance = inputs.concordance(ctx);
  if (!concordance) return at('date', `dataset ${scenario.spec.dataset} has no HS concordance for the policy layer`, `policy dates work with: ${inputs.known.join(', ')}`);
  try {
    const options = parsePolicyOptions({ metalShare: p.metalShare, usmcaShares: p.usmcaShares, weights: p.weights, compat: p.compat });
    const matrix = tariffMatrixOn(p.date, ctx, world, {
      concordance,
      announcedThrough: p.announcedThrough,
      includeChina: p.china,
      policy: options,
      weightScale: options.weights === '2025' ? inputs.weightScale2025(ctx) : undefined,
    });
    inputs.cache?.set(key, matrix);
    return matrix;
  } catch (err) {
    if (err instanceof InputError) {
      const f = err.location.field ?? '';
      const field = /announced/i.test(f) ? 'announcedThrough' : ['metalShare', 'usmcaShares', 'weights', 'compat'].includes(f) ? f : 'date';
      return at(field, err.detail, err.hint);
    }
    throw err;
  }
}
