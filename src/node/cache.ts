// Where the derived-data caches live and what keys them (src/node/world-cache.ts, src/node/policy-cache.ts).
// A cache entry is valid only for the exact inputs and code that built it: keys carry the size and modification
// time of every input file plus the identity of the running build (the modification time of this compiled module,
// which `npm run build` rewrites). Under TypeScript (tests, benchmarks via tsx) the caches are off unless a folder
// is given, since a source edit would not change the key. TARIFFSIM_CACHE=off turns them off; TARIFFSIM_CACHE=<dir>
// moves them (default .tariffsim-cache/ in the checkout, git-ignored).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './paths.ts';

/** The folder `sub` of the derived-data cache: `dir` if given (null = off), else from TARIFFSIM_CACHE, else
 *  .tariffsim-cache/<sub> when running compiled code; null when off. */
export function derivedCacheDir(sub: string, dir?: string | null): string | null {
  if (dir !== undefined) return dir;
  const env = process.env.TARIFFSIM_CACHE;
  if (env === 'off') return null;
  if (!import.meta.url.endsWith('.js')) return null;
  return join(env ? resolve(env) : resolve(PROJECT_ROOT, '.tariffsim-cache'), sub);
}

/** [path, size, mtime] of this build's code and of every file given or under the folders given (sorted). */
export function fileStamps(paths: string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  const visit = (p: string): void => {
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(join(p, name));
    } else out.push([p, s.size, s.mtimeMs]);
  };
  visit(fileURLToPath(import.meta.url));
  for (const p of paths) visit(p);
  return out;
}
