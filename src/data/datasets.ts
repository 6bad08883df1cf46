// Registry of named datasets a scenario can use (`dataset: cp2015`). Each entry knows its folder under the
// shared data directory and its loader; the CLI and scenario runner resolve names here.
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { loadEmbeddedWorld } from './builder/embedded.ts';
import { CP2015_CITATION, loadCp2015 } from './cp2015.ts';
import { sharedDataDir } from './paths.ts';
import type { World } from './world.ts';

export interface DatasetEntry {
  name: string;
  description: string;
  citation: string;
  load(dataDir: string): World;
}

export const DATASETS: Record<string, DatasetEntry> = {
  cp2015: {
    name: 'cp2015',
    description: 'Caliendo & Parro (2015) NAFTA data: 31 regions × 40 sectors (20 goods, 20 services), 1993',
    citation: CP2015_CITATION,
    load: (dataDir) => loadCp2015(join(dataDir, 'cp2015')),
  },
  world2024: {
    name: 'world2024',
    description: 'Embedded present-day baseline (data/baseline/world2024.json): WIOD 2011 aggregated to 16 regions × 18 sectors, US flows re-targeted to Census 2024',
    citation: 'Built by `tariffsim data build` from WIOD 2013 release (2011), US Census 2024 trade and published tariffs; see data/baseline/world2024.provenance.md',
    load: () => loadEmbeddedWorld(),
  },
};

const cache = new Map<string, World>();

/** Loads a dataset by name (cached per process). `dataDir` defaults to the shared data folder. */
export function loadDataset(name: string, dataDir = sharedDataDir()): World {
  const entry = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!entry) {
    throw new InputError(`unknown dataset '${name}'`, { field: 'dataset' }, `known datasets: ${Object.keys(DATASETS).join(', ')}`);
  }
  const key = `${name}@${dataDir}`;
  let w = cache.get(key);
  if (!w) {
    w = entry.load(dataDir);
    cache.set(key, w);
  }
  return w;
}
