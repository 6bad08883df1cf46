// `tariffsim data build` (build the embedded 2024 baseline) and `tariffsim data summary` (describe it).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BASELINE_FILE, loadEmbeddedTargets, loadEmbeddedWorld, parseWorld, serializeWorld, type StoredTarget } from '../../node/data/builder/embedded.ts';
import { buildWorld2024, defaultPaths, type RegionCheck, type World2024Build } from '../../node/data/builder/world2024.ts';
import { PROJECT_ROOT, sharedDataDir } from '../../node/paths.ts';
import { CpModel } from '../../model/cp/model.ts';
import type { World } from '../../data/world.ts';
import { billions, fmt, table, toJson, type Cell } from '../format.ts';
import { summarizeBaseline, type BaselineSummary } from '../../app/data.ts';
import { checkOutDir, makeDirs } from '../output.ts';

export function register(program: Command): void {
  const data = program.command('data').description('build and inspect the embedded present-day baseline (world2024)');
  data
    .command('build')
    .description('build data/baseline/world2024.json from WIOD 2011, Census 2024 US trade, 2024 GDP and goods trade of every region (WDI) and published tariffs')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--out <dir>', 'output folder', join(PROJECT_ROOT, 'data', 'baseline'))
    .addHelpText('after', `
Examples:
  $ tariffsim data build                 # rebuild data/baseline/world2024.json and its provenance file
  $ tariffsim data build --out /tmp/base # write elsewhere`)
    .action((opts: { dataDir?: string; out: string }) => {
      const out = checkOutDir(opts.out, '--out', { replacesFolder: false }); // before the build
      const dataDir = opts.dataDir ? resolve(opts.dataDir) : sharedDataDir();
      const b = buildWorld2024(defaultPaths(PROJECT_ROOT, dataDir), resolveFixedDeficits);
      const json = serializeWorld(b.world, b.regionChecks.map(storedTarget));
      parseWorld(json, 'world2024.json (before writing)'); // the written file must load
      makeDirs(out);
      const files: [string, string][] = [
        [join(out, 'world2024.json'), json],
        [join(out, 'world2024.provenance.md'), provenance(b)],
      ];
      // Nothing partial: write every file to a temporary name first, then rename.
      try {
        for (const [f, text] of files) writeFileSync(`${f}.tmp`, text);
      } catch (e) {
        for (const [f] of files) rmSync(`${f}.tmp`, { force: true });
        throw e;
      }
      for (const [f] of files) renameSync(`${f}.tmp`, f);
      process.stdout.write(`wrote ${files.map(([f]) => f).join(' and ')} (${(json.length / 1024).toFixed(0)} KB)\n`);
      process.stdout.write(`US goods imports ${billions(b.totals.importsBuilt)} bn, exports ${billions(b.totals.exportsBuilt)} bn; ${b.iterations} calibration rounds\n`);
      const worst = (m: string) => Math.max(...b.regionChecks.filter((c) => c.measure === m).map((c) => Math.abs(c.achieved / c.value - 1) * 100));
      process.stdout.write(`2024 targets, largest |model / target − 1|: GDP ${worst('gdp').toFixed(2)}%, goods exports ${worst('exports').toFixed(2)}%, goods imports ${worst('imports').toFixed(2)}% (table: world2024.provenance.md)\n`);
    });
  data
    .command('summary')
    .description("print the active baseline's regions, sectors, totals, model vs 2024 targets by region and bilateral flows with the US")
    .option('--json', 'print as JSON')
    .option('--file <file>', 'baseline file', DEFAULT_BASELINE_FILE)
    .addHelpText('after', `
Examples:
  $ tariffsim data summary
  $ tariffsim data summary --json | jq '.usFlows[] | select(.partner=="CHN")'`)
    .action((opts: { json?: boolean; file: string }) => {
      const w = loadEmbeddedWorld(resolve(opts.file));
      const s = summarizeBaseline(w, loadEmbeddedTargets(resolve(opts.file)));
      process.stdout.write(opts.json ? toJson(s) + '\n' : textSummary(s) + '\n');
    });
}

/** The baseline re-solve used by the builder: CP2015 equilibrium with unchanged deficits. */
export const resolveFixedDeficits = (w: World): World => new CpModel(w, { closure: 'fixed-deficits' }).baseline().world;

function storedTarget(c: RegionCheck): StoredTarget {
  const s = c.source;
  return { code: c.code, measure: c.measure, value: c.value, source: `${s.file}${s.row !== undefined ? `, row ${s.row}` : ''} (${s.item})${s.note ? `, ${s.note}` : ''}` };
}

