// `tariffsim data build` (build the embedded 2024 baseline) and `tariffsim data summary` (describe it).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BASELINE_FILE, loadEmbeddedWorld, parseWorld, serializeWorld } from '../../data/builder/embedded.ts';
import { buildWorld2024, defaultPaths, type World2024Build } from '../../data/builder/world2024.ts';
import { PROJECT_ROOT, sharedDataDir } from '../../data/paths.ts';
import { CpModel } from '../../model/cp/model.ts';
import { expenditure, findRegion, grossOutput, tariffRevenue, tradeTotals, type World } from '../../data/world.ts';
import { billions, fmt, table, toJson, type Cell } from '../format.ts';
import { checkOutDir, makeDirs } from '../output.ts';

export function register(program: Command): void {
  const data = program.command('data').description('build and inspect the embedded present-day baseline (world2024)');
  data
    .command('build')
    .description('build data/baseline/world2024.json from WIOD 2011, Census 2024 US trade and published tariffs')
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
      const json = serializeWorld(b.world);
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
    });
  data
    .command('summary')
    .description("print the active baseline's regions, sectors, totals and bilateral flows with the US")
    .option('--json', 'print as JSON')
    .option('--file <file>', 'baseline file', DEFAULT_BASELINE_FILE)
    .addHelpText('after', `
Examples:
  $ tariffsim data summary
  $ tariffsim data summary --json | jq '.usFlows[] | select(.partner=="CHN")'`)
    .action((opts: { json?: boolean; file: string }) => {
      const w = loadEmbeddedWorld(resolve(opts.file));
      const s = summarize(w);
      process.stdout.write(opts.json ? toJson(s) + '\n' : textSummary(s) + '\n');
    });
}

/** The baseline re-solve used by the builder: CP2015 equilibrium with unchanged deficits. */
export const resolveFixedDeficits = (w: World): World => new CpModel(w, { closure: 'fixed-deficits' }).baseline().world;

export interface BaselineSummary {
  name: string;
  year: number;
  currencyUnit: string;
  regions: { code: string; name: string; valueAdded: number; grossOutput: number; imports: number; exports: number; deficit: number; tariffRevenue: number }[];
  sectors: { name: string; tradable: boolean; theta: number; grossOutput: number; worldTrade: number }[];
  totals: { valueAdded: number; grossOutput: number; trade: number };
  /** US goods trade with each partner (USD), and the trade-weighted tariffs each way (%). */
  usFlows: { partner: string; usImports: number; usExports: number; balance: number; usTariffPct: number; partnerTariffPct: number }[];
  notes: string[];
}

export function summarize(w: World): BaselineSummary {
  const N = w.regions.length;
  const J = w.sectors.length;
  const y = grossOutput(w);
  expenditure(w);
  const { imports, exports } = tradeTotals(w);
  const rev = tariffRevenue(w);
  const us = findRegion(w, 'USA');
  const regions = w.regions.map((r, n) => {
    let g = 0;
    for (let j = 0; j < J; j++) g += y[n * J + j];
    return { code: r.code, name: r.name, valueAdded: w.valueAdded[n], grossOutput: g, imports: imports[n], exports: exports[n], deficit: w.deficit[n], tariffRevenue: rev[n] };
  });
  const sectors = w.sectors.map((s, j) => {
    let g = 0;
    let t = 0;
    for (let n = 0; n < N; n++) {
      g += y[n * J + j];
      for (let i = 0; i < N; i++) if (i !== n) t += w.trade[(j * N + n) * N + i];
    }
    return { name: s.name, tradable: s.tradable, theta: s.theta, grossOutput: g, worldTrade: t };
  });
  const usFlows: BaselineSummary['usFlows'] = [];
  if (us >= 0) {
    for (let i = 0; i < N; i++) {
      if (i === us) continue;
      let m = 0, e = 0, tm = 0, te = 0;
      for (let j = 0; j < J; j++) {
        const a = (j * N + us) * N + i;
        const b = (j * N + i) * N + us;
        m += w.trade[a];
        e += w.trade[b];
        tm += w.trade[a] * w.tariff[a];
        te += w.trade[b] * w.tariff[b];
      }
      usFlows.push({ partner: w.regions[i].code, usImports: m, usExports: e, balance: e - m, usTariffPct: m > 0 ? (100 * tm) / m : 0, partnerTariffPct: e > 0 ? (100 * te) / e : 0 });
    }
  }
  const totals = {
    valueAdded: w.valueAdded.reduce((a, b) => a + b, 0),
    grossOutput: y.reduce((a, b) => a + b, 0),
    trade: imports.reduce((a, b) => a + b, 0),
  };
  return { name: w.name, year: w.year, currencyUnit: w.currencyUnit, regions, sectors, totals, usFlows, notes: w.notes ?? [] };
}

function textSummary(s: BaselineSummary): string {
  const regionRows: Cell[][] = s.regions.map((r) => [r.code, r.name, billions(r.valueAdded), billions(r.grossOutput), billions(r.imports), billions(r.exports), billions(-r.deficit), billions(r.tariffRevenue)]);
  const sectorRows: Cell[][] = s.sectors.map((x) => [x.name, x.tradable ? 'yes' : 'no', x.tradable ? fmt(x.theta) : '', billions(x.grossOutput), billions(x.worldTrade)]);
  const usRows: Cell[][] = s.usFlows.map((f) => [f.partner, billions(f.usImports), billions(f.usExports), billions(f.balance), fmt(f.usTariffPct), fmt(f.partnerTariffPct)]);
  const m = s.usFlows.reduce((a, f) => a + f.usImports, 0);
  const e = s.usFlows.reduce((a, f) => a + f.usExports, 0);
  usRows.push(['total', billions(m), billions(e), billions(e - m), '', '']);
  return [
    `${s.name} (${s.year}), ${s.regions.length} regions × ${s.sectors.length} sectors; money in ${s.currencyUnit}, shown in billions`,
    `world value added ${billions(s.totals.valueAdded)} bn, gross output ${billions(s.totals.grossOutput)} bn, international trade ${billions(s.totals.trade)} bn`,
    '',
    table(['code', 'region', 'value added', 'gross output', 'imports', 'exports', 'balance', 'tariff rev'], regionRows),
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
    `- calibration rounds (re-target, re-solve): ${b.iterations}`,
    ...b.diagnostics.map((d) => `- ${d}`),
    '',
    '## US goods trade: targets and built values (USD bn)',
    '',
    '| partner | imports target | imports built | exports target | exports built |',
    '|---|---|---|---|---|',
    ...b.checks.map(row),
    row({ partner: 'total', importsTarget: b.totals.importsTarget, importsBuilt: b.totals.importsBuilt, exportsTarget: b.totals.exportsTarget, exportsBuilt: b.totals.exportsBuilt }),
    '',
  ].join('\n');
}
