// Atomic output folders for `--out`: a set of result files appears complete or not at all.
//
// `checkOutDir` runs before any solve: the folder must be creatable (no file in the way, not under a file, not on
// a pseudo filesystem such as /proc, writable parent) and, if it exists, be empty or a previous tariffsim output
// (it holds manifest.json), because it is replaced as a whole.
// `writeOutputSet` writes every file into a hidden temporary sibling folder, writes manifest.json last (the list of
// files with their sizes and SHA-256, `complete: true`), then swaps the folder into place with renames. A kill at any
// moment leaves the target folder absent (only between the two renames), the previous complete set, or the new
// complete set; temporary folders of dead processes are removed by the next write.
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';

export const MANIFEST = 'manifest.json';

/** Pseudo filesystems where folders cannot hold results (and where Node's recursive mkdir can loop). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

export interface Manifest {
  tool: 'tariffsim';
  complete: true;
  command: string;
  written: string;
  files: { name: string; bytes: number; sha256: string }[];
}

/** Validates an output folder before any work is done; returns its absolute path. */
export function checkOutDir(dir: string, field = '--out', opts: { replacesFolder?: boolean } = {}): string {
  const replaces = opts.replacesFolder ?? true;
  if (typeof dir !== 'string' || dir.trim() === '') throw new InputError('no output folder given', { field }, 'give a folder path, e.g. --out out/run1');
  if (dir.length > 4096) throw new InputError(`the output folder path is ${dir.length} characters long (at most 4096)`, { field });
  const abs = resolve(dir);
  if (PSEUDO_ROOTS.some((r) => abs === r || abs.startsWith(r + sep))) {
    throw new InputError(`${abs} is on a system pseudo filesystem (${PSEUDO_ROOTS.join(', ')}), where result files cannot be written`, { file: abs, field }, 'choose a folder on a disk, e.g. --out out/run1');
  }
  if (existsSync(abs)) {
    const st = statSync(abs);
    if (!st.isDirectory()) throw new InputError('exists and is a file, not a folder', { file: abs, field }, 'choose a new folder name, or remove the file');
    const entries = readdirSync(abs);
    if (replaces && entries.length > 0 && !entries.includes(MANIFEST)) {
      throw new InputError(`exists and holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) but no ${MANIFEST}: it is not a tariffsim output folder, and --out replaces the whole folder`, { file: abs, field }, 'choose a new or empty folder');
    }
    checkWritable(replaces ? dirname(abs) : abs, abs, field);
    return abs;
  }
  // The nearest existing ancestor must be a writable folder.
  let p = dirname(abs);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!statSync(p).isDirectory()) throw new InputError(`cannot be created: ${p} is a file, not a folder`, { file: abs, field }, 'choose a path that is not below a file');
  checkWritable(p, abs, field);
  return abs;
}

function checkWritable(folder: string, target: string, field: string): void {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`cannot be written: no write permission in ${folder}`, { file: target, field }, 'choose a folder you can write to');
  }
}

/** Creates `dir` and its parents one level at a time (never Node's recursive mkdir, which can loop on procfs). */
export function makeDirs(dir: string): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!existsSync(p)) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(m).isDirectory()) continue;
      throw new InputError(`cannot create folder ${m} (${code ?? (err as Error).message})`, { file: abs }, 'choose another output folder');
    }
  }
}

/**
 * Writes `files` (relative path → content; paths may contain one level of sub-folders) as one complete set into
 * `dir`, replacing a previous set. See the file comment for the guarantees.
 */
export function writeOutputSet(dir: string, files: Record<string, string>, command: string): Manifest {
  const abs = resolve(dir);
  const parent = dirname(abs);
  const base = basename(abs);
  makeDirs(parent);
  removeStale(parent, base);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${base}.tmp-${tag}`);
  const manifest: Manifest = { tool: 'tariffsim', complete: true, command, written: new Date().toISOString(), files: [] };
  try {
    mkdirSync(tmp);
    for (const [name, text] of Object.entries(files)) {
      if (name === MANIFEST || name.includes('..') || name.startsWith('/')) throw new Error(`bad output file name '${name}'`);
      const f = join(tmp, name);
      if (!existsSync(dirname(f))) mkdirSync(dirname(f));
      writeFileSync(f, text);
      manifest.files.push({ name, bytes: Buffer.byteLength(text), sha256: sha256(text) });
      pauseForTests();
    }
    // The manifest is written last: a folder with a manifest is a complete set.
    writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    if (existsSync(abs)) {
      const old = join(parent, `.${base}.old-${tag}`);
      renameSync(abs, old);
      pauseForTests();
      renameSync(tmp, abs);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, abs);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (err instanceof InputError) throw err;
    throw new InputError(`could not write the results (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: abs, field: '--out' }, 'check free space and permissions, or choose another folder');
  }
  return manifest;
}

/** Checks a folder against its manifest: null if it is a complete set, else what is wrong. */
export function verifyOutputSet(dir: string): string | null {
  const m = join(dir, MANIFEST);
  if (!existsSync(m)) return `no ${MANIFEST}`;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(m, 'utf8'));
  } catch {
    return `${MANIFEST} is not valid JSON`;
  }
  if (manifest.complete !== true) return 'manifest not marked complete';
  for (const f of manifest.files) {
    const p = join(dir, f.name);
    if (!existsSync(p)) return `${f.name} missing`;
    if (sha256(readFileSync(p, 'utf8')) !== f.sha256) return `${f.name} does not match its checksum`;
  }
  return null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Removes temporary and old folders left by killed runs (their process no longer exists). */
function removeStale(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const prefix = [`.${base}.tmp-`, `.${base}.old-`];
  const target = join(parent, base);
  for (const e of entries) {
    const pre = prefix.find((p) => e.startsWith(p));
    if (!pre) continue;
    const pid = Number(e.slice(pre.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    const p = join(parent, e);
    // A run killed between its two renames left the previous complete set aside: put it back.
    if (pre.endsWith('.old-') && !existsSync(target) && verifyOutputSet(p) === null) renameSync(p, target);
    else rmSync(p, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Test aid: TARIFFSIM_OUT_PAUSE_MS widens the write window so kill tests land inside it. */
function pauseForTests(): void {
  const ms = Number(process.env.TARIFFSIM_OUT_PAUSE_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 1000));
}