function textSummary(s: BaselineSummary): string {
  const regionRows: Cell[][] = s.regions.map((r) => [r.code, r.name, billions(r.valueAdded), billions(r.grossOutput), billions(r.imports), billions(r.exports), billions(-r.deficit), billions(r.tariffRevenue)]);
  const sectorRows: Cell[][] = s.sectors.map((x) => [x.name, x.tradable ? 'yes' : 'no', x.tradable ? fmt(x.theta) : '', billions(x.grossOutput), billions(x.worldTrade)]);
  const usRows: Cell[][] = s.usFlows.map((f) => [f.partner, billions(f.usImports), billions(f.usExports), billions(f.balance), fmt(f.usTariffPct), fmt(f.partnerTariffPct)]);
  const m = s.usFlows.reduce((a, f) => a + f.usImports, 0);
  const e = s.usFlows.reduce((a, f) => a + f.usExports, 0);
  usRows.push(['total', billions(m), billions(e), billions(e - m), '', '']);
  const targetRows: Cell[][] = [];
  for (const r of s.regions) {
    const get = (measure: string) => s.targets.find((t) => t.code === r.code && t.measure === measure);
    const [g, x, mm] = [get('gdp'), get('exports'), get('imports')];
    if (!g && !x && !mm) continue;
    const cells = (t: typeof g): Cell[] => (t ? [billions(t.model), billions(t.target), fmt(t.errorPct, 2)] : ['', '', '']);
    targetRows.push([r.code, ...cells(g), ...cells(x), ...cells(mm)]);
  }
  const targetBlock = targetRows.length
    ? [
        '',
        'Model vs 2024 targets (bn; error = model / target − 1, %). GDP = value added w_n L_n; trade = goods, net of tariffs (sources: world2024.provenance.md):',
        table(['region', 'GDP model', 'GDP target', 'err %', 'exports model', 'exports target', 'err %', 'imports model', 'imports target', 'err %'], targetRows),
      ]
    : [];
  return [
    `${s.name} (${s.year}), ${s.regions.length} regions × ${s.sectors.length} sectors; money in ${s.currencyUnit}, shown in billions`,
    `world value added ${billions(s.totals.valueAdded)} bn, gross output ${billions(s.totals.grossOutput)} bn, international trade ${billions(s.totals.trade)} bn`,
    '',
    table(['code', 'region', 'value added', 'gross output', 'imports', 'exports', 'balance', 'tariff rev'], regionRows),
    ...targetBlock,
    '',
    table(['sector', 'traded', 'theta', 'gross output', 'world trade'], sectorRows),
    '',
    'US goods trade by partner (bn; tariffs trade-weighted, %):',
    table(['partner', 'US imports', 'US exports', 'US balance', 'US tariff', 'partner tariff'], usRows),
    '',
    ...s.notes.map((n) => `  ${n}`),
  ].join('\n');
}

function provenance(b: World2024Build): string {
  const w = b.world;
  const row = (c: { partner: string; importsTarget: number; importsBuilt: number; exportsTarget: number; exportsBuilt: number }) =>
    `| ${c.partner} | ${billions(c.importsTarget, 2)} | ${billions(c.importsBuilt, 2)} | ${billions(c.exportsTarget, 2)} | ${billions(c.exportsBuilt, 2)} |`;
  return [
    '# world2024 — provenance',
    '',
    'Derived data built by the project\'s own code; no source file is copied. Method: docs/baseline.md.',
    '',
    '## Build command',
    '',
    '```',
    'tariffsim data build        # node bin/tariffsim.js data build  (reads ../shared/data or $TARIFFSIM_DATA)',
    '```',
    '',
    '## Sources',
    '',
    ...b.sources.map((s) => `- ${s}`),
    '- Concordances: data/concordances/world2024-regions.csv, world2024-sectors.csv, hs2-world2024-sectors.csv.',
    '',
    '## Build facts',
    '',
    `- ${w.regions.length} regions × ${w.sectors.length} sectors (${w.sectors.filter((s) => s.tradable).length} traded goods sectors); money in ${w.currencyUnit}.`,
    `- scale factor applied to WIOD 2011 (after USD mn → USD): ${b.scale.toFixed(6)}`,
    `- calibration rounds (re-target, re-solve): ${b.iterations}; RAS iterations: ${b.rasIterations}`,
    `- domestic sales factor d_n on the scaled 2011 domestic sales (value added = 2024 GDP): ${Object.entries(b.domesticFactor).map(([c, d]) => `${c} ${d.toFixed(3)}`).join(', ')}`,
    `- world imports vs exports reconciliation (non-US importer margins × f, exporter margins ÷ f): f = ${b.reconcile.toFixed(6)}`,
    ...b.diagnostics.map((d) => `- ${d}`),
    '',
    '## US goods trade: targets and built values (USD bn)',
    '',
    '| partner | imports target | imports built | exports target | exports built |',
    '|---|---|---|---|---|',
    ...b.checks.map(row),
    row({ partner: 'total', importsTarget: b.totals.importsTarget, importsBuilt: b.totals.importsBuilt, exportsTarget: b.totals.exportsTarget, exportsBuilt: b.totals.exportsBuilt }),
    '',
    '## 2024 targets of every region: source, target, built value (USD bn)',
    '',
    'GDP is matched by value added w_n L_n = Σ_j γ_n^j Y_n^j; exports and imports are total goods trade with the other regions, net of tariffs. Source files are relative to the shared data folder.',
    '',
    '| region | measure | source (file, data row, indicator) | target | built | built / target − 1 (%) |',
    '|---|---|---|---|---|---|',
    ...b.regionChecks.map((c) => `| ${c.code} | ${c.measure} | ${storedTarget(c).source} | ${billions(c.value, 2)} | ${billions(c.achieved, 2)} | ${fmt(100 * (c.achieved / c.value - 1), 3)} |`),
    '',
  ].join('\n');
}
