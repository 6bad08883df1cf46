// `tariffsim timeline`: the monthly timing model end to end (docs/timing.md). Loads the monthly series, builds
// the tariff episodes (policy layer + CP2015 targets, and the 2018–19 Section 301 history), estimates the
// seasonality and trend on pre-2018 data, fits the dynamic parameters and duty collection on data through the
// cutoff only, and simulates the path with its backtest, the Q1 2025 surge, the H2 2025 effective tariff rate
// and the quarterly net-export contributions.
import { InputError } from '../errors.ts';
import { formatDay, parseDay, type Day } from '../policy/dates.ts';
import type { Concordance } from '../policy/concordance.ts';
import { PolicyView } from '../policy/view.ts';
import { loadEmbeddedWorld } from './data/builder/embedded.ts';
import { formatMonth, parseMonth, PARTNER_FIELDS, type Timeseries } from '../data/timeseries.ts';
import { loadTimeseries, timeseriesDir } from './data/timeseries.ts';
import type { World } from '../data/world.ts';
import { partialAdjustment } from '../model/timing/adjust.ts';
import { fitExportSpeed, type ExportSpeedFit } from '../model/timing/exports.ts';
import { totalSeasonalFactor } from '../model/timing/baseline.ts';
import { fitDuties, fitDynamics, LEADS, mape } from '../model/timing/fit.ts';
import { episodeMotive, simulateEpisode, type GroupPath } from '../model/timing/path.ts';
import { G, GROUPS, type Baseline, type DutyParams, type Episode, type ExportBaseline, type FitReport, type TariffStep } from '../model/timing/types.ts';
import { loadScheduled, scheduledSteps, SCHEDULED_FILE } from './timeline-scheduled.ts';
import { fitOls } from '../estimate/ols.ts';
import { loadConcordance, loadPolicyContext, type PolicyContext } from './policy/inputs.ts';
import { loadScenarioFile } from './scenario.ts';
import { nodeSources } from './sources.ts';
import type { DataSources } from '../app/sources.ts';
import { compileCp } from '../app/models/cp.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { PreparedScenario } from '../scenario/run.ts';
import { scenarioDataset } from '../app/scenario.ts';
import { anchoredBaseline, chinaEpisode, dayToMonths, episodeTariffAt, policyAsApplied, policyAsKnown, stepsAsKnown, estimateSeasonTrend, groupImportsByChapter, HS2_IMPORTS_FILE, importsByCode, loadThreats, policyEpisode, TargetSolver, THREATS_FILE, usIndex } from './timeline-inputs.ts';
import { join } from 'node:path';
import { sharedDataDir } from './paths.ts';

/** Fixed design choices (docs/timing.md §Assumptions). */
export const TIMING_DESIGN = {
  /** Seasonality and trend: pre-2018 months (eq. T1). */
  trendWindow: ['2002-01', '2017-12'],
  /** Level anchor of the 2025 episode: before the election-driven expectations of late 2024. */
  anchorWindow: ['2024-01', '2024-10'],
  /** Level anchor and fit window of the 2018–19 episode (China only; stops before the pandemic). */
  anchor2018: ['2016-01', '2017-12'],
  episode2018: ['2018-01', '2019-12'],
  /** The 2025 episode starts two months before the first 2025 action so that anticipation can show. */
  episode2025Start: '2024-11',
  /** Duty collection: ρ0 measured on 2024. */
  dutyBase: ['2024-01', '2024-12'],
  /** Export baseline window (SA series; the files hold exports only from 2020). */
  exportWindow: ['2023-01', '2024-10'],
  /** Nominal US GDP 2024, US$ millions (BEA), for net-export contributions. */
  gdp2024: 29_184_900,
  /** Out-of-sample window after the cutoff, months. */
  backtestMonths: 6,
} as const;

/** Specification of the fit (eq. T8); the alternatives are compared by BIC in test/timing/timeline.test.ts. */
export interface TimingSpec {
  /** One front-running scale κ_g per group (eq. T4b). */
  kappaByGroup: boolean;
  /** One adjustment speed λ_g per group (eq. T2). */
  lambdaByGroup: boolean;
  /** Threats and pledges (eq. T4c) in the fit. */
  threats: boolean;
  /** Leads L searched (eq. T4a). */
  leads: number[];
}

/**
 * The specification used: one κ per group and one λ for all, chosen among the four combinations (κ, λ: one, or
 * one per group) by the lowest BIC of the fit through 2025-06 (docs/timing.md §Estimation;
 * test/timing/timeline.test.ts recomputes all four); threats in, every lead of LEADS.
 */
export const TIMING_SPEC: TimingSpec = { kappaByGroup: true, lambdaByGroup: false, threats: true, leads: LEADS };

export interface TimelineOptions {
  from?: string;
  to?: string;
  fitThrough?: string;
  /** A scenario file, or a scenario already loaded (the HTTP API's inline or shipped scenarios) and its label. */
  scenario?: string | { loaded: LoadedScenario; label: string };
  dataDir?: string;
  /** Pre-built inputs (bench, tests, the server's solve worker): reused instead of loading again. */
  inputs?: TimelineInputs;
  /** Field names for errors in the options (the CLI's flags by default; the HTTP API names its body's fields). */
  fields?: { from: string; to: string; fitThrough: string };
  /** Where a scenario's data come from (the server's solve worker: sources that never read client-named files). */
  sources?: DataSources;
}

