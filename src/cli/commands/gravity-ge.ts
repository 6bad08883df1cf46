// `tariffsim gravity-ge`: one-sector structural gravity counterfactual (Anderson–van Wincoop endowment economy,
// Yotov et al. 2016 ch. 2 / ge_gravity) from a CSV of pair flows and a per-pair partial-effect shock.
import { coefficientFromReport } from '../../estimate-node/report-file.ts';
import { LIMITS, checkRange } from '../../scenario/limits.ts';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { evaluateFilter, evaluateNumeric, parseExpression } from '../../estimate/expr.ts';
import { filterRows, getColumn, type Table } from '../../estimate/table.ts';
import { gravityDataFromPairs } from '../../model/gravity/data.ts';
import { solveGravityGE, type GeResult } from '../../model/gravity/ge.ts';
import { fmt, table, toJson } from '../format.ts';
import { readTableFile } from './estimate.ts';

interface GeOpts {
  data: string;
  shock: string;
  theta: string;
  where?: string;
  exporter: string;
  importer: string;
  trade: string;
  mode: string;
  deficits: string;
  reference?: string;
  keepDomesticShock?: boolean;
  coefFrom?: string;
  coef?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('gravity-ge')
    .description('one-sector structural gravity GE counterfactual: welfare, exports, prices and multilateral resistances per country')
    .requiredOption('--data <csv>', 'CSV with one row per exporter–importer pair (domestic sales included)')
    .requiredOption('--shock <expression>', "each pair's partial effect: Δ ln trade cost term (a column, or an expression over columns)")
    .requiredOption('--theta <θ>', 'trade elasticity θ = σ − 1 (e.g. 4)')
    .option('--where <expression>', 'keep rows where the expression is true (e.g. "year == 2000")')
    .option('--exporter <column>', 'exporter column', 'exporter')
    .option('--importer <column>', 'importer column', 'importer')
    .option('--trade <column>', 'trade flow column', 'trade')
    .option('--mode <mode>', 'full (factory-gate prices adjust) or conditional (output and expenditure fixed)', 'full')
    .option('--deficits <closure>', 'additive (deficits fixed, E = Y + D) or multiplicative (E/Y fixed)', 'additive')
    .option('--reference <country>', 'normalise by this country\'s price index (default: world output unchanged)')
    .option('--keep-domestic-shock', 'use shocks on domestic pairs (by default they are set to 0, as ge_gravity does)')
    .option('--coef-from <json>', 'multiply the shock by a coefficient from a `tariffsim estimate --json` file')
    .option('--coef <name>', 'the coefficient to take from --coef-from')
    .option('--json', 'print per-country results (ratios new/old) as JSON')
    .addHelpText('after', `
Examples:
  # every international pair without an RTA in 2006 signs one, partial effect = the estimated RTA coefficient
  $ tariffsim estimate --data ../shared/data/yotov2016/agtpa_applications.csv --where "year % 4 == 2" \\
      --formula "trade ~ rta | exporter^year + importer^year + pair_id" --cluster pair_id --json > rta.json
  $ tariffsim gravity-ge --data ../shared/data/yotov2016/agtpa_applications.csv --where "year == 2006" \\
      --shock "(exporter != importer) * (1 - rta)" --coef-from rta.json --coef rta --theta 4`)
    .action((opts: GeOpts) => {
      const t0 = readTableFile(opts.data);
      const t = opts.where ? filterRows(t0, evaluateFilter(opts.where, t0, 'where')) : t0;
      if (t.nrows === 0) throw new InputError(`the filter keeps no rows (of ${t0.nrows})`, { file: opts.data, field: 'where' });
      if (!(Number(opts.theta) > 0)) throw new InputError(`--theta must be a positive number, got '${opts.theta}'`, { field: '--theta' }, `θ = σ − 1 lies within ${LIMITS.theta.min} … ${LIMITS.theta.max}`);
      const theta = checkRange(Number(opts.theta), LIMITS.theta, '--theta', opts.theta);
      const mode = choice(opts.mode, ['full', 'conditional'], '--mode') as 'full' | 'conditional';
      const deficits = choice(opts.deficits, ['additive', 'multiplicative'], '--deficits') as 'additive' | 'multiplicative';
      let scale = 1;
      if (opts.coefFrom || opts.coef) {
        if (!opts.coefFrom || !opts.coef) throw new InputError('--coef-from and --coef go together', { field: '--coef' }, 'e.g. --coef-from rta.json --coef rta');
        scale = coefficientFromJson(opts.coefFrom, opts.coef);
      }
      const src = { label: 'shock', text: opts.shock };
      const shockRows = evaluateNumeric(src, parseExpression(opts.shock, 'shock'), t);
      const rows = {
        exporter: labels(t, opts.exporter),
        importer: labels(t, opts.importer),
        trade: evaluateNumeric({ label: 'trade', text: opts.trade }, parseExpression(opts.trade, 'trade'), t),
        source: opts.data,
      };
      const { data, cell } = gravityDataFromPairs(rows);
      const N = data.countries.length;
      const shock = new Float64Array(N * N);
      for (let r = 0; r < cell.length; r++) {
        const b = shockRows[r] * scale;
        if (!Number.isFinite(b)) throw new InputError(`the shock is not a finite number (${shockRows[r] > 0 ? 'too large' : shockRows[r] < 0 ? 'too small' : 'not defined, e.g. 0/0 or the log of a negative number'}) for ${rows.exporter[r]} → ${rows.importer[r]}`, { file: opts.data, row: r + 1, field: 'shock' }, 'give every pair a finite value (0 for no change)');
        if (Math.abs(b) > LIMITS.gravityShock.max) throw new InputError(`the shock is ${fmt(b, 3)} for ${rows.exporter[r]} → ${rows.importer[r]}, outside [${-LIMITS.gravityShock.max}, ${LIMITS.gravityShock.max}] (a change of ln trade costs by more than that multiplies trade by over e^${LIMITS.gravityShock.max} ≈ ${Math.exp(LIMITS.gravityShock.max).toExponential(0)})`, { file: opts.data, row: r + 1, field: '--shock' }, 'the shock is Δ ln of the trade-cost term: typically a coefficient times a 0/1 change, e.g. --shock "rta_change" --coef-from est.json --coef rta');
        shock[cell[r]] = b;
      }
      const res = solveGravityGE(data, shock, {
        theta,
        mode,
        deficits,
        normalization: opts.reference ? { reference: opts.reference } : 'world-output',
        domestic: opts.keepDomesticShock ? 'keep' : 'zero',
      });
      const meta = { data: opts.data, where: opts.where ?? null, shock: opts.shock, coefficient: opts.coef ? { name: opts.coef, value: scale, from: opts.coefFrom } : null };
      process.stdout.write((opts.json ? toJson(jsonReport(res, meta)) : textReport(res, meta)) + '\n');
    });
}

