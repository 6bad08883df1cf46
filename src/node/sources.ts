// Node's DataSources for the application layer: datasets from ../shared/data (or $TARIFFSIM_DATA) and the
// project's own files, the policy layer's inputs, files named in inputs, and worker-thread strategy runners.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { loadEmbeddedWorld } from './data/builder/embedded.ts';
import { loadCp2015 } from './data/cp2015.ts';
import { CP2015_FILES } from '../data/cp2015.ts';
import { readText } from './data/files.ts';
import type { OssaData } from '../data/ossa2014.ts';
import { loadOssa2014 } from './data/ossa2014.ts';
import { PROJECT_ROOT, sharedDataDir } from './paths.ts';
import type { World } from '../data/world.ts';
import { CONCORDANCES, parseConcordance } from '../policy/concordance.ts';
import { loadPolicyContext, loadRealizedDuties, loadWeightScale2025 } from './policy/inputs.ts';
import { POLICY_DIR } from './policy/load.ts';
import { runCpWar } from './strategy/cp.ts';
import { startCpDealHelper } from './strategy/cp-deal.ts';
import { runDeal, runTalks, runWar } from './strategy/ossa.ts';
import { datasetRow, type DatasetRow } from '../app/registry.ts';
import { cachedWorld } from './world-cache.ts';
import { policyMatrixCache } from './policy-cache.ts';
import { baselineCache } from './baseline-cache.ts';
import type { DataSources } from '../app/sources.ts';

const cache = new Map<string, World | OssaData>();

/** Node's sources; `dataDir` is the folder of the shared datasets (default ../shared/data or $TARIFFSIM_DATA). */
export function nodeSources(dataDir?: string): DataSources {
  const dir = dataDir ? resolve(dataDir) : sharedDataDir();
  return {
    dataset(row: DatasetRow): World | OssaData {
      const src = row.source;
      if (src.kind === 'inline') return src.data;
      const path = src.kind === 'project-file' ? resolve(PROJECT_ROOT, src.file) : resolve(dir, src.folder);
      const key = `${row.id}@${path}`;
      let data = cache.get(key);
      if (!data) {
        if (src.kind === 'project-file') data = loadEmbeddedWorld(path);
        else if (src.format === 'cp2015') data = cachedWorld(row.id, CP2015_FILES.map((f) => resolve(path, f)), () => loadCp2015(path));
        else data = loadOssa2014(path);
        cache.set(key, data);
      }
      return data;
    },
    policy: (options = {}) => loadPolicyContext(dataDir ? { ...options, dataDir: dir } : options),
    concordance(file, policy) {
      // A bare file name is looked up under data/policy/concordance first, then (like any path) from the working directory.
      const inFolder = /[\\/]/.test(file) ? null : resolve(POLICY_DIR, 'concordance', file);
      const path = inFolder && existsSync(inFolder) ? inFolder : resolve(file);
      if (!existsSync(path)) throw new InputError(`unknown concordance '${file}'`, { field: 'concordance' }, `use one of ${Object.keys(CONCORDANCES).join(', ')} or a CSV path with columns key,sector`);
      return parseConcordance(readText(path), path, policy.gtapOf);
    },
    realizedDuties: () => loadRealizedDuties(dir),
    policyMatrixCache: (row) => policyMatrixCache(row, dir),
    baselines: () => baselineCache(),
    policyWeights2025: (policy) => loadWeightScale2025(policy, dir).scale,
    readText: (path, relativeTo) => readText(relativeTo ? resolve(dirname(relativeTo), path) : resolve(path), 'check the path (relative to the file that names it)'),
    strategy: { ossaWar: runWar, ossaTalks: runTalks, ossaDeal: runDeal, cpWar: runCpWar, cpDealHelper: startCpDealHelper },
  };
}

/** A multi-sector dataset's World by name (tests, benchmarks, the builder). */
export function loadDataset(name: string, dataDir?: string): World {
  const row = datasetRow(name);
  if (row.model !== 'cp') throw new InputError(`dataset '${name}' is not a multi-sector (World) dataset`, { field: 'dataset' });
  return nodeSources(dataDir).dataset(row) as World;
}