const CLI_FIELDS = { from: '--from', to: '--to', fitThrough: '--fit-through' };
/** The HTTP API's names for the same options (POST /v1/runs {kind: timeline}). */
export const API_FIELDS = { from: 'from', to: 'to', fitThrough: 'fitThrough' };

export interface TimelineInputs {
  ts: Timeseries;
  world: World;
  /** The policy context with its data as applied at the time (policyAsApplied). */
  ctx: PolicyContext;
  solver: TargetSolver;
  policy: ReturnType<typeof policyEpisode>;
  /** The scheduled, called-off steps (also in policy.steps; a scenario re-adds them to its own schedule). */
  scheduled: TariffStep[];
  /** The 2025 episode's steps as known at the end of a cutoff month (announced by then, sized with the policy
   *  data as known then; memoized): what the fit and the printed months through the cutoff see. */
  stepsAt: (cutoff: number) => TariffStep[];
  /** The US actions (of the law's view) the law dates before their announcement, or whose end it dates before the
   *  end's announcement: their time in force in law and as applied (an empty one never applied). */
  retroactive: { id: string; law: { from: Day; to: Day }; applied: { from: Day; to: Day } }[];
  /** The world2024 concordance the policy episode was built with (scenarios re-use it). */
  concordance: Concordance;
  china: ReturnType<typeof chinaEpisode>;
  seasonTrend: Omit<Baseline, 'anchor' | 'anchorWindow'>;
  lastMonth: number;
}

const m = (s: string) => parseMonth(s);

/** Loads data, policy and CP targets through `lastMonth` (the expensive part: ~one CP solve per regime). */
export async function buildTimelineInputs(lastMonth: number, dataDir?: string, threatsFile?: string): Promise<TimelineInputs> {
  const ts = loadTimeseries(dataDir ? timeseriesDir(dataDir) : undefined);
  // The policy data as applied at the time (no action before its announcement): every input below reads it.
  const loaded = await loadPolicyContext(dataDir ? { dataDir } : {});
  const ctx = { ...loaded, data: policyAsApplied(loaded.data) };
  const lawView = new PolicyView(loaded.data);
  const retroactive: TimelineInputs['retroactive'] = loaded.data.actions
    .flatMap((a, i) => {
      const b = ctx.data.actions[i];
      return a.imposer === 'USA' && lawView.included[a.index] && b !== a ? [{ id: a.id, law: { from: a.effective, to: a.end }, applied: { from: b.effective, to: b.end } }] : [];
    })
    .sort((x, y) => x.law.from - y.law.from || x.id.localeCompare(y.id));
  const world = loadEmbeddedWorld();
  const solver = new TargetSolver(world);
  const concordance = loadConcordance('world2024', ctx.data);
  const policyBase = policyEpisode({ ctx, concordance, solver, start: m(TIMING_DESIGN.episode2025Start), end: Math.max(lastMonth, m('2025-12')), name: 'policy-2025' });
  const imports = importsByCode(groupImportsByChapter(join(dataDir ?? sharedDataDir(), HS2_IMPORTS_FILE)), ctx.weights);
  const threats = loadThreats(threatsFile ?? THREATS_FILE, imports, episodeTariffAt(policyBase));
  // Scheduled increases called off before their day (data/timing/scheduled-2025.csv): steps importers saw coming.
  const rows = loadScheduled(SCHEDULED_FILE, ctx);
  const scheduled = scheduledSteps(rows, ctx, concordance, solver);
  const policy = { ...policyBase, steps: [...policyBase.steps, ...scheduled], threats };
  // The steps as known at a cutoff (real time: dates and sizes from the policy data as announced by then), once
  // per cutoff.
  const memo = new Map<number, TariffStep[]>();
  const stepsAt = (cutoff: number): TariffStep[] => {
    let st = memo.get(cutoff);
    if (!st) {
      const through = parseDay(`${formatMonth(cutoff + 1)}-01`) - 1;
      const asKnown = { ...ctx, data: policyAsKnown(ctx.data, through) };
      st = [...stepsAsKnown(ctx, concordance, solver, policyBase.start + policyBase.n - 1, through), ...scheduledSteps(rows.filter((r) => r.announced <= through), asKnown, concordance, solver)];
      memo.set(cutoff, st);
    }
    return st;
  };
  const china = chinaEpisode(solver, m(TIMING_DESIGN.episode2018[0]), m(TIMING_DESIGN.episode2018[1]));
  const seasonTrend = estimateSeasonTrend(ts.partners, m(TIMING_DESIGN.trendWindow[0]), m(TIMING_DESIGN.trendWindow[1]), PARTNER_FIELDS);
  return { ts, world, ctx, solver, policy, scheduled, stepsAt, retroactive, concordance, china, seasonTrend, lastMonth };
}

