// Reader for the WIOD 2013-release world input–output table (../shared/data/wiod2011: 41 regions × 35
// industries, millions of current USD, sparse long CSVs; see that folder's README). Returns an IoInput at full
// resolution:
//   trade X_ni^j   = Σ_k Z[(i,j) → (n,k)] + Σ_f F[(i,j) → n, f] for i ≠ n (intermediate + all five final uses,
//                    inventories included; a pair whose sum is negative, from inventory draw-downs, is set to 0)
//   GO_n^j         from gross_output.csv; the row sums (intermediate + final) must agree with it
//   γ_n^j          = (GO − Σ_{i,k} Z[(i,k) → (n,j)]) / GO, clipped to [0, 1] (VA lumps in net taxes and margins);
//                    1 for a sector that buys no intermediates
//   io(n,k,j)      = Σ_i Z[(i,k) → (n,j)] / Σ_{i,k} Z[(i,k) → (n,j)]
// Only goods industries (c1–c16) are tradable; services, utilities and construction (c17–c35) carry no trade, as
// in CP2015 (their cross-border flows are folded into domestic absorption by the preprocessing).
// The table has no tariffs: tariff = 0 (set them separately).
import { join } from 'node:path';
import { InputError } from '../../../errors.ts';
import { column, numberAt } from '../../../data/csv.ts';
import { readCsvFile } from '../files.ts';
import type { Region, Sector } from '../../../data/world.ts';
import type { IoInput } from '../../../data/builder/input.ts';

export const WIOD_CITATION =
  'Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "An Illustrated User Guide to the World Input–Output Database: the Case of Global Automotive Production", Review of International Economics 23: 575–605. WIOD 2013 release, world input–output table 2011 (via the R package wiod 0.4.0, Quast & Reiter).';

/** Goods industries of the WIOD 2013 release (ISIC rev. 3 A–D). */
export const WIOD_GOODS = new Set(Array.from({ length: 16 }, (_, x) => `c${x + 1}`));

/** Row-sum tolerance: |Σ uses − GO| ≤ ROW_SUM_ABS + ROW_SUM_REL·GO (the source rounds every cell to $1 mn). */
const ROW_SUM_ABS = 1000;
const ROW_SUM_REL = 0.002;

export interface WiodReadReport {
  negativePairsClipped: number;
  vaClipped: number;
  maxRowSumGap: number;
}

