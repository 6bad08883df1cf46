// Reading a scenario file: YAML → zod-validated spec, with every error pointing at the YAML path, line and
// column, plus a hint. Nothing runs unless the whole file is valid.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { readText } from '../data/files.ts';
import { scenarioSchema, type ScenarioSpec } from './schema.ts';

export type YamlPath = (string | number)[];

export interface LoadedScenario {
  file: string;
  spec: ScenarioSpec;
  /** Line and column (1-based) of the node at a YAML path, or of its closest existing parent. */
  locate(path: YamlPath): { line: number; column: number };
}

export function loadScenarioFile(file: string): LoadedScenario {
  return parseScenario(readText(file, 'check the scenario path (scenarios/ holds the shipped ones)'), file);
}

export function parseScenario(text: string, file: string): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0];
    const pos = lineCounter.linePos(err.pos[0]);
    throw new InputError(`malformed YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col }, 'check indentation, colons and quotes around this place');
  }
  const locate = (path: YamlPath) => locateIn(doc, lineCounter, path);
  const raw = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('a scenario file must be a YAML mapping with at least name, dataset and shocks', { file, line: 1, column: 1 });
  }
  const parsed = scenarioSchema.safeParse(raw);
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
    throw new InputError(what, { file, line, column, field: path.join('.') || '(root)' }, hintFor(path, issue.code));
  }
  return { file, spec: parsed.data, locate };
}

function hintFor(path: YamlPath, code: string): string {
  const last = path[path.length - 1];
  if (code === 'unrecognized_keys') return 'remove or rename the field; see scenarios/cp2015-nafta.yaml for the accepted fields';
  if (last === 'closure') return 'closure is fixed-deficits or zero-deficits';
  if (path[0] === 'shocks') return 'a shock is {tariff: {importer, exporter, sector, set|add|schedule}} or {ntb: {importer, exporter, sector, change}}';
  return 'see scenarios/cp2015-nafta.yaml for a complete example';
}

function locateIn(doc: Document, lc: LineCounter, path: YamlPath): { line: number; column: number } {
  // A missing key has no node: fall back to the closest parent that exists.
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
