// Use case "tariffs in force on a day" (`tariffsim tariffs`): per product (the HTS10 lines under a prefix from
// one partner, each looked up with the rule that decided it), or trade-weighted over 2024 US imports by HS
// chapter, sector or partner. Plain inputs (dates and options as strings), the policy data from the injected
// sources, a JSON-ready report with its units. Pure: runs in a browser.
import { InputError } from '../errors.ts';
import { formatDay, parseDay } from '../policy/dates.ts';
import { EtrEngine, ETR_COLUMNS } from '../policy/etr.ts';
import { normalizeCode } from '../policy/hts.ts';
import { resolvePartner, type LookupResult, type UsmcaMode } from '../policy/lookup.ts';
import { checkHtsChapter, checkPair } from '../policy/checks.ts';
import { parsePolicyOptions, type PolicyOptionInput, type PolicyOptions } from '../policy/options.ts';
import { PolicyView } from '../policy/view.ts';
import { tariffLinesOf } from './policy.ts';
import { etrEngineOptions, type FieldOf } from './policy-inputs.ts';
import type { DataSources } from './sources.ts';

export const TARIFF_GROUPINGS = ['hs2', 'sector', 'partner'] as const;
export type TariffGrouping = (typeof TARIFF_GROUPINGS)[number];
export const USMCA_MODES: readonly UsmcaMode[] = ['non-qualifying', 'qualifying', 'expected'];

export interface TariffsInput {
  /** Day, YYYY-MM-DD. */
  date: string;
  /** Exporting country: ISO3, Census code or name (EU for the bloc). Required for product lookups. */
  partner?: string;
  /** HTS code or prefix (2–10 digits): product lookups, or a filter of a trade-weighted table. */
  hts?: string;
  /** Trade-weighted table by HS chapter, sector or partner (US imports only). Default: product lookups when
   *  `hts` is given, else by hs2 with a partner, by partner without. */
  by?: string;
  /** Imposing country: USA (default) or CHN (China's tariffs on US goods; product lookups only). */
  importer?: string;
  /** Canada/Mexico goods in product lookups: non-qualifying (default), qualifying or expected. Tables always mix
   *  the USMCA-qualifying shares (expected). */
  usmca?: string;
  /** Sector concordance of `by: sector`: gtap (default), world2024, cp2015, ossa2014 or a file the sources read. */
  sectors?: string;
  /** Count only the actions announced on or before this day (YYYY-MM-DD). */
  announcedThrough?: string;
  /** Policy options as strings (metal share, USMCA shares, weights, compat). */
  options?: PolicyOptionInput;
  /** At most this many rows (default 40; 0 = all). */
  limit?: number | string;
}

export interface TariffsUnits {
  rates: 'percent ad valorem';
  imports2024: 'US dollars, 2024 US imports (of the line from the partner, or of the group)';
}

/** Product lookups: each HTS10 line with its lookup and 2024 US imports from the partner. */
export interface TariffProductsReport {
  kind: 'products';
  units: TariffsUnits;
  importer: string;
  date: string;
  announcedThrough: string | null;
  options: PolicyOptions;
  /** Programs (STACK_PROGRAMS order) with a nonzero rate on some line. */
  programs: string[];
  lines: (LookupResult & { imports2024: number | null })[];
  /** Lines under the prefix in all (more than `lines` holds when the limit cut the list). */
  total: number;
}

export interface TariffGroupRow {
  /** HS chapter, sector label or partner key. */
  key: string;
  /** Partner name (by partner). */
  name?: string;
  /** Imports of the group under the weights option, US dollars. */
  imports: number;
  /** MFN and each program's contribution, percent of the group's imports (ETR_COLUMNS order). */
  byProgram: Record<string, number>;
  /** Total minus MFN, percent. */
  additional: number;
  /** Percent of the group's imports. */
  total: number;
}

/** A trade-weighted table of US tariffs on a day. */
export interface TariffGroupsReport {
  kind: 'groups';
  units: { rates: "percent of the group's imports (trade-weighted, pre-substitution)"; imports: 'US dollars (weights option: 2024 imports, or their 2025 rescaling)' };
  importer: 'USA';
  by: TariffGrouping;
  date: string;
  announcedThrough: string | null;
  /** Partner filter (key) and HTS prefix filter, or null. */
  partner: string | null;
  hts: string | null;
  options: PolicyOptions;
  /** Columns (ETR_COLUMNS order) nonzero in some group. */
  programs: string[];
  /** Largest imports first, at most `limit`. */
  rows: TariffGroupRow[];
  /** Groups in all. */
  total: number;
}

export type TariffsReport = TariffProductsReport | TariffGroupsReport;

