// Inputs of the monthly timing model (docs/timing.md §Inputs): the policy layer's tariffs month by month
// (day-weighted monthly averages) with each action's announcement date, turned into partner-group tariffs and the
// long-run targets of the multi-sector model (one CP2015 solve per distinct tariff regime, world2024, fixed
// deficits); the 2018–19 Section 301 history on China (data/timing/china-301-2018-19.csv); the pre-2018
// seasonality and trend (OLS with month fixed effects, the project's estimator).
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { parseCsv, column } from '../data/csv.ts';
import { readText } from './data/files.ts';
import { PROJECT_ROOT } from './paths.ts';
import { formatMonth, monthIndex, parseMonth, type MonthlyTable } from '../data/timeseries.ts';
import type { World } from '../data/world.ts';
import { fitOls } from '../estimate/ols.ts';
import { CpModel } from '../model/cp/model.ts';
import { G, GROUPS, THREAT_KINDS, type Baseline, type Episode, type TariffStep, type Threat } from '../model/timing/types.ts';
import { anchorsOn } from '../model/timing/baseline.ts';
import { formatDay, parseDay, type Day } from '../policy/dates.ts';
import { PolicyView } from '../policy/view.ts';
import type { CompiledAction } from '../policy/compile.ts';
import type { PolicyContext } from './policy/inputs.ts';
import type { UsImports2024 } from '../data/us-trade-2024.ts';
import { tariffMatrixOn, type TariffMatrix } from '../policy/matrix.ts';
import type { Concordance } from '../policy/concordance.ts';

/** EU members (ISO3) for datasets that list them one by one (cp2015). */
const EU27 = new Set(['AUT', 'BEL', 'BGR', 'HRV', 'CYP', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'HUN', 'IRL', 'ITA', 'LVA', 'LTU', 'LUX', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'ESP', 'SWE']);

/** Group of a world region (by code), or -1 for the US itself. */
export function groupOfRegion(code: string): number {
  const c = code.trim().toUpperCase();
  if (c === 'USA') return -1;
  if (c === 'CAN') return 0;
  if (c === 'MEX') return 1;
  if (c === 'CHN') return 2;
  if (c === 'EU' || c === 'EUR' || EU27.has(c)) return 3;
  return 4;
}

/** Index of USA in a world, or an InputError naming `where`. */
export function usIndex(world: World, where: { file?: string; line?: number; column?: number } = {}): number {
  const us = world.regions.findIndex((r) => r.code.trim().toUpperCase() === 'USA');
  if (us < 0) {
    throw new InputError(`dataset ${world.name} has no region USA: the timing model follows US trade`, { ...where, field: 'dataset' }, 'use a dataset with a USA region (world2024 or cp2015)');
  }
  return us;
}

/** Long-run targets of one tariff matrix: log change of US imports by group and of US exports. */
export interface CpTarget {
  imports: Float64Array;
  exports: number;
  /** Trade-weighted tariff by group (fraction, baseline US imports as weights). */
  tariff: Float64Array;
}

/** Solves CP for a US tariff matrix and reads the long-run changes of US trade by partner group (eq. T2). */
export class TargetSolver {
  readonly world: World;
  readonly us: number;
  private readonly model: CpModel;
  private readonly weights: Float64Array;
  solves = 0;

  constructor(world: World) {
    this.world = world;
    this.us = usIndex(world);
    this.model = new CpModel(world, { closure: 'fixed-deficits' });
    const N = world.regions.length;
    const J = world.sectors.length;
    this.weights = new Float64Array(J * N);
    for (let j = 0; j < J; j++) for (let i = 0; i < N; i++) if (i !== this.us) this.weights[j * N + i] = world.trade[(j * N + this.us) * N + i];
  }

  /** The group tariffs of the policy data's tariff matrix on a day (`tariffMatrixOn`, this solver's world). */
  groupsOn(day: Day, ctx: PolicyContext, concordance: Concordance): Float64Array {
    return this.groupTariffs(tariffMatrixOn(formatDay(day), ctx, this.world, { concordance }).tariff);
  }

  groupTariffs(tariff: Float64Array): Float64Array {
    const N = this.world.regions.length;
    const J = this.world.sectors.length;
    const num = new Float64Array(G);
    const den = new Float64Array(G);
    for (let j = 0; j < J; j++) {
      for (let i = 0; i < N; i++) {
        const g = groupOfRegion(this.world.regions[i].code);
        if (g < 0) continue;
        const w = this.weights[j * N + i];
        num[g] += w * tariff[(j * N + this.us) * N + i];
        den[g] += w;
      }
    }
    return num.map((x, g) => (den[g] > 0 ? x / den[g] : 0));
  }

  /** Average US tariff over every partner and sector, baseline US imports as weights (fraction). */
  usAverage(tariff: Float64Array): number {
    const N = this.world.regions.length;
    let num = 0;
    let den = 0;
    for (let x = 0; x < this.weights.length; x++) {
      const j = Math.floor(x / N);
      const i = x % N;
      num += this.weights[x] * tariff[(j * N + this.us) * N + i];
      den += this.weights[x];
    }
    return den > 0 ? num / den : 0;
  }

