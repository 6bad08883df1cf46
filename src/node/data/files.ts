// File-system helpers for loaders: missing files become InputErrors that name the path and the fix.
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { parseCsv, type CsvTable } from '../../data/csv.ts';
import { checkInputFile } from './input-file.ts';

/** Reads a UTF-8 text file after ./input-file.ts has checked its kind, size and encoding. */
export function readText(file: string, hint?: string, maxBytes?: number): string {
  checkInputFile(file, { hint, maxBytes });
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file }, hint ?? 'check the path and its permissions');
  }
}

export function readCsvFile(file: string, hint?: string): CsvTable {
  return parseCsv(readText(file, hint), file);
}
