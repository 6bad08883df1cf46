// Inputs shared by the policy layer's use cases (src/app/tariffs.ts, src/app/etr.ts): how a face names its
// inputs in errors, and the effective-rate engine's options (sector concordance, 2025 weights) from the sources.
// Pure.
import { concordanceFile } from '../policy/concordance.ts';
import type { PolicyData } from '../policy/data.ts';
import type { EtrOptions } from '../policy/etr.ts';
import type { PolicyOptions } from '../policy/options.ts';
import type { DataSources } from './sources.ts';

/** The name of an input as a face calls it in errors (a CLI flag such as `--announced-through`, an API field). */
export type FieldOf = (name: string) => string;

/** The CLI's names: `announcedThrough` → `--announced-through`. */
export const flagOf: FieldOf = (name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Options of the effective-rate engine: the policy options, the sector of a product under the concordance
 * `sectors` (gtap or absent: the GTAP crosswalk; a dataset name of CONCORDANCES or a file the sources read),
 * and the 2025 weight scale when the options ask for 2025 weights.
 */
export function etrEngineOptions(data: PolicyData, options: PolicyOptions, sectors: string | undefined, sources: DataSources): EtrOptions {
  const conc = sectors && sectors !== 'gtap' ? sources.concordance(concordanceFile(sectors), data) : null;
  return {
    ...(conc ? { sectorOf: (h: string) => conc.sectors[conc.sectorOf(h)] ?? '(unmapped)' } : {}),
    policy: options,
    weightScale: options.weights === '2025' ? sources.policyWeights2025(data) : undefined,
  };
}
