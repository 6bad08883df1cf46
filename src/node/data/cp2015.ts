// Reads the Caliendo & Parro (2015) dataset folder (../shared/data/cp2015); the parsing and preprocessing are
// src/data/cp2015.ts. Node-only (file system).
import { join } from 'node:path';
import { cp2015World, parseCp2015Raw, type Cp2015Raw } from '../../data/cp2015.ts';
import type { World } from '../../data/world.ts';
import { readCsvFile } from './files.ts';

export function readCp2015Raw(dir: string): Cp2015Raw {
  return parseCp2015Raw((name) => readCsvFile(join(dir, name)));
}

export function loadCp2015(dir: string): World {
  return cp2015World(readCp2015Raw(dir), dir);
}
