// The dataset/model registry: one row per dataset, naming its model kind, where its data come from, its HS
// concordance for the policy layer, and whether a strategic model (war, deal, talks) runs on it. Every face
// (CLI, HTTP API, web app) resolves dataset names here; adding a dataset is one row (or `registerDataset`).
// Pure: the rows say where data live; a `DataSources` implementation (src/node/sources.ts in Node) loads them.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import type { OssaData } from '../data/ossa2014.ts';
import { CP2015_CITATION, OSSA2014_CITATION } from '../data/citations.ts';

/** The model a dataset runs on: the Caliendo–Parro multi-sector model, or Ossa's (2014) model. */
export type ModelKind = 'cp' | 'ossa';

/** Where a dataset's data come from. */
export type DatasetSource =
  /** A folder of the shared datasets (../shared/data/<folder>) read by a named loader. */
  | { kind: 'shared-folder'; folder: string; format: 'cp2015' | 'ossa2014' }
  /** A file shipped with the project (path relative to the project root), in tariffsim's World JSON format. */
  | { kind: 'project-file'; file: string; format: 'tariffsim-world' }
  /** Data held in memory (tests, the browser, programmatic use). */
  | { kind: 'inline'; data: World | OssaData };

export interface DatasetRow {
  id: string;
  model: ModelKind;
  description: string;
  citation: string;
  /** A strategic model (Nash war, deal zone, talks) runs on this dataset. */
  strategic: boolean;
  /** HS → sector concordance for "tariffs in force on a date" (file under data/policy/concordance), if any. */
  concordance?: string;
  source: DatasetSource;
}


const ROWS = new Map<string, DatasetRow>();

/** Adds (or replaces) a dataset row. */
export function registerDataset(row: DatasetRow): void {
  ROWS.set(row.id, row);
}

/** Removes a dataset row (tests). */
export function unregisterDataset(id: string): void {
  ROWS.delete(id);
}

/** Every registered dataset, in registration order. */
export function datasetRows(): DatasetRow[] {
  return [...ROWS.values()];
}

/** The row of a dataset; an unknown name is an InputError on `field` listing the known ones. */
export function datasetRow(id: string, field = 'dataset'): DatasetRow {
  const row = typeof id === 'string' ? ROWS.get(id) : undefined;
  if (!row) throw new InputError(`unknown dataset '${String(id)}'`, { field }, `known datasets: ${[...ROWS.keys()].join(', ')}`);
  return row;
}

registerDataset({
  id: 'world2024',
  model: 'cp',
  description: "Embedded present-day baseline (data/baseline/world2024.json): WIOD 2011 structure aggregated to 16 regions × 18 sectors; every region's GDP and goods exports and imports 2024 (WDI), US flows by partner × sector Census 2024",
  citation: 'Built by `tariffsim data build` from the WIOD 2013 release (2011), World Bank WDI 2024, US Census 2024 trade and published tariffs; see data/baseline/world2024.provenance.md',
  strategic: true,
  concordance: 'hs-world2024.csv',
  source: { kind: 'project-file', file: 'data/baseline/world2024.json', format: 'tariffsim-world' },
});
registerDataset({
  id: 'cp2015',
  model: 'cp',
  description: 'Caliendo & Parro (2015) NAFTA data: 31 regions × 40 sectors (20 goods, 20 services), 1993',
  citation: CP2015_CITATION,
  strategic: true,
  concordance: 'hs-cp2015.csv',
  source: { kind: 'shared-folder', folder: 'cp2015', format: 'cp2015' },
});
registerDataset({
  id: 'ossa2014',
  model: 'ossa',
  description: 'Ossa (2014) data: 7 regions × 33 industries, 2007, imbalance-purged flows',
  citation: OSSA2014_CITATION,
  strategic: true,
  concordance: 'gtap-ossa2014.csv',
  source: { kind: 'shared-folder', folder: 'ossa2014', format: 'ossa2014' },
});
