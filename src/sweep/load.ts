// Parsing a sweep file: YAML → zod-validated spec, every error naming the field, line and column. Pure (text in).
import { parseYaml, type YamlPath } from '../data/yaml.ts';
import { sweepSchema, type SweepSpec } from './schema.ts';

export interface LoadedSweep {
  file: string;
  spec: SweepSpec;
  locate(path: YamlPath): { line: number; column: number };
}

export function parseSweep(text: string, file: string): LoadedSweep {
  const { value, locate } = parseYaml(text, file, sweepSchema, {
    hint: hintFor,
    mappingMessage: 'a sweep file must be a YAML mapping with name, scenario, draws, seed and vary',
  });
  return { file, spec: value, locate };
}

function hintFor(path: YamlPath, code: string): string {
  if (code === 'unrecognized_keys') return 'remove or rename the field; see scenarios/sweeps/standoff-theta.yaml for the accepted fields';
  if (path[0] === 'vary') return 'a vary entry is {theta: {sector, sd|relativeSd|fromEstimate|grid|choices}}, {closure: {grid|choices}} or {policy: {option: china|announcedThrough, grid|choices}}';
  return 'see scenarios/sweeps/standoff-theta.yaml for a complete example';
}
