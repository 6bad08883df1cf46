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
    if (err.code === 'MULTIPLE_DOCS') {
      throw new InputError('the file holds more than one YAML document (a line with --- starts another)', { file, line: pos.line, column: pos.col }, 'keep one document per file: remove the --- line and what follows, or split it into two files');
    }
    throw new InputError(`malformed YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col }, 'check indentation, colons and quotes around this place');
  }
  const locate = (path: YamlPath) => locateIn(doc, lc, path);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Unresolved aliases (*name without &name) and alias bombs are detected by the library while converting.
    const msg = (err as Error).message ?? String(err);
    const alias = /alias.*?:\s*(\S+)\s*$/i.exec(msg)?.[1];
    const at = alias ? text.indexOf(`*${alias}`) : -1;
    const pos = at >= 0 ? lc.linePos(at) : { line: 1, col: 1 };
    if (/excessive alias count/i.test(msg)) {
      throw new InputError('YAML aliases expand to too many nodes (more than 100 alias uses, as in an "alias bomb")', { file, line: pos.line, column: pos.col }, 'write the values out instead of nesting aliases');
    }
    throw new InputError(alias ? `unresolved YAML alias *${alias}: no anchor &${alias} is defined before it` : `invalid YAML: ${msg.split('\n')[0]}`, { file, line: pos.line, column: pos.col }, 'define the anchor (&name) before the alias (*name), or write the value out');
  }
  if (opts.mappingMessage && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw new InputError(opts.mappingMessage, { file, line: 1, column: 1 });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { issue, path: issuePath } = innermostIssue(parsed.error.issues[0] as ZodIssueLike, []);
    let path = issuePath;
    let what = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys?.[0];
      if (key) path = [...path, key];
      what = `unknown field '${key}'`;
    } else if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
      what = `missing required field '${path[path.length - 1] ?? '(root)'}'${issue.expected ? ` (${article(issue.expected)})` : ''}`;
    } else if (issue.code === 'invalid_type') {
      const v = valueAt(raw, path);
      what = `expected ${issue.expected ?? 'another type'}, got ${describeValue(v)}`;
    }
    const { line, column } = locate(path);
    const hint = typeof opts.hint === 'string' ? opts.hint : opts.hint(path, issue.code);
    throw new InputError(what, { file, line, column, field: path.join('.') || '(root)', id: opts.idOf?.(raw, path) }, hint);
  }
  return { file, value: parsed.data, locate };
}

/** The subset of a zod issue used here (zod 4 issue shapes). */
interface ZodIssueLike {
  code: string;
  message: string;
  path: PropertyKey[];
  keys?: string[];
  expected?: string;
  errors?: ZodIssueLike[][];
}

/**
 * A union's own issue only says "Invalid input"; its branches hold the reason. Choose the branch that got
 * furthest into the value (its deepest issue), preferring one that reports an unknown key, and recurse.
 */
function innermostIssue(issue: ZodIssueLike, prefix: YamlPath): { issue: ZodIssueLike; path: YamlPath } {
  const here = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { issue, path: here };
  const depth = (xs: ZodIssueLike[]) => Math.max(...xs.map((x) => x.path.length + (x.code === 'invalid_union' ? 1 : 0)));
  let best: ZodIssueLike[] | undefined;
  for (const branch of issue.errors) {
    if (!branch.length) continue;
    if (!best || depth(branch) > depth(best)) best = branch;
  }
  if (!best) return { issue, path: here };
  const deepest = [...best].sort((a, b) => b.path.length - a.path.length)[0];
  const unknown = best.find((x) => x.code === 'unrecognized_keys');
  // A misspelt key ("tarif") fails every branch at the top: report the unknown key, not a missing one.
  const pick = unknown && deepest.path.length <= 1 ? unknown : deepest;
  return innermostIssue(pick, here);
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function article(type: string): string {
  return /^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'number') return Number.isNaN(v) ? 'not-a-number (.nan)' : Number.isFinite(v) ? `the number ${v}` : 'an infinite number (.inf)';
  if (typeof v === 'string') return `the text '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'${/^\s*-?[\d.]+\s*%?\s*$/.test(v) ? ' (write numbers without quotes or %)' : ''}`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
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