  solve(tariff: Float64Array): CpTarget {
    this.solves++;
    const r = this.model.solve({ tariff });
    const us = r.regions[this.us];
    const before = new Float64Array(G);
    const after = new Float64Array(G);
    this.world.regions.forEach((reg, i) => {
      const g = groupOfRegion(reg.code);
      if (g < 0) return;
      const p = us.tradeBalance.byPartner[reg.name];
      before[g] += p.imports.before;
      after[g] += p.imports.after;
    });
    const imports = before.map((b, g) => (b > 0 ? Math.log(after[g] / b) : 0));
    return { imports, exports: Math.log(us.exports.after / us.exports.before), tariff: this.groupTariffs(tariff) };
  }
}

/**
 * The day a regime is read on (keys the regimes): day d clamped to the policy data's coverage, then the last change
 * day up to it, or the first of its month when that is later (some policy inputs vary by month: the USMCA claim
 * shares of the default options).
 */
function regimeKey(changes: readonly Day[], cov: { from: Day; to: Day }, d: Day): Day {
  const day = Math.min(Math.max(d, cov.from), cov.to);
  let key = changes[0];
  for (const c of changes) if (c <= day) key = c;
  return Math.max(key, parseDay(`${formatDay(day).slice(0, 7)}-01`));
}

/**
 * The policy data as applied at the time (docs/timing.md §Inputs): an action announced after its effective day
 * (a retroactive one: the EU auto deal of 21 August 2025, dated 1 August; Japan's floor of 4 September, dated
 * 7 August) takes effect on its announcement day, and an end announced after its day takes effect when
 * announced. On each day the tariffs are those in force as known that day, what importers paid at entry (refunds
 * of the difference came later). So the tariffs of a month use nothing announced after it, and no step is
 * retroactive. An action announced after its end was never applied (a termination then cuts nothing); an
 * action never in force stays so (e.g. one announced after the cutoff in policyAsKnown's data). Idempotent.
 */
export function policyAsApplied(data: PolicyContext['data']): PolicyContext['data'] {
  const actions = data.actions.map((a) => {
    if (a.end <= a.effective) return a;
    const effective = Math.max(a.effective, a.announced);
    const end = Number.isFinite(a.end) ? Math.max(a.end, a.endAnnounced) : a.end;
    if (effective === a.effective && end === a.end) return a;
    return end <= effective ? { ...a, effective, end: effective, endAnnounced: effective, ...(a.program === 'termination' ? { terminates: [] } : {}) } : { ...a, effective, end };
  });
  // The same object when nothing moves (data already as applied keep their policy engine and caches).
  return actions.every((a, i) => a === data.actions[i]) ? data : { ...data, actions };
}

/**
 * The policy data as known at the end of day `through`: the actions announced later never in force (and a
 * termination announced later ends nothing), the ends announced later not yet known (the action runs on).
 */
export function policyAsKnown(data: PolicyContext['data'], through: Day): PolicyContext['data'] {
  return { ...data, actions: data.actions.map((a) => (a.announced > through ? { ...a, end: a.effective, endAnnounced: a.effective, terminates: [] } : Number.isFinite(a.end) && a.endAnnounced > through ? { ...a, end: Infinity } : a)) };
}

/**
 * The schedule's steps as they could be known at the end of day `through` (eq. T8, real time): read from
 * policyAsKnown, so that both their dates and their sizes use nothing announced later (a step's size depends on
 * the other tariffs in force on its day: the auto-parts tariff of 3 May 2025 raised China's tariff while 20% was
 * known, and lowered it once April's 125%, which Section 232 goods do not pay, was in force). Only the steps
 * announced by `through`.
 */
export function stepsAsKnown(ctx: PolicyContext, concordance: Concordance, solver: TargetSolver, end: number, through: Day): TariffStep[] {
  const data = policyAsKnown(policyAsApplied(ctx.data), through);
  const known = { ...ctx, data };
  const cov = data.coverage;
  const view = new PolicyView(data);
  const changes = view.changeDays(cov.from, cov.to);
  const lastDay = Math.min(cov.to, parseDay(`${formatMonth(end)}-01`) + 31);
  const memo = new Map<Day, Float64Array>();
  const applied = (d: Day): Float64Array => {
    const key = regimeKey(changes, cov, d);
    let g = memo.get(key);
    if (!g) {
      g = solver.groupsOn(key, known, concordance);
      memo.set(key, g);
    }
    return g;
  };
  const limit = dayToMonths(through + 1);
  return scheduleSteps(known, concordance, solver, view, changes, lastDay, applied).filter((st) => st.announced < limit);
}