export interface TimelineRow {
  month: string;
  /** US$ millions per month (NSA): model, actual (null when no data), no-tariff counterfactual, by group. */
  imports: { group: string; model: number; actual: number | null; noTariff: number }[];
  total: { model: number; actual: number | null; noTariff: number; frontRun: number; drawdown: number };
  /** Exports, US$ millions per month, seasonally adjusted. */
  exports: { model: number; actual: number | null; noTariff: number };
  /** Customs duties, US$ millions per month. */
  duties: { model: number; actual: number | null; noTariff: number };
  /** Realized effective tariff rate (duties / imports), percent; statutory (policy layer as applied each day, 2024 weights), percent. */
  etr: { model: number; actual: number | null; noTariff: number; statutory: number };
}

export interface QuarterRow {
  quarter: string;
  /** Contribution of goods net exports to annualized nominal GDP growth, percentage points. */
  model: number;
  withoutFrontRunning: number;
  actual: number | null;
  noTariff: number;
}

export interface TimelineReport {
  from: string;
  to: string;
  fitThrough: string;
  scenario: string | null;
  fit: FitReport & { seasonTrend: { group: string; trendPerYear: number }[]; anchors: number[]; eta2018: number; exports: ExportBaseline & { lambda: number; lambdaFit: ExportSpeedFit | null }; duties: DutyParams };
  rows: TimelineRow[];
  quarters: QuarterRow[];
  /** Out-of-sample MAPE, percent: imports by group and total; exports (SA) and customs duties where actuals exist. */
  backtest: { window: [string, string] | null; mape: { group: string; value: number }[]; total: number | null; exports: number | null; duties: number | null };
  surgeQ1: { model: number; measured: number; ratio: number } | null;
  etrH2: { model: number; actual: number; statutory: number; components: { name: string; points: number }[] } | null;
  notes: string[];
}

/**
 * Sources whose policy data are as applied each day (policyAsApplied), for a scenario's policy date: the tariffs
 * it holds are the ones the schedule it replaces had on that day (the cached matrices, read from the law, are not
 * used).
 */
export function appliedSources(src: DataSources): DataSources {
  return { ...src, policy: async (o) => { const c = await src.policy(o); return { ...c, data: policyAsApplied(c.data) }; }, policyMatrixCache: undefined };
}

export async function runTimeline(opts: TimelineOptions): Promise<TimelineReport> {
  const f = opts.fields ?? CLI_FIELDS;
  const { from, to, cutoff } = timelineMonths(opts, f);
  let scenarioPrep: PreparedScenario | null = null;
  let scenarioFile: string | null = null;
  if (opts.scenario) {
    const { loaded: sc, label } = typeof opts.scenario === 'string' ? { loaded: loadScenarioFile(opts.scenario), label: opts.scenario } : opts.scenario;
    scenarioFile = label;
    const loc = sc.locate(['dataset']);
    const row = timelineScenarioDataset(sc, label);
    scenarioPrep = (await compileCp(sc, row, appliedSources(opts.sources ?? nodeSources(opts.dataDir)))).prepared;
    usIndex(scenarioPrep.world, { file: label, line: loc.line, column: loc.column });
  }
  if (!opts.inputs) checkCutoff(loadTimeseries(opts.dataDir ? timeseriesDir(opts.dataDir) : undefined), cutoff, f.fitThrough);
  const inputs = opts.inputs ?? (await buildTimelineInputs(Math.max(to, cutoff), opts.dataDir));
  return timelineFromInputs(inputs, { from, to, cutoff, scenarioFile, scenarioPrep, fields: f });
}

/** A timeline scenario's dataset row: a multi-sector (CP) dataset, the only kind with the USA the model follows. */
export function timelineScenarioDataset(sc: LoadedScenario, label: string, field = 'dataset'): ReturnType<typeof scenarioDataset> {
  const row = scenarioDataset(sc);
  if (row.model !== 'cp') {
    const { line, column } = sc.locate(['dataset']);
    throw new InputError(`dataset ${sc.spec.dataset} has no USA region of the multi-sector model: the timing model follows US trade through CP2015`, { file: label, line, column, field }, 'use dataset: world2024 (or cp2015)');
  }
  return row;
}

/** The months of a timeline's options (errors name `fields`): first and last month of the table, the cutoff. */
export function timelineMonths(opts: Pick<TimelineOptions, 'from' | 'to' | 'fitThrough'>, fields = CLI_FIELDS): { from: number; to: number; cutoff: number } {
  const from = parseMonth(opts.from ?? '2024-01', { field: fields.from });
  const to = parseMonth(opts.to ?? '2026-06', { field: fields.to });
  if (to < from) throw new InputError(`${fields.to} ${formatMonth(to)} is before ${fields.from} ${formatMonth(from)}`, { field: fields.to });
  const cutoff = parseMonth(opts.fitThrough ?? '2025-06', { field: fields.fitThrough });
  return { from, to, cutoff };
}

/** The report as JSON-ready data (what `tariffsim timeline --json` prints and the HTTP API answers). */
export function timelineJson(r: TimelineReport): Record<string, unknown> {
  return { ...r, fit: { ...r.fit, params: { ...r.fit.params, sigma: Number.isFinite(r.fit.params.sigma) ? r.fit.params.sigma : 'linear' }, cutoff: formatMonth(r.fit.cutoff) } };
}

const r1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const r4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);

