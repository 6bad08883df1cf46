// YAML text → zod-validated value, with errors that name the file, the YAML path, line and column.
// Pure (takes the text); the node loaders read the files.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.ts';

export type YamlPath = (string | number)[];

export interface ParsedYaml<T> {
  file: string;
  value: T;
  /** 1-based line and column of the node at `path` (or of its nearest existing parent). */
  locate(path: YamlPath): { line: number; column: number };
}

export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, hint: string): ParsedYaml<z.infer<S>> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0];
    const pos = lc.linePos(err.pos[0]);
    throw new InputError(`malformed YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col }, 'check indentation, colons and quotes around this place');
  }
  const locate = (path: YamlPath) => locateIn(doc, lc, path);
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    let what = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const key = (issue as { keys?: string[] }).keys?.[0];
      if (key) path = [...path, key];
      what = `unknown field '${key}'`;
    }
    const { line, column } = locate(path);
    const id = idAt(doc.toJS(), path);
    throw new InputError(what, { file, line, column, field: path.join('.') || '(root)', id }, hint);
  }
  return { file, value: parsed.data, locate };
}

/** The `id` of the action enclosing a path like ['actions', 3, 'rate'], if any. */
function idAt(root: unknown, path: YamlPath): string | undefined {
  if (path[0] !== 'actions' || typeof path[1] !== 'number') return undefined;
  const a = (root as { actions?: unknown[] })?.actions?.[path[1]] as { id?: unknown } | undefined;
  return typeof a?.id === 'string' ? a.id : undefined;
}

function locateIn(doc: Document, lc: LineCounter, path: YamlPath): { line: number; column: number } {
  for (let len = path.length; len >= 0; len--) {
    const sub = path.slice(0, len);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return { line: 1, column: 1 };
}