/**
 * The schedule's steps (eq. T4a), on policy data as applied (policyAsApplied: no action takes effect before it
 * was announced): the change of the group tariffs on every regime start c (a change day, or the first of a
 * month), read as applied (`applied(day)`: the group tariffs on a day), split into what could be seen coming and
 * when:
 *  - m, the change of the month's policy inputs (USMCA claim shares) on the first of a month: no one announces
 *    it, an unforeseen step (read on c from a copy of the policy data in which that day's actions start and end
 *    a day later);
 *  - the change from the day's actions, by announcement day (an end: its own end announcement, or that of the
 *    termination cutting it): the actions announced on one day are one step dated by that day, sized as the
 *    change with the later-announced actions undone less the earlier days' steps.
 * The parts add up to the day's change.
 */
function scheduleSteps(ctx: PolicyContext, concordance: Concordance, solver: TargetSolver, view: PolicyView, changes: readonly Day[], lastDay: Day, applied: (d: Day) => Float64Array): TariffStep[] {
  const cov = ctx.data.coverage;
  const us = ctx.data.actions.filter((a) => a.imposer === 'USA' && view.included[a.index] && a.end > a.effective);
  const monthStart = (d: Day) => formatDay(d).endsWith('-01');
  const starts = new Set<Day>(changes.filter((c) => c > cov.from && c <= lastDay));
  for (let t = parseMonth(formatDay(cov.from).slice(0, 7)) + 1; ; t++) {
    const d = parseDay(`${formatMonth(t)}-01`);
    if (d > lastDay) break;
    starts.add(d);
  }
  const days = [...starts].sort((x, y) => x - y);
  const changeSet = new Set(changes);
  const actsOn = (c: Day) => us.filter((a) => a.effective === c || view.end[a.index] === c);
  // An end on c is news when its own end was announced, or, cut by a termination (the IEEPA ruling), when the
  // termination was.
  const cutBy = (a: CompiledAction, c: Day) => us.filter((t) => t.program === 'termination' && t.effective === c && (t.terminates as readonly string[]).includes(a.program));
  const announcedOf = (a: CompiledAction, c: Day) => {
    if (a.effective === c) return a.announced;
    const t = a.end === c ? [] : cutBy(a, c);
    return t.length ? Math.min(...t.map((x) => x.announced)) : a.endAnnounced;
  };
  const late = days.flatMap((c) => (changeSet.has(c) ? actsOn(c).filter((a) => announcedOf(a, c) > c) : []));
  if (late.length) throw new Error(`scheduleSteps: ${late.map((a) => a.id).join(', ')} announced after taking effect: give it the data as applied (policyAsApplied)`);
  // The month's inputs on a first of the month that is also a change day: that day's actions a day later.
  const mixed = new Set(days.filter((c) => changeSet.has(c) && monthStart(c)));
  const shifted = ctx.data.actions.map((a) => (mixed.has(a.effective) || mixed.has(a.end) ? { ...a, effective: mixed.has(a.effective) ? a.effective + 1 : a.effective, end: mixed.has(a.end) ? a.end + 1 : a.end } : a));
  const priorOn = new Map<Day, Float64Array>();
  for (const d of mixed) priorOn.set(d, solver.groupsOn(d, { ...ctx, data: { ...ctx.data, actions: shifted } }, concordance));
  // The group tariffs on c with `later`'s changes on c undone (an action starting on c never in force, one
  // ending on c still in force on c, a termination cutting nothing).
  const cohortChange = (later: CompiledAction[], c: Day): Float64Array => {
    const undo = new Set(later.map((a) => a.index));
    const actions = ctx.data.actions.map((a) => (!undo.has(a.index) ? a : a.program === 'termination' ? { ...a, terminates: [] } : a.effective === c ? { ...a, end: a.effective } : { ...a, end: Math.max(a.end, c + 1) }));
    return solver.groupsOn(c, { ...ctx, data: { ...ctx.data, actions } }, concordance);
  };
  const steps: TariffStep[] = [];
  const push = (id: string, announced: number, c: Day, dTau: ArrayLike<number>, unforeseen: boolean) => {
    if (Array.from(dTau).every((x) => Math.abs(x) < 1e-12)) return;
    for (const st of splitStep(id, announced, NaN, c, dTau)) steps.push(unforeseen ? { ...st, unforeseen } : st);
  };
  for (const c of days) {
    const before = applied(c - 1);
    const jump = applied(c).map((x, g) => x - before[g]);
    const m = !changeSet.has(c) ? jump : priorOn.has(c) ? priorOn.get(c)!.map((x, g) => x - before[g]) : new Float64Array(G);
    push(`month inputs ${formatDay(c).slice(0, 7)}`, dayToMonths(c), c, m, true);
    if (!changeSet.has(c)) continue;
    const acts = actsOn(c);
    const label = (xs: CompiledAction[]) => xs.map((a) => a.id).join('+') || `change-${formatDay(c)}`;
    // By announcement: the day's actions announced on different days were different news (4 March 2025:
    // Canada's and Mexico's 25% announced 1 February, China's second 10% on 3 March). Cohort i's part is the
    // change on c with the actions announced after it undone, less the earlier cohorts'; the last cohort's
    // cumulative change is the day's. (A change with no action of the US on it, if any, is one step dated c.)
    const annDays = [...new Set(acts.map((a) => announcedOf(a, c)))].sort((x, y) => x - y);
    if (annDays.length === 0) push(label(acts), dayToMonths(c), c, jump.map((x, g) => x - m[g]), false);
    let prev: ArrayLike<number> = m;
    annDays.forEach((ann, i) => {
      const cum = i === annDays.length - 1 ? jump : cohortChange(acts.filter((a) => announcedOf(a, c) > ann), c).map((x, g) => x - before[g]);
      push(label(acts.filter((a) => announcedOf(a, c) === ann)), dayToMonths(ann), c, cum.map((x, g) => x - prev[g]), false);
      prev = cum;
    });
  }
  return steps;
}

