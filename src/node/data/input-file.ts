// The gate every input file passes before it is read: it must exist, be a regular file (not a directory, device
// or procfs entry), stay under a size limit, and be UTF-8 text (not gzip, not UTF-16, no NUL bytes). Each
// rejection is an InputError naming the file and saying what would fix it. Limits: docs/limits.md.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../../errors.ts';

/** Largest input text file read whole, in bytes (CSV data files; scenario files have a smaller limit). */
export const MAX_INPUT_FILE_BYTES = 512 * 1024 * 1024;

export interface InputFileOptions {
  /** Largest accepted size in bytes (default MAX_INPUT_FILE_BYTES). */
  maxBytes?: number;
  /** What would fix a missing file. */
  hint?: string;
  /** What the file is, for messages ("scenario file", "CSV file"). */
  what?: string;
}

/** Checks `file` and returns its size in bytes; throws an InputError naming the file otherwise. */
export function checkInputFile(file: string, opts: InputFileOptions = {}): number {
  const what = opts.what ?? 'input file';
  if (typeof file !== 'string' || file.length === 0) throw new InputError(`no ${what} given`, { file: String(file) }, 'give a file path');
  if (file.length > 4096) throw new InputError(`the ${what} path is ${file.length} characters long (at most 4096)`, { file: `${file.slice(0, 60)}…` });
  let st;
  try {
    if (!existsSync(file)) throw new InputError('file not found', { file }, opts.hint ?? 'check the path; shared datasets are read from ../shared/data (or $TARIFFSIM_DATA)');
    st = statSync(file);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file }, 'check the path and its permissions');
  }
  if (st.isDirectory()) throw new InputError(`is a directory, not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`, { file }, `give the path of a file inside it${opts.hint ? `; ${opts.hint}` : ''}`);
  if (!st.isFile()) throw new InputError(`is not a regular file (device, pipe or socket), cannot be used as ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`, { file }, 'save the input to a regular file first');
  const max = opts.maxBytes ?? MAX_INPUT_FILE_BYTES;
  if (st.size > max) throw new InputError(`the ${what} is ${megabytes(st.size)} (at most ${megabytes(max)})`, { file }, 'split or trim the file');
  if (st.size === 0) return 0;
  // Sniff the first bytes: compressed or UTF-16 files would otherwise reach the parsers as garbage.
  const head = Buffer.alloc(Math.min(st.size, 4096));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const kind = binaryKind(head);
  if (kind) throw new InputError(`is ${kind}, not UTF-8 text`, { file }, kind.startsWith('UTF-16') ? 'save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)' : 'decompress or convert it to a UTF-8 text file first');
  return st.size;
}

/** A description of a binary or non-UTF-8 encoding recognised from the first bytes, or null for text. */
export function binaryKind(head: Uint8Array): string | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'a gzip-compressed file';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'a zip archive (or an Excel .xlsx workbook)';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'a bzip2-compressed file';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'a zstd-compressed file';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'UTF-16 (little-endian) text';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'UTF-16 (big-endian) text';
  if (head.indexOf(0) >= 0) return 'a binary file (it contains NUL bytes; UTF-16 text without a byte-order mark looks like this)';
  return null;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}
