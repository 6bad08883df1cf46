// Parser for Ossa (2014) "Trade Wars and Trade Talks with Data" (AER 104(12)): 7 regions × 33 industries,
// from ../shared/data/ossa2014 (see its README.txt). Never copies the data into the repository.
//
// `parseOssa2014(files)` is pure (CSV text in, typed arrays out) so a browser can fetch the CSVs and use it;
// `loadOssa2014(dir)` (src/node/data/ossa2014.ts) adds the file system.
//
// Index order (flat Float64Arrays, the house convention of src/data/world.ts):
//   bilateral industry arrays (length S·N·N): bil(s, d, o) = (s * N + d) * N + o
//       d = IMPORTER (destination), o = EXPORTER (origin). The source file is exporter × importer; it is
//       transposed here, once.
//   region × industry arrays (length N·S):    rs(n, s) = n * S + s
import { InputError } from '../errors.ts';
import { column, parseCsv } from './csv.ts';

export interface OssaIndustry {
  /** GTAP code, e.g. "crp". */
  code: string;
  name: string;
}

export interface OssaData {
  /** Folder or label the data came from (for messages). */
  source: string;
  /** Region names as in the data: Brazil, China, EU, India, Japan, ROW, US. */
  regions: string[];
  industries: OssaIndustry[];
  /** σ_s: elasticity of substitution between varieties of industry s (Ossa's Table 1). length S. */
  sigma: Float64Array;
  /** X_ods: flow from exporter o to importer d in industry s, USD millions, net of tariffs. bil(s, d, o). */
  trade: Float64Array;
  /** t_ods: ad valorem tariff of importer d on exporter o in industry s (fraction). bil(s, d, o). Diagonal 0. */
  tariff: Float64Array;
  /** λ_ds: estimated political-economy weights (LAMBDAPOL). rs(d, s). */
  lambda: Float64Array;
  /** Which flow column `trade` holds. */
  flows: 'balanced' | 'raw';
}

export type OssaFlows = 'balanced' | 'raw';

/** The CSV files the parser needs, by file name (relative to the dataset folder). */
export interface OssaFiles {
  'regions.csv': string;
  'industries.csv': string;
  'trade_tariffs_long.csv': string;
  'political_economy_weights_lambda.csv': string;
}

export const OSSA_FILES: (keyof OssaFiles)[] = [
  'regions.csv',
  'industries.csv',
  'trade_tariffs_long.csv',
  'political_economy_weights_lambda.csv',
];

