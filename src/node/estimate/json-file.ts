// Node side of the `estimate --json` format (src/estimate/json-format.ts): reads the file, a missing one being
// an InputError that names it and says how to make it.
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { ESTIMATE_JSON_HINT, parseEstimateJson, type EstimateJson } from '../../estimate/json-format.ts';

export function readEstimateJsonFile(file: string): EstimateJson {
  if (!existsSync(file)) throw new InputError('file not found', { file }, ESTIMATE_JSON_HINT);
  return parseEstimateJson(readFileSync(file, 'utf8'), file);
}