/**
 * A change of the group tariffs `jump` on day d of a month of D days, as monthly-average steps: (D − d + 1)/D of it
 * in the month of d and the rest in the next month (one step when d is the 1st).
 */
export function splitStep(id: string, announced: number, cancelled: number, day: Day, jump: ArrayLike<number>): TariffStep[] {
  const s = formatDay(day);
  const mc = parseMonth(s.slice(0, 7));
  const days = new Date(Date.UTC(Math.floor(mc / 12), (mc % 12) + 1, 0)).getUTCDate();
  const share = (days - Number(s.slice(8, 10)) + 1) / days;
  const part = (f: number) => Float64Array.from(jump, (x) => x * f);
  const out: TariffStep[] = [{ id, announced, month: mc, cancelled, dTau: part(share) }];
  if (share < 1) out.push({ id: `${id} (rest)`, announced, month: mc + 1, cancelled, dTau: part(1 - share) });
  return out;
}

/** Months as fractional month numbers: month index + (day − 1)/days in month. */
export function dayToMonths(day: Day): number {
  const s = formatDay(day);
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return monthIndex(y, m) + (d - 1) / days;
}

/** The actual tariff schedule, month by month, and its long-run targets. */
export interface PolicyEpisodeOptions {
  ctx: PolicyContext;
  concordance: Concordance;
  solver: TargetSolver;
  start: number;
  end: number;
  name?: string;
  /** The schedule's steps when already computed for this world (a scenario re-uses the actual episode's). */
  steps?: readonly TariffStep[];
  /** A scenario: from this day on (inclusive) its tariff matrix (solver's world, fractions) replaces the schedule;
   *  `statutory` is its average US tariff, fraction. The switch month averages the two by days. */
  override?: { from: Day; tariff: Float64Array; statutory: number };
}

/**
 * The 2025– episode: τ_g,t and x*_g,t for months start … end. Month t's tariffs are the day-weighted average of
 * the policy layer's daily tariff matrices over the month, on the data as applied at the time (policyAsApplied;
 * clamped to the policy data's coverage: before it nothing has changed, after it the last covered day holds; a
 * day's tariffs are read on the day itself, so the policy inputs that vary by month, the USMCA claim shares, are
 * the month's); x* is one CP solve on that average matrix. Steps (scheduleSteps): every change day c of the
 * schedule and every first of a month contributes its change of the group tariffs, split by what could be seen
 * coming (by announcement day; the month's inputs) and between the month of c (for the days from c to the
 * month's end) and the next.
 */
