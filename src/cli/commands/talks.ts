// `tariffsim talks --data ossa2014 [--from factual|nash] [--political-economy] [--json|--csv]`: cooperative
// tariffs (Ossa 2014 trade talks): efficient tariffs at which every government gains the same proportion.
// With `--a A --b B`: two-country bargaining from a standoff (deal zone and Nash bargaining solution).
import type { Command } from 'commander';
import { LIMITS, checkInteger } from '../../scenario/limits.ts';
import { InputError } from '../../errors.ts';
import { nashProgress, progressBar } from '../progress.ts';
import type { DealReport as OssaDealResult, TalksReport } from '../../node/strategy/ossa.ts';
import { deal } from '../../app/deal.ts';
import { talks } from '../../app/war.ts';
import { nodeSources } from '../../node/sources.ts';
import { csv, fmt, table, toJson } from '../format.ts';
import { parseWorkers, type StrategyCliOptions } from './war.ts';

interface TalksCliOptions extends StrategyCliOptions {
  from: string;
  gains: string;
  a?: string;
  b?: string;
  standoff: string;
  mode: string;
  gridMax: string;
  gridSteps: string;
}

export function register(program: Command): void {
  program
    .command('talks')
    .description('trade talks (Ossa 2014): efficient tariffs with equal welfare gains for all governments; or, with --a/--b, the deal zone of two governments')
    .option('--data <name>', 'dataset with a strategic model', 'ossa2014')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--political-economy', "governments maximise political-economy weighted welfare (Ossa's estimated λ)")
    .option('--mfn', 'one tariff per industry for all partners')
    .option('--from <point>', 'reference point every government must gain against: factual | nash', 'factual')
    .option('--gains <rule>', "equal (every government gains the same proportion, as in Ossa 2014) | maxmin (no government gains less)", 'equal')
    .option('--a <region>', 'two-country bargaining: first government (e.g. US)')
    .option('--b <region>', 'two-country bargaining: second government (e.g. China)')
    .option('--standoff <point>', 'two-country bargaining: disagreement point, nash | factual', 'nash')
    .option('--mode <mode>', 'two-country bargaining: uniform (deal = uniform bilateral tariffs) | scale (multiples of the standoff tariffs)', 'uniform')
    .option('--grid-max <x>', 'two-country bargaining: largest tariff (fraction, or multiple in scale mode) on the grid', '1')
    .option('--grid-steps <n>', 'two-country bargaining: grid points per axis', '41')
    .option('--workers <n>', 'worker threads for best responses (0 = this thread)', '2')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the table as CSV (the deal grid in two-country mode)')
    .addHelpText('after', `
Examples:
  $ tariffsim talks --data ossa2014                      # cooperative tariffs relative to the factual tariffs
  $ tariffsim talks --data ossa2014 --from nash --json   # ... relative to the trade-war Nash equilibrium
  $ tariffsim talks --data ossa2014 --a US --b China     # US–China deal zone from the trade-war standoff`)
    .action(async (opts: TalksCliOptions) => {
      const sources = nodeSources(opts.dataDir);
      const workers = parseWorkers(opts.workers);
      const kind = opts.mfn ? 'mfn' : 'discriminatory';
      if ((opts.a === undefined) !== (opts.b === undefined)) {
        throw new InputError('two-country bargaining needs both --a and --b', { field: opts.a === undefined ? '--a' : '--b' }, 'e.g. --a US --b China');
      }
      if (opts.a !== undefined && opts.b !== undefined) {
        if (!['nash', 'factual'].includes(opts.standoff)) throw new InputError(`--standoff must be nash or factual, got '${opts.standoff}'`, { field: '--standoff' });
        if (!['uniform', 'scale'].includes(opts.mode)) throw new InputError(`--mode must be uniform or scale, got '${opts.mode}'`, { field: '--mode' });
        const max = Number(opts.gridMax);
        if (!(max > 0 && max <= LIMITS.gridMax.max)) throw new InputError(`--grid-max must be a number above 0 and at most ${LIMITS.gridMax.max}, got '${opts.gridMax}'`, { field: '--grid-max' });
        const steps = checkInteger(Number(opts.gridSteps), LIMITS.gridSteps, '--grid-steps', opts.gridSteps);
        const nash = nashProgress('standoff');
        const grid = progressBar('deal grid |{bar}| {value}/{total} rows');
        let report: OssaDealResult;
        try {
          const r = await deal(
            {
              dataset: opts.data,
              a: opts.a,
              b: opts.b,
              politicalEconomy: opts.politicalEconomy,
              kind,
              workers,
              standoffKind: opts.standoff as 'nash' | 'factual',
              mode: opts.mode as 'uniform' | 'scale',
              grid: { min: 0, max, steps },
              onBestResponse: nash.onBestResponse,
              onRound: nash.onRound,
              onProgress: (done, total) => {
                nash.stop();
                grid.update(done, total, {});
              },
            },
            sources,
          );
          report = { ...r.result, dataset: r.dataset, politicalEconomy: r.politicalEconomy, standoff: r.standoff as 'nash' | 'factual', seconds: r.seconds };
        } finally {
          nash.stop();
          grid.stop();
        }
        if (opts.json) process.stdout.write(toJson(report) + '\n');
        else if (opts.csv) process.stdout.write(dealCsv(report));
        else process.stdout.write(dealText(report) + '\n');
        return;
      }
      if (!['factual', 'nash'].includes(opts.from)) throw new InputError(`--from must be factual or nash, got '${opts.from}'`, { field: '--from' });
      if (!['equal', 'maxmin'].includes(opts.gains)) throw new InputError(`--gains must be equal or maxmin, got '${opts.gains}'`, { field: '--gains' });
      const nash = nashProgress('war (reference point)');
      const coop = progressBar('talks |{bar}| augmented-Lagrangian iteration {value} | common gain {gain}% | violation {viol}');
      let report: TalksReport;
      try {
        report = await talks({
          dataset: opts.data,
          politicalEconomy: opts.politicalEconomy,
          kind,
          workers,
          from: opts.from as 'factual' | 'nash',
          gains: opts.gains as 'equal' | 'maxmin',
          onBestResponse: nash.onBestResponse,
          onRound: nash.onRound,
          onOuter: (i) => {
            nash.stop();
            coop.update(i.outer, Math.max(10, i.outer), { gain: fmt(100 * i.commonGain, 3), viol: i.violation.toExponential(1) });
          },
        }, sources);
      } finally {
        nash.stop();
        coop.stop();
      }
      if (opts.json) process.stdout.write(toJson(report) + '\n');
      else if (opts.csv) process.stdout.write(talksCsv(report));
      else process.stdout.write(talksText(report) + '\n');
    });
}

