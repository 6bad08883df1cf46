// `tariffsim timeline`: US trade month by month under the dated tariff schedule (docs/timing.md) — imports by
// partner group, exports, duties and the realized effective tariff rate beside the actual series and a
// no-tariff path, the quarterly net-export contribution, and the backtest errors after the fit cutoff.
import type { Command } from 'commander';
import { formatMonth } from '../../data/timeseries.ts';
import { GROUPS, GROUP_NAMES, THREAT_KINDS } from '../../model/timing/types.ts';
import { runTimeline, timelineJson, timelineTable, type TimelineReport } from '../../node/timeline.ts';
import { csv, fmt, table, toJson, type Cell } from '../format.ts';

interface Opts {
  from: string;
  to: string;
  fitThrough: string;
  scenario?: string;
  dataDir?: string;
  csv?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('timeline')
    .description('US trade month by month under the dated tariff schedule: imports by partner group, exports, duties and the realized tariff rate vs actual and no-tariff paths, fitted on data through a cutoff')
    .option('--from <YYYY-MM>', 'first month of the table', '2024-01')
    .option('--to <YYYY-MM>', 'last month of the table', '2026-06')
    .option('--fit-through <YYYY-MM>', 'last month of data the parameters are fitted on (the backtest covers the 6 months after it)', '2025-06')
    .option('--scenario <file.yaml>', "path under a scenario's tariffs from its policy date on (e.g. what if the April 2025 rates had stayed)")
    .option('--data-dir <dir>', 'folder holding the shared datasets')
    .option('--csv', 'print the monthly table as CSV (US$ millions; rates in percent)')
    .option('--json', 'print the whole report as JSON')
    .addHelpText('after', `
Examples:
  $ tariffsim timeline --from 2024-01 --to 2026-06 --fit-through 2025-06
  $ tariffsim timeline --scenario scenarios/us-china-2025-04-standoff.yaml     # the April 2025 rates stay
  $ tariffsim timeline --csv > timeline.csv`)
    .action(async (opts: Opts) => {
      const r = await runTimeline({ from: opts.from, to: opts.to, fitThrough: opts.fitThrough, scenario: opts.scenario, dataDir: opts.dataDir });
      if (opts.json) {
        process.stdout.write(toJson(timelineJson(r)) + '\n');
        return;
      }
      if (opts.csv) {
        const rows = timelineTable(r.rows);
        const header = Object.keys(rows[0] ?? { month: '' });
        process.stdout.write(csv(header, rows.map((x) => header.map((h): Cell => x[h] ?? ''))));
        return;
      }
      process.stdout.write(text(r));
    });
}

const bn = (x: number | null, d = 1): string => (x === null ? '–' : fmt(x / 1000, d));

