// Where the derived-data caches live and what keys them (src/node/world-cache.ts, src/node/policy-cache.ts;
// src/node/baseline-cache.ts keys by content instead of files, plus the build identity here).
// A cache entry is valid only for the inputs and code that built it: keys carry the size and modification time of
// every input file (as make does: a file replaced by one of the same size with its modification time preserved
// would not be noticed) plus the identity of the running build (dist/BUILD_ID, rewritten by `npm run build`). Under TypeScript (tests, benchmarks via tsx) the caches are off unless a folder
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

/**
 * The file that identifies the running code: dist/BUILD_ID, written by every `npm run build`
 * (scripts/bundle-cli.mjs), shared by the CLI bundle and the modules worker threads load; under TypeScript, this
 * source file (only used when a test gives a cache folder).
 */
function codeIdentity(): string {
  return import.meta.url.endsWith('.js') ? join(PROJECT_ROOT, 'dist', 'BUILD_ID') : fileURLToPath(import.meta.url);
}

/** [path, size, mtime] of this build's identity file and of every file given or under the folders given (sorted). */
export function fileStamps(paths: string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  const visit = (p: string): void => {
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(join(p, name));
    } else out.push([p, s.size, s.mtimeMs]);
  };
  visit(codeIdentity());
  for (const p of paths) visit(p);
  return out;
}
