// A file store of re-solved baselines (CpBaselineStore, src/model/cp/model.ts). Before every counterfactual the
// multi-sector model re-solves the data's world under the closure (under zero deficits: the world rebalanced to
// D_n = 0, CP2015's baseline), about 0.1 s of a `tariffsim run` on CP2015. The re-solve depends only on the
// world (with the scenario's θ), the closure and the solver's options, never on the scenario's shocks, so a
// run of any scenario on the same dataset, θ and closure reads it back instead (bit for bit, in the binary
// layout of ./world-cache.ts, with the solver's report of the re-solve beside it). Reports state the baseline's
// convergence either way; the counterfactual and everything derived from it are solved on every run.
//
// Key: SHA-256 of the world's contents (every array's exact bits, regions, sectors with θ), the closure, the
// solver's options, the running build (./cache.ts) and the runtime. Off under TypeScript and with TARIFFSIM_CACHE=off;
// a store that cannot be read or written is ignored. At most MAX_ENTRIES files are kept (the least recently used
// go first).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { CpBaselineInputs, CpBaselineStore, StoredBaseline } from '../model/cp/model.ts';
import type { CpConvergence } from '../model/cp/solve.ts';
import { derivedCacheDir, fileStamps } from './cache.ts';
import { readWorldFile, writeWorldFile } from './world-cache.ts';

const FORMAT = 'tariffsim-baseline-cache/1';

/** Most entries kept (about 1–3 MB each). */
export const MAX_ENTRIES = 16;

const ARRAYS = ['trade', 'tariff', 'vaShare', 'io', 'alpha', 'valueAdded', 'deficit'] as const;

/**
 * The key of `inputs`: every number the re-solve reads, exactly, the names and notes the stored world carries,
 * the build, and the runtime (Math.exp and Math.log may differ in their last bits between V8 versions).
 */
export function baselineKey(inputs: CpBaselineInputs): string {
  const { world: w, closure, solver } = inputs;
  const h = createHash('sha256');
  // Solver options that change the result, typed arrays (the numéraire) as plain arrays; callbacks, warm starts
  // and names for diagnoses do not enter.
  const options = Object.fromEntries(
    Object.entries(solver)
      .filter(([k, v]) => v !== undefined && typeof v !== 'function' && k !== 'regionNames' && k !== 'warmStart' && k !== 'onIteration')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v]),
  );
  const schedules = Object.entries(w.tariffSchedules ?? {}).sort(([p], [q]) => (p < q ? -1 : 1));
  h.update(
    JSON.stringify({
      format: FORMAT,
      build: fileStamps([]),
      runtime: [process.versions.v8, process.arch],
      closure,
      options,
      name: w.name,
      year: w.year,
      currencyUnit: w.currencyUnit,
      regions: w.regions,
      sectors: w.sectors,
      notes: w.notes ?? null,
      arrays: [...ARRAYS.map((k) => [k, w[k].length]), ...schedules.map(([k, a]) => [`schedule:${k}`, a.length])],
    }),
  );
  for (const k of ARRAYS) h.update(bytesOf(w[k]));
  for (const [, a] of schedules) h.update(bytesOf(a));
  return h.digest('hex');
}

function bytesOf(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The store in `dir` (see derivedCacheDir: null = off), or undefined when caching is off. */
export function baselineCache(dir?: string | null): CpBaselineStore | undefined {
  const folder = derivedCacheDir('baselines', dir);
  if (!folder) return undefined;
  const fileOf = (key: string) => join(folder, `${key.slice(0, 32)}.bin`);
  // The model passes the same inputs object to `get` and, on a miss, to `put`: the key is hashed once.
  const keys = new WeakMap<CpBaselineInputs, string>();
  const keyOf = (inputs: CpBaselineInputs): string => {
    let key = keys.get(inputs);
    if (key === undefined) keys.set(inputs, (key = baselineKey(inputs)));
    return key;
  };
  return {
    get(inputs: CpBaselineInputs): StoredBaseline | null {
      try {
        const file = fileOf(keyOf(inputs));
        const hit = readWorldFile(file, keyOf(inputs));
        if (!hit || !isConvergence(hit.extra)) return null;
        // A read counts as a use: pruning keeps the entries used last.
        const now = new Date();
        utimesSync(file, now, now);
        return { world: hit.world, convergence: hit.extra };
      } catch {
        return null;
      }
    },
    put(inputs: CpBaselineInputs, baseline: StoredBaseline): void {
      try {
        const key = keyOf(inputs);
        mkdirSync(folder, { recursive: true });
        writeWorldFile(fileOf(key), baseline.world, key, baseline.convergence);
        prune(folder);
      } catch {
        // Caching is an optimization: a read-only checkout still works.
      }
    },
  };
}

function isConvergence(x: unknown): x is CpConvergence {
  const c = x as CpConvergence | undefined;
  return !!c && typeof c.iterations === 'number' && typeof c.converged === 'boolean' && !!c.residuals && typeof c.residuals.priceIndex === 'number';
}

/** Keeps the MAX_ENTRIES entries used last, and removes temporary files that a killed writer left (older than an hour). */
function prune(folder: string): void {
  const files = readdirSync(folder).map((f) => ({ f, t: statSync(join(folder, f)).mtimeMs }));
  const entries = files.filter(({ f }) => f.endsWith('.bin')).sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(MAX_ENTRIES)) rmSync(join(folder, f), { force: true });
  const hourAgo = Date.now() - 3600_000;
  for (const { f, t } of files) if (f.endsWith('.tmp') && t < hourAgo) rmSync(join(folder, f), { force: true });
}