/** The monthly table, one record per month (US$ millions to 0.1; rates in percent to 1e-4; null: no data). */
export function timelineTable(rows: readonly TimelineRow[]): Record<string, string | number | null>[] {
  return rows.map((row) => {
    const out: Record<string, string | number | null> = { month: row.month };
    for (const i of row.imports) {
      out[`imports_${i.group}_model`] = r1(i.model);
      out[`imports_${i.group}_actual`] = r1(i.actual);
      out[`imports_${i.group}_no_tariff`] = r1(i.noTariff);
    }
    Object.assign(out, {
      imports_total_model: r1(row.total.model), imports_total_actual: r1(row.total.actual), imports_total_no_tariff: r1(row.total.noTariff), front_running: r1(row.total.frontRun), drawdown: r1(row.total.drawdown),
      exports_sa_model: r1(row.exports.model), exports_sa_actual: r1(row.exports.actual), exports_sa_no_tariff: r1(row.exports.noTariff),
      duties_model: r1(row.duties.model), duties_actual: r1(row.duties.actual), duties_no_tariff: r1(row.duties.noTariff),
      etr_model_pct: r4(row.etr.model), etr_actual_pct: r4(row.etr.actual), etr_no_tariff_pct: r4(row.etr.noTariff), etr_statutory_pct: r4(row.etr.statutory),
    });
    return out;
  });
}

/** The table's first month within the monthly data, and the cutoff as checkCutoff wants it. */
export function checkTimelineData(ts: Timeseries, from: number, cutoff: number, fields = CLI_FIELDS): void {
  checkCutoff(ts, cutoff, fields.fitThrough);
  if (from < ts.partners.start) throw new InputError(`${fields.from} ${formatMonth(from)} is before the monthly data start ${formatMonth(ts.partners.start)}`, { field: fields.from });
}

/** The cutoff must lie inside every monthly series and after the anchor window of the 2025 episode. */
export function checkCutoff(ts: Timeseries, cutoff: number, field = CLI_FIELDS.fitThrough): void {
  const anchorTo = m(TIMING_DESIGN.anchorWindow[1]);
  for (const tb of [ts.partners, ts.customs, ts.goods]) {
    const last = tb.start + tb.n - 1;
    if (cutoff > last || cutoff < Math.max(anchorTo, tb.start)) {
      throw new InputError(
        `${field} ${formatMonth(cutoff)} is outside the data: this series runs ${formatMonth(tb.start)} … ${formatMonth(last)}, and the fit needs the months through the anchor window ${TIMING_DESIGN.anchorWindow.join(' … ')}`,
        { file: tb.file, field },
        `pick a month from ${TIMING_DESIGN.anchorWindow[1]} to ${formatMonth(Math.min(ts.partners.start + ts.partners.n, ts.customs.start + ts.customs.n, ts.goods.start + ts.goods.n) - 1)}`,
      );
    }
  }
}