export function talksText(r: TalksReport): string {
  const ref = r.from === 'nash' ? 'trade-war Nash equilibrium' : 'factual tariffs';
  const rows = r.cooperative.map((x, g) => [x.region, x.medianTariff, r.gainVsReference[g].gain, x.governmentWelfare, x.welfare, x.wage, x.profits, x.imports]);
  const a = r.cooperativeAverage;
  const n = r.gainVsReference.length;
  rows.push(['Average', a.medianTariff, r.gainVsReference.reduce((s, x) => s + x.gain, 0) / n, a.governmentWelfare, a.welfare, a.wage, a.profits, a.imports]);
  return [
    `Trade talks: cooperative tariffs, Ossa (2014) data, ${r.politicalEconomy ? 'political-economy weights λ' : 'no political economy'}, ${r.kind} tariffs ≥ 0`,
    r.gains === 'equal'
      ? `  efficient tariffs at which every government gains the same proportion relative to the ${ref}: ${fmt(r.commonGain, 3)}%`
      : `  efficient tariffs at which no government gains less than ${fmt(r.commonGain, 3)}% relative to the ${ref}`,
    `  ${fmt(r.seconds, 1)} s; other columns are changes relative to the factual equilibrium`,
    '',
    table(['region', 'median coop. tariff %', `gain vs ${r.from} %`, 'gov. welfare %', 'welfare %', 'wage %', 'profits %', 'imports %'], rows),
  ].join('\n');
}

export function talksCsv(r: TalksReport): string {
  const rows = r.cooperative.map((x, g) => [x.region, x.medianTariff, r.gainVsReference[g].gain, x.governmentWelfare, x.welfare, x.wage, x.profits, x.imports]);
  return csv(['region', 'median_coop_tariff_pct', `gain_vs_${r.from}_pct`, 'gov_welfare_pct', 'welfare_pct', 'wage_pct', 'profits_pct', 'imports_pct'], rows);
}

export function dealText(r: OssaDealResult): string {
  const [A, B] = r.names;
  const unit = r.mode === 'uniform' ? '%' : '× standoff';
  const v = (x: number): string => (r.mode === 'uniform' ? fmt(100 * x, 1) : fmt(x, 2));
  const lines = [
    `Deal zone ${A}–${B}, Ossa (2014) data, ${r.politicalEconomy ? 'political-economy weights λ' : 'no political economy'}`,
    `  disagreement point: the ${r.standoff === 'nash' ? 'trade-war Nash equilibrium' : 'factual tariffs'}; a deal sets ${A}'s tariff on all of ${B}'s goods and ${B}'s on ${A}'s (${r.mode === 'uniform' ? 'uniform rates' : 'multiples of the standoff tariffs'}), all other tariffs unchanged`,
    `  grid ${r.levels.length}×${r.levels.length} over ${v(r.levels[0])}–${v(r.levels[r.levels.length - 1])} ${unit}; ${fmt(r.seconds, 1)} s`,
    '',
  ];
  if (!r.zone.cells) {
    lines.push(`No deal zone on the grid: no pair of bilateral tariffs makes both ${A} and ${B} better off than the standoff.`);
    return lines.join('\n');
  }
  lines.push(
    `Deal zone: ${r.zone.cells} of ${r.levels.length ** 2} grid pairs (${fmt(100 * r.zone.share, 1)}%) make both better off;`,
    `  ${A}'s tariff on ${B} ${v(r.zone.aRange![0])}–${v(r.zone.aRange![1])} ${unit}, ${B}'s tariff on ${A} ${v(r.zone.bRange![0])}–${v(r.zone.bRange![1])} ${unit}`,
  );
  if (r.nbs) {
    lines.push(
      '',
      'Nash bargaining solution (maximises the product of the gains over the standoff):',
      table(
        ['', `tariff on partner ${unit}`, 'gov. welfare gain vs standoff %'],
        [
          [A, v(r.nbs.a), 100 * r.nbs.gainA],
          [B, v(r.nbs.b), 100 * r.nbs.gainB],
        ],
      ),
    );
  }
  return lines.join('\n');
}

export function dealCsv(r: OssaDealResult): string {
  const [A, B] = r.names;
  const rows: (string | number)[][] = [];
  const n = r.levels.length;
  for (let ia = 0; ia < n; ia++) for (let ib = 0; ib < n; ib++) {
    const q = ia * n + ib;
    rows.push([r.levels[ia], r.levels[ib], 100 * r.gainA[q], 100 * r.gainB[q], r.inZone[q]]);
  }
  return csv([`tariff_${A}_on_${B}`, `tariff_${B}_on_${A}`, `gain_${A}_pct`, `gain_${B}_pct`, 'in_deal_zone'], rows);
}
