// Loads the tariff-policy dataset from disk: data/policy (the manifest and the files it names) and the shared
// data folder, assembled by src/policy/assemble.ts. Node-only (file system). Results are memoized per process.
import { resolve } from 'node:path';
import { assemblePolicy, readProductList as readProductListWith, type ListCache, type PolicyFiles } from '../../policy/assemble.ts';
import type { PolicyData } from '../../policy/data.ts';
import type { ProductListSpec } from '../../policy/schema.ts';
import { readText } from '../data/files.ts';
import { PROJECT_ROOT, sharedDataDir } from '../paths.ts';

export const POLICY_DIR = resolve(PROJECT_ROOT, 'data', 'policy');

export interface LoadOptions {
  /** Folder with manifest.yaml (default data/policy). */
  policyDir?: string;
  /** Shared data folder (default ../shared/data or $TARIFFSIM_DATA). */
  dataDir?: string;
  /** Extra action-file texts, e.g. for tests: { file: name, text: yaml }. Replace the manifest's action files when `replaceActions` is set. */
  extraActionFiles?: { file: string; text: string }[];
  replaceActions?: boolean;
}

/** The dataset's files on disk. */
export const nodePolicyFiles: PolicyFiles = { path: (dir, name) => resolve(dir, name), read: (file, hint) => readText(file, hint) };

const cache = new Map<string, PolicyData>();

/** Loads (once per process per option set) and compiles the policy dataset. */
export function loadPolicy(opts: LoadOptions = {}): PolicyData {
  const key = JSON.stringify(opts);
  const hit = cache.get(key);
  if (hit) return hit;
  const data = loadPolicyUncached(opts);
  cache.set(key, data);
  return data;
}

const listCache: ListCache = new Map();

/** Forgets every memoized dataset and product list (benchmarks; tests that rewrite files). */
export function clearPolicyCaches(): void {
  cache.clear();
  listCache.clear();
}

export function loadPolicyUncached(opts: LoadOptions = {}): PolicyData {
  return assemblePolicy(nodePolicyFiles, { ...opts, policyDir: opts.policyDir ?? POLICY_DIR, dataDir: opts.dataDir ?? sharedDataDir() }, listCache);
}

/** Reads a named product list from the shared data folder (or its inline codes). */
export function readProductList(name: string, spec: ProductListSpec, dataDir: string, registryFile: string): { codes: string[]; except?: string[] } {
  return readProductListWith(nodePolicyFiles, name, spec, dataDir, registryFile, listCache);
}
