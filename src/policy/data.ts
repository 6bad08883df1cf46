// The loaded policy dataset as the engine sees it (src/policy/assemble.ts builds it from the data files, which
// src/node/policy/load.ts reads), and the per-product facts read from it: statutory MFN, FTA/GSP preference
// share, USMCA claim share, metal share.
// Pure: no Node APIs.
import type { Country, CountryTable } from './countries.ts';
import type { CompiledAction, Coverage } from './compile.ts';
import { formatDay, type Day } from './dates.ts';
import type { MetalShareSetting, UsmcaShareSetting } from './options.ts';

export interface PolicyRules {
  chinaRulePartners: Set<string>;
  usmcaPartners: Set<string>;
  usAutoContentShare: number;
  primaryMetalChapters: Set<string>;
  derivativeMetalShare: number;
}

/** Everything the engine needs, already loaded (src/policy/assemble.ts builds it from the data files; src/node/policy/load.ts reads them). */
export interface PolicyData {
  coverage: Coverage;
  countries: CountryTable;
  actions: CompiledAction[];
  rules: PolicyRules;
  sources: Map<string, string>;
  /** Statutory MFN (column 1 general), percent ad valorem, by HTS8; absent lines count as 0. */
  mfn: Map<string, number>;
  /** Share of imports entering duty-free under FTA/GSP preferences, key `${hs2}|${census}`. */
  mfnPreference: Map<string, number>;
  /** GTAP sector (lower case) of an HTS10 code, or null when the crosswalk has none. */
  gtapOf(hts: string): string | null;
  /** USMCA-claiming share of imports in a GTAP sector from a USMCA partner (key e.g. 'CAN'), H2 2025. */
  usmcaShare(gtap: string | null, partner: string): number;
  /** Product-level USMCA claim share of an HTS10 line from a USMCA partner in a period ('2024', '2025', 'h2'
   *  or a 2025 month 'YYYY-MM'); null when the period's file has no imports of the line from the partner. */
  usmcaProductShare(period: string, hts: string, partner: string): number | null;
  /** Metal content shares (fractions of value) of an HTS10 line from BEA input-output tables, with the
   *  digits of the code the value was found at (10, or an 8/6/4-digit average); null if none. */
  beaMetal(hts: string): BeaMetalShare | null;
}

export interface BeaMetalShare {
  steel: number;
  aluminum: number;
  copper: number;
  /** 10 for the line itself, 8/6/4 for the average of the lines under that prefix. */
  digits: number;
}

export function mfnOf(data: PolicyData, hts: string): number {
  return data.mfn.get(hts.slice(0, 8)) ?? 0;
}

export interface MetalShare {
  share: number;
  /** Where the share comes from, e.g. "BEA steel, HTS10" or "flat 0.5". */
  basis: string;
}

/**
 * Metal share of a Section 232 product taxed on its metal content (Proclamations 10895/10896/10962: the duty
 * is on the value of the steel, aluminum or copper content). Articles of the primary metal chapters are all
 * metal. Otherwise, with `bea`, the sum of the BEA input-output shares of the metals the product's 232
 * actions tax (`metals`: comma-separated steel/aluminum/copper, or 'all'), from the HTS10 line or the average
 * of its HTS8/6/4 prefix; with no BEA value at all, the manifest's fallback share. `flat:x` gives x.
 */
export function metalShareOf(data: PolicyData, hts: string, metals: string, setting: MetalShareSetting): MetalShare {
  if (data.rules.primaryMetalChapters.has(hts.slice(0, 2))) return { share: 1, basis: `primary metal chapter ${hts.slice(0, 2)}` };
  if (setting.kind === 'flat') return { share: setting.share, basis: `flat ${setting.share}` };
  const b = data.beaMetal(hts);
  if (!b) return { share: data.rules.derivativeMetalShare, basis: `no BEA share for ${hts.slice(0, 4)}: fallback ${data.rules.derivativeMetalShare}` };
  const types = metals === 'all' || metals === '' ? ['steel', 'aluminum', 'copper'] : metals.split(',');
  let share = 0;
  for (const t of types) share += t === 'steel' ? b.steel : t === 'aluminum' ? b.aluminum : b.copper;
  return { share: Math.min(1, share), basis: `BEA ${types.join('+')} content, ${b.digits === 10 ? 'HTS10' : `HTS${b.digits} average`}` };
}

/** The USMCA share period a setting uses on a day: '2024', '2025', 'h2' (the mean of the July–December 2025
 *  monthly shares), or a 2025 month (2026 days: December 2025). */
export function usmcaPeriod(setting: UsmcaShareSetting, day: Day): string {
  if (setting === '2024') return '2024';
  if (setting === 'annual-2025') return '2025';
  if (setting === 'h2-2025') return 'h2';
  // Dates after 2025 keep the last known month's claiming (December 2025).
  const d = formatDay(day);
  return d.startsWith('2025-') ? d.slice(0, 7) : '2025-12';
}

/**
 * USMCA claim share of a product from a USMCA partner in a period: the product-level share of that period;
 * where the period has no imports of the line, calendar 2025, then 2024, then the H2-2025 share of its GTAP
 * sector ('gtap' uses the sector share only). 0 for other partners.
 */
export function usmcaShareOf(data: PolicyData, partner: Country, hts: string, period: string): number {
  if (!data.rules.usmcaPartners.has(partner.key)) return 0;
  if (period !== 'gtap') {
    const chain = period === '2024' ? ['2024'] : period === '2025' ? ['2025', '2024'] : [period, '2025', '2024'];
    for (const p of chain) {
      const q = data.usmcaProductShare(p, hts, partner.key);
      if (q !== null) return q;
    }
  }
  return data.usmcaShare(data.gtapOf(hts), partner.key);
}

export function preferenceShareOf(data: PolicyData, partner: Country, hts: string): number {
  return data.mfnPreference.get(`${hts.slice(0, 2)}|${partner.census}`) ?? 0;
}
