// Reads the Ossa (2014) dataset folder (../shared/data/ossa2014); the parser is src/data/ossa2014.ts.
// Node-only (file system).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { OSSA_FILES, parseOssa2014, type OssaData, type OssaFiles, type OssaFlows } from '../../data/ossa2014.ts';
import { sharedDataDir } from '../paths.ts';
import { checkInputFile } from './input-file.ts';

/** The default dataset folder: <shared data>/ossa2014. */
export function ossaDataDir(): string {
  return resolve(sharedDataDir(), 'ossa2014');
}

/** Reads the four CSV files of the dataset from `dir` and parses them. */
export function loadOssa2014(dir: string = ossaDataDir(), flows: OssaFlows = 'balanced'): OssaData {
  if (!existsSync(dir)) {
    throw new InputError('dataset folder not found', { file: dir }, 'put ../shared/data/ossa2014 beside the checkout or set TARIFFSIM_DATA');
  }
  const files = {} as OssaFiles;
  for (const f of OSSA_FILES) {
    const p = resolve(dir, f);
    if (!existsSync(p)) throw new InputError('file not found', { file: p }, 'the ossa2014 dataset folder is incomplete');
    checkInputFile(p, { what: 'data file' });
    files[f] = readFileSync(p, 'utf8');
  }
  return parseOssa2014(files, dir, flows);
}
