// fixest-style model formulas: `trade ~ log(dist) + cntg + lang | exporter^year + importer^year`. Pure.
//
//   formula := outcome '~' terms ('|' fixed-effects)?
//   terms   := term ('+' term)*          term := factor (':' factor)*   (':' multiplies, as fixest's a:b)
//   factor  := an expression (see ./expr.ts) without top-level + - comparisons; use I(...) for arithmetic
//   fixed-effects := fe ('+' fe)*        fe := name ('^' name)*         ('^' interacts, as fixest's a^b)
// The outcome is in levels (PPML). `0` or `-1` among the terms drops the intercept of a model without fixed
// effects (models with fixed effects never have one).
import { InputError } from '../errors.ts';
import { describe, ExprParser, nodeText, syntaxError, tokenize, type Node, type Source } from './expr.ts';

export interface FormulaTerm {
  /** Coefficient name: the term's text, e.g. `log(dist)` or `rta:intl`. */
  name: string;
  /** Factors multiplied together (one unless the term uses ':'). */
  factors: Node[];
  pos: number;
}

export interface FormulaFixedEffect {
  /** e.g. `exporter^year`. */
  name: string;
  vars: string[];
  pos: number;
}

export interface Formula {
  src: Source;
  outcome: { name: string; node: Node };
  terms: FormulaTerm[];
  intercept: boolean;
  fixedEffects: FormulaFixedEffect[];
}

export function parseFormula(text: string): Formula {
  const src: Source = { label: 'formula', text };
  if (text.trim() === '') throw new InputError('the formula is empty', { field: 'formula' }, 'example: "trade ~ log(dist) + cntg | exporter^year + importer^year"');
  const toks = tokenize(src);
  const p = new ExprParser(src, toks, true);

  // Outcome.
  if (p.isOp('~')) throw syntaxError(src, p.peek().pos, 'the outcome is missing before ~', 'write the outcome column first, e.g. "trade ~ ..."');
  const outcome = p.parseSum();
  if (!p.isOp('~')) {
    const t = p.peek();
    throw syntaxError(src, t.pos, `expected '~' after the outcome, found ${describe(t)}`, 'a formula looks like "outcome ~ x1 + x2 | fe1 + fe2"');
  }
  p.next();

  // Terms.
  const terms: FormulaTerm[] = [];
  let intercept = true;
  const seen = new Set<string>();
  const atTermStart = () => {
    const t = p.peek();
    return !(t.kind === 'eof' || (t.kind === 'op' && (t.text === '|' || t.text === '+')));
  };
  for (;;) {
    const t0 = p.peek();
    if (!atTermStart()) throw syntaxError(src, t0.pos, `expected a regressor, found ${describe(t0)}`, t0.kind === 'eof' || t0.text === '|' ? 'give at least one regressor after ~' : undefined);
    // `-1` removes the intercept.
    if (t0.kind === 'op' && t0.text === '-' && toks[p.i + 1].kind === 'num' && toks[p.i + 1].value === 1) {
      p.i += 2;
      intercept = false;
    } else {
      const factors: Node[] = [p.parseUnary()];
      while (p.isOp(':')) {
        p.next();
        factors.push(p.parseUnary());
      }
      const f0 = factors[0];
      if (factors.length === 1 && f0.type === 'num' && (f0.value === 0 || f0.value === 1)) {
        intercept = f0.value === 1;
      } else {
        const name = factors.map((f) => nodeText(src, f)).join(':');
        if (seen.has(name)) throw syntaxError(src, f0.pos, `the regressor '${name}' appears twice`);
        seen.add(name);
        terms.push({ name, factors, pos: f0.pos });
      }
    }
    let t = p.peek();
    // `... - 1` (or `- 0`) removes the intercept.
    while (t.kind === 'op' && t.text === '-' && toks[p.i + 1].kind === 'num' && (toks[p.i + 1].value === 1 || toks[p.i + 1].value === 0)) {
      p.i += 2;
      intercept = false;
      t = p.peek();
    }
    if (t.kind === 'op' && t.text === '+') {
      p.next();
      continue;
    }
    if (t.kind === 'eof' || (t.kind === 'op' && t.text === '|')) break;
    let hint: string | undefined;
    if (t.kind === 'op' && ['-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||'].includes(t.text)) {
      hint = `terms are separated by '+'; wrap arithmetic in I(...), e.g. I(a ${t.text} b)${t.text === '*' ? "; use a:b for an interaction" : ''}`;
    } else if (t.kind === 'op' && t.text === '~') hint = "a formula has one '~'";
    else if (t.kind === 'op' && t.text === ')') hint = "remove the extra ')'";
    throw syntaxError(src, t.pos, `unexpected ${describe(t)} after the regressor`, hint);
  }
  if (terms.length === 0) throw syntaxError(src, p.peek().pos, 'the formula has no regressors', 'give at least one regressor after ~');

  // Fixed effects.
  const fixedEffects: FormulaFixedEffect[] = [];
  if (p.isOp('|')) {
    p.next();
    const feSeen = new Set<string>();
    for (;;) {
      const t = p.peek();
      if (t.kind !== 'name') throw syntaxError(src, t.pos, `expected a fixed-effect column name, found ${describe(t)}`, t.kind === 'eof' ? "remove the trailing '|' or '+', or name a fixed effect" : 'fixed effects are column names joined by ^ (e.g. exporter^year)');
      p.next();
      const vars = [t.text];
      while (p.isOp('^')) {
        p.next();
        const v = p.peek();
        if (v.kind !== 'name') throw syntaxError(src, v.pos, `expected a column name after '^', found ${describe(v)}`);
        p.next();
        vars.push(v.text);
      }
      const name = vars.join('^');
      if (feSeen.has(name)) throw syntaxError(src, t.pos, `the fixed effect '${name}' appears twice`);
      feSeen.add(name);
      fixedEffects.push({ name, vars, pos: t.pos });
      const nx = p.peek();
      if (nx.kind === 'op' && nx.text === '+') {
        p.next();
        continue;
      }
      if (nx.kind === 'eof') break;
      throw syntaxError(src, nx.pos, `unexpected ${describe(nx)} in the fixed effects`, nx.text === '|' ? 'only one | is allowed (instrumental variables are not supported)' : "separate fixed effects with '+' and interact them with '^'");
    }
  }
  if (fixedEffects.length > 0) intercept = false;
  return { src, outcome: { name: nodeText(src, outcome), node: outcome }, terms, intercept, fixedEffects };
}
