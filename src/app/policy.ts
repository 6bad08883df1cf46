// Use cases of the tariff policy layer for faces other than the CLI (HTTP API, web app): the dated actions of a
// period (a timeline), the tariff on one product from one partner on a day, the tariffs on every HTS10 line under a
// prefix (as `tariffsim tariffs --hts` lists them), and the daily effective tariff rate.
// Thin wrappers over src/policy (engine, lookup, etr); the policy data come from the injected sources.
import { InputError } from '../errors.ts';
import { actionDates, type ActionDates } from '../policy/compile.ts';
import { formatDay, parseDay } from '../policy/dates.ts';
import { PolicyView } from '../policy/view.ts';
import { EtrEngine, ETR_COLUMNS } from '../policy/etr.ts';
import { normalizeCode } from '../policy/hts.ts';
import { lookupTariff, resolvePartner, type LookupResult, type UsmcaMode } from '../policy/lookup.ts';
import { checkHeading, checkHtsChapter, checkPair } from '../policy/checks.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from '../policy/options.ts';
import type { UsImports2024 } from '../data/us-trade-2024.ts';
import type { DataSources } from './sources.ts';

export interface PolicyActionEvent extends ActionDates {
  /** Default additional rate, percent ad valorem (null with per-partner rates or a floor). */
  rate: number | null;
  /** Per-partner additional rates, percent. */
  partnerRates: Record<string, number>;
  /** All-in floor rate, percent (max(0, floor − MFN)). */
  floor: number | null;
  /** The legal authority (statute, executive order, HTS heading). */
  legal: string;
  /** Source ids (data/policy/sources.yaml) and their citations. */
  sources: { id: string; citation: string }[];
  notes: string;
  confidence: string;
  /** Where the action is recorded. */
  file: string;
  line: number;
}

/** Tariff actions announced, taking effect or ending within [from, to] (YYYY-MM-DD), ordered by effective date. */
export async function policyActions(from: string, to: string, sources: DataSources): Promise<{ from: string; to: string; actions: PolicyActionEvent[] }> {
  const f = parseDay(from, { field: 'from' });
  const t = parseDay(to, { field: 'to' });
  if (t < f) throw new InputError(`'to' (${to}) is before 'from' (${from})`, { field: 'to' });
  const { data } = await sources.policy();
  const within = (d: number) => d >= f && d <= t;
  const actions = data.actions
    .filter((a) => a.program !== 'termination' ? within(a.announced) || within(a.effective) || (Number.isFinite(a.end) && within(a.end)) || (a.effective <= f && a.end > t) : within(a.effective))
    .sort((a, b) => a.effective - b.effective || a.announced - b.announced || a.id.localeCompare(b.id))
    .map((a) => ({
      ...actionDates(a),
      rate: a.rate,
      partnerRates: Object.fromEntries(a.partnerRates),
      floor: a.floor,
      legal: a.legal,
      sources: a.sources.map((id) => ({ id, citation: data.sources.get(id) ?? '' })),
      notes: a.notes,
      confidence: a.confidence,
      file: a.file,
      line: a.line,
    }));
  return { from: formatDay(f), to: formatDay(t), actions };
}

export interface TariffOnInput {
  date: string;
  partner: string;
  hts: string;
  importer?: string;
  usmca?: UsmcaMode;
}

/** The tariff (MFN and each program, percent ad valorem) on one product from one partner on a day, and why. */
export async function tariffOn(input: TariffOnInput, sources: DataSources): Promise<LookupResult> {
  const day = parseDay(input.date, { field: 'date' });
  const hts = normalizeCode(input.hts);
  if (!hts) throw new InputError(`'${input.hts}' is not an HTS code of 2–10 digits`, { field: 'hts' });
  const importer = (input.importer ?? 'USA').toUpperCase();
  if (importer !== 'USA' && importer !== 'CHN') throw new InputError(`unknown importer '${input.importer}'`, { field: 'importer' }, 'use USA or CHN');
  const { data } = await sources.policy();
  const view = new PolicyView(data);
  view.checkDay(day);
  const partner = resolvePartner(view, input.partner);
  return lookupTariff(view, { importer, partner: partner.key, hts, date: day, usmca: input.usmca ?? 'non-qualifying' });
}

export interface TariffLine {
  result: LookupResult;
  /** 2024 US imports of the line from the partner, US dollars (null when the code is not a line of the data or the partner has no detail). */
  imports: number | null;
}

/**
 * HTS10 lines under the prefix `hts` with 2024 US imports from the partner, largest first (or the code itself when
 * it is a full line, no line matches, or the importer is China), each with its tariff on `day`. `limit` 0 = all.
 * `fields` names the inputs as the face calls them (default the CLI's flags).
 */