export function policyEpisode(o: PolicyEpisodeOptions): Episode & { clamped: string[] } {
  const { concordance, solver, start, end } = o;
  const ctx = { ...o.ctx, data: policyAsApplied(o.ctx.data) };
  const cov = ctx.data.coverage;
  const view = new PolicyView(ctx.data);
  const changes = view.changeDays(cov.from, cov.to);
  const n = end - start + 1;
  const size = solver.world.tariff.length;
  const tariff = new Float64Array(n * G);
  const target = new Float64Array(n * G);
  const exportTarget = new Float64Array(n);
  const statutory = new Float64Array(n);
  const regimes = new Map<Day, TariffMatrix>();
  const ov = o.override;
  // The override's regime is keyed by a day no schedule change can have (the day before the policy data start).
  const OVERRIDE = cov.from - 1;
  const regimeOf = (d: Day, scenario = true): Day => (scenario && ov && d >= ov.from ? OVERRIDE : regimeKey(changes, cov, d));
  const matrixOf = (key: Day): TariffMatrix => {
    if (ov && key === OVERRIDE) return { tariff: ov.tariff, date: formatDay(ov.from), relativeTo: formatDay(cov.from), mode: 'change', covered: new Uint8Array(0), usAverage: { date: 100 * ov.statutory, relativeTo: NaN }, notes: [] };
    let tm = regimes.get(key);
    if (!tm) {
      tm = tariffMatrixOn(formatDay(key), ctx, solver.world, { concordance });
      regimes.set(key, tm);
    }
    return tm;
  };
  const solved = new Map<string, CpTarget>();
  const clamped: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = start + k;
    const first = parseDay(`${formatMonth(t)}-01`);
    const days = new Date(Date.UTC(Math.floor(t / 12), (t % 12) + 1, 0)).getUTCDate();
    if (first + days - 1 > cov.to) clamped.push(formatMonth(t));
    const weights = new Map<Day, number>();
    for (let d = first; d < first + days; d++) {
      const key = regimeOf(d);
      weights.set(key, (weights.get(key) ?? 0) + 1 / days);
    }
    const wkey = [...weights.entries()].map(([d, w]) => `${d}:${w.toFixed(12)}`).join('|');
    let cp = solved.get(wkey);
    let stat = 0;
    for (const [key, w] of weights) stat += w * matrixOf(key).usAverage.date;
    if (!cp) {
      const avg = new Float64Array(size);
      for (const [key, w] of weights) {
        const tm = matrixOf(key).tariff;
        for (let x = 0; x < size; x++) avg[x] += w * tm[x];
      }
      cp = solver.solve(avg);
      solved.set(wkey, cp);
    }
    for (let g = 0; g < G; g++) {
      tariff[k * G + g] = cp.tariff[g];
      target[k * G + g] = cp.imports[g];
    }
    exportTarget[k] = cp.exports;
    statutory[k] = stat / 100;
  }
  // Steps: each change day's jump of the group tariffs, split over its month and the next.
  const steps: TariffStep[] = [];
  const lastDay = Math.min(cov.to, parseDay(`${formatMonth(end)}-01`) + 31);
  if (o.steps) steps.push(...o.steps);
  else steps.push(...scheduleSteps(ctx, concordance, solver, view, changes, lastDay, (d) => solver.groupTariffs(matrixOf(regimeOf(d, false)).tariff)));
  if (ov) {
    // The switch is unforeseen (seen from its own day); the schedule's steps from its month on, expected until
    // then, are called off at the switch. Its part in the next month is the change of that month's average.
    const sw = dayToMonths(ov.from);
    const k0 = Math.floor(sw) - start;
    for (let i = 0; i < steps.length; i++) if (steps[i].month >= Math.floor(sw)) steps[i] = { ...steps[i], cancelled: Math.min(sw, Number.isNaN(steps[i].cancelled) ? Infinity : steps[i].cancelled) };
    const before = solver.groupTariffs(matrixOf(regimeOf(ov.from - 1, false)).tariff);
    const jump = solver.groupTariffs(ov.tariff).map((x, g) => x - before[g]);
    const parts = splitStep(`switch ${formatDay(ov.from)}`, sw, NaN, ov.from, jump);
    if (parts.length === 2 && k0 >= 0 && k0 + 1 < n) parts[1].dTau = Float64Array.from({ length: G }, (_, g) => tariff[(k0 + 1) * G + g] - tariff[k0 * G + g]);
    for (const st of parts) steps.push({ ...st, unforeseen: true });
  }
  return { name: o.name ?? 'policy', start, n, fitGroups: [0, 1, 2, 3, 4], tariff, target, exportTarget, statutory, steps, clamped };
}

export const CHINA_HISTORY_FILE = join(PROJECT_ROOT, 'data', 'timing', 'china-301-2018-19.csv');
/** US imports from China in 2017, US$ billions (Census), the denominator of the 2018–19 list shares. */
export const CHINA_IMPORTS_2017_BN = 505.5;
/** Average US tariff on imports from China in January 2018, before the trade war (fraction): 3.0% (Bown, PIIE,
 * "US-China Trade War Tariffs: An Up-to-Date Chart": 19.3% after the phase one deal "from 3.0 percent in January 2018"). */
export const CHINA_TARIFF_2017 = 0.03;

/**
 * The 2018–19 Section 301 episode on China (fitted on China only): τ_CHN,t from the dated history file, the
 * long-run target x*_CHN,t = η · ln((1+τ_t)/(1+τ_2017)), with η the multi-sector model's long-run elasticity of
 * US imports from China to a uniform tariff rise on Chinese goods (one CP solve, +15 points).
 */
