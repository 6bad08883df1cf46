// The tariffsim-world JSON format (data/baseline/world2024.json): a compact JSON form of a World.
// Stored: regions, sectors, trade (USD, 8 significant digits), tariff, vaShare, io, alpha (8 significant digits).
// Derived on parse (so the file cannot contradict itself): value added w_n L_n = Σ_j γ_n^j Y_n^j with
// Y_n^j = Σ_d X_dn^j (labour-market clearing, CP2015 eq. (13) with (12)), deficits D_n = imports − exports,
// and io / α renormalised to sum to exactly 1 after rounding. Rounding leaves the stored world within ~1e-8 of
// an equilibrium; CpModel re-solves the baseline exactly before any counterfactual.
// Pure (no file access): the Node loader is ./builder/embedded.ts; the web app parses the same text it fetched.
import { InputError } from '../errors.ts';
import { validateWorld, type Region, type Sector, type World } from './world.ts';

export const EMBEDDED_FORMAT = 'tariffsim-world/1';

export interface EmbeddedJson {
  format: string;
  name: string;
  year: number;
  currencyUnit: string;
  regions: Region[];
  sectors: Sector[];
  notes: string[];
  trade: number[];
  tariff: number[];
  vaShare: number[];
  io: number[];
  alpha: number[];
  targets?: StoredTarget[];
}

/** A region's 2024 target as stored in the baseline file (USD); `source` is "file, row r (item)". */
export interface StoredTarget {
  code: string;
  measure: 'gdp' | 'exports' | 'imports';
  value: number;
  source: string;
}

const round = (x: number, digits = 8): number => (x === 0 ? 0 : Number(x.toPrecision(digits)));

export function serializeWorld(w: World, targets?: StoredTarget[]): string {
  const body: EmbeddedJson = {
    format: EMBEDDED_FORMAT,
    name: w.name,
    year: w.year,
    currencyUnit: w.currencyUnit,
    regions: w.regions.map((r) => ({ name: r.name, code: r.code })),
    sectors: w.sectors.map((s) => ({ name: s.name, tradable: s.tradable, theta: s.theta, ...(s.group ? { group: s.group } : {}) })),
    notes: w.notes ?? [],
    trade: Array.from(w.trade, (x) => round(x)),
    tariff: Array.from(w.tariff, (x) => round(x, 6)),
    vaShare: Array.from(w.vaShare, (x) => round(x)),
    io: Array.from(w.io, (x) => round(x)),
    alpha: Array.from(w.alpha, (x) => round(x)),
    ...(targets ? { targets: targets.map((t) => ({ ...t, value: round(t.value) })) } : {}),
  };
  // One array per line keeps the file diffable and small.
  const lines = Object.entries(body).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

export function parseWorld(text: string, file: string): World {
  let j: EmbeddedJson;
  try {
    j = JSON.parse(text) as EmbeddedJson;
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file }, 'rebuild it with `tariffsim data build`');
  }
  if (j.format !== EMBEDDED_FORMAT) throw new InputError(`format '${j.format}' is not ${EMBEDDED_FORMAT}`, { file, field: 'format' }, 'rebuild it with `tariffsim data build`');
  const N = j.regions.length;
  const J = j.sectors.length;
  const w: World = {
    name: j.name,
    year: j.year,
    currencyUnit: j.currencyUnit,
    regions: j.regions,
    sectors: j.sectors,
    trade: Float64Array.from(j.trade),
    tariff: Float64Array.from(j.tariff),
    vaShare: Float64Array.from(j.vaShare),
    io: Float64Array.from(j.io),
    alpha: Float64Array.from(j.alpha),
    valueAdded: new Float64Array(N),
    deficit: new Float64Array(N),
    notes: j.notes,
  };
  if (w.trade.length !== J * N * N || w.vaShare.length !== N * J || w.alpha.length !== N * J || w.io.length !== N * J * J) {
    validateWorld(w, file); // names the array with the wrong length
  }
  for (let n = 0; n < N; n++) {
    let a = 0;
    for (let s = 0; s < J; s++) a += w.alpha[n * J + s];
    if (a > 0) for (let s = 0; s < J; s++) w.alpha[n * J + s] /= a;
    for (let s = 0; s < J; s++) {
      let c = 0;
      for (let k = 0; k < J; k++) c += w.io[(n * J + k) * J + s];
      if (c > 0) for (let k = 0; k < J; k++) w.io[(n * J + k) * J + s] /= c;
    }
  }
  for (let s = 0; s < J; s++) {
    for (let d = 0; d < N; d++) {
      for (let i = 0; i < N; i++) {
        const v = w.trade[(s * N + d) * N + i];
        w.valueAdded[i] += w.vaShare[i * J + s] * v;
        if (i !== d) {
          w.deficit[d] += v;
          w.deficit[i] -= v;
        }
      }
    }
  }
  validateWorld(w, file);
  return w;
}