export function tariffLinesOf(
  view: PolicyView,
  weights: UsImports2024 | null,
  importer: string,
  q: { hts: string; partner: string; usmca?: UsmcaMode },
  day: number,
  limit: number,
  options: PolicyOptions = DEFAULT_POLICY_OPTIONS,
  fields: { hts: string; partner: string } = { hts: '--hts', partner: '--partner' },
): { lines: TariffLine[]; total: number } {
  const code = normalizeCode(q.hts);
  if (!code) throw new InputError(`'${q.hts}' is not an HTS code of 2–10 digits`, { field: fields.hts });
  checkHtsChapter(code, fields.hts);
  const partner = resolvePartner(view, q.partner);
  checkPair(importer, partner.key, fields.partner);
  const usmca = q.usmca ?? 'non-qualifying';
  let lines: { hts: string; imports: number | null }[] = [];
  if (importer === 'USA' && weights) {
    if (code.length >= 4) checkHeading(code, weights.hts, fields.hts);
    if (code.length < 10) {
      const byHts = new Map<string, number>();
      const pIndex = weights.detailPartners.indexOf(partner.census);
      for (let k = 0; k < weights.detail.value.length; k++) {
        const h = weights.hts[weights.detail.h[k]];
        if (!h.startsWith(code)) continue;
        if (pIndex >= 0 && weights.detail.p[k] !== pIndex) continue;
        byHts.set(h, (byHts.get(h) ?? 0) + (pIndex >= 0 ? weights.detail.value[k] : 0));
      }
      lines = [...byHts.entries()].map(([hts, imports]) => ({ hts, imports: pIndex >= 0 ? imports : null })).sort((a, b) => (b.imports ?? 0) - (a.imports ?? 0) || a.hts.localeCompare(b.hts));
    }
  }
  if (lines.length === 0) lines = [{ hts: code, imports: null }];
  const shown = limit > 0 ? lines.slice(0, limit) : lines;
  return { lines: shown.map((l) => ({ result: lookupTariff(view, { importer, partner: partner.key, hts: l.hts, date: day, usmca, options }), imports: l.imports })), total: lines.length };
}

export interface TariffLinesInput extends TariffOnInput {
  /** At most this many lines, largest 2024 imports first (default 40; 0 = all). */
  limit?: number;
}

export interface TariffLines {
  /** Each line's lookup (as GET /v1/policy/tariff answers it) and its 2024 imports from the partner, US dollars. */
  tariffs: (LookupResult & { imports2024: number | null })[];
  /** Lines under the prefix in all (more than `tariffs` holds when the limit cut the list). */
  total: number;
}

/** The tariffs on every 2024 US import line under an HTS prefix from one partner on a day (`tariffsim tariffs --hts H --json`). */
export async function tariffLines(input: TariffLinesInput, sources: DataSources): Promise<TariffLines> {
  const day = parseDay(input.date, { field: 'date' });
  const importer = (input.importer ?? 'USA').toUpperCase();
  if (importer !== 'USA' && importer !== 'CHN') throw new InputError(`unknown importer '${input.importer}'`, { field: 'importer' }, 'use USA or CHN');
  const limit = input.limit ?? 40;
  if (!Number.isInteger(limit) || limit < 0) throw new InputError(`limit must be a whole number ≥ 0, got '${limit}'`, { field: 'limit' });
  const ctx = await sources.policy();
  const view = new PolicyView(ctx.data);
  view.checkDay(day);
  const { lines, total } = tariffLinesOf(view, importer === 'USA' ? ctx.weights : null, importer, { hts: input.hts, partner: input.partner, usmca: input.usmca }, day, limit, DEFAULT_POLICY_OPTIONS, { hts: 'hts', partner: 'partner' });
  return { tariffs: lines.map((l) => ({ ...l.result, imports2024: l.imports })), total };
}

export type EtrBy = 'program' | 'partner' | 'sector';

export interface EtrSeries {
  from: string;
  to: string;
  by: EtrBy;
  units: { etr: 'percent of 2024 US imports (statutory, pre-substitution)'; byProgram: 'percentage points' };
  programs: readonly string[];
  /** by=program: every day, with each program's contribution. */
  series?: { date: string; etr: number; byProgram: Record<string, number> }[];
  /** by=partner|sector: the rate of each group on every day on which some action starts or stops. */
  groups?: { date: string; key: string; name?: string; imports: number; etr: number }[];
}

const engines = new WeakMap<object, EtrEngine>();

/** The statutory effective US tariff rate from `from` to `to`: daily by program, or by partner/sector on change days. */
export async function etrSeries(from: string | undefined, to: string | undefined, by: EtrBy, sources: DataSources): Promise<EtrSeries> {
  if (!['program', 'partner', 'sector'].includes(by)) throw new InputError(`unknown 'by' value '${by}'`, { field: 'by' }, 'use program, partner or sector');
  const ctx = await sources.policy();
  let engine = engines.get(ctx);
  if (!engine) {
    engine = new EtrEngine(new PolicyView(ctx.data), ctx.weights);
    engines.set(ctx, engine);
  }
  const view = engine.view;
  const f = from === undefined ? ctx.data.coverage.from : parseDay(from, { field: 'from' });
  const t = to === undefined ? ctx.data.coverage.to : parseDay(to, { field: 'to' });
  view.checkDay(f, 'from');
  view.checkDay(t, 'to');
  if (t < f) throw new InputError(`'to' (${formatDay(t)}) is before 'from' (${formatDay(f)})`, { field: 'to' });
  const head = { from: formatDay(f), to: formatDay(t), by, units: { etr: 'percent of 2024 US imports (statutory, pre-substitution)', byProgram: 'percentage points' }, programs: ETR_COLUMNS } as const;
  if (by === 'program') {
    const series = engine.series(f, t).map((p) => ({ date: p.date, etr: p.etr, byProgram: Object.fromEntries(ETR_COLUMNS.map((c, k) => [c, p.byProgram[k]])) }));
    return { ...head, series };
  }
  const groups: NonNullable<EtrSeries['groups']> = [];
  for (const day of view.changeDays(f, t)) {
    const b = engine.breakdown(day);
    if (by === 'partner') for (const p of b.byPartner) groups.push({ date: b.date, key: p.key, name: p.name, imports: p.imports, etr: p.etr });
    else for (const s of b.bySector) groups.push({ date: b.date, key: s.sector, imports: s.imports, etr: s.etr });
  }
  return { ...head, groups };
}