function text(r: TimelineReport): string {
  const out: string[] = [];
  const p = r.fit.params;
  out.push(`US goods trade by month, ${r.from} … ${r.to}${r.scenario ? ` under ${r.scenario}` : ''}; fitted on data through ${r.fitThrough}.`);
  out.push('Imports in US$ bn per month, not seasonally adjusted: model (actual); the no-tariff path has no tariff change after 2024-12-31.');
  const header = ['month', ...GROUPS.map((g) => `${g} model (actual)`), 'total model', 'actual', 'no-tariff', 'exports SA model', 'actual', 'ETR % model', 'actual', 'statutory'];
  out.push(
    table(
      header,
      r.rows.map((row) => [
        row.month + (row.month > r.fitThrough ? '*' : ''),
        ...row.imports.map((i) => `${bn(i.model)} (${bn(i.actual)})`),
        bn(row.total.model),
        bn(row.total.actual),
        bn(row.total.noTariff),
        bn(row.exports.model),
        bn(row.exports.actual),
        fmt(row.etr.model),
        row.etr.actual === null ? '–' : fmt(row.etr.actual),
        fmt(row.etr.statutory),
      ]),
    ),
  );
  out.push('* after the fit cutoff (out of sample where actual data exist).');
  const bt = r.backtest;
  if (bt.window && bt.total !== null) {
    out.push(`\nBacktest ${bt.window[0]} … ${bt.window[1]} (fitted through ${r.fitThrough}): mean absolute percentage error of the monthly series, percent`);
    const more: Cell[][] = [];
    if (bt.exports !== null) more.push(['exports (SA)', bt.exports]);
    if (bt.duties !== null) more.push(['customs duties', bt.duties]);
    out.push(table(['series', 'MAPE %'], [['total imports', bt.total], ...bt.mape.map((x) => [GROUP_NAMES[x.group as (typeof GROUPS)[number]], x.value] as Cell[]), ...more]));
  } else out.push('\nBacktest: no data after the cutoff.');
  if (r.surgeQ1) {
    const s = r.surgeQ1;
    out.push(`\nQ1 2025 surge (Jan–Mar, excess of imports over the no-tariff path, US$ bn): model ${fmt(s.model / 1000, 1)}, measured against trend ${fmt(s.measured / 1000, 1)}; model / measured = ${fmt(s.ratio, 2)}`);
  }
  if (r.etrH2) {
    const e = r.etrH2;
    out.push(`\nEffective tariff rate, H2 2025 (duties / imports, percent): model ${fmt(e.model)}, actual ${fmt(e.actual)}, statutory ${fmt(e.statutory)} (policy layer as applied each day, 2024 weights). From statutory to the model's realized rate:`);
    out.push(table(['component', 'points'], e.components.map((c) => [c.name, c.points])));
  }
  if (r.quarters.length) {
    out.push('\nContribution of goods net exports to annualized nominal GDP growth, percentage points (SA; 2024 GDP as the scale):');
    out.push(table(['quarter', 'model', 'model without front-running', 'no-tariff', 'actual'], r.quarters.map((q) => [q.quarter, q.model, q.withoutFrontRunning, q.noTariff, q.actual === null ? '–' : fmt(q.actual)])));
  }
  const lam = p.lambda[0];
  out.push(
    `\nFitted on ${r.fit.observations} monthly observations through ${formatMonth(r.fit.cutoff)} (2018–19 China and 2025): λ = ${fmt(lam, 3)} per month (half of the long-run response after ${fmt(Math.log(0.5) / Math.log(1 - lam), 1)} months), ` +
      `${p.kappa.every((k) => k === p.kappa[0]) ? `κ = ${fmt(p.kappa[0], 3)}` : `κ by group ${GROUPS.map((g, i) => `${g} ${fmt(p.kappa[i], 2)}`).join(', ')}`}, threat beliefs ${THREAT_KINDS.map((k, i) => `π_${k} = ${fmt(p.belief[i] ?? 0, 2)}`).join(', ')}, σ = ${Number.isFinite(p.sigma) ? fmt(p.sigma, 3) : 'linear'}, δ = ${fmt(p.drawdown, 2)} per month, lead L = ${p.lead} months, carrying cost c = ${fmt(100 * p.carry, 1)}% per month; SSR ${fmt(r.fit.ssr, 4)} (log points²), ${r.fit.parameters} parameters, BIC ${fmt(r.fit.bic, 1)}.`,
  );
  const ex = r.fit.exports;
  out.push(
    ex.lambdaFit
      ? `Exports: λ_X = ${fmt(ex.lambda, 3)} per month, fitted on ${ex.lambdaFit.months} months through ${r.fitThrough}${ex.lambdaFit.bound ? ' (at the end of its grid: a bound)' : ''}; SSR ${fmt(ex.lambdaFit.ssr, 4)} (log points²).`
      : `Exports: λ_X = ${fmt(ex.lambda, 3)} per month (no export target moves through ${r.fitThrough}: the 2024-import-weighted mean of the groups' λ).`,
  );
  out.push(`Duties: ρ0 = ${fmt(r.fit.duties.rhoBase, 3)}, ρ1 = ${fmt(r.fit.duties.rhoNew, 3)}, lag ${r.fit.duties.lag} month(s). Pre-2018 trend per year: ${r.fit.seasonTrend.map((s) => `${s.group} ${fmt(s.trendPerYear, 1)}%`).join(', ')}. Long-run elasticity of imports from China to 1+τ (CP, 2018 episode): ${fmt(r.fit.eta2018, 2)}.`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
