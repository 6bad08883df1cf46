// `tariffsim deal --a USA --b CHN [--from <scenario>] [--json|--csv]`: the deal zone and the Nash bargaining
// solution of two governments on the multi-sector model, with the scenario's tariffs as the standoff.
import type { Command } from 'commander';
import { LIMITS, checkInteger, checkRange } from '../../scenario/limits.ts';
import { join } from 'node:path';
import { InputError } from '../../errors.ts';
import { CLOSURES, type Closure } from '../../model/cp/model.ts';
import { PROJECT_ROOT } from '../../node/paths.ts';
import { deal, type DealReport } from '../../app/deal.ts';
import { DEFAULT_GRID } from '../../scenario/deal.ts';
import { loadScenarioFile } from '../../node/scenario.ts';
import { nodeSources } from '../../node/sources.ts';
import { csv, fmt, table, toJson } from '../format.ts';
import { progressBar } from '../progress.ts';

export const DEFAULT_DEAL_STANDOFF = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');

export function register(program: Command): void {
  program
    .command('deal')
    .description('deal zone of two governments on the multi-sector model: uniform bilateral tariff pairs both prefer to the standoff, and the Nash bargaining solution')
    .requiredOption('--a <region>', 'first government (code or name), e.g. USA')
    .requiredOption('--b <region>', 'second government, e.g. CHN')
    .option('--from <scenario>', 'the standoff scenario (disagreement point)', DEFAULT_DEAL_STANDOFF)
    .option('--grid-max <x>', 'largest uniform tariff on the grid, as a fraction (1.5 = 150%)', String(DEFAULT_GRID.max))
    .option('--grid-steps <n>', `grid points per axis, ${LIMITS.gridSteps.min}–${LIMITS.gridSteps.max} (each point is an equilibrium solve; the default 16 gives 10-point steps to 150%, 31 gives 5-point steps; the bargaining point is optimised from the best cell, so it does not depend on the grid)`, String(DEFAULT_GRID.steps))
    .option('--closure <closure>', "zero-deficits (default: balanced trade, as in Ossa 2014) or fixed-deficits (the scenario's deficits held fixed)", 'zero-deficits')
    .option('--data-dir <dir>', 'folder holding the shared datasets')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the grid as CSV (a_tariff, b_tariff, gains, in_zone)')
    .addHelpText('after', `
Examples:
  $ tariffsim deal --a USA --b CHN
  $ tariffsim deal --a USA --b CHN --from scenarios/us-china-2025-04-standoff.yaml --grid-steps 31 --json   # a finer zone (961 solves)`)
    .action(async (opts: { a: string; b: string; from: string; gridMax: string; gridSteps: string; closure: string; dataDir?: string; json?: boolean; csv?: boolean }) => {
      if (!(CLOSURES as readonly string[]).includes(opts.closure)) throw new InputError(`unknown closure '${opts.closure}'`, { field: '--closure' }, 'use zero-deficits or fixed-deficits');
      const gridMax = checkRange(Number(opts.gridMax), LIMITS.gridMax, '--grid-max', opts.gridMax);
      const gridSteps = checkInteger(Number(opts.gridSteps), LIMITS.gridSteps, '--grid-steps', opts.gridSteps);
      const bar = progressBar('deal grid |{bar}| {value}/{total} rows');
      let report: DealReport;
      try {
        const input = { a: opts.a, b: opts.b, scenario: loadScenarioFile(opts.from), grid: { max: gridMax, steps: gridSteps }, closure: opts.closure as Closure, onProgress: (d: number, t: number) => bar.update(d, t, {}) };
        report = await deal(input, nodeSources(opts.dataDir));
      } finally {
        bar.stop();
      }
      if (opts.csv) process.stdout.write(gridCsv(report));
      else if (opts.json) process.stdout.write(toJson(dealJson(report)) + '\n');
      else process.stdout.write(dealText(report) + '\n');
    });
}

export function dealJson(r: DealReport): unknown {
  const x = r.result;
  return {
    scenario: r.standoff,
    dataset: r.dataset,
    closure: r.closure,
    a: x.names[0],
    b: x.names[1],
    standoffTariffs: r.standoffTariffs!,
    standoffWelfare: { [x.names[0]]: x.standoffWelfare[0], [x.names[1]]: x.standoffWelfare[1] },
    zone: x.zone,
    nashBargaining: x.nbs && { aOnB: 100 * x.nbs.a, bOnA: 100 * x.nbs.b, gainA: 100 * x.nbs.gainA, gainB: 100 * x.nbs.gainB },
    units: { tariffs: 'percent', gains: 'percent of standoff real income' },
    solves: r.solves,
  };
}

function gridCsv(r: DealReport): string {
  const x = r.result;
  const n = x.levels.length;
  const rows = [];
  for (let ia = 0; ia < n; ia++) for (let ib = 0; ib < n; ib++) rows.push([100 * x.levels[ia], 100 * x.levels[ib], 100 * x.gainA[ia * n + ib], 100 * x.gainB[ia * n + ib], x.inZone[ia * n + ib]]);
  return csv(['a_tariff_pct', 'b_tariff_pct', 'gain_a_pct', 'gain_b_pct', 'in_zone'], rows);
}

export function dealText(r: DealReport): string {
  const x = r.result;
  const [A, B] = x.names;
  const pct = (v: number) => `${fmt(100 * v, 1)}%`;
  const st = r.standoffTariffs!;
  const lines = [
    `Deal zone ${A}–${B}, standoff: ${r.standoff}`,
    `  dataset ${r.dataset}; closure ${r.closure}; ${r.solves} equilibrium solves`,
    `  standoff tariffs (trade-weighted): ${A} on ${B} ${fmt(st.aOnB, 1)}%, ${B} on ${A} ${fmt(st.bOnA, 1)}%`,
    '',
    `A deal sets uniform tariffs a (${A} on all goods from ${B}) and b (${B} on all goods from ${A}); every other tariff stays as in the standoff.`,
    x.zone.cells
      ? `Both gain on ${x.zone.cells} of ${x.levels.length ** 2} grid points (${fmt(100 * x.zone.share, 0)}%): a in [${pct(x.zone.aRange![0])}, ${pct(x.zone.aRange![1])}], b in [${pct(x.zone.bRange![0])}, ${pct(x.zone.bRange![1])}].`
      : 'No grid point makes both sides better off than the standoff.',
  ];
  if (x.nbs) {
    lines.push('', 'Nash bargaining solution (maximises the product of the two gains over the standoff):');
    lines.push(table(['', `${A} on ${B}`, `${B} on ${A}`, `${A} gain %`, `${B} gain %`], [['deal', pct(x.nbs.a), pct(x.nbs.b), 100 * x.nbs.gainA, 100 * x.nbs.gainB]]));
  }
  return lines.join('\n');
}
