// The embedded baseline file (data/baseline/world2024.json), Node side: loads the file and parses it with the pure
// parser of src/data/world-json.ts (which holds the format's description). Re-exports the format's functions.
// Also stored (optional, read by `tariffsim data summary`): `targets`, the 2024 target of every region's GDP and
// goods exports and imports with its source row; the model values are recomputed from the world, not stored.
import { existsSync, readFileSync } from 'node:fs';
import { checkInputFile } from '../input-file.ts';
import { join } from 'node:path';
import { InputError } from '../../../errors.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import type { World } from '../../../data/world.ts';
import { parseWorld, type EmbeddedJson, type StoredTarget } from '../../../data/world-json.ts';

export { EMBEDDED_FORMAT, serializeWorld, parseWorld, type StoredTarget } from '../../../data/world-json.ts';
export const DEFAULT_BASELINE_FILE = join(PROJECT_ROOT, 'data', 'baseline', 'world2024.json');

/** Loads the embedded baseline (default data/baseline/world2024.json). */
export function loadEmbeddedWorld(file = DEFAULT_BASELINE_FILE): World {
  if (!existsSync(file)) throw new InputError('embedded baseline not found', { file }, 'build it with `tariffsim data build`');
  checkInputFile(file, { what: 'baseline file' });
  return parseWorld(readFileSync(file, 'utf8'), file);
}

/** The 2024 targets stored with the baseline (empty when the file has none). */
export function loadEmbeddedTargets(file = DEFAULT_BASELINE_FILE): StoredTarget[] {
  if (!existsSync(file)) throw new InputError('embedded baseline not found', { file }, 'build it with `tariffsim data build`');
  const j = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedJson;
  return j.targets ?? [];
}