export function chinaEpisode(solver: TargetSolver, start: number, end: number, file = CHINA_HISTORY_FILE): Episode & { eta: number } {
  const t = parseCsv(readText(file), file);
  const c = (name: string) => column(t, name);
  // Each row as monthly-average steps (split over its month and the next); `inForce` marks the parts of rows that
  // took effect (a row called off on or before its effective day never did, though it was expected until then).
  const steps: TariffStep[] = [];
  const inForce: boolean[] = [];
  t.rows.forEach((r, k) => {
    const at = (f: string) => ({ file, row: k + 1, field: f });
    const ann = dayToMonths(parseDay(r[c('announced')], at('announced')));
    const effDay = parseDay(r[c('effective')], at('effective'));
    const cancelledText = r[c('cancelled')].trim();
    const cancelled = cancelledText ? dayToMonths(parseDay(cancelledText, at('cancelled'))) : NaN;
    const rate = Number(r[c('rate_change')]);
    const cov = Number(r[c('covered_imports_bn')]);
    if (!Number.isFinite(rate) || !(cov > 0)) throw new InputError('rate_change and covered_imports_bn must be numbers (percent, US$ bn)', at('rate_change'));
    const jump = new Float64Array(G);
    jump[2] = ((rate / 100) * cov) / CHINA_IMPORTS_2017_BN;
    for (const s of splitStep(r[c('id')], ann, cancelled, effDay, jump)) {
      steps.push(s);
      inForce.push(!(cancelled <= dayToMonths(effDay)));
    }
  });
  // η from one CP solve: +15 points on every US tariff on Chinese goods.
  const w = solver.world;
  const N = w.regions.length;
  const J = w.sectors.length;
  const cn = w.regions.findIndex((r) => groupOfRegion(r.code) === 2);
  if (cn < 0) throw new InputError(`dataset ${w.name} has no region CHN for the 2018–19 episode`, { field: 'dataset' });
  const tau = Float64Array.from(w.tariff);
  for (let j = 0; j < J; j++) if (w.sectors[j].tradable) tau[(j * N + solver.us) * N + cn] += 0.15;
  const base = solver.groupTariffs(w.tariff)[2];
  const eta = solver.solve(tau).imports[2] / Math.log(1 + 0.15 / (1 + base));
  const n = end - start + 1;
  const tariff = new Float64Array(n * G);
  const target = new Float64Array(n * G);
  for (let k = 0; k < n; k++) {
    let tau2 = CHINA_TARIFF_2017;
    steps.forEach((s, i) => {
      if (inForce[i] && s.month <= start + k) tau2 += s.dTau[2];
    });
    tariff[k * G + 2] = tau2;
    target[k * G + 2] = eta * Math.log((1 + tau2) / (1 + CHINA_TARIFF_2017));
  }
  return { name: 'section-301-2018', start, n, fitGroups: [2], tariff, target, exportTarget: new Float64Array(n).fill(NaN), statutory: new Float64Array(n).fill(NaN), steps, eta };
}

/**
 * Seasonality and trend of eq. T1 on months [from, to]: for each group, OLS of ln M_g,t on (t − from) with
 * calendar-month fixed effects (src/estimate/ols.ts); s_g,m are the fixed effects (mean of ln M − b t by month).
 */
export function estimateSeasonTrend(partners: MonthlyTable, from: number, to: number, fields: readonly string[]): Omit<Baseline, 'anchor' | 'anchorWindow'> {
  if (from < partners.start || to > partners.start + partners.n - 1) {
    throw new InputError(`the trend window ${formatMonth(from)} … ${formatMonth(to)} is outside the data (${formatMonth(partners.start)} … ${formatMonth(partners.start + partners.n - 1)})`, { file: partners.file, field: 'date' });
  }
  const n = to - from + 1;
  const trend = new Float64Array(G);
  const season = new Float64Array(G * 12);
  const month = new Int32Array(n);
  const tt = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    month[k] = (from + k) % 12;
    tt[k] = k;
  }
  for (let g = 0; g < G; g++) {
    const col = partners.columns[fields[g]];
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = Math.log(col[from - partners.start + k]);
    const r = fitOls({ y, X: [tt], names: ['t'], fixedEffects: [{ name: 'month', index: month, size: 12 }], outcomeName: `ln ${fields[g]}` }, { dropSingletons: false });
    const b = r.coef[0];
    trend[g] = b;
    const sum = new Float64Array(12);
    const cnt = new Float64Array(12);
    for (let k = 0; k < n; k++) {
      sum[month[k]] += y[k] - b * k;
      cnt[month[k]]++;
    }
    for (let m = 0; m < 12; m++) season[g * 12 + m] = sum[m] / cnt[m];
  }
  return { trend, season, origin: from, estimationWindow: [from, to] };
}

/** Completes a season/trend estimate with anchors on [from, to] (eq. T1). */
export function anchoredBaseline(st: Omit<Baseline, 'anchor' | 'anchorWindow'>, partners: MonthlyTable, fields: readonly string[], from: number, to: number): Baseline {
  const logM = (g: number, t: number) => Math.log(partners.columns[fields[g]][t - partners.start]);
  const anchor = anchorsOn(st, from, to, logM);
  return { ...st, anchor, anchorWindow: [from, to] };
}

export { GROUPS };

export const THREATS_FILE = join(PROJECT_ROOT, 'data', 'timing', 'threats-2024-26.csv');
/** Census partner × HS chapter US imports of 2024 (shared data), for the threats' coverage by group. */
export const HS2_IMPORTS_FILE = join('us-tariffs', 'trade', 'us_imports_2024_by_partner_hs2.csv');
const CENSUS_GROUP: Record<string, number> = { '1220': 0, '2010': 1, '5700': 2, '0003': 3 };

/**
 * US imports of 2024 by partner group and HS chapter, US$ (Census imports for consumption; the EU is the bloc
 * row 0003, whose members are also listed one by one; the rest of the world is everything else):
 * value[g][chapter].
 */
