// Aggregation of an IoInput to coarser regions and sectors (a concordance maps each source index to a target).
// Levels are summed, shares are re-formed from the summed levels, so every world total is preserved:
//   GO_N^J   = Σ_{n∈N, j∈J} GO_n^j
//   VA_N^J   = Σ γ_n^j GO_n^j                     → γ_N^J = VA_N^J / GO_N^J
//   M_N^{K,J} = Σ io(n,k,j)(1 − γ_n^j) GO_n^j       (intermediate use of inputs k by j, levels)
//                                                   → io(N,K,J) = M_N^{K,J} / Σ_K M_N^{K,J}
//   X_NI^J   = Σ X_ni^j over n∈N, i∈I, j∈J         (trade within one target region becomes domestic sales)
//   τ_NI^J   = Σ τ X / Σ X (trade-weighted; the simple mean where the aggregate carries no trade)
import { InputError } from '../../errors.ts';
import type { Region, Sector } from '../world.ts';
import type { IoInput } from './input.ts';

export interface Aggregation {
  regions: Region[];
  sectors: Sector[];
  /** Target index of each source region / sector. */
  regionOf: Int32Array;
  sectorOf: Int32Array;
}

export function aggregateInput(inp: IoInput, agg: Aggregation, source = inp.name): IoInput {
  const N = inp.regions.length;
  const J = inp.sectors.length;
  const M = agg.regions.length;
  const S = agg.sectors.length;
  if (agg.regionOf.length !== N || agg.sectorOf.length !== J) {
    throw new InputError(`concordance covers ${agg.regionOf.length} regions × ${agg.sectorOf.length} sectors, the source has ${N} × ${J}`, { file: source });
  }
  checkOnto(agg.regionOf, M, agg.regions.map((r) => r.code), 'region', source);
  checkOnto(agg.sectorOf, S, agg.sectors.map((s) => s.name), 'sector', source);
  for (let j = 0; j < J; j++) {
    const t = agg.sectors[agg.sectorOf[j]];
    if (inp.sectors[j].tradable && !t.tradable) {
      // Allowed only if the source sector carries no trade: otherwise flows would be lost.
      for (let x = j * N * N; x < (j + 1) * N * N; x++) {
        const n = Math.floor(x / N) % N;
        if (x % N !== n && inp.trade[x] > 0) {
          throw new InputError(`tradable source sector ${inp.sectors[j].name} with trade is mapped to non-tradable sector ${t.name}`, { file: source, field: 'sector' }, 'map it to a tradable sector');
        }
      }
    }
  }
  const go = new Float64Array(M * S);
  const va = new Float64Array(M * S);
  const inter = new Float64Array(M * S * S);
  for (let n = 0; n < N; n++) {
    const a = agg.regionOf[n];
    for (let j = 0; j < J; j++) {
      const b = agg.sectorOf[j];
      const g = inp.grossOutput[n * J + j];
      go[a * S + b] += g;
      va[a * S + b] += inp.vaShare[n * J + j] * g;
      const m = (1 - inp.vaShare[n * J + j]) * g;
      for (let k = 0; k < J; k++) inter[(a * S + agg.sectorOf[k]) * S + b] += inp.io[(n * J + k) * J + j] * m;
    }
  }
  const vaShare = new Float64Array(M * S);
  for (let x = 0; x < M * S; x++) vaShare[x] = go[x] > 0 ? Math.min(1, Math.max(0, va[x] / go[x])) : 0;
  const io = new Float64Array(M * S * S);
  for (let a = 0; a < M; a++) {
    for (let b = 0; b < S; b++) {
      let c = 0;
      for (let k = 0; k < S; k++) c += inter[(a * S + k) * S + b];
      if (c !== 0) for (let k = 0; k < S; k++) io[(a * S + k) * S + b] = inter[(a * S + k) * S + b] / c;
    }
  }
  const aggBil = (src: Float64Array) => {
    const trade = new Float64Array(S * M * M);
    const taxed = new Float64Array(S * M * M);
    const tauSum = new Float64Array(S * M * M);
    const count = new Float64Array(S * M * M);
    for (let j = 0; j < J; j++) {
      const b = agg.sectorOf[j];
      for (let n = 0; n < N; n++) {
        const a = agg.regionOf[n];
        for (let i = 0; i < N; i++) {
          if (i === n) continue;
          const c = agg.regionOf[i];
          const x = (j * N + n) * N + i;
          const y = (b * M + a) * M + c;
          trade[y] += inp.trade[x];
          taxed[y] += inp.trade[x] * src[x];
          tauSum[y] += src[x];
          count[y] += 1;
        }
      }
    }
    const tau = new Float64Array(S * M * M);
    for (let y = 0; y < tau.length; y++) {
      const a = Math.floor(y / M) % M;
      if (y % M === a) continue; // own region: no tariff
      tau[y] = trade[y] > 0 ? taxed[y] / trade[y] : count[y] > 0 ? tauSum[y] / count[y] : 0;
    }
    return { trade, tau };
  };
  const { trade, tau } = aggBil(inp.tariff);
  for (let b = 0; b < S; b++) for (let a = 0; a < M; a++) trade[(b * M + a) * M + a] = 0; // rebuilt as GO − exports
  const schedules = inp.tariffSchedules ? Object.fromEntries(Object.entries(inp.tariffSchedules).map(([k, v]) => [k, aggBil(v).tau])) : undefined;
  return {
    name: inp.name,
    year: inp.year,
    currencyUnit: inp.currencyUnit,
    regions: agg.regions,
    sectors: agg.sectors,
    trade,
    tariff: tau,
    grossOutput: go,
    vaShare,
    io,
    ...(schedules ? { tariffSchedules: schedules } : {}),
    notes: [...(inp.notes ?? []), `aggregated from ${N} regions × ${J} sectors to ${M} × ${S}`],
  };
}

function checkOnto(map: Int32Array, size: number, names: string[], what: string, source: string): void {
  const hit = new Uint8Array(size);
  for (const t of map) {
    if (t < 0 || t >= size) throw new InputError(`${what} concordance points to index ${t}, outside 0..${size - 1}`, { file: source, field: what });
    hit[t] = 1;
  }
  const empty = names.filter((_, x) => !hit[x]);
  if (empty.length) throw new InputError(`target ${what}(s) ${empty.join(', ')} receive no source ${what}`, { file: source, field: what }, `map at least one source ${what} to each target`);
}
