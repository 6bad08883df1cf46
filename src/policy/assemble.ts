// Assembles the tariff-policy dataset from its files: data/policy/manifest.yaml and the files it names
// (countries, sources, product-list registry, action files), the named product lists and the MFN, USMCA, GTAP and
// BEA tables of the shared data folder, and compiles the actions. Pure: the files come through `PolicyFiles`
// (src/node/policy/load.ts reads them from disk and memoizes the result per process).
import { InputError } from '../errors.ts';
import { column, parseCsv } from '../data/csv.ts';
import { compileActions } from './compile.ts';
import { parseCountries } from './countries.ts';
import { parseDay } from './dates.ts';
import type { BeaMetalShare, PolicyData } from './data.ts';
import { normalizeCode } from './hts.ts';
import { actionFileSchema, manifestSchema, productListFileSchema, sourcesFileSchema, type ProductListSpec } from './schema.ts';
import { parseYaml } from './yaml-file.ts';

/** How the assembler reaches the dataset's files. */
export interface PolicyFiles {
  /** The path of `name` relative to the folder `dir` (an absolute `name` stands for itself). */
  path(dir: string, name: string): string;
  /** The text of a file; a missing file is an InputError naming it (with `hint`, what would fix it). */
  read(file: string, hint?: string): string;
}

export interface AssembleOptions {
  /** Folder with manifest.yaml. */
  policyDir: string;
  /** Shared data folder. */
  dataDir: string;
  /** Extra action-file texts, e.g. for tests: { file: name, text: yaml }. Replace the manifest's action files when `replaceActions` is set. */
  extraActionFiles?: { file: string; text: string }[];
  replaceActions?: boolean;
}

/** Product lists already read, by file and selection. */
export type ListCache = Map<string, { codes: string[]; except?: string[] }>;

export function assemblePolicy(files: PolicyFiles, opts: AssembleOptions, listCache?: ListCache): PolicyData {
  const dir = opts.policyDir;
  const dataDir = opts.dataDir;
  const manifestFile = files.path(dir, 'manifest.yaml');
  const manifest = parseYaml(files.read(manifestFile), manifestFile, manifestSchema, 'see data/policy/manifest.yaml').value;
  const coverage = {
    from: parseDay(manifest.coverage.from, { file: manifestFile, field: 'coverage.from' }),
    to: parseDay(manifest.coverage.to, { file: manifestFile, field: 'coverage.to' }),
  };
  const countriesFile = files.path(dir, manifest.countries);
  const countries = parseCountries(files.read(countriesFile), countriesFile);
  const sourcesFile = files.path(dir, manifest.sources);
  const sources = new Map(Object.entries(parseYaml(files.read(sourcesFile), sourcesFile, sourcesFileSchema, 'sources.yaml maps source ids to citations').value.sources));
  const listsFile = files.path(dir, manifest.product_lists);
  const registry = parseYaml(files.read(listsFile), listsFile, productListFileSchema, 'see data/policy/product-lists.yaml').value.lists;
  const resolveList = (name: string) => {
    const spec = registry[name];
    if (!spec) return undefined;
    return readProductList(files, name, spec, dataDir, listsFile, listCache);
  };
  const actionTexts = [
    ...(opts.replaceActions ? [] : manifest.action_files.map((f) => ({ file: files.path(dir, f), text: files.read(files.path(dir, f)) }))),
    ...(opts.extraActionFiles ?? []),
  ];
  const actionFiles = actionTexts.map(({ file, text }) => parseYaml(text, file, actionFileSchema, 'see data/policy/us-actions.yaml and docs/policy.md for the action schema'));
  const actions = compileActions({ coverage, countries, resolveList, sourceIds: new Set(sources.keys()), files: actionFiles });

  const rules = manifest.rules;
  const keyOf = (k: string, field: string) => {
    const c = countries.find(k);
    if (!c) throw new InputError(`unknown country '${k}'`, { file: manifestFile, field });
    return c.key;
  };
  const mfn = readMfn(files, files.path(dataDir, rules.mfn_rates.file));
  const mfnPreference = readPreferences(files, files.path(dataDir, rules.mfn_preference_shares.file));
  const gtap = readGtapCrosswalk(files, files.path(dataDir, rules.usmca_shares.crosswalk));
  const usmca = readUsmcaShares(files, files.path(dataDir, rules.usmca_shares.file));
  const usmcaKeys = rules.usmca_partners.map((k) => keyOf(k, 'rules.usmca_partners'));
  const censusToKey = new Map(usmcaKeys.map((k) => [countries.find(k)!.census, k]));
  const usmcaPeriods = new Map<string, Map<string, number>>();
  const usmcaProductFile = (period: string) => files.path(dataDir, rules.usmca_shares.product_files.replace('{period}', period.replace('-', '_')));
  const bea = lazy(() => readBeaMetal(files, files.path(dataDir, rules.metal_content.bea_shares)));
  return {
    coverage,
    countries,
    actions,
    sources,
    rules: {
      chinaRulePartners: new Set(rules.china_rule_partners.map((k) => keyOf(k, 'rules.china_rule_partners'))),
      usmcaPartners: new Set(usmcaKeys),
      usAutoContentShare: rules.us_auto_content_share,
      primaryMetalChapters: new Set(rules.metal_content.primary_chapters),
      derivativeMetalShare: rules.metal_content.derivative_share,
    },
    mfn,
    mfnPreference,
    gtapOf: gtap,
    usmcaShare: (g, partner) => {
      if (!g) return usmca.average.get(partner) ?? 0;
      return usmca.byGtap.get(g)?.get(partner) ?? usmca.average.get(partner) ?? 0;
    },
    usmcaProductShare: (period, hts, partner) => {
      let m = usmcaPeriods.get(period);
      if (!m) {
        if (period === 'h2') {
          // The mean, per product and partner, of the July–December 2025 shares in the months it was imported
          // (the Budget Lab tracker's default `h2_average`).
          const sum = new Map<string, [number, number]>();
          for (const month of ['07', '08', '09', '10', '11', '12']) {
            for (const [k, q] of readUsmcaProductShares(files, usmcaProductFile(`2025-${month}`), censusToKey)) {
              const s = sum.get(k) ?? [0, 0];
              s[0] += q;
              s[1]++;
              sum.set(k, s);
            }
          }
          m = new Map([...sum].map(([k, [s, n]]) => [k, s / n]));
        } else {
          if (!/^(2024|2025|2025-(0[1-9]|1[0-2]))$/.test(period)) throw new InputError(`no USMCA product shares for period '${period}'`, { field: 'usmcaShares' }, 'use 2024, 2025, h2 or a 2025 month');
          m = readUsmcaProductShares(files, usmcaProductFile(period), censusToKey);
        }
        usmcaPeriods.set(period, m);
      }
      return m.get(`${hts}|${partner}`) ?? null;
    },
    beaMetal: (hts) => bea()(hts),
  };
}

