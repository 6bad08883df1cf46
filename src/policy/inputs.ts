// What the policy layer computes on besides the compiled actions, and the parsers of the shared data's tables
// it reads for them: the policy context (dataset, 2024 US import weights, China's list export weights), the
// 2025 ÷ 2024 partner import factors (`weights: 2025`), realized duties ÷ imports by month and by partner, and
// the US export weights of China's lists. Pure: CSV tables in, data out; src/node/policy/inputs.ts reads the
// files (and memoizes per process).
import { InputError } from '../errors.ts';
import { column, type CsvTable } from '../data/csv.ts';
import type { UsImports2024 } from '../data/us-trade-2024.ts';
import type { Country } from './countries.ts';
import type { PolicyData } from './data.ts';
import type { BridgeInputs } from './matrix.ts';

export interface PolicyContext extends BridgeInputs {
  data: PolicyData;
  weights: UsImports2024;
}

/** The shared data files read for the policy context and options (relative to the shared data folder). */
export const PARTNER_SERIES = 'us-tariffs/timeseries/monthly_imports_and_dutiable_value_by_partner_2002_2025.csv';
export const DUTY_SERIES = 'us-tariffs/timeseries/monthly_customs_duties_and_imports_1982_2026.csv';
export const PARTNER_DUTIES_2024 = 'us-tariffs/trade/us_imports_2024_by_partner.csv';
export const CHINA_LIST_EXPORTS = ['us-tariffs/product_lists/china_retaliation_mar2025_10pct_us_exports.csv', 'us-tariffs/product_lists/china_retaliation_mar2025_15pct_us_exports.csv'];
export const BILATERAL_HEADLINES = 'us-tariffs/trade/us_trade_2024_bilateral_headlines.csv';

export interface WeightScale2025 {
  scale: (p: Country) => number;
  factors: Record<string, number>;
  source: string;
}

/**
 * Factor turning a partner's 2024 imports into its 2025 imports (`weights: 2025`) from the monthly imports by
 * partner (PARTNER_SERIES): Census monthly imports summed over each calendar year, for Canada, Mexico, China,
 * the EU (its members and the bloc) and the rest of the world (every other partner, one factor). The product
 * mix within a partner stays 2024's.
 */
export function weightScale2025(t: CsvTable, data: PolicyData): WeightScale2025 {
  const file = t.file;
  const di = column(t, 'date');
  const groups = ['canada', 'mexico', 'china', 'eu', 'world'];
  const sums: Record<string, [number, number]> = Object.fromEntries(groups.map((g) => [g, [0, 0]]));
  const cols = groups.map((g) => column(t, `m_${g}`));
  for (const r of t.rows) {
    const y = r[di].slice(0, 4);
    if (y !== '2024' && y !== '2025') continue;
    groups.forEach((g, k) => {
      const v = Number(r[cols[k]]);
      if (!Number.isFinite(v)) throw new InputError(`'${r[cols[k]]}' is not a number`, { file, field: `m_${g}` });
      sums[g][y === '2024' ? 0 : 1] += v;
    });
  }
  const f = (g: string) => {
    if (!(sums[g][0] > 0 && sums[g][1] > 0)) throw new InputError(`no complete 2024 and 2025 imports for ${g}`, { file, field: `m_${g}` });
    return sums[g][1] / sums[g][0];
  };
  const named = ['canada', 'mexico', 'china', 'eu'];
  const row = (sums.world[1] - named.reduce((s, g) => s + sums[g][1], 0)) / (sums.world[0] - named.reduce((s, g) => s + sums[g][0], 0));
  const factors: Record<string, number> = { CAN: f('canada'), MEX: f('mexico'), CHN: f('china'), EU: f('eu'), ROW: row };
  const eu = new Set(data.countries.expand('EU') ?? []);
  return {
    scale: (p) => factors[p.key] ?? (p.key === 'EU' || eu.has(p.key) ? factors.EU : factors.ROW),
    factors,
    source: `${PARTNER_SERIES} (Census imports by partner, 2025 ÷ 2024)`,
  };
}

export interface RealizedMonth {
  /** YYYY-MM. */
  month: string;
  /** Customs duties collected (Treasury), USD millions. */
  duties: number;
  /** Goods imports, customs value (Census), USD millions. */
  imports: number;
  /** duties ÷ imports, percent. */
  rate: number;
}

/** Realized monthly duties and imports (Treasury customs duties ÷ Census imports, DUTY_SERIES), 2024-01 onwards. */
export function realizedDuties(t: CsvTable): { months: RealizedMonth[]; source: string } {
  const file = t.file;
  const [di, ci, ii] = [column(t, 'date'), column(t, 'customs_duties'), column(t, 'imports_value')];
  const months: RealizedMonth[] = [];
  t.rows.forEach((r, k) => {
    if (r[di] < '2024-01') return;
    const duties = Number(r[ci]);
    const imports = Number(r[ii]);
    if (!Number.isFinite(duties) || !(imports > 0)) throw new InputError(`row ${r[di]}: duties '${r[ci]}' / imports '${r[ii]}' are not numbers`, { file, row: k + 1 });
    months.push({ month: r[di].slice(0, 7), duties, imports, rate: (100 * duties) / imports });
  });
  return { months, source: `${DUTY_SERIES} (Treasury customs duties ÷ Census goods imports, monthly, seasonally adjusted)` };
}

/** Calculated duties ÷ imports for consumption in 2024 by partner (Census, PARTNER_DUTIES_2024), percent, keyed by Census code. */
export function realizedByPartner2024(t: CsvTable): Map<string, { imports: number; duties: number; rate: number }> {
  const [ci, ii, di] = [column(t, 'census_code'), column(t, 'imports_2024_usd'), column(t, 'calc_duty_2024_usd')];
  const m = new Map<string, { imports: number; duties: number; rate: number }>();
  for (const r of t.rows) {
    const imports = Number(r[ii]);
    const duties = Number(r[di]);
    if (imports > 0 && Number.isFinite(duties)) m.set(r[ci].trim(), { imports, duties, rate: (100 * duties) / imports });
  }
  return m;
}

/** Bloc → member Census codes, from the country table (the EU bloc 0003 → its 27 members). */
export function blocsOf(data: PolicyData): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of data.countries.all) if (c.members) out[c.census] = c.members.map((m) => data.countries.find(m)!.census);
  return out;
}

/** 2024 US exports to China of the HS6 lines on China's Mar 2025 lists (CHINA_LIST_EXPORTS), and the Census total (BILATERAL_HEADLINES). */
export function chinaExportWeights(lists: CsvTable[], headlines: CsvTable): { byHs6: Map<string, number>; total: number } {
  const byHs6 = new Map<string, number>();
  for (const t of lists) {
    const hi = column(t, 'hs-code');
    const xi = column(t, 'exports');
    for (const r of t.rows) {
      const x = Number(r[xi]);
      if (Number.isFinite(x) && x > 0) byHs6.set(r[hi].trim(), (byHs6.get(r[hi].trim()) ?? 0) + x);
    }
  }
  const t = headlines;
  const [pi, bi, mi, vi] = [column(t, 'partner'), column(t, 'basis'), column(t, 'measure'), column(t, 'value_usd_billions')];
  const row = t.rows.find((r) => r[pi].trim() === 'China' && r[bi].trim() === 'Census basis' && r[mi].trim() === 'exports');
  if (!row) throw new InputError('no Census-basis row for US exports to China', { file: t.file });
  return { byHs6, total: Number(row[vi]) * 1e9 };
}
