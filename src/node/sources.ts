// Node's DataSources for the application layer: datasets from ../shared/data (or $TARIFFSIM_DATA) and the
// project's own files, the policy layer's inputs, files named in inputs, and worker-thread strategy runners.
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { loadEmbeddedWorld } from '../data/builder/embedded.ts';
import { loadCp2015 } from '../data/cp2015.ts';
import { readText } from '../data/files.ts';
import { loadOssa2014, type OssaData } from '../data/ossa2014.ts';
import { PROJECT_ROOT, sharedDataDir } from '../data/paths.ts';
import type { World } from '../data/world.ts';
import { parseConcordance } from '../policy/concordance.ts';
import { loadPolicyContext, loadWeightScale2025 } from '../policy/inputs.ts';
import { POLICY_DIR } from '../policy/load.ts';
import { runCpWar } from './strategy/cp.ts';
import { startCpDealHelper } from './strategy/cp-deal.ts';
import { runDeal, runTalks, runWar } from './strategy/ossa.ts';
import { datasetRow, type DatasetRow } from '../app/registry.ts';
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
        else if (src.format === 'cp2015') data = loadCp2015(path);
        else data = loadOssa2014(path);
        cache.set(key, data);
      }
      return data;
    },
    policy: (options = {}) => loadPolicyContext(dataDir ? { ...options, dataDir: dir } : options),
    concordance(file, policy) {
      const path = resolve(POLICY_DIR, 'concordance', file);
      return parseConcordance(readText(path), path, policy.gtapOf);
    },
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