/** Parses the dataset from CSV texts. Every error names the file, the 1-based data row and the field. */
export function parseOssa2014(files: OssaFiles, source = 'ossa2014', flows: OssaFlows = 'balanced'): OssaData {
  const f = (name: keyof OssaFiles): string => `${source}/${name}`;

  const reg = table(files['regions.csv'], f('regions.csv'));
  const regions = reg.col('region').map((r) => r.trim());
  if (regions.length < 2) throw new InputError(`needs at least 2 regions, found ${regions.length}`, { file: reg.file });
  checkUnique(regions, reg.file, 'region');

  const ind = table(files['industries.csv'], f('industries.csv'));
  const codes = ind.col('code').map((c) => c.trim());
  const names = ind.col('name');
  checkUnique(codes, ind.file, 'code');
  const sigma = new Float64Array(codes.length);
  const sig = ind.col('sigma');
  for (let s = 0; s < codes.length; s++) {
    sigma[s] = ind.num(sig[s], s, 'sigma');
    if (!(sigma[s] > 1)) {
      throw new InputError(`σ of industry ${codes[s]} is ${sigma[s]}; the model needs σ > 1`, { file: ind.file, row: s + 1, field: 'sigma' });
    }
  }
  const industries = codes.map((code, s) => ({ code, name: names[s].trim() }));
  const N = regions.length;
  const S = codes.length;
  const rIndex = new Map(regions.map((r, i) => [r.toLowerCase(), i]));
  const sIndex = new Map(codes.map((c, i) => [c.toLowerCase(), i]));

  const tt = table(files['trade_tariffs_long.csv'], f('trade_tariffs_long.csv'));
  const flowField = flows === 'balanced' ? 'trade_balanced_usd_millions' : 'trade_raw_usd_millions';
  const cInd = tt.col('industry');
  const cExp = tt.col('exporter');
  const cImp = tt.col('importer');
  const cFlow = tt.col(flowField);
  const cTar = tt.col('tariff_ad_valorem_fraction');
  const trade = new Float64Array(S * N * N);
  const tariff = new Float64Array(S * N * N);
  const seen = new Uint8Array(S * N * N);
  for (let r = 0; r < tt.rows; r++) {
    const s = lookup(sIndex, cInd[r], tt.file, r, 'industry', codes);
    const o = lookup(rIndex, cExp[r], tt.file, r, 'exporter', regions);
    const d = lookup(rIndex, cImp[r], tt.file, r, 'importer', regions);
    const k = (s * N + d) * N + o;
    if (seen[k]) {
      throw new InputError(`duplicate row for industry ${codes[s]}, exporter ${regions[o]}, importer ${regions[d]}`, { file: tt.file, row: r + 1 });
    }
    seen[k] = 1;
    const x = tt.num(cFlow[r], r, flowField);
    if (x < 0) throw new InputError(`negative trade flow ${x}`, { file: tt.file, row: r + 1, field: flowField });
    const t = tt.num(cTar[r], r, 'tariff_ad_valorem_fraction');
    if (t < 0) throw new InputError(`negative tariff ${t}`, { file: tt.file, row: r + 1, field: 'tariff_ad_valorem_fraction' }, 'tariffs are fractions ≥ 0 (0.05 = 5%)');
    if (o === d && t !== 0) {
      throw new InputError(`domestic flow of ${regions[o]} in ${codes[s]} has a tariff of ${t}`, { file: tt.file, row: r + 1, field: 'tariff_ad_valorem_fraction' });
    }
    trade[k] = x;
    tariff[k] = t;
  }
  for (let k = 0; k < seen.length; k++) {
    if (!seen[k]) {
      const o = k % N;
      const d = Math.floor(k / N) % N;
      const s = Math.floor(k / (N * N));
      throw new InputError(`no row for industry ${codes[s]}, exporter ${regions[o]}, importer ${regions[d]}`, { file: tt.file }, `the file needs all ${S}×${N}×${N} combinations`);
    }
  }
  // Each (importer, industry) needs positive spending and each (exporter, industry) positive sales.
  for (let s = 0; s < S; s++) {
    for (let n = 0; n < N; n++) {
      let spend = 0;
      let sales = 0;
      for (let m = 0; m < N; m++) {
        spend += trade[(s * N + n) * N + m];
        sales += trade[(s * N + m) * N + n];
      }
      if (!(spend > 0) || !(sales > 0)) {
        throw new InputError(`${regions[n]} has zero ${spend > 0 ? 'sales' : 'spending'} in industry ${codes[s]}`, { file: tt.file, field: flowField }, 'the model needs positive sales and spending in every region and industry');
      }
    }
  }

  const lam = table(files['political_economy_weights_lambda.csv'], f('political_economy_weights_lambda.csv'));
  const lambda = new Float64Array(N * S).fill(NaN);
  const lReg = lam.col('region');
  const lInd = lam.col('industry');
  const lVal = lam.col('lambda_pol');
  for (let r = 0; r < lam.rows; r++) {
    const d = lookup(rIndex, lReg[r], lam.file, r, 'region', regions);
    const s = lookup(sIndex, lInd[r], lam.file, r, 'industry', codes);
    const v = lam.num(lVal[r], r, 'lambda_pol');
    if (v < 0) throw new InputError(`negative political-economy weight ${v}`, { file: lam.file, row: r + 1, field: 'lambda_pol' });
    lambda[d * S + s] = v;
  }
  for (let x = 0; x < lambda.length; x++) {
    if (Number.isNaN(lambda[x])) {
      throw new InputError(`no λ for region ${regions[Math.floor(x / S)]}, industry ${codes[x % S]}`, { file: lam.file });
    }
  }
  return { source, regions, industries, sigma, trade, tariff, lambda, flows };
}

// ---- CSV access on top of the shared reader (./csv.ts) ----

interface Table {
  file: string;
  rows: number;
  col(name: string): string[];
  num(raw: string, row: number, field: string): number;
}

function table(text: string, file: string): Table {
  const t = parseCsv(text, file);
  return {
    file,
    rows: t.rows.length,
    col(name: string): string[] {
      const c = column(t, name);
      return t.rows.map((r) => r[c]);
    },
    num(raw: string, row: number, field: string): number {
      const v = raw.trim() === '' ? NaN : Number(raw.trim());
      if (!Number.isFinite(v)) throw new InputError(`'${raw}' is not a number`, { file, row: row + 1, field });
      return v;
    },
  };
}

function lookup(index: Map<string, number>, raw: string, file: string, row: number, field: string, known: string[]): number {
  const i = index.get(raw.trim().toLowerCase());
  if (i === undefined) {
    throw new InputError(`unknown ${field} '${raw}'`, { file, row: row + 1, field }, `known values: ${known.join(', ')}`);
  }
  return i;
}

function checkUnique(xs: string[], file: string, field: string): void {
  const seen = new Set<string>();
  xs.forEach((x, i) => {
    const k = x.toLowerCase();
    if (seen.has(k)) throw new InputError(`duplicate ${field} '${x}'`, { file, row: i + 1, field });
    seen.add(k);
  });
}
