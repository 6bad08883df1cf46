// Hot loops of the Irons–Tuck (Gauss–Seidel) demeaning of ./demean.ts, specialised per (number of variables m,
// number of other dimensions) and unrolled over the m interleaved variables. A generic loop with an inner
// `for v < m` runs about 2× slower in V8, so the kernels are generated once per shape with `new Function` and
// cached; where code generation is not allowed (a strict Content-Security-Policy in a browser) the generic loops
// are used. The kernels live in the estimator's one kernel cache (./codegen.ts). Pure.
//
// sweepKernel(n, w, ik, acc, o0, i0, o1, i1, ...):  acc[ik[i]*m + v] += w_i · Σ_j o_j[i_j[i]*m + v]
// sumsKernel(n, w, ik, S, x0, x1, ...):              S[ik[i]*m + v]  += w_i · x_v[i]

import { generate, kernelCache } from './codegen.ts';

type Kernel = (...args: unknown[]) => void;

const compile = (params: string[], body: string) => generate<Kernel>(params, body);

/** acc must be zeroed by the caller; w may be null (unit weights). */
export function sweepKernel(m: number, others: number, weighted: boolean): Kernel {
  const key = `sweep:${m},${others},${weighted}`;
  let k = kernelCache.get<Kernel>(key);
  if (k) return k;
  const params = ['n', 'w', 'ik', 'acc'];
  for (let j = 0; j < others; j++) params.push(`o${j}`, `i${j}`);
  const lines: string[] = [];
  lines.push('for (let i = 0; i < n; i++) {');
  if (weighted) lines.push('  const wi = w[i];');
  lines.push(`  const g = ik[i] * ${m};`);
  for (let j = 0; j < others; j++) lines.push(`  const b${j} = i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) {
    const sum = Array.from({ length: others }, (_, j) => `o${j}[b${j} + ${v}]`).join(' + ');
    lines.push(`  acc[g + ${v}] += ${weighted ? `wi * (${sum})` : sum};`);
  }
  lines.push('}');
  k = compile(params, lines.join('\n')) ?? genericSweep(m, others, weighted);
  kernelCache.set(key, k);
  return k;
}

function genericSweep(m: number, others: number, weighted: boolean): Kernel {
  return (...args: unknown[]) => {
    const n = args[0] as number;
    const w = args[1] as Float64Array;
    const ik = args[2] as Int32Array;
    const acc = args[3] as Float64Array;
    const o: Float64Array[] = [];
    const ix: Int32Array[] = [];
    for (let j = 0; j < others; j++) {
      o.push(args[4 + 2 * j] as Float64Array);
      ix.push(args[5 + 2 * j] as Int32Array);
    }
    for (let i = 0; i < n; i++) {
      const wi = weighted ? w[i] : 1;
      const g = ik[i] * m;
      for (let v = 0; v < m; v++) {
        let s = 0;
        for (let j = 0; j < others; j++) s += o[j][ix[j][i] * m + v];
        acc[g + v] += wi * s;
      }
    }
  };
}

export function sumsKernel(m: number, weighted: boolean): Kernel {
  const key = `sums:${m},${weighted}`;
  let k = kernelCache.get<Kernel>(key);
  if (k) return k;
  const params = ['n', 'w', 'ik', 'S'];
  for (let v = 0; v < m; v++) params.push(`x${v}`);
  const lines: string[] = ['for (let i = 0; i < n; i++) {'];
  if (weighted) lines.push('  const wi = w[i];');
  lines.push(`  const g = ik[i] * ${m};`);
  for (let v = 0; v < m; v++) lines.push(`  S[g + ${v}] += ${weighted ? `wi * x${v}[i]` : `x${v}[i]`};`);
  lines.push('}');
  k =
    compile(params, lines.join('\n')) ??
    ((...args: unknown[]) => {
      const n = args[0] as number;
      const w = args[1] as Float64Array;
      const ik = args[2] as Int32Array;
      const S = args[3] as Float64Array;
      for (let i = 0; i < n; i++) {
        const wi = weighted ? w[i] : 1;
        const g = ik[i] * m;
        for (let v = 0; v < m; v++) S[g + v] += wi * (args[4 + v] as Float64Array)[i];
      }
    });
  kernelCache.set(key, k);
  return k;
}

// ---------------------------------------------------------------------------------------------------------
// Blocked kernels: one fixed-effect dimension b has contiguous groups (rows of a group are adjacent, e.g. a
// panel sorted by pair). Its coefficient is concentrated out inside each block — the weighted block mean of
// x − Σ_{j≠b} α_j — so it is never stored, and a sweep over the other dimensions needs one pass per dimension.

/**
 * Update pass for dimension k (one of the `nO` stored dimensions, at position `pos`):
 *   for each block: a_b = Σ w (x − Σ_j α_j) / Σ w  (all stored j)
 *   acc_k[g_k(i)] += w_i (x_i − a_b − Σ_{j≠k} α_j[g_j(i)])
 * args: R, starts, w, t (scratch ≥ maxRun·m), acc, then (α_j, idx_j) for the nO stored dims, then x_0..x_{m−1}.
 */
export function blockSweepKernel(m: number, nO: number, pos: number, weighted: boolean): Kernel {
  const key = `block:${m},${nO},${pos},${weighted}`;
  let k = kernelCache.get<Kernel>(key);
  if (k) return k;
  const params = ['R', 'starts', 'w', 't', 'acc'];
  for (let j = 0; j < nO; j++) params.push(`a${j}`, `i${j}`);
  for (let v = 0; v < m; v++) params.push(`x${v}`);
  const L: string[] = [];
  L.push('for (let r = 0; r < R; r++) {');
  L.push('  const s = starts[r], e = starts[r + 1];');
  L.push(`  let sw = 0${Array.from({ length: m }, (_, v) => `, s${v} = 0`).join('')};`);
  L.push('  for (let i = s; i < e; i++) {');
  L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
  L.push('    sw += wi;');
  for (let j = 0; j < nO; j++) L.push(`    const b${j} = i${j}[i] * ${m};`);
  L.push(`    const q = (i - s) * ${m};`);
  for (let v = 0; v < m; v++) {
    const others = Array.from({ length: nO }, (_, j) => j).filter((j) => j !== pos).map((j) => ` - a${j}[b${j} + ${v}]`).join('');
    L.push(`    const t${v} = x${v}[i]${others};`);
    L.push(`    t[q + ${v}] = t${v};`);
    L.push(`    s${v} += wi * (t${v} - a${pos}[b${pos} + ${v}]);`);
  }
  L.push('  }');
  L.push('  const inv = sw > 0 ? 1 / sw : 0;');
  for (let v = 0; v < m; v++) L.push(`  const m${v} = s${v} * inv;`);
  L.push('  for (let i = s; i < e; i++) {');
  L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
  L.push(`    const g = i${pos}[i] * ${m};`);
  L.push(`    const q = (i - s) * ${m};`);
  for (let v = 0; v < m; v++) L.push(`    acc[g + ${v}] += wi * (t[q + ${v}] - m${v});`);
  L.push('  }');
  L.push('}');
  k = compile(params, L.join('\n')) ?? genericBlockSweep(m, nO, pos, weighted);
  kernelCache.set(key, k);
  return k;
}

function genericBlockSweep(m: number, nO: number, pos: number, weighted: boolean): Kernel {
  return (...args: unknown[]) => {
    const R = args[0] as number;
    const starts = args[1] as Int32Array;
    const w = args[2] as Float64Array;
    const t = args[3] as Float64Array;
    const acc = args[4] as Float64Array;
    const a: Float64Array[] = [];
    const ix: Int32Array[] = [];
    for (let j = 0; j < nO; j++) {
      a.push(args[5 + 2 * j] as Float64Array);
      ix.push(args[6 + 2 * j] as Int32Array);
    }
    const x = Array.from({ length: m }, (_, v) => args[5 + 2 * nO + v] as Float64Array);
    const sv = new Float64Array(m);
    for (let r = 0; r < R; r++) {
      const s = starts[r];
      const e = starts[r + 1];
      let sw = 0;
      sv.fill(0);
      for (let i = s; i < e; i++) {
        const wi = weighted ? w[i] : 1;
        sw += wi;
        for (let v = 0; v < m; v++) {
          let tv = x[v][i];
          for (let j = 0; j < nO; j++) if (j !== pos) tv -= a[j][ix[j][i] * m + v];
          t[(i - s) * m + v] = tv;
          sv[v] += wi * (tv - a[pos][ix[pos][i] * m + v]);
        }
      }
      const inv = sw > 0 ? 1 / sw : 0;
      for (let i = s; i < e; i++) {
        const wi = weighted ? w[i] : 1;
        const g = ix[pos][i] * m;
        for (let v = 0; v < m; v++) acc[g + v] += wi * (t[(i - s) * m + v] - sv[v] * inv);
      }
    }
  };
}