/** Everything after the inputs: fit (data through the cutoff only), path, metrics. Pure apart from the inputs. */
export function timelineFromInputs(
  inputs: TimelineInputs,
  o: { from: number; to: number; cutoff: number; scenarioFile?: string | null; scenarioPrep?: PreparedScenario | null; spec?: Partial<TimingSpec>; fields?: TimelineOptions['fields'] },
): TimelineReport {
  const { ts, solver } = inputs;
  const { from, to, cutoff } = o;
  const P = ts.partners;
  const pLast = P.start + P.n - 1;
  const anchorTo = m(TIMING_DESIGN.anchorWindow[1]);
  const f = o.fields ?? CLI_FIELDS;
  checkTimelineData(ts, from, cutoff, f);
  if (to > inputs.policy.start + inputs.policy.n - 1) throw new InputError(`${f.to} ${formatMonth(to)} is after the prepared inputs (${formatMonth(inputs.policy.start + inputs.policy.n - 1)})`, { field: f.to }, `build the inputs through ${f.to}`);
  const notes: string[] = [];

  // Everything the fit sees ends at the cutoff.
  const observed = (start: number, end: number) => {
    const last = Math.min(end, cutoff);
    const n = Math.max(0, last - start + 1);
    const out = new Float64Array(n * G);
    for (let k = 0; k < n; k++) for (let g = 0; g < G; g++) out[k * G + g] = P.columns[PARTNER_FIELDS[g]][start + k - P.start];
    return { observed: out, obsStart: start, obsN: n };
  };
  const st = inputs.seasonTrend;
  const base2025 = anchoredBaseline(st, P, PARTNER_FIELDS, m(TIMING_DESIGN.anchorWindow[0]), anchorTo);
  const base2018 = anchoredBaseline(st, P, PARTNER_FIELDS, m(TIMING_DESIGN.anchor2018[0]), m(TIMING_DESIGN.anchor2018[1]));
  const ep25 = inputs.policy;
  const ep18 = inputs.china;
  // Real time: the fit sees only the steps announced by the end of the cutoff month (later announcements are
  // invisible to it, whatever the lead), and the tariffs in force through the cutoff.
  // What the fit may know: steps announced and threats stated by the end of the cutoff month; a resolution after
  // it is unknown then (the threat is still open, and whether an action will enact it too).
  // The 2025 schedule's steps come from the policy data as known at the cutoff (inputs.stepsAt: a step's size
  // depends on the other tariffs in force on its day, some of them announced later).
  const known = (ep: Episode): Episode => ({
    ...ep,
    steps: (ep === ep25 ? inputs.stepsAt(cutoff) : ep.steps).filter((s) => s.announced < cutoff + 1).map((s) => (s.cancelled < cutoff + 1 ? s : { ...s, cancelled: NaN })),
    threats: (ep.threats ?? []).filter((th) => th.stated < cutoff + 1).map((th) => (th.resolved < cutoff + 1 ? th : { ...th, resolved: NaN, enacted: false })),
  });
  const fitEps = [
    { episode: known(ep18), baseline: base2018, from: ep18.start, ...observed(ep18.start, ep18.start + ep18.n - 1) },
    { episode: known(ep25), baseline: base2025, from: ep25.start, ...observed(ep25.start, ep25.start + ep25.n - 1) },
  ].filter((e) => e.obsN > 0);
  const spec = { ...TIMING_SPEC, ...o.spec };
  const fitEps2 = spec.threats ? fitEps : fitEps.map((e) => ({ ...e, episode: { ...e.episode, threats: [] } }));
  const fit = fitDynamics(fitEps2, { cutoff, kappaByGroup: spec.kappaByGroup, lambdaByGroup: spec.lambdaByGroup, leads: spec.leads });
  const p = fit.params;

  // Export baseline (eq. T7): OLS of ln X on a trend, SA, on the export window (must precede the cutoff).
  const Xg = ts.goods;
  const xw0 = m(TIMING_DESIGN.exportWindow[0]);
  const xw1 = Math.min(m(TIMING_DESIGN.exportWindow[1]), cutoff);
  const nx = xw1 - xw0 + 1;
  const lx = new Float64Array(nx);
  const tx = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    lx[k] = Math.log(Xg.columns.exports_nominal[xw0 + k - Xg.start]);
    tx[k] = k;
  }
  const xr = fitOls({ y: lx, X: [new Float64Array(nx).fill(1), tx], names: ['(Intercept)', 't'], fixedEffects: [], outcomeName: 'ln exports' });
  const exportsBase: ExportBaseline = { level: xr.coef[0], trend: xr.coef[1], origin: xw0, window: [xw0, xw1] as [number, number] };

  // The simulated episode: the actual schedule, or the scenario's tariffs from its date on (the month of the switch
  // averages the schedule's days before it and the scenario's days, like every month; docs/timing.md §Limitations).
  let simEp: Episode = ep25;
  if (o.scenarioPrep) {
    const sp = o.scenarioPrep;
    const date = sp.policy?.date;
    const switchDay = date ? parseDay(date) : parseDay(`${formatMonth(ep25.start)}-01`);
    const sameWorld = sp.world.name === inputs.world.name;
    const scSolver = sameWorld ? solver : new TargetSolver(sp.world);
    const concordance = sameWorld ? inputs.concordance : loadConcordance(sp.world.name, inputs.ctx.data);
    const tariff = sp.compiled.counterfactual.tariff ?? sp.world.tariff;
    const scheduleSteps = sameWorld ? ep25.steps.filter((st) => !inputs.scheduled.includes(st)) : undefined;
    const sim = policyEpisode({ ctx: inputs.ctx, concordance, solver: scSolver, start: ep25.start, end: ep25.start + ep25.n - 1, name: `scenario ${o.scenarioFile}`, steps: scheduleSteps, override: { from: switchDay, tariff, statutory: scSolver.usAverage(tariff) } });
    // The scheduled steps: as in the schedule, and, like its steps, called off at the switch if still ahead.
    const sw = dayToMonths(switchDay);
    const ahead = inputs.scheduled.map((st) => (st.month >= Math.floor(sw) && !(st.cancelled <= sw) ? { ...st, cancelled: sw } : st));
    simEp = { ...sim, steps: [...sim.steps, ...ahead], threats: ep25.threats };
    notes.push(
      `scenario ${o.scenarioFile}: its tariffs replace the policy schedule from ${formatDay(switchDay)} (${formatMonth(Math.floor(dayToMonths(switchDay)))} averages the two by days; no anticipation of the switch); from then on the statutory column is the scenario's average US tariff (model sectors, weighted by the dataset's US imports)` +
        (sameWorld ? '' : `; the whole path uses the scenario's dataset ${sp.world.name}`) +
        '; fitted parameters come from the actual schedule',
    );
  }
  // The path: through the cutoff importers know what the fit knew (steps and threats announced by then, so the
  // in-sample months are the fitted values); after it, the realized schedule and statements (a forecast
  // conditional on them), from the inventory and adjustment state reached at the cutoff.
  const pathOf = (ep: Episode): GroupPath => {
    const S = episodeMotive(ep, p);
    const Srt = episodeMotive(known(ep), p);
    for (let k = 0; k < ep.n && ep.start + k <= cutoff; k++) for (let g = 0; g < G; g++) S[k * G + g] = Srt[k * G + g];
    return simulateEpisode(ep, base2025, p, S);
  };
  const path = pathOf(ep25);
  const simPath = simEp === ep25 ? path : pathOf(simEp);

  // Accessors over the whole month range (before the episode: no change).
  const inEp = (t: number) => t >= ep25.start && t < ep25.start + ep25.n;
  const modelOf = (pp: GroupPath, g: number, t: number) => (inEp(t) ? pp.model[(t - ep25.start) * G + g] : noTariffOf(g, t));
  const noTariffOf = (g: number, t: number) => Math.exp(base2025.anchor[g] + st.trend[g] * (t - st.origin) + st.season[g * 12 + (t % 12)]);
  const actualOf = (g: number, t: number): number | null => (t >= P.start && t <= pLast ? P.columns[PARTNER_FIELDS[g]][t - P.start] : null);
  const tauOf = (ep: Episode, g: number, t: number) => (t < ep.start ? ep.tariff[g] : ep.tariff[(Math.min(t, ep.start + ep.n - 1) - ep.start) * G + g]);

  // Duty collection (eq. T9), fitted with actual imports through the cutoff.
  const C = ts.customs;
  // The base year ends at the cutoff when the cutoff falls inside it (a fit through 2024-10 may not read 2024-12).
  const duties = fitDuties({
    baseFrom: m(TIMING_DESIGN.dutyBase[0]),
    baseTo: Math.min(m(TIMING_DESIGN.dutyBase[1]), cutoff),
    from: m('2025-01'),
    cutoff: Math.min(cutoff, C.start + C.n - 1),
    duties: (t) => C.columns.customs_duties[t - C.start],
    imports: (g, t) => actualOf(g, t)!,
    tariff: (g, t) => tauOf(ep25, g, t),
    baseTariff: (g) => ep25.tariff[g],
  });
  const dutyOf = (imp: (g: number, t: number) => number, ep: Episode, t: number, tariffScale = 1) => {
    let s = 0;
    const u = t - duties.lag;
    for (let g = 0; g < G; g++) {
      const t0 = ep.tariff[g];
      s += imp(g, u) * (duties.rhoBase * t0 + tariffScale * duties.rhoNew * (tauOf(ep, g, u) - t0));
    }
    return s;
  };

  // Exports (eq. T7): SA trend × partial adjustment to the CP export target.
  const xX = new Float64Array(ep25.n);
  const exportTargets = Float64Array.from(simEp.exportTarget);
  const exportNoTariff = (t: number) => Math.exp(exportsBase.level + exportsBase.trend * (t - exportsBase.origin));
  const exportActual = (t: number) => (t >= Xg.start && t < Xg.start + Xg.n ? Xg.columns.exports_nominal[t - Xg.start] : null);
  // λ_X (eq. T7b): fitted on the actual schedule's episode months through the cutoff; where their export targets
  // are all zero (a cutoff before the first 2025 action takes effect), the 2024-import-weighted mean of the groups'
  // speeds (2024 imports, through the cutoff when it falls inside 2024).
  const nX = Math.min(cutoff, Xg.start + Xg.n - 1) - ep25.start + 1;
  const residX = Float64Array.from({ length: Math.max(nX, 0) }, (_, k) => Math.log(exportActual(ep25.start + k)!) - Math.log(exportNoTariff(ep25.start + k)));
  const lambdaFit = fitExportSpeed(ep25.exportTarget, residX, nX);
  const w24 = GROUPS.map((_, g) => P.columns[PARTNER_FIELDS[g]].slice(m('2024-01') - P.start, Math.min(m('2024-12'), cutoff) - P.start + 1).reduce((s, x) => s + x, 0));
  const lambdaX = lambdaFit ? lambdaFit.lambda : w24.reduce((s, w, g) => s + w * p.lambda[g], 0) / w24.reduce((s, w) => s + w, 0);
  partialAdjustment(exportTargets, lambdaX, ep25.n, 1, 0, xX);
  const exportModel = (t: number) => exportNoTariff(t) * (inEp(t) ? Math.exp(xX[t - ep25.start]) : 1);

  const rows: TimelineRow[] = [];
  for (let t = from; t <= to; t++) {
    const imports = GROUPS.map((grp, g) => ({ group: grp, model: modelOf(simPath, g, t), actual: actualOf(g, t), noTariff: noTariffOf(g, t) }));
    const sum = (f: (r: (typeof imports)[number]) => number) => imports.reduce((s, r) => s + f(r), 0);
    const actualTotal = imports.every((r) => r.actual !== null) ? sum((r) => r.actual!) : null;
    const k = t - ep25.start;
    let fr = 0;
    let dd = 0;
    if (inEp(t)) for (let g = 0; g < G; g++) {
      fr += simPath.frontRun[k * G + g];
      dd += simPath.drawdown[k * G + g];
    }
    const total = { model: sum((r) => r.model), actual: actualTotal, noTariff: sum((r) => r.noTariff), frontRun: fr, drawdown: dd };
    const dm = dutyOf((g, u) => modelOf(simPath, g, u), simEp, t);
    const d0 = dutyOf((g, u) => noTariffOf(g, u), simEp, t, 0);
    const da = t >= C.start && t < C.start + C.n ? C.columns.customs_duties[t - C.start] : null;
    const statutory = 100 * (t < ep25.start ? ep25.statutory[0] : simEp.statutory[Math.min(k, ep25.n - 1)]);
    rows.push({
      month: formatMonth(t),
      imports,
      total,
      exports: { model: exportModel(t), actual: exportActual(t), noTariff: exportNoTariff(t) },
      duties: { model: dm, actual: da, noTariff: d0 },
      etr: { model: (100 * dm) / total.model, actual: da !== null && actualTotal !== null ? (100 * da) / actualTotal : null, noTariff: (100 * d0) / total.noTariff, statutory },
    });
  }

  // Backtest: the months after the cutoff with data, at most six (actual schedule, not a scenario).
  const bt0 = cutoff + 1;
  const bt1 = Math.min(cutoff + TIMING_DESIGN.backtestMonths, pLast);
  let backtest: TimelineReport['backtest'] = { window: null, mape: [], total: null, exports: null, duties: null };
  if (bt1 >= bt0) {
    const pred: number[][] = GROUPS.map(() => []);
    const act: number[][] = GROUPS.map(() => []);
    const pt: number[] = [];
    const at: number[] = [];
    for (let t = bt0; t <= bt1; t++) {
      let s = 0;
      let a = 0;
      for (let g = 0; g < G; g++) {
        const v = modelOf(path, g, t);
        pred[g].push(v);
        act[g].push(actualOf(g, t)!);
        s += v;
        a += actualOf(g, t)!;
      }
      pt.push(s);
      at.push(a);
    }
    // Exports and duties over the same months, on the actual schedule too (where the actual series cover them).
    const xA = simEp === ep25 ? xX : new Float64Array(ep25.n);
    if (simEp !== ep25) partialAdjustment(ep25.exportTarget, lambdaX, ep25.n, 1, 0, xA);
    const ts2 = Array.from({ length: bt1 - bt0 + 1 }, (_, i) => bt0 + i);
    const errOf = (model: (t: number) => number, actual: (t: number) => number | null) => (ts2.every((t) => actual(t) !== null) ? mape(ts2.map(model), ts2.map((t) => actual(t)!)) : null);
    const exportErr = errOf((t) => exportNoTariff(t) * (inEp(t) ? Math.exp(xA[t - ep25.start]) : 1), exportActual);
    const dutyActual = (t: number) => (t >= C.start && t < C.start + C.n ? C.columns.customs_duties[t - C.start] : null);
    const dutyErr = errOf((t) => dutyOf((g, u) => modelOf(path, g, u), ep25, t), dutyActual);
    backtest = { window: [formatMonth(bt0), formatMonth(bt1)], mape: GROUPS.map((grp, g) => ({ group: grp, value: mape(pred[g], act[g]) })), total: mape(pt, at), exports: exportErr, duties: dutyErr };
  }

  // Q1 2025 surge: excess over the no-tariff path (T1), model vs measured.
  let surgeQ1: TimelineReport['surgeQ1'] = null;
  const q1 = [m('2025-01'), m('2025-02'), m('2025-03')];
  if (q1.every((t) => actualOf(0, t) !== null)) {
    let model = 0;
    let measured = 0;
    for (const t of q1) for (let g = 0; g < G; g++) {
      model += modelOf(path, g, t) - noTariffOf(g, t);
      measured += actualOf(g, t)! - noTariffOf(g, t);
    }
    surgeQ1 = { model, measured, ratio: model / measured };
  }

  // H2 2025 effective tariff rate and its components.
  let etrH2: TimelineReport['etrH2'] = null;
  const h2 = Array.from({ length: 6 }, (_, i) => m('2025-07') + i);
  if (h2.every((t) => t - C.start < C.n && actualOf(0, t) !== null) && h2[5] < ep25.start + ep25.n) {
    // Each rate is the mean of the six monthly rates (as the actual 10.75% is).
    const w24s = w24.reduce((s, x) => s + x, 0);
    const acc = { actual: 0, model: 0, statutory: 0, groups2024: 0, modelWeights: 0, lagged: 0 };
    for (const t of h2) {
      let mA = 0;
      let mM = 0;
      let wModel = 0;
      let wLag = 0;
      let w2024 = 0;
      for (let g = 0; g < G; g++) {
        mA += actualOf(g, t)!;
        const v = modelOf(path, g, t);
        mM += v;
        wModel += v * tauOf(ep25, g, t);
        const vl = modelOf(path, g, t - duties.lag);
        wLag += vl * tauOf(ep25, g, t - duties.lag);
        w2024 += (w24[g] / w24s) * tauOf(ep25, g, t);
      }
      acc.actual += C.columns.customs_duties[t - C.start] / mA;
      acc.model += dutyOf((g, u) => modelOf(path, g, u), ep25, t) / mM;
      acc.statutory += ep25.statutory[t - ep25.start];
      acc.groups2024 += w2024;
      acc.modelWeights += wModel / mM;
      acc.lagged += wLag / mM; // last month's entries at last month's rates, over this month's imports (ρ = 1)
    }
    const pct = (x: number) => (100 * x) / h2.length;
    const statutory = pct(acc.statutory);
    const groups2024 = pct(acc.groups2024);
    const modelWeights = pct(acc.modelWeights);
    const lagged = pct(acc.lagged);
    const model = pct(acc.model);
    etrH2 = {
      model,
      actual: pct(acc.actual),
      statutory,
      components: [
        { name: 'statutory rate, policy layer as applied each day (product detail, 2024 weights)', points: statutory },
        { name: "aggregation to the model's groups and sectors (2024 weights)", points: groups2024 - statutory },
        { name: 'composition: imports shift across groups (model weights)', points: modelWeights - groups2024 },
        { name: `collection lag (${duties.lag} month${duties.lag === 1 ? '' : 's'}: duties on earlier entries, at their rates and volumes)`, points: lagged - modelWeights },
        { name: `collection ratio (ρ0 = ${duties.rhoBase.toFixed(3)}, ρ1 = ${duties.rhoNew.toFixed(3)}: USMCA claims, exemptions, substitution within groups, evasion)`, points: model - lagged },
        { name: 'model realized rate', points: model },
      ],
    };
  }

  // Quarterly net-export contributions (SA imports: NSA model ÷ the no-tariff seasonal factor).
  const quarters: QuarterRow[] = [];
  const gdpQ = TIMING_DESIGN.gdp2024 / 4;
  const q0 = Math.ceil(from / 3) * 3;
  const G2 = ts.goods;
  const nxQ = (q: number, imp: (t: number) => number, exp: (t: number) => number) => {
    let s = 0;
    for (let t = q; t < q + 3; t++) s += exp(t) - imp(t);
    return s;
  };
  const saImports = (pp: GroupPath | null, t: number) => {
    let s = 0;
    for (let g = 0; g < G; g++) s += pp ? modelOf(pp, g, t) : noTariffOf(g, t);
    return s / totalSeasonalFactor(base2025, t);
  };
  const noFront = (t: number) => {
    let s = 0;
    for (let g = 0; g < G; g++) s += inEp(t) ? simPath.adjusted[(t - ep25.start) * G + g] : noTariffOf(g, t);
    return s / totalSeasonalFactor(base2025, t);
  };
  const goodsAt = (col: string, t: number) => (t >= G2.start && t < G2.start + G2.n ? G2.columns[col][t - G2.start] : null);
  for (let q = q0; q + 2 <= to; q += 3) {
    const contrib = (imp: (t: number) => number, exp: (t: number) => number) => (400 * (nxQ(q, imp, exp) - nxQ(q - 3, imp, exp))) / gdpQ;
    const haveActual = [q - 3, q - 2, q - 1, q, q + 1, q + 2].every((t) => goodsAt('imports_nominal', t) !== null);
    quarters.push({
      quarter: `${Math.floor(q / 12)}Q${Math.floor((q % 12) / 3) + 1}`,
      model: contrib((t) => saImports(simPath, t), exportModel),
      withoutFrontRunning: contrib(noFront, exportModel),
      actual: haveActual ? contrib((t) => goodsAt('imports_nominal', t)!, (t) => goodsAt('exports_nominal', t)!) : null,
      noTariff: contrib((t) => saImports(null, t), exportNoTariff),
    });
  }

  const shown = ep25.clamped.filter((c) => c >= formatMonth(from) && c <= formatMonth(to));
  if (shown.length) notes.push(`the policy data end on ${formatDay(inputs.ctx.data.coverage.to)}: its last day's tariffs held for ${shown.join(', ')}`);
  // The actions whose time in force moved within the months shown: [law.from, applied.from) or [law.to, applied.to).
  const [d0, d1] = [parseDay(`${formatMonth(from)}-01`), parseDay(`${formatMonth(to + 1)}-01`)];
  const overlaps = (a: Day, b: Day) => a < d1 && b > d0;
  const retro = inputs.retroactive.filter((r) => overlaps(r.law.from, Math.min(r.applied.from, r.law.to)) || (r.applied.to !== r.law.to && overlaps(Math.min(r.law.to, r.applied.to), Math.max(r.law.to, r.applied.to))));
  const dated = (r: TimelineInputs['retroactive'][number]) =>
    r.applied.to <= r.applied.from
      ? `${r.id} never (law: from ${formatDay(r.law.from)}${Number.isFinite(r.law.to) ? ` to ${formatDay(r.law.to)}` : ''})`
      : [r.applied.from !== r.law.from ? `${r.id} from ${formatDay(r.applied.from)} (law: ${formatDay(r.law.from)})` : '', r.applied.to !== r.law.to ? `${r.id} until ${formatDay(r.applied.to)} (law: ${formatDay(r.law.to)})` : ''].filter(Boolean).join(', ');
  if (retro.length) notes.push(`tariffs as applied each day (what entries paid; docs/timing.md §Inputs): ${retro.length} US action${retro.length === 1 ? '' : 's'} dated by the law before ${retro.length === 1 ? 'its' : 'their'} announcement, read as applied: ${retro.map(dated).join(', ')}`);
  notes.push(`no-tariff path: no tariff change after 2024-12-31 (eq. T1: trend and seasonality from ${TIMING_DESIGN.trendWindow.join(' … ')}, level anchored on ${TIMING_DESIGN.anchorWindow.join(' … ')})`);
  return {
    from: formatMonth(from),
    to: formatMonth(to),
    fitThrough: formatMonth(cutoff),
    scenario: o.scenarioFile ?? null,
    fit: {
      ...fit,
      seasonTrend: GROUPS.map((grp, g) => ({ group: grp, trendPerYear: 100 * (Math.exp(12 * st.trend[g]) - 1) })),
      anchors: [...base2025.anchor],
      eta2018: ep18.eta,
      exports: { ...exportsBase, lambda: lambdaX, lambdaFit },
      duties,
    },
    rows,
    quarters,
    backtest,
    surgeQ1,
    etrH2,
    notes,
  };
}

