// Node-side loading of everything the policy layer computes on: the policy dataset (load.ts), the 2024 US
// import weights (src/data/us-trade-2024.ts), China's list export weights, and the product → sector
// concordances. Memoized per process.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { column, parseCsv } from '../data/csv.ts';
import { readText } from '../data/files.ts';
import { sharedDataDir } from '../data/paths.ts';
import { loadUsImports2024, type UsImports2024 } from '../data/us-trade-2024.ts';
import { parseConcordance, type Concordance } from './concordance.ts';
import type { PolicyData } from './data.ts';
import { loadPolicy, POLICY_DIR, type LoadOptions } from './load.ts';
import type { BridgeInputs } from './matrix.ts';

export interface PolicyContext extends BridgeInputs {
  data: PolicyData;
  weights: UsImports2024;
}

/** Bloc → member Census codes, from the country table (the EU bloc 0003 → its 27 members). */
export function blocsOf(data: PolicyData): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of data.countries.all) if (c.members) out[c.census] = c.members.map((m) => data.countries.find(m)!.census);
  return out;
}

export function loadWeights(data: PolicyData, dataDir?: string): Promise<UsImports2024> {
  return loadUsImports2024({ blocs: blocsOf(data), dataDir });
}

const contexts = new Map<string, Promise<PolicyContext>>();

/** Policy data, 2024 weights and China's export weights, loaded once per process. */
export function loadPolicyContext(opts: LoadOptions = {}): Promise<PolicyContext> {
  const key = JSON.stringify(opts);
  let p = contexts.get(key);
  if (!p) {
    p = (async () => {
      const data = loadPolicy(opts);
      const dataDir = opts.dataDir ?? sharedDataDir();
      const weights = await loadWeights(data, dataDir);
      const { byHs6, total } = readChinaExportWeights(dataDir);
      return { data, weights, usExportsToChina: byHs6, usExportsToChinaTotal: total };
    })();
    contexts.set(key, p);
    p.catch(() => contexts.delete(key));
  }
  return p;
}

/** 2024 US exports to China of the HS6 lines on China's Mar 2025 lists, and the Census total. */
export function readChinaExportWeights(dataDir: string): { byHs6: Map<string, number>; total: number } {
  const byHs6 = new Map<string, number>();
  for (const f of ['china_retaliation_mar2025_10pct_us_exports.csv', 'china_retaliation_mar2025_15pct_us_exports.csv']) {
    const file = resolve(dataDir, 'us-tariffs/product_lists', f);
    const t = parseCsv(readText(file), file);
    const hi = column(t, 'hs-code');
    const xi = column(t, 'exports');
    for (const r of t.rows) {
      const x = Number(r[xi]);
      if (Number.isFinite(x) && x > 0) byHs6.set(r[hi].trim(), (byHs6.get(r[hi].trim()) ?? 0) + x);
    }
  }
  const hfile = resolve(dataDir, 'us-tariffs/trade/us_trade_2024_bilateral_headlines.csv');
  const t = parseCsv(readText(hfile), hfile);
  const [pi, bi, mi, vi] = [column(t, 'partner'), column(t, 'basis'), column(t, 'measure'), column(t, 'value_usd_billions')];
  const row = t.rows.find((r) => r[pi].trim() === 'China' && r[bi].trim() === 'Census basis' && r[mi].trim() === 'exports');
  if (!row) throw new InputError('no Census-basis row for US exports to China', { file: hfile });
  return { byHs6, total: Number(row[vi]) * 1e9 };
}

export const CONCORDANCES: Record<string, string> = {
  world2024: 'hs-world2024.csv',
  cp2015: 'hs-cp2015.csv',
  ossa2014: 'gtap-ossa2014.csv',
};

/** A concordance by dataset name (world2024, cp2015, ossa2014) or file path. */
export function loadConcordance(nameOrFile: string, data: PolicyData): Concordance {
  const file = CONCORDANCES[nameOrFile] ? resolve(POLICY_DIR, 'concordance', CONCORDANCES[nameOrFile]) : resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new InputError(`unknown concordance '${nameOrFile}'`, { field: 'concordance' }, `use one of ${Object.keys(CONCORDANCES).join(', ')} or a CSV path with columns key,sector`);
  }
  return parseConcordance(readText(file), file, data.gtapOf);
}