/** Reads a named product list from the shared data folder (or its inline codes). */
export function readProductList(files: PolicyFiles, name: string, spec: ProductListSpec, dataDir: string, registryFile: string, listCache?: ListCache): { codes: string[]; except?: string[] } {
  if ('codes' in spec) return { codes: spec.codes.map((c) => normalizeCode(c)!).filter(Boolean), except: spec.except?.map((c) => normalizeCode(c)!).filter(Boolean) };
  const file = files.path(dataDir, spec.file);
  const ck = `${file}|${spec.column}|${JSON.stringify(spec.where ?? {})}|${spec.digits ?? ''}|${spec.chapters ?? ''}|${spec.except_chapters ?? ''}`;
  const hit = listCache?.get(ck);
  if (hit) return hit;
  const text = stripCommentLines(files.read(file, `product list '${name}' (${registryFile}) reads ${spec.file} from the shared data folder; put ../shared/data beside the checkout or set TARIFFSIM_DATA`));
  const codes: string[] = [];
  if (spec.column === 0) {
    text.split(/\r?\n/).forEach((line, k) => {
      if (!line.trim()) return;
      const c = normalizeCode(line);
      if (!c) throw new InputError(`'${line.trim()}' is not an HTS code (product list '${name}')`, { file, row: k + 1 });
      codes.push(c);
    });
  } else {
    const t = parseCsv(text, file);
    const colName = spec.column;
    const ci = column(t, colName);
    const filters = Object.entries(spec.where ?? {}).map(([k, v]) => [column(t, k), v] as const);
    t.rows.forEach((r, k) => {
      if (!filters.every(([c, v]) => r[c].trim() === v)) return;
      // A code padded beyond 10 digits with zeros (the tracker's 8505.11.00.70 is written 850511007000) is
      // read at the registry's `digits`.
      const raw = r[ci].replace(/[.\s]/g, '');
      const c = normalizeCode(spec.digits && raw.length > 10 && /^0+$/.test(raw.slice(spec.digits)) ? raw.slice(0, spec.digits) : r[ci]);
      if (!c) throw new InputError(`'${r[ci]}' is not an HTS code (product list '${name}')`, { file, row: k + 1, field: colName }, 'fix the code, or declare `digits` in data/policy/product-lists.yaml if it is padded with zeros');
      codes.push(c);
    });
  }
  if (spec.digits) {
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k];
      if (c.length > spec.digits) {
        if (!/^0*$/.test(c.slice(spec.digits))) throw new InputError(`code ${c} of product list '${name}' has digits beyond the ${spec.digits} the registry declares`, { file: registryFile, field: name }, 'fix `digits` in the registry');
        codes[k] = c.slice(0, spec.digits);
      }
    }
  }
  const keep = spec.chapters ? new Set(spec.chapters) : null;
  const drop = spec.except_chapters ? new Set(spec.except_chapters) : null;
  const selected = codes.filter((c) => (!keep || keep.has(c.slice(0, 2))) && !(drop && drop.has(c.slice(0, 2))));
  if (selected.length === 0) throw new InputError(`product list '${name}' selects no codes from ${spec.file}`, { file: registryFile, field: name }, 'check the column name, the `where` filter and `chapters`');
  const out = { codes: selected };
  listCache?.set(ck, out);
  return out;
}

