// Node-side loading of everything the policy layer computes on: the policy dataset (./load.ts), the 2024 US
// import weights (src/node/data/us-trade-2024.ts), China's list export weights, the tables of the policy options
// and the product → sector concordances. The parsers are src/policy/inputs.ts and src/policy/concordance.ts.
// Memoized per process.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import type { CsvTable } from '../../data/csv.ts';
import type { UsImports2024 } from '../../data/us-trade-2024.ts';
import { CONCORDANCES, parseConcordance, type Concordance } from '../../policy/concordance.ts';
import type { PolicyData } from '../../policy/data.ts';
import {
  BILATERAL_HEADLINES,
  blocsOf,
  CHINA_LIST_EXPORTS,
  chinaExportWeights,
  DUTY_SERIES,
  PARTNER_DUTIES_2024,
  PARTNER_SERIES,
  realizedByPartner2024,
  realizedDuties,
  weightScale2025,
  type PolicyContext,
  type RealizedMonth,
  type WeightScale2025,
} from '../../policy/inputs.ts';
import { readCsvFile, readText } from '../data/files.ts';
import { loadUsImports2024 } from '../data/us-trade-2024.ts';
import { sharedDataDir } from '../paths.ts';
import { loadPolicy, POLICY_DIR, type LoadOptions } from './load.ts';

export { blocsOf, CONCORDANCES, type PolicyContext, type RealizedMonth };

/** A table of the shared data folder. */
function sharedTable(dataDir: string, file: string, hint?: string): CsvTable {
  return readCsvFile(resolve(dataDir, file), hint);
}

/** The 2025 ÷ 2024 partner import factors (`weights: 2025`): src/policy/inputs.ts `weightScale2025`. */
export function loadWeightScale2025(data: PolicyData, dataDir = sharedDataDir()): WeightScale2025 {
  return weightScale2025(sharedTable(dataDir, PARTNER_SERIES, 'weights 2025 need the monthly imports by partner'), data);
}

/** Realized monthly duties and imports (Treasury customs duties ÷ Census imports), 2024-01 onwards. */
export function loadRealizedDuties(dataDir = sharedDataDir()): { months: RealizedMonth[]; source: string } {
  return realizedDuties(sharedTable(dataDir, DUTY_SERIES, 'the realized series (--realized) reads the monthly customs duties'));
}

/** Calculated duties ÷ imports for consumption in 2024 by partner (Census), percent, keyed by Census code. */
export function loadRealizedByPartner2024(dataDir = sharedDataDir()): Map<string, { imports: number; duties: number; rate: number }> {
  return realizedByPartner2024(sharedTable(dataDir, PARTNER_DUTIES_2024));
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
  return chinaExportWeights(CHINA_LIST_EXPORTS.map((f) => sharedTable(dataDir, f)), sharedTable(dataDir, BILATERAL_HEADLINES));
}

/** A concordance by dataset name (world2024, cp2015, ossa2014) or file path. */
export function loadConcordance(nameOrFile: string, data: PolicyData): Concordance {
  const file = Object.hasOwn(CONCORDANCES, nameOrFile) ? resolve(POLICY_DIR, 'concordance', CONCORDANCES[nameOrFile]) : resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new InputError(`unknown concordance '${nameOrFile}'`, { field: 'concordance' }, `use one of ${Object.keys(CONCORDANCES).join(', ')} or a CSV path with columns key,sector`);
  }
  return parseConcordance(readText(file), file, data.gtapOf);
}
