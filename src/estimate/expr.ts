// A small expression language over table columns, used by formula terms (`log(dist)`, `I(1 + x)`) and by
// `--where` filters (`year % 4 == 2 && exporter != importer`). Pure.
//
// Grammar (lowest to highest precedence):
//   or      := and ('||' and)*
//   and     := cmp ('&&' cmp)*
//   cmp     := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
//   sum     := prod (('+'|'-') prod)*
//   prod    := unary (('*'|'/'|'%') unary)*
//   unary   := ('-'|'!') unary | power
//   power   := primary ('^' unary)?            (only when `allowPower`; the formula's FE part uses ^ itself)
//   primary := number | 'text' | "text" | name | `quoted name` | name '(' args ')' | '(' or ')'
// Functions: log, log1p, exp, sqrt, abs, I (identity), ifelse(cond, a, b), in(x, v1, v2, ...).
// Missing values are NaN (numbers) or −1 codes (text); they propagate, comparisons with them are missing,
// and a filter keeps only rows where the condition is true (non-missing and non-zero).
import { InputError } from '../errors.ts';
import { getColumn, type Table } from './table.ts';

export type Node =
  | { type: 'num'; value: number; pos: number; end: number }
  | { type: 'str'; value: string; pos: number; end: number }
  | { type: 'col'; name: string; pos: number; end: number }
  | { type: 'call'; fn: string; args: Node[]; pos: number; end: number }
  | { type: 'unary'; op: '-' | '!'; arg: Node; pos: number; end: number }
  | { type: 'bin'; op: string; left: Node; right: Node; pos: number; end: number }
  | { type: 'paren'; inner: Node; pos: number; end: number };

export interface Token {
  kind: 'num' | 'str' | 'name' | 'op' | 'eof';
  text: string;
  value?: number;
  pos: number; // 0-based offset in the source
  end: number;
}

/** Where an expression sits, for messages: `label` ('formula', 'where') and the text. */
export interface Source {
  label: string;
  text: string;
}

export function syntaxError(src: Source, pos: number, message: string, hint?: string): InputError {
  const caret = `${src.text}\n  ${' '.repeat(Math.max(0, pos))}^`;
  return new InputError(`${src.label} syntax error at position ${pos + 1}: ${message}`, { field: src.label, column: pos + 1 }, `${hint ? `${hint}\n  ` : ''}${caret}`);
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '^', '!', '(', ')', ',', '~', '|', ':'];

/** Longest expression or formula (characters) and deepest nesting of parentheses and prefix operators. */
export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_EXPRESSION_DEPTH = 64;

export function tokenize(src: Source, start = 0, stop = src.text.length): Token[] {
  if (stop - start > MAX_EXPRESSION_LENGTH) {
    throw new InputError(`${src.label} is ${stop - start} characters long (at most ${MAX_EXPRESSION_LENGTH})`, { field: src.label }, 'shorten it, e.g. compute long expressions as a column of the CSV file');
  }
  const out = tokenizeAll(src, start, stop);
  // The parser recurses on parentheses and prefix operators: bound the nesting before parsing.
  let depth = 0;
  let prefix = 0;
  for (const t of out) {
    if (t.kind === 'op' && t.text === '(') depth++;
    else if (t.kind === 'op' && t.text === ')') depth--;
    prefix = t.kind === 'op' && (t.text === '-' || t.text === '!') ? prefix + 1 : 0;
    if (depth > MAX_EXPRESSION_DEPTH || prefix > MAX_EXPRESSION_DEPTH) {
      throw syntaxError({ label: src.label, text: src.text.length > 200 ? src.text.slice(0, t.pos + 1) : src.text }, t.pos, `${depth > MAX_EXPRESSION_DEPTH ? 'parentheses' : 'prefix operators'} nested more than ${MAX_EXPRESSION_DEPTH} deep`, 'simplify the expression');
    }
  }
  return out;
}