/** Drops the '#' comment lines a CSV may carry before its header (the Budget Lab resource files do). */
function stripCommentLines(text: string): string {
  let k = 0;
  while (text.startsWith('#', k)) {
    const nl = text.indexOf('\n', k);
    if (nl < 0) return '';
    k = nl + 1;
  }
  return k ? text.slice(k) : text;
}

function readMfn(files: PolicyFiles, file: string): Map<string, number> {
  const t = parseCsv(files.read(file), file);
  const hi = column(t, 'hs8');
  const ri = column(t, 'mfn_rate');
  const m = new Map<string, number>();
  t.rows.forEach((r, k) => {
    const v = Number(r[ri]);
    if (!Number.isFinite(v)) throw new InputError(`mfn_rate '${r[ri]}' is not a number`, { file, row: k + 1, field: 'mfn_rate' });
    m.set(r[hi].trim(), v * 100);
  });
  return m;
}

function readPreferences(files: PolicyFiles, file: string): Map<string, number> {
  const t = parseCsv(files.read(file), file);
  const hi = column(t, 'hs2');
  const ci = column(t, 'cty_code');
  const si = column(t, 'exemption_share');
  const m = new Map<string, number>();
  for (const r of t.rows) {
    const v = Number(r[si]);
    if (Number.isFinite(v)) m.set(`${r[hi].trim().padStart(2, '0')}|${r[ci].trim()}`, Math.min(1, Math.max(0, v)));
  }
  return m;
}

/** HTS10 → GTAP code (lower case), falling back to the HS6 and then HS4 majority code for unlisted lines.
 *  The crosswalk is large (3.8 MB, long quoted descriptions last): only its first three plain columns are read. */
function readGtapCrosswalk(files: PolicyFiles, file: string): (hts: string) => string | null {
  const lines = files.read(file).split(/\r?\n/);
  const header = lines[0].split(',');
  if (header[0] !== 'hs10' || header[2] !== 'gtap_code') {
    throw new InputError(`expected columns hs10,hs6_code,gtap_code,… (got ${lines[0].slice(0, 60)})`, { file, row: 0 });
  }
  const by10 = new Map<string, string>();
  const count6 = new Map<string, Map<string, number>>();
  const count4 = new Map<string, Map<string, number>>();
  const bump = (m: Map<string, Map<string, number>>, k: string, g: string) => {
    if (!m.has(k)) m.set(k, new Map());
    const c = m.get(k)!;
    c.set(g, (c.get(g) ?? 0) + 1);
  };
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (!line) continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    const h = line.slice(0, a).trim();
    const g = line.slice(b + 1, c < 0 ? undefined : c).trim().toLowerCase();
    if (!/^\d{10}$/.test(h)) throw new InputError(`'${h}' is not an HTS10 code`, { file, row: k, field: 'hs10' });
    if (!g || g === 'na') continue;
    by10.set(h, g);
    bump(count6, h.slice(0, 6), g);
    bump(count4, h.slice(0, 4), g);
  }
  const major = (m: Map<string, number> | undefined) => (m ? [...m.entries()].sort((x, y) => y[1] - x[1])[0][0] : null);
  const memo = new Map<string, string | null>();
  return (hts) => {
    let g = memo.get(hts);
    if (g === undefined) {
      g = by10.get(hts) ?? major(count6.get(hts.slice(0, 6))) ?? major(count4.get(hts.slice(0, 4)));
      memo.set(hts, g);
    }
    return g;
  };
}

function lazy<T>(f: () => T): () => T {
  let v: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v as T;
  };
}

