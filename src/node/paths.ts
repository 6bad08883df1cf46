// Where the real datasets live. Tests, benchmarks and the CLI read them from `../shared/data` beside the
// project checkout (never copied into the repo). TARIFFSIM_DATA overrides the location.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the project checkout (the folder holding package.json). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder of the shared datasets: $TARIFFSIM_DATA, else ../shared/data beside the checkout. */
export function sharedDataDir(): string {
  const env = process.env.TARIFFSIM_DATA;
  if (env) return resolve(env);
  return resolve(PROJECT_ROOT, '..', 'shared', 'data');
}

export function sharedDataAvailable(sub = ''): boolean {
  return existsSync(resolve(sharedDataDir(), sub));
}