function tokenizeAll(src: Source, start: number, stop: number): Token[] {
  const s = src.text;
  const out: Token[] = [];
  let p = start;
  while (p < stop) {
    const ch = s[p];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      p++;
      continue;
    }
    if ((ch >= '0' && ch <= '9') || (ch === '.' && s[p + 1] >= '0' && s[p + 1] <= '9')) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.slice(p, stop))!;
      out.push({ kind: 'num', text: m[0], value: Number(m[0]), pos: p, end: p + m[0].length });
      p += m[0].length;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const q = s.indexOf(ch, p + 1);
      if (q < 0 || q >= stop) throw syntaxError(src, p, `unterminated ${ch === '`' ? 'quoted name' : 'text'} starting here`, `add the closing ${ch}`);
      out.push({ kind: ch === '`' ? 'name' : 'str', text: s.slice(p + 1, q), pos: p, end: q + 1 });
      p = q + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(p, stop))!;
      out.push({ kind: 'name', text: m[0], pos: p, end: p + m[0].length });
      p += m[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, p));
    if (op === undefined || p + op.length > stop) {
      throw syntaxError(src, p, `unexpected character '${ch}'`, ch === '=' ? "use '==' to compare" : ch === '&' ? "use '&&'" : undefined);
    }
    out.push({ kind: 'op', text: op, pos: p, end: p + op.length });
    p += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: stop, end: stop });
  return out;
}

const FUNCTIONS: Record<string, { min: number; max: number }> = {
  log: { min: 1, max: 1 },
  log1p: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  I: { min: 1, max: 1 },
  ifelse: { min: 3, max: 3 },
  in: { min: 2, max: Infinity },
};

/** Recursive-descent parser over a token list; `stopAt` ops end the expression (used by the formula parser). */
export class ExprParser {
  i = 0;
  constructor(
    readonly src: Source,
    readonly toks: Token[],
    readonly allowPower = true,
  ) {}