/** HTS10 × partner → claim share. Rows of a period with no imports (total_value 0, where the file has it) are
 *  left out, so the caller falls back to a longer period. Columns: hts10, cty_code, usmca_share[, total_value]. */
function readUsmcaProductShares(files: PolicyFiles, file: string, censusToKey: Map<string, string>): Map<string, number> {
  const lines = files.read(file, 'USMCA product shares (manifest rules.usmca_shares.product_files)').split(/\r?\n/);
  const header = lines[0].split(',');
  const [hi, ci, si, ti] = ['hts10', 'cty_code', 'usmca_share', 'total_value'].map((c) => header.indexOf(c));
  if (hi < 0 || ci < 0 || si < 0) throw new InputError(`expected columns hts10,cty_code,usmca_share (got ${lines[0].slice(0, 60)})`, { file, row: 0 });
  const m = new Map<string, number>();
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (!line) continue;
    const f = line.split(',');
    const key = censusToKey.get(f[ci]);
    if (!key) continue;
    if (ti >= 0 && !(Number(f[ti]) > 0)) continue;
    const q = Number(f[si]);
    if (!Number.isFinite(q) || q < 0 || q > 1.000001) throw new InputError(`usmca_share '${f[si]}' is not a share between 0 and 1`, { file, row: k, field: 'usmca_share' });
    m.set(`${f[hi]}|${key}`, Math.min(1, q));
  }
  return m;
}

/** HTS10 → steel/aluminum/copper content shares, with HTS8/6/4 averages (plain means of the lines below). */
function readBeaMetal(files: PolicyFiles, file: string): (hts: string) => BeaMetalShare | null {
  const lines = files.read(file, 'BEA metal content shares (manifest rules.metal_content.bea_shares)').split(/\r?\n/);
  const header = lines[0].split(',');
  const [hi, si, ai, ci] = ['hs10', 'steel_share', 'aluminum_share', 'copper_share'].map((c) => header.indexOf(c));
  if (hi < 0 || si < 0 || ai < 0 || ci < 0) throw new InputError(`expected columns hs10,…,steel_share,aluminum_share,copper_share (got ${lines[0].slice(0, 80)})`, { file, row: 0 });
  const by10 = new Map<string, BeaMetalShare>();
  const sums = new Map<string, number[]>();
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (!line) continue;
    const f = line.split(',');
    // Input-output coefficients can exceed 1 for a few metal-dense lines (metal bought per dollar of output);
    // a product's metal content is at most its value, so each share is capped at 1.
    const v = [Number(f[si]), Number(f[ai]), Number(f[ci])];
    if (!v.every((x) => Number.isFinite(x) && x >= 0)) throw new InputError(`metal shares '${f[si]}, ${f[ai]}, ${f[ci]}' are not non-negative numbers`, { file, row: k, field: 'steel_share' });
    for (let j = 0; j < 3; j++) v[j] = Math.min(1, v[j]);
    const h = f[hi].trim();
    by10.set(h, { steel: v[0], aluminum: v[1], copper: v[2], digits: 10 });
    for (const d of [8, 6, 4]) {
      const s = sums.get(h.slice(0, d)) ?? [0, 0, 0, 0];
      s[0] += v[0];
      s[1] += v[1];
      s[2] += v[2];
      s[3] += 1;
      sums.set(h.slice(0, d), s);
    }
  }
  return (hts) => {
    const hit = by10.get(hts);
    if (hit) return hit;
    for (const d of [8, 6, 4]) {
      if (hts.length < d) continue;
      const s = sums.get(hts.slice(0, d));
      if (s) return { steel: s[0] / s[3], aluminum: s[1] / s[3], copper: s[2] / s[3], digits: d };
    }
    return null;
  };
}

function readUsmcaShares(files: PolicyFiles, file: string): { byGtap: Map<string, Map<string, number>>; average: Map<string, number> } {
  const t = parseCsv(files.read(file), file);
  const gi = column(t, 'gtap_code');
  const cols: [string, number][] = [['CAN', column(t, 'canada')], ['MEX', column(t, 'mexico')]];
  const byGtap = new Map<string, Map<string, number>>();
  const sums = new Map<string, number>();
  for (const r of t.rows) {
    const m = new Map<string, number>();
    for (const [k, c] of cols) {
      const v = Number(r[c]);
      if (!Number.isFinite(v)) throw new InputError(`'${r[c]}' is not a number`, { file, field: k });
      m.set(k, v);
      sums.set(k, (sums.get(k) ?? 0) + v);
    }
    byGtap.set(r[gi].trim().toLowerCase(), m);
  }
  const average = new Map([...sums].map(([k, s]) => [k, s / t.rows.length]));
  return { byGtap, average };
}
