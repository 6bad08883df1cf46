// Use case: describe a multi-sector baseline — regions, sectors, totals, model vs its stored targets by region,
// and US goods flows by partner. Input is plain data (a World and the targets stored with it).
import type { StoredTarget } from '../data/world-json.ts';
import { expenditure, findRegion, grossOutput, tariffRevenue, tradeTotals, type World } from '../data/world.ts';

export interface BaselineSummary {
  name: string;
  year: number;
  currencyUnit: string;
  regions: { code: string; name: string; valueAdded: number; grossOutput: number; imports: number; exports: number; deficit: number; tariffRevenue: number }[];
  sectors: { name: string; tradable: boolean; theta: number; grossOutput: number; worldTrade: number }[];
  totals: { valueAdded: number; grossOutput: number; trade: number };
  /** US goods trade with each partner (USD), and the trade-weighted tariffs each way (%). */
  usFlows: { partner: string; usImports: number; usExports: number; balance: number; usTariffPct: number; partnerTariffPct: number }[];
  /** Model vs 2024 target by region: GDP (= value added w_n L_n), goods exports and imports (USD; error in %). */
  targets: { code: string; measure: string; model: number; target: number; errorPct: number; source: string }[];
  notes: string[];
}

export function summarizeBaseline(w: World, stored: StoredTarget[] = []): BaselineSummary {
  const N = w.regions.length;
  const J = w.sectors.length;
  const y = grossOutput(w);
  expenditure(w);
  const { imports, exports } = tradeTotals(w);
  const rev = tariffRevenue(w);
  const us = findRegion(w, 'USA');
  const regions = w.regions.map((r, n) => {
    let g = 0;
    for (let j = 0; j < J; j++) g += y[n * J + j];
    return { code: r.code, name: r.name, valueAdded: w.valueAdded[n], grossOutput: g, imports: imports[n], exports: exports[n], deficit: w.deficit[n], tariffRevenue: rev[n] };
  });
  const sectors = w.sectors.map((s, j) => {
    let g = 0;
    let t = 0;
    for (let n = 0; n < N; n++) {
      g += y[n * J + j];
      for (let i = 0; i < N; i++) if (i !== n) t += w.trade[(j * N + n) * N + i];
    }
    return { name: s.name, tradable: s.tradable, theta: s.theta, grossOutput: g, worldTrade: t };
  });
  const usFlows: BaselineSummary['usFlows'] = [];
  if (us >= 0) {
    for (let i = 0; i < N; i++) {
      if (i === us) continue;
      let m = 0, e = 0, tm = 0, te = 0;
      for (let j = 0; j < J; j++) {
        const a = (j * N + us) * N + i;
        const b = (j * N + i) * N + us;
        m += w.trade[a];
        e += w.trade[b];
        tm += w.trade[a] * w.tariff[a];
        te += w.trade[b] * w.tariff[b];
      }
      usFlows.push({ partner: w.regions[i].code, usImports: m, usExports: e, balance: e - m, usTariffPct: m > 0 ? (100 * tm) / m : 0, partnerTariffPct: e > 0 ? (100 * te) / e : 0 });
    }
  }
  const totals = {
    valueAdded: w.valueAdded.reduce((a, b) => a + b, 0),
    grossOutput: y.reduce((a, b) => a + b, 0),
    trade: imports.reduce((a, b) => a + b, 0),
  };
  const targets = stored.map((t) => {
    const r = regions.find((x) => x.code === t.code);
    const model = r === undefined ? NaN : t.measure === 'gdp' ? r.valueAdded : t.measure === 'exports' ? r.exports : r.imports;
    return { code: t.code, measure: t.measure, model, target: t.value, errorPct: 100 * (model / t.value - 1), source: t.source };
  });
  return { name: w.name, year: w.year, currencyUnit: w.currencyUnit, regions, sectors, totals, usFlows, targets, notes: w.notes ?? [] };
}

