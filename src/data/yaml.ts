// YAML text → zod-validated value, with errors that name the file, the YAML path, line and column and give a
// hint. Pure (takes the text). Used by scenario files (src/scenario/load.ts) and tariff action files
// (src/policy/yaml-file.ts).
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

export interface ParseYamlOptions {
  /** A fixed hint, or one chosen by the failing path and zod issue code. */
  hint: string | ((path: YamlPath, code: string) => string);
  /** An id to name in the error (e.g. the enclosing tariff action's id). */
  idOf?: (root: unknown, path: YamlPath) => string | undefined;
  /** If set, the document must be a mapping; this is the message otherwise. */
  mappingMessage?: string;
}

export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, opts: ParseYamlOptions): ParsedYaml<z.infer<S>> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0];
    const pos = lc.linePos(err.pos[0]);
    throw new InputError(`malformed YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col }, 'check indentation, colons and quotes around this place');
  }
  const locate = (path: YamlPath) => locateIn(doc, lc, path);
  const raw = doc.toJS();
  if (opts.mappingMessage && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw new InputError(opts.mappingMessage, { file, line: 1, column: 1 });
  }
  const parsed = schema.safeParse(raw);
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
    const hint = typeof opts.hint === 'string' ? opts.hint : opts.hint(path, issue.code);
    throw new InputError(what, { file, line, column, field: path.join('.') || '(root)', id: opts.idOf?.(raw, path) }, hint);
  }
  return { file, value: parsed.data, locate };
}

/** The node at `path`, or for a missing key the closest parent that exists. */
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
