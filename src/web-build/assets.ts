// Build-time assets of the web app (Node): the policy layer's inputs are large (2024 US imports by HTS10 ×
// partner, product lists, MFN tables), so the page gets what it needs precomputed as small JSON files:
//   policy.json   the daily statutory ETR series by program (src/policy/etr.ts), the action list (date, title,
//                 legal source, citations), and the world2024 tariff matrix τ_ni^j of every day on which it
//                 changes (src/policy/matrix.ts, exactly what a scenario's `policy: {date}` compiles to), plus
//                 the matrices of the shipped presets' own (date, announcedThrough) pairs;
//   announced.json for the timeline's "announced vs in force" toggle: for every day on which an action (or its
//                 end) is announced, the matrix of every action announced through that day on the day all of them
//                 are in force (identical matrices stored once); fetched only when the toggle is used;
//   time.json     the monthly timing model's report (`tariffsim timeline` defaults, fitted through 2025-06) for
//                 the time view (~20–30 s of CPU to build its inputs, so once here);
//   presets.json  the shipped news scenarios (scenarios/*.yaml on world2024) as parsed objects;
//   world2024.json the embedded baseline as shipped (data/baseline/world2024.json).
// Matrices are stored as the cells that differ from the baseline tariff anywhere in the series (`cells`,
// indices bil(j, n, i) = (j·N + n)·N + i) and one value array per change day, at full precision, so the page
// compiles the same tariffs as the CLI bit for bit.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { actionDates } from '../policy/compile.ts';
import { join, resolve } from 'node:path';
import { loadEmbeddedWorld, DEFAULT_BASELINE_FILE } from '../node/data/builder/embedded.ts';
import { PROJECT_ROOT } from '../node/paths.ts';
import { formatDay } from '../policy/dates.ts';
import { PolicyView } from '../policy/view.ts';
import { EtrEngine, ETR_COLUMNS } from '../policy/etr.ts';
import type { CompiledAction } from '../policy/compile.ts';
import { loadConcordance, loadPolicyContext } from '../node/policy/inputs.ts';
import { tariffMatrixOn, type TariffMatrix } from '../policy/matrix.ts';
import { loadScenarioFile } from '../node/scenario.ts';
import type { AnnouncedAssets, AnnouncedDay, PolicyAssets, PresetAsset, MatrixAsset, TimeAsset } from '../web/assets-format.ts';
import { parseMonth } from '../data/timeseries.ts';
import { sharedDataAvailable } from '../node/paths.ts';
import { GROUP_NAMES } from '../model/timing/types.ts';
import { buildTimelineInputs, timelineFromInputs } from '../node/timeline.ts';

export const PRESET_FILES = [
  'us-china-2025-04-standoff.yaml',
  'liberation-day-announced.yaml',
  'geneva-2025-05.yaml',
  'busan-2025-11.yaml',
  'deals-2025.yaml',
  'ieepa-ended-2026-02.yaml',
  'pre-2025.yaml',
];

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** "USA IEEPA reciprocal 125% on China (CHN, HKG)": imposer, program, rate and targets of an action. */
function actionTitle(a: CompiledAction): string {
  const program = a.program.replace(/_/g, ' ').replace(/^ieepa/, 'IEEPA').replace(/^s(\d+)/, 'Section $1');
  const per = [...a.partnerRates.entries()];
  const rate =
    a.program === 'termination' ? `ends ${a.terminates.join(', ')}`
    : a.floor !== null ? `floor ${a.floor}%`
    : a.rate !== null ? `${a.rate}%${per.length ? ` (${per.slice(0, 4).map(([k, v]) => `${k} ${v}%`).join(', ')}${per.length > 4 ? ', …' : ''})` : ''}`
    : per.length ? per.slice(0, 4).map(([k, v]) => `${k} ${v}%`).join(', ') + (per.length > 4 ? ', …' : '')
    : '';
  const keys = a.targets.label.split(/,\s*/);
  const on = keys.length > 6 ? `${keys.length} partners (${keys.slice(0, 4).join(', ')}, …)` : a.targets.label;
  return `${a.imposer} ${program} ${rate} on ${on}`.replace(/\s+/g, ' ').trim();
}