export function groupImportsByChapter(file: string): Map<string, Float64Array> {
  const t = parseCsv(readText(file), file);
  const [cC, cH, cV] = [column(t, 'census_code'), column(t, 'hs2'), column(t, 'imports_2024_usd')];
  const out = new Map<string, Float64Array>();
  t.rows.forEach((r, k) => {
    const code = r[cC].trim();
    const ch = r[cH].trim().padStart(2, '0');
    const v = Number(r[cV]);
    if (!/^\d{2}$/.test(ch)) throw new InputError(`HS chapter '${r[cH]}' is not two digits`, { file, row: k + 1, field: 'hs2' });
    if (!Number.isFinite(v) || v < 0) throw new InputError(`imports '${r[cV]}' is not a non-negative number`, { file, row: k + 1, field: 'imports_2024_usd' });
    let a = out.get(ch);
    if (!a) out.set(ch, (a = new Float64Array(G)));
    const g = CENSUS_GROUP[code];
    if (g !== undefined) a[g] += v;
    else a[4] += v;
    if (g === 3) a[4] -= v; // the members, counted in the rest above, belong to the EU bloc
  });
  return out;
}

/** τ_g in month t of an episode (its first month before it, its last after it): the `level` threats' base. */
export function episodeTariffAt(ep: Pick<Episode, 'tariff' | 'start' | 'n'>): (g: number, month: number) => number {
  return (g, month) => ep.tariff[Math.min(ep.n - 1, Math.max(0, month - ep.start)) * G + g];
}

export interface ImportsByCode {
  /** Imports from each group over all chapters, US$. */
  total: Float64Array;
  /** Imports from each group of the code's goods, US$, or undefined when no 2024 import carries the code. */
  covered(code: string): Float64Array | undefined;
}

/**
 * 2024 US imports by partner group for an HS code of 2, 4 or 6 digits (US$, length G), for the threats' coverage.
 * A chapter's value is the all-partner table's (groupImportsByChapter); a heading or subheading takes its share
 * of the chapter from the HTS10 detail of the group's partners (the policy layer's 2024 weights: every partner of
 * Canada, Mexico, China and the EU, the largest partners of the rest of the world) and applies it to the
 * chapter's value; a group without detail in the chapter gets 0. A code that no 2024 import carries is
 * undefined, so the caller can name it as an error instead of counting a silent zero.
 */
export function importsByCode(chapters: Map<string, Float64Array>, detail?: Pick<UsImports2024, 'hts' | 'detailPartners' | 'detail'>): ImportsByCode {
  const total = new Float64Array(G);
  for (const a of chapters.values()) for (let g = 0; g < G; g++) total[g] += a[g];
  // Detail by group and code prefix (4 and 6 digits) and by chapter, US$: key `${digits}|g`.
  const byPrefix = new Map<string, number>();
  if (detail) {
    const groupOf = detail.detailPartners.map((c) => CENSUS_GROUP[c] ?? 4);
    const { p, h, value } = detail.detail;
    for (let r = 0; r < value.length; r++) {
      const code = detail.hts[h[r]];
      const g = groupOf[p[r]];
      for (const len of [2, 4, 6]) {
        const key = `${code.slice(0, len)}|${g}`;
        byPrefix.set(key, (byPrefix.get(key) ?? 0) + value[r]);
      }
    }
  }
  return {
    total,
    covered(code) {
      const ch = chapters.get(code.slice(0, 2));
      if (!ch) return undefined;
      if (code.length === 2) return ch;
      const out = new Float64Array(G);
      let any = false;
      for (let g = 0; g < G; g++) {
        const part = byPrefix.get(`${code}|${g}`) ?? 0;
        const whole = byPrefix.get(`${code.slice(0, 2)}|${g}`) ?? 0;
        if (part > 0) any = true;
        out[g] = whole > 0 ? (ch[g] * part) / whole : 0;
      }
      return any ? out : undefined;
    },
  };
}

/**
 * The threats and pledges of data/timing/threats-2024-26.csv (eq. T4c), one row per public statement: kind
 * (campaign | statement), stated / expected / resolved dates, resolution (enacted | superseded | exempted |
 * lapsed | pending), restates (id of an earlier row it re-dates), partners (groups or `all`), hs (HS chapters,
 * headings or subheadings, or `all`), rate (percent), basis (additional: points added; replaces:N: the rate
 * replaces a rate of N percent on the covered goods, so rate − N points are added; level, for hs all only: the
 * tariff threatened, added over the group's average tariff in force in the month of the statement, `tariffAt`),
 * source. The
 * threatened change of group g is rate × (2024 imports of the covered goods from g) / (2024 imports from g).
 * Errors name the file, row and field.
 */
