// Tests that need ../shared/data: skip with a clear message when it is absent, but never when CI is set.
import { resolve } from 'node:path';
import { sharedDataAvailable, sharedDataDir } from '../../src/node/paths.ts';

/**
 * Returns the `skip` option for node:test: false when the dataset folder exists; a message when it is
 * absent locally. Under CI (env CI set) a missing folder throws, so the suite fails instead of skipping.
 */
export function needsShared(sub: string): false | string {
  if (sharedDataAvailable(sub)) return false;
  if (process.env.CI) throw new Error(`CI is set but ${resolve(sharedDataDir(), sub)} is missing: CI must run with ../shared beside the checkout`);
  return `skipped: ${resolve(sharedDataDir(), sub)} not found (put ../shared/data beside the checkout or set TARIFFSIM_DATA)`;
}

export function sharedPath(...parts: string[]): string {
  return resolve(sharedDataDir(), ...parts);
}
