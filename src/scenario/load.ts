// Parsing a scenario (text of a file, or JSON): YAML → zod-validated spec, with every error pointing at the YAML path, line and
// column, plus a hint. Nothing runs unless the whole file is valid.
import { parseYaml, type YamlPath } from '../data/yaml.ts';
import { scenarioSchema, type ScenarioSpec } from './schema.ts';

export type { YamlPath };

export interface LoadedScenario {
  file: string;
  spec: ScenarioSpec;
  /** Line and column (1-based) of the node at a YAML path, or of its closest existing parent. */
  locate(path: YamlPath): { line: number; column: number };
}

export function parseScenario(text: string, file: string): LoadedScenario {
  const { value, locate } = parseYaml(text, file, scenarioSchema, {
    hint: hintFor,
    mappingMessage: 'a scenario file must be a YAML mapping with at least name, dataset and shocks',
  });
  return { file, spec: value, locate };
}

/**
 * A scenario given as a plain object (an HTTP body, a browser state): validated like a file; errors name the
 * field and the line of the object's JSON form under `label`.
 */
export function scenarioFromObject(value: unknown, label = '<scenario>'): LoadedScenario {
  return parseScenario(JSON.stringify(value ?? null, null, 1), label);
}

function hintFor(path: YamlPath, code: string): string {
  const last = path[path.length - 1];
  if (code === 'unrecognized_keys' && path[0] === 'shocks' && path.length === 3) return `a shock is {tariff: {…}} or {ntb: {…}}, not '${String(last)}'`;
  if (code === 'unrecognized_keys') return 'remove or rename the field; see scenarios/cp2015-nafta.yaml for the accepted fields';
  if (last === 'closure') return 'closure is fixed-deficits or zero-deficits';
  if (path[0] === 'shocks') return 'a shock is {tariff: {importer, exporter, sector, set|add|schedule}} or {ntb: {importer, exporter, sector, change}}';
  return 'see scenarios/cp2015-nafta.yaml for a complete example';
}
