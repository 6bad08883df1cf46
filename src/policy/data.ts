// The loaded policy dataset as the engine sees it (src/policy/load.ts builds it from the data files), and the
// per-product facts read from it: statutory MFN, FTA/GSP preference share, USMCA claim share, metal share.
// Pure: no Node APIs.
import type { Country, CountryTable } from './countries.ts';
import type { CompiledAction, Coverage } from './compile.ts';

export interface PolicyRules {
  chinaRulePartners: Set<string>;
  usmcaPartners: Set<string>;
  usAutoContentShare: number;
  primaryMetalChapters: Set<string>;
  derivativeMetalShare: number;
}

/** Everything the engine needs, already loaded (src/policy/load.ts builds it from the data files). */
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
  /** USMCA-claiming share of imports in a GTAP sector from a USMCA partner (key e.g. 'CAN'). */
  usmcaShare(gtap: string | null, partner: string): number;
}

export function mfnOf(data: PolicyData, hts: string): number {
  return data.mfn.get(hts.slice(0, 8)) ?? 0;
}

/** Metal share of a Section 232 derivative: articles of the primary metal chapters are all metal. */
export function metalShareOf(data: PolicyData, hts: string): number {
  return data.rules.primaryMetalChapters.has(hts.slice(0, 2)) ? 1 : data.rules.derivativeMetalShare;
}

export function usmcaShareOf(data: PolicyData, partner: Country, hts: string): number {
  return data.rules.usmcaPartners.has(partner.key) ? data.usmcaShare(data.gtapOf(hts), partner.key) : 0;
}

export function preferenceShareOf(data: PolicyData, partner: Country, hts: string): number {
  return data.mfnPreference.get(`${hts.slice(0, 2)}|${partner.census}`) ?? 0;
}

