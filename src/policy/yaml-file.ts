// Tariff action files: YAML → zod-validated value through the shared reader (src/data/yaml.ts); errors also
// name the id of the enclosing action.
import type { z } from 'zod';
import { parseYaml as parseYamlWith, type ParsedYaml, type YamlPath } from '../data/yaml.ts';

export type { ParsedYaml, YamlPath };

export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, hint: string): ParsedYaml<z.infer<S>> {
  return parseYamlWith(text, file, schema, { hint, idOf: idAt });
}

/** The `id` of the action enclosing a path like ['actions', 3, 'rate'], if any. */
function idAt(root: unknown, path: YamlPath): string | undefined {
  if (path[0] !== 'actions' || typeof path[1] !== 'number') return undefined;
  const a = (root as { actions?: unknown[] })?.actions?.[path[1]] as { id?: unknown } | undefined;
  return typeof a?.id === 'string' ? a.id : undefined;
}
