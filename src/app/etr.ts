// Use case "the statutory effective US tariff rate" (`tariffsim etr`): a daily series with each program's
// contribution, one day with breakdowns by program, partner and sector (or every action announced through a day,
// as if in force), or the monthly mean beside realized duties ÷ imports. Plain inputs, the policy data from the
// injected sources, JSON-ready reports with units. Pure: runs in a browser.
import { InputError } from '../errors.ts';
import { formatDay, parseDay } from '../policy/dates.ts';
import { EtrEngine, ETR_COLUMNS, realizedComparison, type EtrPoint, type RealizedRow } from '../policy/etr.ts';
import { parsePolicyOptions, type PolicyOptionInput, type PolicyOptions } from '../policy/options.ts';
import { PolicyView } from '../policy/view.ts';
import { etrEngineOptions, type FieldOf } from './policy-inputs.ts';
import { parseLimit } from './tariffs.ts';
import type { DataSources } from './sources.ts';

export const ETR_BREAKDOWNS = ['program', 'partner', 'sector'] as const;
export type EtrBreakdownBy = (typeof ETR_BREAKDOWNS)[number];

export interface EffectiveRateInput {
  /** Series bounds, YYYY-MM-DD (default the data's coverage). */
  from?: string;
  to?: string;
  /** One day instead of a series. */
  date?: string;
  /** With `date` or `announcedThrough`: breakdown by program (default), partner or sector. */
  by?: string;
  /** Sector concordance of `by: sector`: gtap (default), world2024, cp2015, ossa2014 or a file the sources read. */
  sectors?: string;
  /** Every action announced on or before this day, as if in force (evaluated on the day the last takes effect). */
  announcedThrough?: string;
  /** Rows of a partner/sector breakdown table (default 30; 0 = all). */
  limit?: number | string;
  /** Policy options as strings (metal share, USMCA shares, weights, compat). */
  options?: PolicyOptionInput;
  /** By month: the mean statutory rate beside realized duties ÷ imports (needs `sources.realizedDuties`). */
  realized?: boolean;
}

export interface EtrSeriesReport {
  kind: 'series';
  units: { etr: 'percent of imports (statutory, pre-substitution; weights option)'; byProgram: 'percentage points (sum to etr)' };
  from: string;
  to: string;
  options: PolicyOptions;
  /** Columns of `byProgram`: mfn, then the stacked programs. */
  programs: readonly string[];
  /** Every day from `from` to `to`. */
  series: { date: string; etr: number; byProgram: Record<string, number> }[];
}

export interface EtrDayReport {
  kind: 'day';
  units: { etr: 'percent of imports (statutory, pre-substitution; weights option)'; byProgram: 'percentage points (sum to etr)'; imports: 'US dollars (weights option)' };
  /** The day evaluated (with `announcedThrough` and no date: the day the last announced action takes effect). */
  date: string;
  etr: number;
  byProgram: Record<string, number>;
  /** Rate of each partner (percent of its imports), largest imports first. */
  byPartner: { key: string; name: string; imports: number; etr: number }[];
  /** Rate of each sector (percent of its imports), largest imports first. */
  bySector: { sector: string; imports: number; etr: number }[];
  options: PolicyOptions;
  announcedThrough: string | null;
  by: EtrBreakdownBy;
  /** The `by` table (partner: "KEY Name"; sector: its label), at most `limit` rows; empty by program. */
  rows: { key: string; imports: number; etr: number }[];
}

export interface EtrRealizedReport {
  kind: 'realized';
  units: 'percent of imports';
  unitsOfMoney: 'US dollars, millions (duties, imports)';
  options: PolicyOptions;
  realizedSource: string;
  months: RealizedRow[];
  /** Over the months, import-weighted: statutory and realized rates (percent) and their gap (points). */
  importWeighted: { from: string; to: string; statutory: number; realized: number; gap: number };
}

export type EffectiveRateReport = EtrSeriesReport | EtrDayReport | EtrRealizedReport;

const ETR_UNITS = { etr: 'percent of imports (statutory, pre-substitution; weights option)', byProgram: 'percentage points (sum to etr)' } as const;

function programRecord(byProgram: readonly number[]): Record<string, number> {
  return Object.fromEntries(ETR_COLUMNS.map((c, k) => [c, byProgram[k]]));
}

/**
 * The statutory effective US tariff rate: a daily series (default), one day's breakdown (`date` or
 * `announcedThrough`), or the monthly comparison with realized duties (`realized`). `field` names the inputs as
 * the face calls them in errors (default: the input's own field names).
 */