/** Checks the limit (a whole number ≥ 0; a string as typed is named in the error). */
export function parseLimit(limit: number | string | undefined, fallback: number, field: string): number {
  const n = limit === undefined ? fallback : Number(limit);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${field} must be a whole number ≥ 0, got '${limit}'`, { field });
  return n;
}

/**
 * Tariffs in force on a day: product lookups (with `hts` and no `by`, or China as importer) or a trade-weighted
 * table. `field` names the inputs as the face calls them in errors (default: the input's own field names).
 */
export async function tariffsOnDay(input: TariffsInput, sources: DataSources, field: FieldOf = (n) => n): Promise<TariffsReport> {
  const day = parseDay(input.date, { field: field('date') });
  const options = parsePolicyOptions(input.options ?? {}, field);
  if (input.usmca && !(USMCA_MODES as readonly string[]).includes(input.usmca)) throw new InputError(`unknown ${field('usmca')} mode '${input.usmca}'`, { field: field('usmca') }, `use ${USMCA_MODES.join(', ')}`);
  const limit = parseLimit(input.limit, 40, field('limit'));
  const cutoff = input.announcedThrough ? parseDay(input.announcedThrough, { field: field('announcedThrough') }) : null;
  if (input.by && !(TARIFF_GROUPINGS as readonly string[]).includes(input.by)) throw new InputError(`unknown ${field('by')} '${input.by}'`, { field: field('by') }, 'use hs2, sector or partner');
  const importer = (input.importer ?? 'USA').toUpperCase();
  if (importer !== 'USA' && importer !== 'CHN') throw new InputError(`unknown ${field('importer')} '${input.importer}'`, { field: field('importer') }, 'use USA or CHN');
  if (importer === 'CHN' && input.by) throw new InputError(`${field('by')} is available for US imports only (2024 US import weights)`, { field: field('by') }, `drop ${field('by')}, or drop ${field('importer')} CHN`);
  const prefix = input.hts ? normalizeCode(input.hts) : null;
  if (input.hts && !prefix) throw new InputError(`'${input.hts}' is not an HTS code of 2–10 digits`, { field: field('hts') });
  if (prefix) checkHtsChapter(prefix, field('hts'));
  const ctx = await sources.policy();
  const view = new PolicyView(ctx.data, cutoff, options.compat);
  view.checkDay(day);
  const head = { date: formatDay(day), announcedThrough: cutoff === null ? null : formatDay(cutoff), options };
  if (importer === 'CHN' || (input.hts && !input.by)) {
    if (!input.partner) throw new InputError(`${field('hts')} needs ${field('partner')}`, { field: field('partner') }, `e.g. ${field('partner')} CHN`);
    if (!input.hts) throw new InputError(`${field('importer')} CHN needs ${field('hts')} (an HS6 code)`, { field: field('hts') });
    const { lines, total } = tariffLinesOf(view, importer === 'USA' ? ctx.weights : null, importer, { hts: input.hts, partner: input.partner, usmca: input.usmca as UsmcaMode | undefined }, day, limit, options, { hts: field('hts'), partner: field('partner') });
    const programs = ETR_COLUMNS.slice(1).filter((p) => lines.some((l) => l.result.byProgram[p as keyof LookupResult['byProgram']] !== 0));
    return {
      kind: 'products',
      units: { rates: 'percent ad valorem', imports2024: 'US dollars, 2024 US imports (of the line from the partner, or of the group)' },
      importer,
      ...head,
      programs,
      lines: lines.map((l) => ({ ...l.result, imports2024: l.imports })),
      total,
    };
  }
  const by = (input.by ?? (input.partner ? 'hs2' : 'partner')) as TariffGrouping;
  const partner = input.partner ? resolvePartner(view, input.partner) : null;
  checkPair(importer, partner?.key ?? null);
  const engine = new EtrEngine(view, ctx.weights, etrEngineOptions(ctx.data, options, by === 'sector' ? input.sectors : undefined, sources));
  const groups = engine
    .aggregate(day, (p, cls) => {
      if (partner && p.key !== partner.key) return null;
      if (prefix && !cls.rep.startsWith(prefix)) return null;
      return by === 'partner' ? p.key : by === 'hs2' ? cls.rep.slice(0, 2) : engine.sectors[cls.sector];
    })
    .sort((a, b) => b.imports - a.imports);
  if (groups.length === 0) throw new InputError(`no 2024 imports match${partner ? ` partner ${partner.key}` : ''}${prefix ? ` HTS ${prefix}` : ''}`, { field: field('hts') });
  const shown = limit > 0 ? groups.slice(0, limit) : groups;
  return {
    kind: 'groups',
    units: { rates: "percent of the group's imports (trade-weighted, pre-substitution)", imports: 'US dollars (weights option: 2024 imports, or their 2025 rescaling)' },
    importer: 'USA',
    by,
    ...head,
    partner: partner?.key ?? null,
    hts: prefix,
    programs: ETR_COLUMNS.filter((_, k) => groups.some((g) => Math.abs(g.byProgram[k]) > 1e-9)),
    rows: shown.map((g) => ({
      key: g.key,
      ...(by === 'partner' ? { name: ctx.data.countries.find(g.key)?.name ?? '' } : {}),
      imports: g.imports,
      byProgram: Object.fromEntries(ETR_COLUMNS.map((p, k) => [p, g.byProgram[k]])),
      additional: g.total - g.byProgram[0],
      total: g.total,
    })),
    total: groups.length,
  };
}
