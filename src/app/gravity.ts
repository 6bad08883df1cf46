// Use case: a one-sector structural gravity GE counterfactual (Anderson–van Wincoop endowment economy, Yotov et
// al. 2016 ch. 2 / ge_gravity) from a table of pair flows and a per-pair partial-effect shock expression.
// Input is plain data; the report is JSON-ready with its units.
import { InputError } from '../errors.ts';
import { evaluateFilter, evaluateNumeric, parseExpression } from '../estimate/expr.ts';
import { filterRows, getColumn, type Table } from '../estimate/table.ts';
import { gravityDataFromPairs } from '../model/gravity/data.ts';
import { solveGravityGE, type GeResult } from '../model/gravity/ge.ts';
import { checkRange, LIMITS } from '../scenario/limits.ts';

export interface GravityGeInput {
  table: Table;
  /** Where the table came from (a file name), reported back. */
  source: string;
  where?: string;
  /** Each pair's partial effect Δ ln (trade-cost term): a column or an expression over columns. */
  shock: string;
  theta: number;
  exporter?: string;
  importer?: string;
  trade?: string;
  mode?: string;
  deficits?: string;
  reference?: string;
  keepDomesticShock?: boolean;
  /** Multiplies the shock, e.g. an estimated coefficient (`tariffsim estimate --json`). */
  coefficient?: { name: string; value: number; from?: string };
}

export interface GravityMeta {
  data: string;
  where: string | null;
  shock: string;
  coefficient: { name: string; value: number; from?: string } | null;
}

export type GravityGeReport = ReturnType<typeof gravityGeReport>;

function choice<T extends string>(v: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`unknown value '${v}'`, { field: flag }, `use one of: ${allowed.join(', ')}`);
  return v as T;
}

function labels(t: Table, name: string): string[] {
  const c = getColumn(t, name);
  if (c.kind === 'factor') {
    return Array.from(c.codes, (k, r) => {
      if (k < 0) throw new InputError(`missing ${name}`, { file: t.source, row: r + 1, field: name });
      return c.levels[k];
    });
  }
  return Array.from(c.values, (v) => String(v));
}

export function gravityGe(input: GravityGeInput): { report: GravityGeReport; result: GeResult; meta: GravityMeta } {
  const t0 = input.table;
  const t = input.where ? filterRows(t0, evaluateFilter(input.where, t0, 'where')) : t0;
  if (t.nrows === 0) throw new InputError(`the filter keeps no rows (of ${t0.nrows})`, { file: input.source, field: 'where' });
  checkRange(input.theta, LIMITS.theta, '--theta');
  const mode = choice(input.mode ?? 'full', ['full', 'conditional'] as const, '--mode');
  const deficits = choice(input.deficits ?? 'additive', ['additive', 'multiplicative'] as const, '--deficits');
  const scale = input.coefficient?.value ?? 1;
  const shockRows = evaluateNumeric({ label: 'shock', text: input.shock }, parseExpression(input.shock, 'shock'), t);
  const tradeExpr = input.trade ?? 'trade';
  const rows = {
    exporter: labels(t, input.exporter ?? 'exporter'),
    importer: labels(t, input.importer ?? 'importer'),
    trade: evaluateNumeric({ label: 'trade', text: tradeExpr }, parseExpression(tradeExpr, 'trade'), t),
    source: input.source,
  };
  const { data, cell } = gravityDataFromPairs(rows);
  const N = data.countries.length;
  const shock = new Float64Array(N * N);
  for (let r = 0; r < cell.length; r++) {
    const b = shockRows[r] * scale;
    if (!Number.isFinite(b)) throw new InputError(`the shock is not a finite number (${shockRows[r] > 0 ? 'too large' : shockRows[r] < 0 ? 'too small' : 'not defined, e.g. 0/0 or the log of a negative number'}) for ${rows.exporter[r]} → ${rows.importer[r]}`, { file: input.source, row: r + 1, field: 'shock' }, 'give every pair a finite value (0 for no change)');
    const max = LIMITS.gravityShock.max;
    if (Math.abs(b) > max) throw new InputError(`the shock is ${b.toFixed(3)} for ${rows.exporter[r]} → ${rows.importer[r]}, outside [${-max}, ${max}] (a change of ln trade costs by more than that multiplies trade by over e^${max} ≈ ${Math.exp(max).toExponential(0)})`, { file: input.source, row: r + 1, field: '--shock' }, 'the shock is Δ ln of the trade-cost term: typically a coefficient times a 0/1 change, e.g. --shock "rta_change" --coef-from est.json --coef rta');
    shock[cell[r]] = b;
  }
  const result = solveGravityGE(data, shock, {
    theta: input.theta,
    mode,
    deficits,
    normalization: input.reference ? { reference: input.reference } : 'world-output',
    domestic: input.keepDomesticShock ? 'keep' : 'zero',
  });
  const meta: GravityMeta = { data: input.source, where: input.where ?? null, shock: input.shock, coefficient: input.coefficient ?? null };
  return { report: gravityGeReport(result, meta), result, meta };
}

export function gravityGeReport(r: GeResult, meta: GravityMeta) {
  return {
    ...meta,
    mode: r.mode,
    theta: r.theta,
    deficits: r.deficits,
    normalization: r.normalization,
    iterations: r.iterations,
    residuals: r.residuals,
    units: 'ratios new/old (1.01 = +1%)',
    countries: r.countries.map((c, i) => ({
      country: c,
      welfare: r.welfare?.[i] ?? null,
      realGdp: r.realGdp?.[i] ?? null,
      factoryPrice: r.factoryPrice?.[i] ?? null,
      output: r.output[i],
      expenditure: r.expenditure[i],
      exports: r.exports[i],
      imports: r.imports[i],
      inwardMR: r.inwardMR[i],
      outwardMR: r.outwardMR[i],
      domesticShareBefore: r.domesticShare.before[i],
      domesticShareAfter: r.domesticShare.after[i],
    })),
    notes: r.notes,
  };
}
