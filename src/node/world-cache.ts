// A binary cache of worlds built from large source files (the CP2015 CSVs, 2.8 MB): parsing and preprocessing
// them takes about 0.1 s of every `tariffsim` call, reading the cached arrays a few milliseconds
// (README, "Performance"). This cache holds the parsed input data only, never a solution; the same file layout
// (writeWorldFile, readWorldFile) also stores re-solved baselines, a solution (./baseline-cache.ts).
//
// Valid only for the exact inputs and code that built it (keys and folders: ./cache.ts). A cache that cannot be
// read or written is ignored: the world is then built from the source files.
//
// File layout: u32 little-endian header length h, the header as UTF-8 JSON (stamp, scalars, regions, sectors,
// notes, each array's name and length, and an optional `extra` JSON value), zero padding to a multiple of 8 bytes, then the arrays' float64
// values in the header's order (exact bits, so a cached world equals the parsed one bit for bit).
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivedCacheDir, fileStamps } from './cache.ts';
import type { World } from '../data/world.ts';

const FORMAT = 'tariffsim-world-cache/1';

interface Header {
  stamp: string;
  name: string;
  year: number;
  currencyUnit: string;
  regions: World['regions'];
  sectors: World['sectors'];
  notes?: string[];
  /** Array fields of World (or `schedule:<name>` for tariffSchedules) and their lengths, in file order. */
  arrays: [string, number][];
  /** What a caller stores beside the world (JSON), e.g. the solver's report of a re-solved baseline. */
  extra?: unknown;
}

const ARRAY_FIELDS = ['trade', 'tariff', 'vaShare', 'io', 'alpha', 'valueAdded', 'deficit'] as const;

/** The cache folder: `dir` if given (null = off), else TARIFFSIM_CACHE, else .tariffsim-cache/worlds when compiled. */
export function worldCacheDir(dir?: string | null): string | null {
  return derivedCacheDir('worlds', dir);
}

function stampOf(sourceFiles: string[]): string {
  return JSON.stringify({ format: FORMAT, files: fileStamps(sourceFiles) });
}

/**
 * The world `id` built by `build` from `sourceFiles`, through the cache in `dir` (see worldCacheDir). A missing
 * source file is left to `build` to report.
 */
export function cachedWorld(id: string, sourceFiles: string[], build: () => World, dir?: string | null): World {
  const folder = worldCacheDir(dir);
  if (!folder) return build();
  let stamp: string;
  try {
    stamp = stampOf(sourceFiles);
  } catch {
    return build();
  }
  const file = join(folder, `${id}-${createHash('sha256').update(stamp).digest('hex').slice(0, 16)}.bin`);
  const hit = readWorldFile(file, stamp);
  if (hit) return hit.world;
  const world = build();
  try {
    mkdirSync(folder, { recursive: true });
    for (const old of readdirSync(folder)) if (old.startsWith(`${id}-`) && old.endsWith('.bin')) rmSync(join(folder, old), { force: true });
    writeWorldFile(file, world, stamp);
  } catch {
    // Caching is an optimization: a read-only checkout still works.
  }
  return world;
}

/** Writes `w` (and `extra`) in the binary layout above, atomically (a temporary file renamed into place). */
export function writeWorldFile(file: string, w: World, stamp: string, extra?: unknown): void {
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  writeFileSync(tmp, encode(w, stamp, extra));
  renameSync(tmp, file);
}

function encode(w: World, stamp: string, extra?: unknown): Buffer {
  const arrays: [string, Float64Array][] = ARRAY_FIELDS.map((k) => [k, w[k]]);
  for (const [k, v] of Object.entries(w.tariffSchedules ?? {})) arrays.push([`schedule:${k}`, v]);
  const header: Header = { stamp, name: w.name, year: w.year, currencyUnit: w.currencyUnit, regions: w.regions, sectors: w.sectors, ...(w.notes ? { notes: w.notes } : {}), arrays: arrays.map(([k, a]) => [k, a.length]), ...(extra === undefined ? {} : { extra }) };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const total = start + 8 * arrays.reduce((s, [, a]) => s + a.length, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let at = start;
  for (const [, a] of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  return out;
}

/** The world (and extra) stored in `file` under `stamp`; null when missing, stored under another stamp, or corrupt. */
export function readWorldFile(file: string, stamp: string): { world: World; extra: unknown } | null {
  try {
    const buf = readFileSync(file);
    const h = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + h).toString('utf8')) as Header;
    if (header.stamp !== stamp) return null;
    let at = Math.ceil((4 + h) / 8) * 8;
    const values = new Map<string, Float64Array>();
    for (const [name, length] of header.arrays) {
      if (at + 8 * length > buf.length) return null;
      // Copied out of the file buffer into arrays of their own (aligned, and not sharing Node's buffer pool).
      const a = new Float64Array(length);
      new Uint8Array(a.buffer).set(buf.subarray(at, at + 8 * length));
      values.set(name, a);
      at += 8 * length;
    }
    if (at !== buf.length || ARRAY_FIELDS.some((k) => !values.has(k))) return null;
    const schedules = [...values].filter(([k]) => k.startsWith('schedule:'));
    const world: World = {
      name: header.name,
      year: header.year,
      currencyUnit: header.currencyUnit,
      regions: header.regions,
      sectors: header.sectors,
      trade: values.get('trade')!,
      tariff: values.get('tariff')!,
      vaShare: values.get('vaShare')!,
      io: values.get('io')!,
      alpha: values.get('alpha')!,
      valueAdded: values.get('valueAdded')!,
      deficit: values.get('deficit')!,
      ...(schedules.length ? { tariffSchedules: Object.fromEntries(schedules.map(([k, a]) => [k.slice('schedule:'.length), a])) } : {}),
      ...(header.notes ? { notes: header.notes } : {}),
    };
    return { world, extra: header.extra };
  } catch {
    return null;
  }
}
