// File-system helpers for loaders: missing files become InputErrors that name the path and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { parseCsv, type CsvTable } from './csv.ts';

export function readText(file: string, hint?: string): string {
  if (!existsSync(file)) {
    throw new InputError('file not found', { file }, hint ?? 'check the path; shared datasets are read from ../shared/data (or $TARIFFSIM_DATA)');
  }
  return readFileSync(file, 'utf8');
}

export function readCsvFile(file: string, hint?: string): CsvTable {
  return parseCsv(readText(file, hint), file);
}
