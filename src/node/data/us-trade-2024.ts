// US imports for consumption in 2024 (Census, customs value), the weights of the statutory effective tariff
// rate: HTS10 detail for the top partners (../shared/data/us-tariffs/trade/hs10_2024/*.parquet, read with
// @duckdb/node-api) and partner × HS2 for every other partner (trade/us_imports_2024_by_partner_hs2.csv).
// See those files' READMEs for source and license. Node-only (file system, DuckDB); the data's shape is
// src/data/us-trade-2024.ts.
//
// The parquet files hold one partner each; partner 0003 is the EU-27 bloc. A parquet partner that is a member
// of a bloc with its own file (Slovakia, 4359, inside 0003) is skipped so it is not counted twice; CSV rows of
// partners with a parquet file, of bloc members and of the bloc itself are not part of `rest`.
//
// The parsed weights are cached as JSON in .tariffsim-cache/ (keyed by the source files' sizes and times);
// set TARIFFSIM_CACHE=off to disable, or to a folder to move it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { column, parseCsv } from '../../data/csv.ts';
import { US_TRADE_2024_DIR, type UsImports2024 } from '../../data/us-trade-2024.ts';
import { readText } from './files.ts';
import { PROJECT_ROOT, sharedDataDir } from '../paths.ts';

export { US_TRADE_2024_DIR, type UsImports2024 };

export interface UsImportsOptions {
  dataDir?: string;
  /** Bloc Census code → member Census codes (the EU: '0003' → 27 codes). Required to avoid double counting. */
  blocs: Record<string, string[]>;
  /** Cache folder; null disables the cache. Default .tariffsim-cache (or $TARIFFSIM_CACHE; 'off' disables). */
  cacheDir?: string | null;
}

// 2: rows in a fixed order (partner, HS10), so every weighted sum of the policy layer is the same in every process.
const CACHE_VERSION = 2;
const memo = new Map<string, Promise<UsImports2024>>();

/** Loads (once per process) the 2024 import weights. */
export function loadUsImports2024(opts: UsImportsOptions): Promise<UsImports2024> {
  const key = JSON.stringify(opts);
  let p = memo.get(key);
  if (!p) {
    p = loadUncached(opts);
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return p;
}

function defaultCacheDir(): string | null {
  const env = process.env.TARIFFSIM_CACHE;
  if (env === 'off') return null;
  return env ? resolve(env) : resolve(PROJECT_ROOT, '.tariffsim-cache');
}

async function loadUncached(opts: UsImportsOptions): Promise<UsImports2024> {
  const dataDir = opts.dataDir ?? sharedDataDir();
  const tradeDir = resolve(dataDir, US_TRADE_2024_DIR);
  const pqDir = resolve(tradeDir, 'hs10_2024');
  const csvFile = resolve(tradeDir, 'us_imports_2024_by_partner_hs2.csv');
  if (!existsSync(pqDir)) throw new InputError('folder not found', { file: pqDir }, 'put ../shared/data beside the checkout or set TARIFFSIM_DATA');
  const files = readdirSync(pqDir).filter((f) => /^2024-hs10-imports\d{4}\.parquet$/.test(f)).sort();
  if (files.length === 0) throw new InputError('no 2024-hs10-imports<code>.parquet files', { file: pqDir });
  const stamp = JSON.stringify({ v: CACHE_VERSION, blocs: opts.blocs, files: [...files.map((f) => resolve(pqDir, f)), csvFile].map((f) => [f, statSync(f).size, statSync(f).mtimeMs]) });
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const cacheFile = cacheDir ? resolve(cacheDir, 'us-imports-2024.json') : null;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      const c = JSON.parse(readFileSync(cacheFile, 'utf8'));
      if (c.stamp === stamp) return fromJson(c.data);
    } catch {
      // A corrupt cache is rebuilt below.
    }
  }
  const data = await build(pqDir, files, csvFile, opts.blocs);
  if (cacheFile) {
    try {
      mkdirSync(cacheDir!, { recursive: true });
      writeFileSync(cacheFile, JSON.stringify({ stamp, data: toJson(data) }));
    } catch {
      // Caching is an optimization; a read-only checkout still works.
    }
  }
  return data;
}

