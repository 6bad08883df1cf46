// What the application layer needs from the outside world, injected by each face: datasets, the tariff policy
// layer's inputs, files named inside inputs, and parallel runners for the strategic models. Node's
// implementation is src/node/sources.ts (files, worker threads); a browser supplies its own (fetch, Web Workers).
import type { World } from '../data/world.ts';
import type { OssaData } from '../data/ossa2014.ts';
import type { PolicyContext, RealizedMonth } from '../policy/inputs.ts';
import type { PolicyData } from '../policy/data.ts';
import type { Country } from '../policy/countries.ts';
import type { LoadOptions as PolicyLoadOptions } from '../node/policy/load.ts';
import type { Concordance } from '../policy/concordance.ts';
import type { CpWarOptions, CpWarReport } from '../node/strategy/cp.ts';
import type { CpDealHelper, CpDealInit } from '../node/strategy/cp-deal.ts';
import type { DealOptions as OssaDealOptions, DealReport as OssaDealResult, OssaRunOptions, TalksOptions, TalksReport, WarReport } from '../node/strategy/ossa.ts';
import type { DatasetRow } from './registry.ts';
import type { PolicyMatrixCache } from '../scenario/policy.ts';
import type { CpBaselineStore } from '../model/cp/model.ts';

export type { PolicyContext, PolicyLoadOptions };

/** Runners of the strategic computations (worker threads in Node; a browser may run them in this thread). */
export interface StrategyRunners {
  ossaWar(opts: OssaRunOptions): Promise<WarReport>;
  ossaTalks(opts: TalksOptions): Promise<TalksReport>;
  ossaDeal(opts: OssaDealOptions): Promise<OssaDealResult>;
  cpWar(opts: CpWarOptions): Promise<CpWarReport>;
  /** A second thread for the multi-sector deal grid, started before the scenario is compiled (optional). */
  cpDealHelper?(init: CpDealInit): CpDealHelper;
}

export interface DataSources {
  /** The data of a registry row whose source is not inline: a World (model 'cp') or OssaData (model 'ossa'). */
  dataset(row: DatasetRow): World | OssaData;
  /** The tariff policy layer's actions, lists and 2024 weights. */
  policy(options?: PolicyLoadOptions): Promise<PolicyContext>;
  /** An HS → sector concordance (a file name under data/policy/concordance, or a path of the face's own, e.g. a
   *  CLI user's file) parsed against the policy data; an unknown one is an InputError. */
  concordance(file: string, policy: PolicyData): Concordance;
  /** 2025 import weights relative to 2024 by partner (policy option `weights: 2025`), from the monthly series. */
  policyWeights2025(policy: PolicyData): (partner: Country) => number;
  /** Realized monthly customs duties and imports (Treasury ÷ Census) for `effectiveRate` with `realized`;
   *  absent where the face has no such series (the app answers with an InputError). */
  realizedDuties?(): { months: RealizedMonth[]; source: string };
  /** A text file named inside an input (e.g. a scenario's `fromEstimate` estimate), relative to the input's own file. */
  readText(path: string, relativeTo?: string): string;
  /** Resolved policy tariff matrices of a dataset from earlier runs (optional; src/node/policy-cache.ts). */
  policyMatrixCache?(row: DatasetRow): PolicyMatrixCache | undefined;
  /** Re-solved baselines of earlier runs of the multi-sector model (optional; src/node/baseline-cache.ts). */
  baselines?(): CpBaselineStore | undefined;
  /** Strategic runners; absent where the face cannot run them (the app answers with an InputError). */
  strategy?: StrategyRunners;
}

/** The data of a dataset row, inline or through the sources. */
export function loadRow(row: DatasetRow, sources: DataSources): World | OssaData {
  return row.source.kind === 'inline' ? row.source.data : sources.dataset(row);
}