  peek(): Token {
    return this.toks[this.i];
  }
  next(): Token {
    return this.toks[this.i++];
  }
  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  expectOp(text: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== text) throw syntaxError(this.src, t.pos, `expected '${text}' ${what}, found ${describe(t)}`);
    return this.next();
  }

  parseOr(): Node {
    let left = this.parseAnd();
    while (this.isOp('||')) {
      this.next();
      const right = this.parseAnd();
      left = { type: 'bin', op: '||', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }
  parseAnd(): Node {
    let left = this.parseCmp();
    while (this.isOp('&&')) {
      this.next();
      const right = this.parseCmp();
      left = { type: 'bin', op: '&&', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }
  parseCmp(): Node {
    const left = this.parseSum();
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      const right = this.parseSum();
      return { type: 'bin', op: t.text, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }
  parseSum(): Node {
    let left = this.parseProd();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      const right = this.parseProd();
      left = { type: 'bin', op, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }
  parseProd(): Node {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text;
      const right = this.parseUnary();
      left = { type: 'bin', op, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }
  parseUnary(): Node {
    if (this.isOp('-') || this.isOp('!')) {
      const t = this.next();
      const arg = this.parseUnary();
      return { type: 'unary', op: t.text as '-' | '!', arg, pos: t.pos, end: arg.end };
    }
    return this.parsePower();
  }
  parsePower(): Node {
    const base = this.parsePrimary();
    if (this.allowPower && this.isOp('^')) {
      this.next();
      const exp = this.parseUnary();
      return { type: 'bin', op: '^', left: base, right: exp, pos: base.pos, end: exp.end };
    }
    return base;
  }
  parsePrimary(): Node {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return { type: 'num', value: t.value!, pos: t.pos, end: t.end };
    }
    if (t.kind === 'str') {
      this.next();
      return { type: 'str', value: t.text, pos: t.pos, end: t.end };
    }
    if (t.kind === 'name') {
      this.next();
      const quoted = this.src.text[t.pos] === '`';
      if (!quoted && this.isOp('(')) {
        const spec = Object.hasOwn(FUNCTIONS, t.text) ? FUNCTIONS[t.text] : undefined;
        if (!spec) {
          throw syntaxError(this.src, t.pos, `unknown function '${t.text}'`, `known functions: ${Object.keys(FUNCTIONS).join(', ')}`);
        }
        this.next();
        const args: Node[] = [];
        if (!this.isOp(')')) {
          // Inside parentheses '^' is always a power and ':' is not special.
          const inner = new ExprParser(this.src, this.toks, true);
          inner.i = this.i;
          args.push(inner.parseOr());
          while (inner.isOp(',')) {
            inner.next();
            args.push(inner.parseOr());
          }
          this.i = inner.i;
        }
        const close = this.expectOp(')', `to close ${t.text}(`);
        if (args.length < spec.min || args.length > spec.max) {
          const want = spec.max === Infinity ? `at least ${spec.min}` : spec.min === spec.max ? `${spec.min}` : `${spec.min}–${spec.max}`;
          throw syntaxError(this.src, t.pos, `${t.text}() takes ${want} argument${spec.min === 1 && spec.max === 1 ? '' : 's'}, got ${args.length}`);
        }
        return { type: 'call', fn: t.text, args, pos: t.pos, end: close.end };
      }
      return { type: 'col', name: t.text, pos: t.pos, end: t.end };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const inner = new ExprParser(this.src, this.toks, true);
      inner.i = this.i;
      const node = inner.parseOr();
      this.i = inner.i;
      const close = this.expectOp(')', 'to close the parenthesis');
      return { type: 'paren', inner: node, pos: t.pos, end: close.end };
    }
    throw syntaxError(this.src, t.pos, `expected a number, a column name or '(', found ${describe(t)}`);
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end';
  return `'${t.text}'`;
}

/** Parses a complete expression (e.g. a --where filter). */
export function parseExpression(text: string, label = 'where'): Node {
  const src = { label, text };
  const toks = tokenize(src);
  const p = new ExprParser(src, toks, true);
  if (toks[0].kind === 'eof') throw syntaxError(src, 0, 'the expression is empty');
  const node = p.parseOr();
  const t = p.peek();
  if (t.kind !== 'eof') throw syntaxError(src, t.pos, `unexpected ${describe(t)} after a complete expression`, t.text === '=' ? "use '==' to compare" : undefined);
  return node;
}

/** Source text of a node (for coefficient names). */
export function nodeText(src: Source, n: Node): string {
  return src.text.slice(n.pos, n.end).replace(/\s+/g, ' ').trim();
}

/** Column names an expression reads. */
export function columnsOf(n: Node, out: Set<string> = new Set()): Set<string> {
  switch (n.type) {
    case 'col':
      out.add(n.name);
      break;
    case 'call':
      n.args.forEach((a) => columnsOf(a, out));
      break;
    case 'unary':
      columnsOf(n.arg, out);
      break;
    case 'bin':
      columnsOf(n.left, out);
      columnsOf(n.right, out);
      break;
    case 'paren':
      columnsOf(n.inner, out);
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

type Value =
  | { kind: 'num'; v: Float64Array }
  | { kind: 'scalar'; v: number }
  | { kind: 'text'; codes: Int32Array; levels: string[]; name: string; source?: string }
  | { kind: 'lit'; s: string };

function typeError(src: Source, n: Node, message: string, hint?: string): InputError {
  return new InputError(`${src.label} position ${n.pos + 1} (${nodeText(src, n)}): ${message}`, { field: src.label, column: n.pos + 1 }, hint);
}

function asNumbers(src: Source, n: Node, val: Value, nrows: number): Float64Array | number {
  if (val.kind === 'num') return val.v;
  if (val.kind === 'scalar') return val.v;
  if (val.kind === 'text') {
    // Name the first value that is not a number, with its data row and the file.
    const bad = val.levels.findIndex((l) => Number.isNaN(Number(l)));
    const row = bad >= 0 ? val.codes.indexOf(bad) + 1 : 0;
    const where = bad >= 0 ? `: data row ${row} holds '${val.levels[bad].slice(0, 40)}'` : ` (e.g. '${val.levels[0] ?? ''}')`;
    const hint = bad >= 0 && val.levels.length > 1 ? 'fix or blank that value (empty, NA and . count as missing); text columns can only be compared with == or != or used as fixed effects / clusters' : 'text columns can only be compared with == or != (e.g. exporter != importer), or used as fixed effects / clusters';
    const message = `${src.label} position ${n.pos + 1} (${nodeText(src, n)}): column '${val.name}' holds text${where}, not a number`;
    throw new InputError(message, { file: val.source, row: row || undefined, field: val.name }, hint);
  }
  throw typeError(src, n, `'${val.s}' is text, not a number`);
  void nrows;
}

function mapNum(a: Float64Array | number, b: Float64Array | number, n: number, f: (x: number, y: number) => number): Float64Array {
  const out = new Float64Array(n);
  if (typeof a === 'number' && typeof b === 'number') out.fill(f(a, b));
  else if (typeof a === 'number') for (let i = 0; i < n; i++) out[i] = f(a, (b as Float64Array)[i]);
  else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = f(a[i], b);
  else for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  return out;
}

const CMP: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function evalNode(src: Source, n: Node, t: Table): Value {
  const nrows = t.nrows;
  switch (n.type) {
    case 'num':
      return { kind: 'scalar', v: n.value };
    case 'str':
      return { kind: 'lit', s: n.value };
    case 'paren':
      return evalNode(src, n.inner, t);
    case 'col': {
      const c = getColumn(t, n.name, n.pos + 1, src.label);
      if (c.kind === 'number') return { kind: 'num', v: c.values };
      return { kind: 'text', codes: c.codes, levels: c.levels, name: n.name, source: t.source };
    }
    case 'unary': {
      const a = asNumbers(src, n.arg, evalNode(src, n.arg, t), nrows);
      if (n.op === '-') return { kind: 'num', v: mapNum(a, 0, nrows, (x) => -x) };
      return { kind: 'num', v: mapNum(a, 0, nrows, (x) => (Number.isNaN(x) ? NaN : x === 0 ? 1 : 0)) };
    }
    case 'call':
      return evalCall(src, n, t);
    case 'bin': {
      const L = evalNode(src, n.left, t);
      const R = evalNode(src, n.right, t);
      if (n.op in CMP) return { kind: 'num', v: compare(src, n, L, R, nrows) };
      const a = asNumbers(src, n.left, L, nrows);
      const b = asNumbers(src, n.right, R, nrows);
      switch (n.op) {
        case '+':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => x + y) };
        case '-':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => x - y) };
        case '*':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => x * y) };
        case '/':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => x / y) };
        case '%':
          // R-style modulo: result has the sign of the divisor.
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => x - y * Math.floor(x / y)) };
        case '^':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => Math.pow(x, y)) };
        case '&&':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => (x === 0 || y === 0 ? 0 : Number.isNaN(x) || Number.isNaN(y) ? NaN : 1)) };
        case '||':
          return { kind: 'num', v: mapNum(a, b, nrows, (x, y) => ((x !== 0 && !Number.isNaN(x)) || (y !== 0 && !Number.isNaN(y)) ? 1 : Number.isNaN(x) || Number.isNaN(y) ? NaN : 0)) };
      }
      throw typeError(src, n, `unknown operator '${n.op}'`);
    }
  }
}