export async function effectiveRate(input: EffectiveRateInput, sources: DataSources, field: FieldOf = (n) => n): Promise<EffectiveRateReport> {
  const limit = parseLimit(input.limit, 30, field('limit'));
  if (input.by && !(ETR_BREAKDOWNS as readonly string[]).includes(input.by)) throw new InputError(`unknown ${field('by')} '${input.by}'`, { field: field('by') }, 'use program, partner or sector');
  if (input.by && !input.date && !input.announcedThrough) throw new InputError(`${field('by')} needs ${field('date')} (or ${field('announcedThrough')})`, { field: field('by') });
  // Dates are checked for form before the (slow) policy data load; ranges are checked against the data below.
  for (const name of ['from', 'to', 'date', 'announcedThrough'] as const) {
    const v = input[name];
    if (v !== undefined) parseDay(v, { field: field(name) });
  }
  if (input.from && input.to && parseDay(input.from, { field: field('from') }) > parseDay(input.to, { field: field('to') })) {
    throw new InputError(`${field('from')} ${input.from} is after ${field('to')} ${input.to}`, { field: field('from') }, `give ${field('from')} on or before ${field('to')}`);
  }
  const options = parsePolicyOptions(input.options ?? {}, field);
  if (input.realized && (input.date || input.by || input.announcedThrough)) {
    throw new InputError(`${field('realized')} prints a monthly series: drop ${field('date')}, ${field('by')} and ${field('announcedThrough')}`, { field: field('realized') });
  }
  const ctx = await sources.policy();
  const cutoff = input.announcedThrough ? parseDay(input.announcedThrough, { field: field('announcedThrough') }) : null;
  const view = new PolicyView(ctx.data, cutoff, options.compat);
  const engine = new EtrEngine(view, ctx.weights, etrEngineOptions(ctx.data, options, input.by === 'sector' ? input.sectors : undefined, sources));
  const c = ctx.data.coverage;
  if (input.realized) {
    if (!sources.realizedDuties) throw new InputError('this face has no realized duties series', { field: field('realized') });
    const realized = sources.realizedDuties();
    const from = input.from ? parseDay(input.from, { field: field('from') }) : c.from;
    const to = input.to ? parseDay(input.to, { field: field('to') }) : c.to;
    const months = realizedComparison(engine.series(from, to), realized.months);
    if (months.length === 0) throw new InputError('no month of the series has realized duties (data: 2024-01 … 2026-03)', { field: field('from') });
    const statutory = months.reduce((s, r) => s + r.statutory * r.imports, 0) / months.reduce((s, r) => s + r.imports, 0);
    const real = (100 * months.reduce((s, r) => s + r.duties, 0)) / months.reduce((s, r) => s + r.imports, 0);
    return {
      kind: 'realized',
      units: 'percent of imports',
      unitsOfMoney: 'US dollars, millions (duties, imports)',
      options: engine.options,
      realizedSource: realized.source,
      months,
      importWeighted: { from: months[0].month, to: months[months.length - 1].month, statutory, realized: real, gap: statutory - real },
    };
  }
  if (input.date || cutoff !== null) {
    const day = input.date ? parseDay(input.date, { field: field('date') }) : view.inForceDay();
    view.checkDay(day, field('date'));
    const b = engine.breakdown(day);
    const by = (input.by ?? 'program') as EtrBreakdownBy;
    const list = by === 'partner' ? b.byPartner.map((p) => ({ key: `${p.key} ${p.name}`, imports: p.imports, etr: p.etr })) : by === 'sector' ? b.bySector.map((s) => ({ key: s.sector, imports: s.imports, etr: s.etr })) : [];
    return {
      kind: 'day',
      units: { ...ETR_UNITS, imports: 'US dollars (weights option)' },
      date: b.date,
      etr: b.etr,
      byProgram: programRecord(b.byProgram),
      byPartner: b.byPartner,
      bySector: b.bySector,
      options: engine.options,
      announcedThrough: cutoff === null ? null : formatDay(cutoff),
      by,
      rows: limit > 0 ? list.slice(0, limit) : list,
    };
  }
  const from = parseDay(input.from ?? formatDay(c.from), { field: field('from') });
  const to = parseDay(input.to ?? formatDay(c.to), { field: field('to') });
  return {
    kind: 'series',
    units: ETR_UNITS,
    from: formatDay(from),
    to: formatDay(to),
    options: engine.options,
    programs: ETR_COLUMNS,
    series: engine.series(from, to).map((p: EtrPoint) => ({ date: p.date, etr: p.etr, byProgram: programRecord(p.byProgram) })),
  };
}