export function loadThreats(file: string, imports: ImportsByCode, tariffAt: (g: number, month: number) => number): Threat[] {
  const t = parseCsv(readText(file), file);
  const need = ['id', 'kind', 'stated', 'expected', 'resolved', 'resolution', 'restates', 'partners', 'hs', 'rate', 'basis', 'source'];
  const cols = Object.fromEntries(need.map((n) => [n, column(t, n)]));
  const total = imports.total;
  const ids = new Map<string, number>();
  const rows = t.rows.map((r, k) => {
    const at = (f: string) => ({ file, row: k + 1, field: f });
    const val = (f: string, required = true) => {
      const v = (r[cols[f]] ?? '').trim();
      if (required && !v) throw new InputError(`field ${f} is empty`, at(f), `fill in ${f} (see docs/timing.md §Data)`);
      return v;
    };
    const id = val('id');
    if (ids.has(id)) throw new InputError(`id ${id} repeats row ${ids.get(id)}`, at('id'), 'give every row its own id');
    ids.set(id, k + 1);
    const kind = (THREAT_KINDS as readonly string[]).indexOf(val('kind'));
    if (kind < 0) throw new InputError(`kind '${val('kind')}' is not one of ${THREAT_KINDS.join(', ')}`, at('kind'));
    const day = (f: string) => dayToMonths(parseDay(val(f), at(f)));
    const stated = day('stated');
    const expected = day('expected');
    const resolution = val('resolution');
    if (!['enacted', 'superseded', 'exempted', 'lapsed', 'pending'].includes(resolution)) {
      throw new InputError(`resolution '${resolution}' is not one of enacted, superseded, exempted, lapsed, pending`, at('resolution'));
    }
    if (resolution === 'pending' && val('resolved', false)) throw new InputError('a pending threat has a resolved date', at('resolved'), 'leave resolved empty, or give the resolution');
    const resolved = resolution === 'pending' ? NaN : day('resolved');
    if (expected < stated) throw new InputError('expected before it was stated', at('expected'));
    if (resolved < stated) throw new InputError('resolved before it was stated', at('resolved'));
    const partnersText = val('partners');
    const groups = partnersText === 'all' ? GROUPS.map((_, g) => g) : partnersText.split(';').map((p) => {
      const g = (GROUPS as readonly string[]).indexOf(p.trim());
      if (g < 0) throw new InputError(`unknown partner '${p.trim()}'`, at('partners'), `use ${GROUPS.join(', ')} or all, separated by ';'`);
      return g;
    });
    const hsText = val('hs');
    const codes = hsText === 'all' ? null : hsText.split(';').map((h) => h.trim());
    const m = new Float64Array(G);
    if (codes === null) m.set(total);
    else {
      const seen: string[] = [];
      for (const code of codes) {
        if (!/^(\d{2}|\d{4}|\d{6})$/.test(code)) throw new InputError(`HS code '${code}' is not 2, 4 or 6 digits`, at('hs'), "use HS chapters, headings or subheadings separated by ';', or all");
        const other = seen.find((s) => code.startsWith(s) || s.startsWith(code));
        if (other !== undefined) throw new InputError(`HS code '${code}' overlaps '${other}' of the same row`, at('hs'), 'list each good once');
        seen.push(code);
        const v = imports.covered(code);
        if (!v) throw new InputError(`HS code '${code}' is not in the 2024 import data`, at('hs'), 'check the code against the HTS');
        for (let g = 0; g < G; g++) m[g] += v[g];
      }
    }
    const rate = Number(val('rate'));
    if (!Number.isFinite(rate)) throw new InputError(`rate '${val('rate')}' is not a number (percent)`, at('rate'));
    const basis = val('basis');
    const replaced = /^replaces:(\d+(?:\.\d+)?)$/.exec(basis);
    if (basis !== 'additional' && basis !== 'level' && !replaced) throw new InputError(`basis '${basis}' is not additional, level or replaces:<percent>`, at('basis'));
    if (basis === 'level' && codes !== null) throw new InputError(`basis level with hs '${hsText}': a level is measured from the partner's average tariff, so it needs hs all`, at('basis'), 'use additional or replaces:<percent> for some goods');
    if (replaced && Number(replaced[1]) >= rate) throw new InputError(`basis ${basis}: the rate replaced is not below the rate threatened (${rate})`, at('basis'), 'a threat raises a rate');
    val('source');
    const dTau = new Float64Array(G);
    for (const g of groups) {
      const step =
        basis === 'additional' ? rate / 100
        : replaced ? (rate - Number(replaced[1])) / 100
        : Math.max(0, rate / 100 - tariffAt(g, Math.floor(stated)));
      dTau[g] = total[g] > 0 ? (step * m[g]) / total[g] : 0;
    }
    return { id, kind, stated, expected, resolved, enacted: resolution === 'enacted', restates: val('restates', false), row: k + 1, dTau };
  });
  // Restatement chains: each row's root.
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => {
    let root = r;
    let depth = 0;
    for (; root.restates; depth++) {
      const up = byId.get(root.restates);
      if (!up) throw new InputError(`restates '${root.restates}', which is no row of the file`, { file, row: root.row, field: 'restates' }, 'use the id of an earlier row');
      if (depth > rows.length) throw new InputError(`restates '${root.restates}': the chain of restatements loops back to this row`, { file, row: r.row, field: 'restates' }, 'a row restates an earlier one');
      if (up.stated > root.stated) throw new InputError(`restates '${up.id}', stated later`, { file, row: root.row, field: 'restates' });
      root = up;
    }
    return { id: r.id, kind: r.kind, stated: r.stated, expected: r.expected, resolved: r.resolved, enacted: r.enacted, chain: root.id, depth, dTau: r.dTau };
  });
}
