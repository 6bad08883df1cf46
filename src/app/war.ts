// Use cases: a worldwide tariff war (Nash equilibrium and each government's optimal tariffs) and trade talks
// (cooperative tariffs), on the strategic model of the dataset the registry names.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import type { OssaData } from '../data/ossa2014.ts';
import { CLOSURES, type Closure } from '../model/cp/model.ts';
import type { NashRound } from '../strategy/nash.ts';
import type { InstrumentKind } from '../strategy/types.ts';
import type { CpWarReport } from '../node/strategy/cp.ts';
import type { TalksReport, WarReport as OssaWarReport } from '../node/strategy/ossa.ts';
import { datasetRow, datasetRows } from './registry.ts';
import { loadRow, type DataSources } from './sources.ts';
import { requireStrategy } from './deal.ts';

export type { TalksReport };

/** A trade war's report: Ossa's model (government welfare, profits, wages) or the multi-sector model (real income). */
export type WarReport = ({ model: 'ossa2014' } & OssaWarReport) | ({ model: 'cp2015' } & CpWarReport);

export interface WarInput {
  dataset: string;
  politicalEconomy?: boolean;
  /** Tariff instruments: one per partner × industry (Ossa default) or one per industry (MFN; always on the multi-sector model). */
  kind?: InstrumentKind;
  /** Multi-sector model: closure (default zero-deficits, balanced trade); naming one for Ossa's model is an error. */
  closure?: string;
  workers?: number;
  onRound?: (info: NashRound) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
}

function strategicRow(id: string) {
  const row = datasetRow(id, '--data');
  if (!row.strategic) throw new InputError(`dataset '${id}' has no strategic model`, { field: '--data' }, `strategic datasets: ${datasetRows().filter((r) => r.strategic).map((r) => r.id).join(', ')}`);
  return row;
}

export async function war(input: WarInput, sources: DataSources): Promise<WarReport> {
  const row = strategicRow(input.dataset);
  const runners = requireStrategy(sources);
  const common = { workers: input.workers, onRound: input.onRound, onBestResponse: input.onBestResponse };
  if (input.closure !== undefined && !(CLOSURES as readonly string[]).includes(input.closure)) {
    throw new InputError(`unknown closure '${input.closure}'`, { field: '--closure' }, 'use fixed-deficits or zero-deficits (multi-sector datasets only)');
  }
  if (row.model === 'cp') {
    if (input.politicalEconomy) throw new InputError('--political-economy needs the ossa2014 dataset (its estimated λ)', { field: '--political-economy' });
    const closure = input.closure ?? 'zero-deficits';
    const r = await runners.cpWar({ world: loadRow(row, sources) as World, closure: closure as Closure, kind: 'mfn', ...common });
    return { model: 'cp2015', ...r, dataset: row.id };
  }
  if (input.closure !== undefined) {
    throw new InputError(`--closure does not apply to ${row.id}: Ossa's purged data have balanced trade by construction`, { field: '--closure' }, 'drop --closure, or use --data world2024 or cp2015');
  }
  const r = await runners.ossaWar({ data: loadRow(row, sources) as OssaData, politicalEconomy: input.politicalEconomy, kind: input.kind, ...common });
  return { model: 'ossa2014', ...r };
}

export interface TalksInput {
  dataset?: string;
  politicalEconomy?: boolean;
  kind?: InstrumentKind;
  from?: 'factual' | 'nash';
  gains?: 'equal' | 'maxmin';
  workers?: number;
  onRound?: (info: NashRound) => void;
  onBestResponse?: (round: number, done: number, total: number) => void;
  onOuter?: (info: { outer: number; commonGain: number; violation: number }) => void;
}

export async function talks(input: TalksInput, sources: DataSources): Promise<TalksReport> {
  const row = strategicRow(input.dataset ?? 'ossa2014');
  if (row.model !== 'ossa') throw new InputError(`trade talks run on Ossa's model (ossa2014), not on ${row.id}`, { field: '--data' }, 'for a two-country deal on the multi-sector model use tariffsim deal');
  if (input.from && !['factual', 'nash'].includes(input.from)) throw new InputError(`--from must be factual or nash, got '${input.from}'`, { field: '--from' });
  if (input.gains && !['equal', 'maxmin'].includes(input.gains)) throw new InputError(`--gains must be equal or maxmin, got '${input.gains}'`, { field: '--gains' });
  return requireStrategy(sources).ossaTalks({ data: loadRow(row, sources) as OssaData, ...input });
}
