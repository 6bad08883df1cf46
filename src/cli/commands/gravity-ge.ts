// `tariffsim gravity-ge`: one-sector structural gravity counterfactual (Anderson–van Wincoop endowment economy,
// Yotov et al. 2016 ch. 2 / ge_gravity) from a CSV of pair flows and a per-pair partial-effect shock.
import { LIMITS } from '../../scenario/limits.ts';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import type { GeResult } from '../../model/gravity/ge.ts';
import { gravityGe, type GravityGeInput, type GravityMeta } from '../../app/gravity.ts';
import { readEstimateJsonFile } from '../../node/estimate/json-file.ts';
import { coefficientOf } from '../../estimate/json-format.ts';
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
      if (!(Number(opts.theta) > 0)) throw new InputError(`--theta must be a positive number, got '${opts.theta}'`, { field: '--theta' }, `θ = σ − 1 lies within ${LIMITS.theta.min} … ${LIMITS.theta.max}`);
      const theta = Number(opts.theta);
      let coefficient: GravityGeInput['coefficient'];
      if (opts.coefFrom || opts.coef) {
        if (!opts.coefFrom || !opts.coef) throw new InputError('--coef-from and --coef go together', { field: '--coef' }, 'e.g. --coef-from rta.json --coef rta');
        coefficient = { name: opts.coef, value: coefficientOf(readEstimateJsonFile(opts.coefFrom), opts.coef, opts.coefFrom), from: opts.coefFrom };
      }
      const input: GravityGeInput = {
        table: readTableFile(opts.data),
        source: opts.data,
        where: opts.where,
        shock: opts.shock,
        theta,
        exporter: opts.exporter,
        importer: opts.importer,
        trade: opts.trade,
        mode: opts.mode,
        deficits: opts.deficits,
        reference: opts.reference,
        keepDomesticShock: opts.keepDomesticShock,
        coefficient,
      };
      const { report, result, meta } = gravityGe(input);
      process.stdout.write((opts.json ? toJson(report) : textReport(result, meta)) + '\n');
    });
}

export function textReport(r: GeResult, meta: GravityMeta): string {
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
