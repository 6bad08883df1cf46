// Reading a scenario file: YAML → zod-validated spec, with every error pointing at the YAML path, line and
// column, plus a hint. Nothing runs unless the whole file is valid.
import { readText } from '../data/files.ts';
import { parseYaml, type YamlPath } from '../data/yaml.ts';
import { scenarioSchema, type ScenarioSpec } from './schema.ts';
import { MAX_SCENARIO_BYTES } from './limits.ts';

export type { YamlPath };

export interface LoadedScenario {
  file: string;
  spec: ScenarioSpec;
  /** Line and column (1-based) of the node at a YAML path, or of its closest existing parent. */
  locate(path: YamlPath): { line: number; column: number };
}

export function loadScenarioFile(file: string): LoadedScenario {
  return parseScenario(readText(file, 'check the scenario path (scenarios/ holds the shipped ones)', MAX_SCENARIO_BYTES), file);
}

export function parseScenario(text: string, file: string): LoadedScenario {
  const { value, locate } = parseYaml(text, file, scenarioSchema, {
    hint: hintFor,
    mappingMessage: 'a scenario file must be a YAML mapping with at least name, dataset and shocks',
  });
  return { file, spec: value, locate };
}

function hintFor(path: YamlPath, code: string): string {
  const last = path[path.length - 1];
  if (code === 'unrecognized_keys' && path[0] === 'shocks' && path.length === 3) return `a shock is {tariff: {…}} or {ntb: {…}}, not '${String(last)}'`;
  if (code === 'unrecognized_keys') return 'remove or rename the field; see scenarios/cp2015-nafta.yaml for the accepted fields';
  if (last === 'closure') return 'closure is fixed-deficits or zero-deficits';
  if (path[0] === 'shocks') return 'a shock is {tariff: {importer, exporter, sector, set|add|schedule}} or {ntb: {importer, exporter, sector, change}}';
  return 'see scenarios/cp2015-nafta.yaml for a complete example';
}
