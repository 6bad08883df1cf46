// The three versions every API response carries and every run id hashes in:
//   modelVersion   package version + a digest of the code that computes results (model, strategy, scenario, app,
//                  policy, estimate, the data and policy readers, the timing model's inputs);
//   datasetVersion a digest of the registered datasets' files (contents for project files; name, size and
//                  modification time for the shared folders, read once at start-up);
//   policyRevision a digest of the policy data (data/policy and data/timing contents, the shared us-tariffs files'
//                  names and sizes).
// A change to any of them changes the run ids, so cached results of older code or data are never served.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, sharedDataDir } from '../node/paths.ts';
import { POLICY_DIR } from '../node/policy/load.ts';
import { datasetRows } from '../app/registry.ts';

export interface Versions {
  modelVersion: string;
  datasetVersion: string;
  policyRevision: string;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function digestContents(h: ReturnType<typeof createHash>, root: string, paths: string[]): void {
  for (const p of paths) h.update(relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
}

function digestStats(h: ReturnType<typeof createHash>, root: string, paths: string[]): void {
  for (const p of paths) {
    const s = statSync(p);
    h.update(`${relative(root, p)}\0${s.size}\0${Math.trunc(s.mtimeMs)}\0`);
  }
}

const short = (h: ReturnType<typeof createHash>) => h.digest('hex').slice(0, 16);

/** Computes the versions of this process's code and data (`dataDir`: the shared datasets folder). */
export function computeVersions(dataDir: string = sharedDataDir()): Versions {
  const pkg = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const code = createHash('sha256');
  // The monthly timing model's Node side (inputs from the policy layer and the monthly files) with the rest.
  const timing = files(join(srcRoot, 'node')).filter((f) => dirname(f) === join(srcRoot, 'node') && /^timeline[^/]*\.(ts|js)$/.test(basename(f)));
  digestContents(code, srcRoot, [...['model', 'strategy', 'node/strategy', 'scenario', 'app', 'data', 'policy', 'estimate', 'node/policy', 'node/data'].flatMap((d) => files(join(srcRoot, d))), ...timing]);
  const data = createHash('sha256');
  for (const row of datasetRows()) {
    data.update(`${row.id}\0`);
    const src = row.source;
    if (src.kind === 'project-file') digestContents(data, PROJECT_ROOT, [resolve(PROJECT_ROOT, src.file)]);
    else if (src.kind === 'shared-folder') digestStats(data, dataDir, files(resolve(dataDir, src.folder)));
    else data.update('inline\0');
  }
  const policy = createHash('sha256');
  digestContents(policy, POLICY_DIR, files(POLICY_DIR));
  // The timing model's dated tables (threats, scheduled steps, the 2018–19 lists).
  digestContents(policy, PROJECT_ROOT, files(join(PROJECT_ROOT, 'data', 'timing')));
  digestStats(policy, dataDir, files(resolve(dataDir, 'us-tariffs')));
  return { modelVersion: `${pkg.version}+${short(code)}`, datasetVersion: short(data), policyRevision: short(policy) };
}