export function readWiod2011(dir: string): { input: IoInput; report: WiodReadReport } {
  const goT = readCsvFile(join(dir, 'gross_output.csv'));
  const indT = readCsvFile(join(dir, 'industries.csv'));
  const codes: string[] = [];
  const rIdx = new Map<string, number>();
  const [gC, gI, gV] = [column(goT, 'country'), column(goT, 'industry'), column(goT, 'gross_output_musd')];
  for (const r of goT.rows) {
    const c = r[gC].trim();
    if (!rIdx.has(c)) {
      rIdx.set(c, codes.length);
      codes.push(c);
    }
  }
  const sectors: Sector[] = indT.rows.map((r) => {
    const code = r[column(indT, 'code')].trim();
    return { name: code, tradable: WIOD_GOODS.has(code), theta: 8.22 };
  });
  const sIdx = new Map(sectors.map((s, j) => [s.name, j]));
  const N = codes.length;
  const J = sectors.length;
  const regions: Region[] = codes.map((c) => ({ name: c, code: c.toUpperCase() === 'ROW' ? 'ROW' : c }));
  const look = (m: Map<string, number>, v: string, file: string, row: number, field: string) => {
    const x = m.get(v.trim());
    if (x === undefined) throw new InputError(`unknown ${field} '${v}'`, { file, row: row + 1, field }, 'the code must appear in gross_output.csv / industries.csv');
    return x;
  };
  const go = new Float64Array(N * J).fill(NaN);
  for (let r = 0; r < goT.rows.length; r++) {
    const n = look(rIdx, goT.rows[r][gC], goT.file, r, 'country');
    const j = look(sIdx, goT.rows[r][gI], goT.file, r, 'industry');
    const v = numberAt(goT, r, gV);
    if (v < 0) throw new InputError(`negative gross output ${v}`, { file: goT.file, row: r + 1, field: 'gross_output_musd' });
    go[n * J + j] = v;
  }
  for (let x = 0; x < N * J; x++) {
    if (Number.isNaN(go[x])) throw new InputError(`no gross output for ${codes[Math.floor(x / J)]}, ${sectors[x % J].name}`, { file: goT.file }, `expected ${N * J} rows`);
  }
  // flows[(j*N + n)*N + i]: all sales of (i, j) to region n; inputs[(n*J + k)*J + j]: purchases of input k by (n, j).
  const flows = new Float64Array(J * N * N);
  const inputs = new Float64Array(N * J * J);
  const rowSum = new Float64Array(N * J);
  const interT = readCsvFile(join(dir, 'intermediate_use_nonzero.csv'));
  const [a, b, c, d, v] = ['from_country', 'from_industry', 'to_country', 'to_industry', 'value_musd'].map((h) => column(interT, h));
  for (let r = 0; r < interT.rows.length; r++) {
    const row = interT.rows[r];
    const i = look(rIdx, row[a], interT.file, r, 'from_country');
    const j = look(sIdx, row[b], interT.file, r, 'from_industry');
    const n = look(rIdx, row[c], interT.file, r, 'to_country');
    const k = look(sIdx, row[d], interT.file, r, 'to_industry');
    const val = numberAt(interT, r, v);
    flows[(j * N + n) * N + i] += val;
    inputs[(n * J + j) * J + k] += val;
    rowSum[i * J + j] += val;
  }
  const finT = readCsvFile(join(dir, 'final_use_nonzero.csv'));
  const [fa, fb, fc, fv] = ['from_country', 'from_industry', 'to_country', 'value_musd'].map((h) => column(finT, h));
  column(finT, 'final_use');
  for (let r = 0; r < finT.rows.length; r++) {
    const row = finT.rows[r];
    const i = look(rIdx, row[fa], finT.file, r, 'from_country');
    const j = look(sIdx, row[fb], finT.file, r, 'from_industry');
    const n = look(rIdx, row[fc], finT.file, r, 'to_country');
    const val = numberAt(finT, r, fv);
    flows[(j * N + n) * N + i] += val;
    rowSum[i * J + j] += val;
  }
  let maxGap = 0;
  for (let x = 0; x < N * J; x++) {
    const gap = Math.abs(rowSum[x] - go[x]);
    maxGap = Math.max(maxGap, gap);
    if (gap > ROW_SUM_ABS + ROW_SUM_REL * go[x]) {
      throw new InputError(
        `total uses of ${codes[Math.floor(x / J)]}, ${sectors[x % J].name} (${rowSum[x].toFixed(0)}) disagree with its gross output (${go[x].toFixed(0)})`,
        { file: goT.file, field: 'gross_output_musd' },
        `intermediate + final uses must equal gross output within ${ROW_SUM_ABS} + ${ROW_SUM_REL * 100}%: check that all three files come from the same table`,
      );
    }
  }
  const trade = new Float64Array(J * N * N);
  let negativePairsClipped = 0;
  for (let j = 0; j < J; j++) {
    if (!sectors[j].tradable) continue;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        const x = (j * N + n) * N + i;
        if (flows[x] < 0) negativePairsClipped++;
        trade[x] = Math.max(0, flows[x]);
      }
    }
  }
  const vaShare = new Float64Array(N * J);
  const io = new Float64Array(N * J * J);
  let vaClipped = 0;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < J; j++) {
      let total = 0;
      for (let k = 0; k < J; k++) total += inputs[(n * J + k) * J + j];
      const g = go[n * J + j];
      if (total <= 0) {
        vaShare[n * J + j] = 1;
        continue;
      }
      const s = g > 0 ? (g - total) / g : 0;
      if (s < 0 || s > 1) vaClipped++;
      vaShare[n * J + j] = Math.min(1, Math.max(0, s));
      for (let k = 0; k < J; k++) io[(n * J + k) * J + j] = Math.max(0, inputs[(n * J + k) * J + j]) / total;
    }
  }
  // Renormalise columns after clipping any negative input purchases.
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < J; j++) {
      let c2 = 0;
      for (let k = 0; k < J; k++) c2 += io[(n * J + k) * J + j];
      if (c2 > 0) for (let k = 0; k < J; k++) io[(n * J + k) * J + j] /= c2;
    }
  }
  return {
    input: {
      name: 'wiod2011',
      year: 2011,
      currencyUnit: 'USD millions',
      regions,
      sectors,
      trade,
      tariff: new Float64Array(J * N * N),
      grossOutput: go,
      vaShare,
      io,
      notes: [WIOD_CITATION],
    },
    report: { negativePairsClipped, vaClipped, maxRowSumGap: maxGap },
  };
}
