// Formula-level estimation on a Table: parse the formula and the filter, build the design (regressor columns,
// fixed-effect indices, clusters), drop rows with missing values (reported per variable), then call the PPML or
// OLS core. Pure.
import { InputError } from '../errors.ts';
import type { FixedEffectIndex } from './demean.ts';
import { evaluateFilter, evaluateNumeric } from './expr.ts';
import { parseFormula, type Formula } from './formula.ts';
import { fitOls } from './ols.ts';
import { fitPpml } from './ppml.ts';
import type { DesignInput, FitOptions, FitResult } from './result.ts';
import type { DropReport } from './separation.ts';
import { filterRows, getColumn, groupCodes, interactCodes, type Table } from './table.ts';

export interface EstimateSpec extends FitOptions {
  formula: string;
  /** Row filter, e.g. `year % 4 == 2 && exporter != importer`. */
  where?: string;
  /** Cluster variable: a column, or columns joined by ^. Implies vcov 'cluster' unless vcov is given. */
  cluster?: string;
  method?: 'ppml' | 'ols';
}

export interface EstimateResult extends FitResult {
  formula: string;
  outcome: string;
  where?: string;
  /** Rows in the table, and after the filter. */
  rowsTotal: number;
  rowsAfterWhere: number;
  /** Rows dropped for missing / non-finite values, per variable. */
  missing: DropReport[];
}

export interface Design {
  formula: Formula;
  input: DesignInput;
  missing: DropReport[];
  /** Row numbers (0-based, of the filtered table) of the design rows. */
  rows: Int32Array;
  table: Table;
}

/** Builds the design matrix for a formula on a table (after the filter). */
export function buildDesign(table: Table, formulaText: string, clusterSpec?: string): Design {
  const formula = parseFormula(formulaText);
  const src = formula.src;
  const n = table.nrows;
  const y = evaluateNumeric(src, formula.outcome.node, table);
  const X: Float64Array[] = [];
  const names: string[] = [];
  for (const term of formula.terms) {
    let v = evaluateNumeric(src, term.factors[0], table);
    for (let f = 1; f < term.factors.length; f++) {
      const w = evaluateNumeric(src, term.factors[f], table);
      const prod = new Float64Array(n);
      for (let i = 0; i < n; i++) prod[i] = v[i] * w[i];
      v = prod;
    }
    X.push(v);
    names.push(term.name);
  }
  if (formula.intercept) {
    X.unshift(new Float64Array(n).fill(1));
    names.unshift('(Intercept)');
  }
  const fes: FixedEffectIndex[] = formula.fixedEffects.map((fe) => {
    const parts = fe.vars.map((v) => groupCodes(getColumn(table, v, fe.pos + 1)));
    const g = interactCodes(parts);
    return { name: fe.name, index: g.codes, size: g.levels.length, levels: g.levels };
  });
  let cluster: { name: string; codes: Int32Array; size: number } | undefined;
  if (clusterSpec) {
    const vars = clusterSpec.split('^').map((s) => s.trim());
    const parts = vars.map((v) => {
      const c = table.columns.get(v);
      if (!c) throw new InputError(`missing cluster column '${v}'`, { file: table.source, field: v }, `available columns: ${table.names.join(', ')}`);
      return groupCodes(c);
    });
    const g = interactCodes(parts);
    cluster = { name: clusterSpec, codes: g.codes, size: g.levels.length };
  }

  // Rows with a missing / non-finite value anywhere in the design.
  const keep = new Uint8Array(n).fill(1);
  const missing: DropReport[] = [];
  const mark = (label: string, bad: (i: number) => boolean) => {
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (keep[i] && bad(i)) {
        keep[i] = 0;
        count++;
      }
    }
    if (count) missing.push({ reason: `missing or non-finite value of ${label}`, observations: count });
  };
  mark(formula.outcome.name, (i) => !Number.isFinite(y[i]));
  X.forEach((x, j) => mark(names[j], (i) => !Number.isFinite(x[i])));
  fes.forEach((fe) => mark(`fixed effect ${fe.name}`, (i) => fe.index[i] < 0));
  if (cluster) mark(`cluster ${cluster.name}`, (i) => cluster!.codes[i] < 0);
  let nkeep = 0;
  for (let i = 0; i < n; i++) nkeep += keep[i];
  const rows = new Int32Array(nkeep);
  for (let i = 0, r = 0; i < n; i++) if (keep[i]) rows[r++] = i;
  const take = (x: Float64Array) => (nkeep === n ? x : Float64Array.from(rows, (i) => x[i]));
  const input: DesignInput = {
    y: take(y),
    X: X.map(take),
    names,
    outcomeName: formula.outcome.name,
    fixedEffects:
      nkeep === n
        ? fes
        : fes.map((fe) => {
            // Renumber so that groups without rows disappear.
            const map = new Int32Array(fe.size).fill(-1);
            const index = new Int32Array(nkeep);
            const levels: string[] = [];
            let size = 0;
            for (let r = 0; r < nkeep; r++) {
              const g = fe.index[rows[r]];
              if (map[g] < 0) {
                map[g] = size++;
                levels.push(fe.levels![g]);
              }
              index[r] = map[g];
            }
            return { name: fe.name, index, size, levels };
          }),
    cluster: cluster && {
      name: cluster.name,
      codes: nkeep === n ? cluster.codes : Int32Array.from(rows, (i) => cluster!.codes[i]),
      size: cluster.size,
    },
  };
  return { formula, input, missing, rows, table };
}

/** Estimates a formula on a table: `estimate(t, { formula: 'trade ~ log(dist) | exporter^year', cluster: 'pair_id' })`. */
export function estimate(table: Table, spec: EstimateSpec): EstimateResult {
  const rowsTotal = table.nrows;
  let t = table;
  if (spec.where && spec.where.trim() !== '') {
    const mask = evaluateFilter(spec.where, table, 'where');
    t = filterRows(table, mask);
    if (t.nrows === 0) throw new InputError(`the filter keeps no rows (of ${rowsTotal})`, { file: table.source, field: 'where' }, `check the expression: ${spec.where}`);
  }
  const design = buildDesign(t, spec.formula, spec.cluster);
  const vcov = spec.vcov ?? (spec.cluster ? 'cluster' : 'robust');
  const opts: FitOptions = { ...spec, vcov };
  const method = spec.method ?? 'ppml';
  const fit = method === 'ppml' ? fitPpml(design.input, opts) : fitOls(design.input, opts);
  // Map the estimator's `used` mask back to the filtered table's rows.
  const used = new Uint8Array(t.nrows);
  for (let r = 0; r < design.rows.length; r++) used[design.rows[r]] = fit.used[r];
  return {
    ...fit,
    used,
    formula: spec.formula,
    outcome: design.formula.outcome.name,
    where: spec.where,
    rowsTotal,
    rowsAfterWhere: t.nrows,
    missing: design.missing,
  };
}