async function build(pqDir: string, files: string[], csvFile: string, blocs: Record<string, string[]>): Promise<UsImports2024> {
  const codes = files.map((f) => f.slice('2024-hs10-imports'.length, -'.parquet'.length));
  const memberOf = new Map<string, string>();
  for (const [b, ms] of Object.entries(blocs)) for (const m of ms) memberOf.set(m, b);
  const skipped = codes.filter((c) => memberOf.has(c) && codes.includes(memberOf.get(c)!));
  const detailPartners = codes.filter((c) => !skipped.includes(c));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const list = detailPartners.map((c) => `'${resolve(pqDir, `2024-hs10-imports${c}.parquet`).replace(/'/g, "''")}'`).join(', ');
  const reader = await conn.runAndReadAll(`SELECT CTY_CODE, HS10, SUM(imports) AS v FROM read_parquet([${list}]) WHERE imports > 0 GROUP BY 1, 2 ORDER BY 1, 2`);
  const rows = reader.getRows();
  conn.closeSync();
  inst.closeSync();
  const hIndex = new Map<string, number>();
  const hts: string[] = [];
  const pIndex = new Map(detailPartners.map((c, k) => [c, k]));
  const p = new Int32Array(rows.length);
  const h = new Int32Array(rows.length);
  const value = new Float64Array(rows.length);
  let total = 0;
  rows.forEach((r, k) => {
    const cty = String(r[0]);
    const code = String(r[1]);
    const v = Number(r[2]);
    if (!pIndex.has(cty)) throw new InputError(`partner code '${cty}' in the parquet data does not match its file name`, { file: pqDir });
    if (!/^\d{10}$/.test(code)) throw new InputError(`HS10 '${code}' is not a 10-digit code`, { file: pqDir, field: 'HS10' });
    if (!Number.isFinite(v)) throw new InputError(`imports for ${cty} ${code} is ${v}`, { file: pqDir, field: 'imports' });
    let hi = hIndex.get(code);
    if (hi === undefined) {
      hi = hts.length;
      hts.push(code);
      hIndex.set(code, hi);
    }
    p[k] = pIndex.get(cty)!;
    h[k] = hi;
    value[k] = v;
    total += v;
  });

  const t = parseCsv(readText(csvFile), csvFile);
  const ci = column(t, 'census_code');
  const hi2 = column(t, 'hs2');
  const vi = column(t, 'imports_2024_usd');
  const restPartners: string[] = [];
  const restIndex = new Map<string, number>();
  const rp: number[] = [];
  const rh: number[] = [];
  const rv: number[] = [];
  const blocMembers: Record<string, Record<string, number[]>> = {};
  t.rows.forEach((r, k) => {
    const cty = r[ci].trim();
    const ch = Number(r[hi2]);
    const v = Number(r[vi]);
    if (!Number.isInteger(ch) || ch < 1 || ch > 99) throw new InputError(`hs2 '${r[hi2]}' is not a chapter 01–99`, { file: csvFile, row: k + 1, field: 'hs2' });
    if (!Number.isFinite(v)) throw new InputError(`'${r[vi]}' is not a number`, { file: csvFile, row: k + 1, field: 'imports_2024_usd' });
    const bloc = memberOf.get(cty);
    if (bloc && pIndex.has(bloc)) {
      const m = (blocMembers[bloc] ??= {});
      (m[cty] ??= new Array(100).fill(0))[ch] += v;
      return;
    }
    if (pIndex.has(cty) || skipped.includes(cty) || cty in blocs || v <= 0) return;
    let pi = restIndex.get(cty);
    if (pi === undefined) {
      pi = restPartners.length;
      restPartners.push(cty);
      restIndex.set(cty, pi);
    }
    rp.push(pi);
    rh.push(ch);
    rv.push(v);
    total += v;
  });
  return {
    source: [
      'US Census Bureau imports for consumption 2024 (CON_VAL_YR), HTS10 × partner for the top partners: ../shared/data/us-tariffs/trade/hs10_2024/*.parquet',
      'partner × HS2 for the other partners: ../shared/data/us-tariffs/trade/us_imports_2024_by_partner_hs2.csv (tradewartracker compilation of the Census API, MIT)',
    ],
    hts,
    detailPartners,
    detail: { p, h, value },
    restPartners,
    rest: { p: Int32Array.from(rp), hs2: Int32Array.from(rh), value: Float64Array.from(rv) },
    blocMembers,
    total,
    skipped,
  };
}

function toJson(d: UsImports2024): unknown {
  return { ...d, detail: { p: [...d.detail.p], h: [...d.detail.h], value: [...d.detail.value] }, rest: { p: [...d.rest.p], hs2: [...d.rest.hs2], value: [...d.rest.value] } };
}

function fromJson(j: any): UsImports2024 {
  return {
    ...j,
    detail: { p: Int32Array.from(j.detail.p), h: Int32Array.from(j.detail.h), value: Float64Array.from(j.detail.value) },
    rest: { p: Int32Array.from(j.rest.p), hs2: Int32Array.from(j.rest.hs2), value: Float64Array.from(j.rest.value) },
  };
}
