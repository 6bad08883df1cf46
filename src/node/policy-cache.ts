// A cache of resolved policy tariff matrices ("tariffs in force on DATE" for a dataset's world): resolving one
// loads the policy layer (YAML actions, HS lists, 2024 import weights) and builds its rate engine, about 1.5 s
// of a `tariffsim deal` or `standoff` call; reading a cached matrix takes milliseconds (README, "Performance").
// The cache holds the policy layer's output for the scenario's world (model input), never a model solution.
//
// Key: the scenario layer's key (dataset, its regions and sectors, the scenario's policy block) plus the stamps
// (./cache.ts) of the policy files (data/policy), the shared trade data the layer reads (us-tariffs/), the
// dataset's own files, and the running build. One JSON file per key in .tariffsim-cache/policy/; numbers are
// written with JavaScript's shortest round-trip form, so a cached matrix equals the computed one exactly.
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetRow } from '../app/registry.ts';
import type { TariffMatrix } from '../policy/matrix.ts';
import type { PolicyMatrixCache } from '../scenario/policy.ts';
import { derivedCacheDir, fileStamps } from './cache.ts';
import { PROJECT_ROOT } from './paths.ts';
import { POLICY_DIR } from './policy/load.ts';

const FORMAT = 'tariffsim-policy-cache/1';

/** The files behind a dataset row's world (its folder or project file). */
function datasetFiles(row: DatasetRow, dataDir: string): string[] {
  const src = row.source;
  if (src.kind === 'project-file') return [resolve(PROJECT_ROOT, src.file)];
  if (src.kind === 'shared-folder') return [resolve(dataDir, src.folder)];
  return [];
}

interface Stored {
  format: string;
  key: string;
  stamp: string;
  matrix: Omit<TariffMatrix, 'tariff' | 'covered'> & { tariff: number[]; covered: number[] };
}

/**
 * The policy-matrix cache for `row`, or undefined when caching is off (see ./cache.ts) or the row's world is
 * inline. `dataDir` is the shared datasets folder.
 */
export function policyMatrixCache(row: DatasetRow, dataDir: string, dir?: string | null): PolicyMatrixCache | undefined {
  const folder = derivedCacheDir('policy', dir);
  if (!folder || row.source.kind === 'inline') return undefined;
  let stamp: string | null = null;
  const stampNow = (): string | null => {
    if (stamp === null) {
      try {
        stamp = JSON.stringify(fileStamps([POLICY_DIR, resolve(dataDir, 'us-tariffs'), ...datasetFiles(row, dataDir)]));
      } catch {
        return null;
      }
    }
    return stamp;
  };
  const fileOf = (key: string) => join(folder, `${row.id}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
  return {
    get(key) {
      const s = stampNow();
      if (s === null) return null;
      try {
        const j = JSON.parse(readFileSync(fileOf(key), 'utf8')) as Stored;
        if (j.format !== FORMAT || j.key !== key || j.stamp !== s) return null;
        return { ...j.matrix, tariff: Float64Array.from(j.matrix.tariff), covered: Uint8Array.from(j.matrix.covered) };
      } catch {
        return null;
      }
    },
    set(key, matrix) {
      const s = stampNow();
      if (s === null) return;
      try {
        mkdirSync(folder, { recursive: true });
        const file = fileOf(key);
        const body: Stored = { format: FORMAT, key, stamp: s, matrix: { ...matrix, tariff: Array.from(matrix.tariff), covered: Array.from(matrix.covered) } };
        const tmp = `${file}.${process.pid}-${threadId}.tmp`;
        writeFileSync(tmp, JSON.stringify(body));
        renameSync(tmp, file);
      } catch {
        // Caching is an optimization: a read-only checkout still works.
      }
    },
  };
}