export async function buildWebAssets(outDir: string, log: (s: string) => void = () => {}): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const ctx = await loadPolicyContext();
  const world = loadEmbeddedWorld();
  const conc = loadConcordance('world2024', ctx.data);
  const { from, to } = ctx.data.coverage;
  // Daily ETR by program.
  const engine = new EtrEngine(new PolicyView(ctx.data, null), ctx.weights);
  const series = engine.series(from, to);
  // Tariff matrices: the tariffs in force change only on a day an action takes effect or ends (a termination is
  // an action too), so those days (and the first) are the candidates; a day is kept when its matrix differs from
  // the previous candidate's.
  const candidates = new Set<number>([from]);
  for (const a of ctx.data.actions) for (const d of [a.effective, a.end]) if (Number.isFinite(d) && d > from && d <= to) candidates.add(d);
  const matrices: { key: string; m: TariffMatrix }[] = [];
  let prev: Float64Array | null = null;
  for (const d of [...candidates].sort((a, b) => a - b)) {
    const m = tariffMatrixOn(formatDay(d), ctx, world, { concordance: conc });
    if (!prev || m.tariff.some((x, k) => x !== prev![k])) matrices.push({ key: formatDay(d), m });
    prev = m.tariff;
  }
  // Presets with an announcedThrough cut-off get their own matrix.
  const presets: PresetAsset[] = [];
  const extra: { key: string; m: TariffMatrix }[] = [];
  const shipped = new Set(readdirSync(join(PROJECT_ROOT, 'scenarios')));
  for (const f of PRESET_FILES) {
    if (!shipped.has(f)) continue;
    const file = join(PROJECT_ROOT, 'scenarios', f);
    const s = loadScenarioFile(file);
    const p = s.spec.policy;
    if (p?.announcedThrough) {
      const key = `${p.date}|${p.announcedThrough}`;
      extra.push({ key, m: tariffMatrixOn(p.date, ctx, world, { concordance: conc, announcedThrough: p.announcedThrough, includeChina: p.china }) });
    }
    presets.push({ id: f.replace(/\.yaml$/, ''), file: `scenarios/${f}`, spec: s.spec as unknown as Record<string, unknown> });
  }
  // "Announced vs in force": for a day A, every action announced on or before A as if in force, i.e. the tariffs
  // on the day all of them are in force (PolicyView.inForceDay, as the Liberation Day preset does). The set only
  // changes on a day an action (or its end) is announced; identical matrices are stored once.
  const annDays = new Set<number>([from]);
  for (const a of ctx.data.actions) for (const d of [a.announced, a.endAnnounced]) if (Number.isFinite(d) && d > from && d <= to) annDays.add(d);
  const annMatrices: { key: string; m: TariffMatrix }[] = [];
  const announcedDays: AnnouncedDay[] = [];
  const seen = new Map<string, number>();
  for (const d of [...annDays].sort((a, b) => a - b)) {
    const view = new PolicyView(ctx.data, d);
    const date = formatDay(Math.min(to, view.inForceDay()));
    const m = tariffMatrixOn(date, ctx, world, { concordance: conc, announcedThrough: formatDay(d) });
    const sig = Buffer.from(m.tariff.buffer).toString('base64');
    let k = seen.get(sig);
    if (k === undefined) {
      k = annMatrices.length;
      seen.set(sig, k);
      annMatrices.push({ key: `announced:${formatDay(d)}`, m });
    }
    const last = announcedDays[announcedDays.length - 1];
    if (!last || last.matrix !== k || last.date !== date) announcedDays.push({ key: formatDay(d), date, matrix: k });
  }
  const all = [...matrices, ...extra, ...annMatrices];
  const cells: number[] = [];
  for (let x = 0; x < world.tariff.length; x++) if (all.some(({ m }) => m.tariff[x] !== world.tariff[x])) cells.push(x);
  const asMatrix = ({ key, m }: { key: string; m: TariffMatrix }): MatrixAsset => ({
    key,
    date: m.date,
    relativeTo: m.relativeTo,
    usAverage: m.usAverage,
    notes: m.notes,
    values: cells.map((x) => m.tariff[x]),
  });
  const actions = ctx.data.actions
    .filter((a) => !a.preExisting)
    .map((a) => ({
      ...actionDates(a),
      legal: a.legal,
      title: actionTitle(a),
      notes: a.notes,
      sources: a.sources.map((s) => ctx.data.sources.get(s) ?? s),
    }))
    .sort((a, b) => a.effective.localeCompare(b.effective) || a.id.localeCompare(b.id));
  const policy: PolicyAssets = {
    format: 'tariffsim-web-policy/1',
    coverage: { from: formatDay(from), to: formatDay(to) },
    etr: {
      columns: [...ETR_COLUMNS],
      from: series[0].date,
      etr: series.map((p) => r6(p.etr)),
      byProgram: series.map((p) => p.byProgram.map(r6)),
    },
    actions,
    tariffCells: cells,
    inForce: matrices.map(asMatrix),
    announced: extra.map(asMatrix),
  };
  const announced: AnnouncedAssets = { format: 'tariffsim-web-announced/1', announcedMatrices: annMatrices.map(asMatrix), announcedDays };
  writeFileSync(join(outDir, 'policy.json'), JSON.stringify(policy));
  writeFileSync(join(outDir, 'presets.json'), JSON.stringify(presets));
  writeFileSync(join(outDir, 'announced.json'), JSON.stringify(announced));
  copyFileSync(DEFAULT_BASELINE_FILE, join(outDir, 'world2024.json'));
  writeFileSync(join(outDir, 'time.json'), JSON.stringify(await timeAsset(log)));
  log(`web assets: ${announcedDays.length} announcement days (${annMatrices.length} distinct matrices), ${matrices.length} tariff-change days, ${cells.length} cells, ${actions.length} actions, ${presets.length} presets in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${outDir}`);
}

/** The monthly timing model's report (`tariffsim timeline` with its defaults), or why it is missing. */
async function timeAsset(log: (s: string) => void): Promise<TimeAsset> {
  if (!sharedDataAvailable('us-tariffs/timeseries')) return { format: 'tariffsim-web-time/1', report: null, missing: 'the monthly series (shared data us-tariffs/timeseries) were not found when the app was built' };
  const t0 = Date.now();
  const M = (s: string) => parseMonth(s);
  const inputs = await buildTimelineInputs(M('2026-06'));
  const r = timelineFromInputs(inputs, { from: M('2024-01'), to: M('2026-06'), cutoff: M('2025-06') });
  log(`time view: timeline report in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return {
    format: 'tariffsim-web-time/1',
    report: {
      from: r.from,
      to: r.to,
      fitThrough: r.fitThrough,
      groups: Object.entries(GROUP_NAMES).map(([code, name]) => ({ code, name: String(name) })),
      rows: r.rows.map((x) => ({ month: x.month, imports: x.imports, total: { model: x.total.model, actual: x.total.actual, noTariff: x.total.noTariff } })),
      backtest: r.backtest,
      surgeQ1: r.surgeQ1,
      etrH2: r.etrH2,
    },
    missing: null,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = resolve(process.argv[2] ?? join(PROJECT_ROOT, 'web', 'generated'));
  await buildWebAssets(out, (s) => process.stdout.write(s + '\n'));
}