function choice(v: string, allowed: string[], flag: string): string {
  if (!allowed.includes(v)) throw new InputError(`unknown value '${v}'`, { field: flag }, `use one of: ${allowed.join(', ')}`);
  return v;
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

function coefficientFromJson(file: string, name: string): number {
  return coefficientFromReport(file, name);
}

interface Meta {
  data: string;
  where: string | null;
  shock: string;
  coefficient: { name: string; value: number; from?: string } | null;
}

export function jsonReport(r: GeResult, meta: Meta) {
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

export function textReport(r: GeResult, meta: Meta): string {
  const pct = (x: number | undefined) => (x === undefined ? '—' : fmt(100 * (x - 1), 3));
  const out: string[] = [];
  out.push(`Structural gravity GE (${r.mode}${r.mode === 'full' ? `, ${r.deficits} deficits` : ''}), θ = ${r.theta}, ${r.countries.length} countries`);
  out.push(`data: ${basename(meta.data)}${meta.where ? ` where ${meta.where}` : ''}; shock: ${meta.shock}${meta.coefficient ? ` × ${meta.coefficient.name} = ${fmt(meta.coefficient.value, 5)}` : ''}`);
  out.push('changes in %');
  out.push('');
  const order = r.countries.map((_, i) => i);
  if (r.welfare) order.sort((a, b) => r.welfare![b] - r.welfare![a]);
  else order.sort((a, b) => r.exports[b] - r.exports[a]);
  out.push(
    table(
      ['country', 'welfare', 'real GDP', 'factory price', 'exports', 'inward MR', 'outward MR'],
      order.map((i) => [r.countries[i], pct(r.welfare?.[i]), pct(r.realGdp?.[i]), pct(r.factoryPrice?.[i]), pct(r.exports[i]), pct(r.inwardMR[i]), pct(r.outwardMR[i])]),
    ),
  );
  out.push('');
  out.push(`welfare = real expenditure E/P; real GDP = Y/P; inward MR = price index P; normalisation: ${r.normalization}`);
  out.push(`converged in ${r.iterations} iterations (max |Δ ln X| ${r.residuals.trade.toExponential(1)}, market clearing ${r.residuals.marketClearing.toExponential(1)})`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