function compare(src: Source, n: Node & { type: 'bin' }, L: Value, R: Value, nrows: number): Float64Array {
  const test = CMP[n.op];
  const textLike = (v: Value) => v.kind === 'text' || v.kind === 'lit';
  if (textLike(L) || textLike(R)) {
    if (!textLike(L) || !textLike(R)) {
      const bad = textLike(L) ? n.right : n.left;
      throw typeError(src, bad, 'compares a number with text', "quote text values ('ARG') and compare text columns only with text");
    }
    // Per-level string of each side; compare strings (missing → NaN).
    const side = (v: Value): ((i: number) => string | null) => {
      if (v.kind === 'lit') return () => v.s;
      const t = v as { codes: Int32Array; levels: string[] };
      return (i) => (t.codes[i] < 0 ? null : t.levels[t.codes[i]]);
    };
    const a = side(L);
    const b = side(R);
    const out = new Float64Array(nrows);
    for (let i = 0; i < nrows; i++) {
      const x = a(i);
      const y = b(i);
      out[i] = x === null || y === null ? NaN : test(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0;
    }
    return out;
  }
  const a = asNumbers(src, n.left, L, nrows);
  const b = asNumbers(src, n.right, R, nrows);
  return mapNum(a, b, nrows, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : test(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0));
}

function evalCall(src: Source, n: Node & { type: 'call' }, t: Table): Value {
  const nrows = t.nrows;
  const num = (k: number) => asNumbers(src, n.args[k], evalNode(src, n.args[k], t), nrows);
  switch (n.fn) {
    case 'I':
      return evalNode(src, n.args[0], t);
    case 'log':
      return { kind: 'num', v: mapNum(num(0), 0, nrows, (x) => Math.log(x)) };
    case 'log1p':
      return { kind: 'num', v: mapNum(num(0), 0, nrows, (x) => Math.log1p(x)) };
    case 'exp':
      return { kind: 'num', v: mapNum(num(0), 0, nrows, (x) => Math.exp(x)) };
    case 'sqrt':
      return { kind: 'num', v: mapNum(num(0), 0, nrows, (x) => Math.sqrt(x)) };
    case 'abs':
      return { kind: 'num', v: mapNum(num(0), 0, nrows, (x) => Math.abs(x)) };
    case 'ifelse': {
      // Lazy per row: a missing value in the branch that is not taken does not matter.
      const c = num(0);
      const a = num(1);
      const b = num(2);
      const out = new Float64Array(nrows);
      for (let i = 0; i < nrows; i++) {
        const ci = typeof c === 'number' ? c : c[i];
        out[i] = Number.isNaN(ci) ? NaN : ci !== 0 ? (typeof a === 'number' ? a : a[i]) : typeof b === 'number' ? b : b[i];
      }
      return { kind: 'num', v: out };
    }
    case 'in': {
      const x = evalNode(src, n.args[0], t);
      let acc: Float64Array = new Float64Array(nrows);
      for (let k = 1; k < n.args.length; k++) {
        const eq = compare(src, { type: 'bin', op: '==', left: n.args[0], right: n.args[k], pos: n.pos, end: n.end }, x, evalNode(src, n.args[k], t), nrows);
        for (let i = 0; i < nrows; i++) acc[i] = acc[i] === 1 || eq[i] === 1 ? 1 : Number.isNaN(eq[i]) ? NaN : acc[i];
      }
      return { kind: 'num', v: acc };
    }
  }
  throw typeError(src, n, `unknown function '${n.fn}'`);
}

/** Evaluates an expression to one number per row (NaN = missing). Text results are an InputError. */
export function evaluateNumeric(src: Source, n: Node, t: Table): Float64Array {
  const v = evalNode(src, n, t);
  const r = asNumbers(src, n, v, t.nrows);
  if (typeof r === 'number') return new Float64Array(t.nrows).fill(r);
  return r;
}

/** Evaluates a filter: 1 where the condition is true (non-missing, non-zero), else 0. */
export function evaluateFilter(text: string, t: Table, label = 'where'): Uint8Array {
  const src = { label, text };
  const node = parseExpression(text, label);
  const v = evaluateNumeric(src, node, t);
  const mask = new Uint8Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) mask[i] = v[i] !== 0 && !Number.isNaN(v[i]) ? 1 : 0;
  return mask;
}
