// Row kernels: the hot loops of the PPML fit and of the fixed-effect demeaning, written so that a range of rows
// (or of contiguous row blocks) can be processed on its own and the results of the ranges combined by summing
// their reduction outputs. A RowRunner (./runner.ts) runs them chunk by chunk, on one thread or several. Pure.
//
// Every kernel has the signature (lo, hi, out, ...args): it processes rows (or blocks) lo..hi−1, may write
// row-indexed output arrays at those rows only, and may add (+=) into `out`, this chunk's zeroed reduction
// buffer. Kernels are named by a string "family:shape,..." so that a worker thread can rebuild the same kernel
// from its name. Shapes with several interleaved variables are generated once per shape with `new Function`
// and unrolled (a generic loop runs about 2× slower in V8); where code generation is not allowed (a strict
// Content-Security-Policy in a browser) the generic loops are used.
//
// Notation: m variables interleaved per fixed-effect group (a_j[g*m + v]); nO fixed-effect dimensions stored as
// (a_j, idx_j, off_j): coefficients, group of each row, and the offset of this dimension's accumulator in `out`.

export type RowKernel = (lo: number, hi: number, out: Float64Array, ...args: unknown[]) => void;

const cache = new Map<string, RowKernel>();
let codegenAllowed = true;

function compile(params: string[], body: string): RowKernel | null {
  if (!codegenAllowed) return null;
  try {
    return new Function(...params, body) as RowKernel;
  } catch {
    codegenAllowed = false;
    return null;
  }
}

/** For tests: turn code generation off to exercise the generic loops. */
export function setCodegen(allowed: boolean): void {
  codegenAllowed = allowed;
  cache.clear();
}

/** The kernel with this name (see the families below). */
export function rowKernel(name: string): RowKernel {
  let k = cache.get(name);
  if (k) return k;
  const [family, shapeText] = name.split(':');
  const s = (shapeText ?? '').split(',').filter((x) => x !== '').map(Number);
  const make = FAMILIES[family];
  if (!make) throw new Error(`unknown row kernel '${name}'`);
  k = make(s);
  cache.set(name, k);
  return k;
}

const FAMILIES: Record<string, (s: number[]) => RowKernel> = {
  fe: ([m, nO, mode, weighted]) => feBlockless(m, nO, mode, weighted === 1),
  feb: ([m, nO, mode, weighted]) => feBlocked(m, nO, mode, weighted === 1),
  sub: ([m, nO]) => subtract(m, nO),
  subb: ([m, nO, weighted]) => subtractBlocked(m, nO, weighted === 1),
  wsum: ([nO]) => groupWeightSums(nO),
  cross: ([p]) => crossProducts(p),
  sumsq: ([p]) => sumsOfSquares(p),
  pstep: ([p]) => ppmlStep(p),
};

// ---------------------------------------------------------------------------------------------------------
// Fixed-effect normal-equation passes (./demean.ts). With D the dummies of the stored dimensions, W the weights
// and M_B the weighted within-block projection of a concentrated dimension with contiguous groups (identity when
// there is none), mode 0 ("residual") adds Dᵀ W M_B (x − D a) and mode 1 ("product") adds Dᵀ W M_B (D a) to the
// accumulators in `out`. Mode 0 also adds Σ w x² per variable at out[offS + v] (the scale of the tolerance).
// args: [starts (blocked only)], w, offS, then (a_j, idx_j, off_j) × nO, then x_0..x_{m−1} (mode 0 only).

function feBlockless(m: number, nO: number, mode: number, weighted: boolean): RowKernel {
  const params = ['lo', 'hi', 'out', 'w', 'offS'];
  for (let j = 0; j < nO; j++) params.push(`a${j}`, `i${j}`, `f${j}`);
  if (mode === 0) for (let v = 0; v < m; v++) params.push(`x${v}`);
  const L: string[] = [];
  L.push(`let ${Array.from({ length: m }, (_, v) => `q${v} = 0`).join(', ')};`);
  L.push('for (let i = lo; i < hi; i++) {');
  L.push(`  const wi = ${weighted ? 'w[i]' : '1'};`);
  for (let j = 0; j < nO; j++) L.push(`  const b${j} = i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) {
    const sum = Array.from({ length: nO }, (_, j) => `a${j}[b${j} + ${v}]`);
    if (mode === 0) {
      L.push(`  const x${v}i = x${v}[i];`);
      L.push(`  q${v} += wi * x${v}i * x${v}i;`);
      L.push(`  const d${v} = wi * (x${v}i - ${sum.join(' - ')});`);
    } else L.push(`  const d${v} = wi * (${sum.join(' + ')});`);
    for (let j = 0; j < nO; j++) L.push(`  out[f${j} + b${j} + ${v}] += d${v};`);
  }
  L.push('}');
  if (mode === 0) for (let v = 0; v < m; v++) L.push(`out[offS + ${v}] += q${v};`);
  return (
    compile(params, L.join('\n')) ??
    ((lo, hi, out, ...args) => {
      const w = args[0] as Float64Array;
      const offS = args[1] as number;
      const a = Array.from({ length: nO }, (_, j) => args[2 + 3 * j] as Float64Array);
      const ix = Array.from({ length: nO }, (_, j) => args[3 + 3 * j] as Int32Array);
      const off = Array.from({ length: nO }, (_, j) => args[4 + 3 * j] as number);
      const x = mode === 0 ? Array.from({ length: m }, (_, v) => args[2 + 3 * nO + v] as Float64Array) : [];
      for (let i = lo; i < hi; i++) {
        const wi = weighted ? w[i] : 1;
        for (let v = 0; v < m; v++) {
          let s = 0;
          for (let j = 0; j < nO; j++) s += a[j][ix[j][i] * m + v];
          let d: number;
          if (mode === 0) {
            const xi = x[v][i];
            out[offS + v] += wi * xi * xi;
            d = wi * (xi - s);
          } else d = wi * s;
          for (let j = 0; j < nO; j++) out[off[j] + ix[j][i] * m + v] += d;
        }
      }
    })
  );
}

function feBlocked(m: number, nO: number, mode: number, weighted: boolean): RowKernel {
  const params = ['lo', 'hi', 'out', 'starts', 'w', 'offS'];
  for (let j = 0; j < nO; j++) params.push(`a${j}`, `i${j}`, `f${j}`);
  if (mode === 0) for (let v = 0; v < m; v++) params.push(`x${v}`);
  const L: string[] = [];
  // Scratch for one block's values (grown when a longer block comes).
  L.push(`let t = new Float64Array(64 * ${m});`);
  L.push(`let ${Array.from({ length: m }, (_, v) => `q${v} = 0`).join(', ')};`);
  L.push('for (let r = lo; r < hi; r++) {');
  L.push('  const s = starts[r], e = starts[r + 1];');
  L.push(`  if ((e - s) * ${m} > t.length) t = new Float64Array((e - s) * ${m});`);
  L.push(`  let sw = 0${Array.from({ length: m }, (_, v) => `, s${v} = 0`).join('')};`);
  L.push('  for (let i = s; i < e; i++) {');
  L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
  L.push('    sw += wi;');
  L.push(`    const q = (i - s) * ${m};`);
  for (let j = 0; j < nO; j++) L.push(`    const b${j} = i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) {
    const sum = Array.from({ length: nO }, (_, j) => `a${j}[b${j} + ${v}]`);
    if (mode === 0) {
      L.push(`    const x${v}i = x${v}[i];`);
      L.push(`    q${v} += wi * x${v}i * x${v}i;`);
      L.push(`    const e${v} = x${v}i - ${sum.join(' - ')};`);
    } else L.push(`    const e${v} = ${sum.join(' + ')};`);
    L.push(`    t[q + ${v}] = e${v};`);
    L.push(`    s${v} += wi * e${v};`);
  }
  L.push('  }');
  L.push('  const inv = sw > 0 ? 1 / sw : 0;');
  for (let v = 0; v < m; v++) L.push(`  const m${v} = s${v} * inv;`);
  L.push('  for (let i = s; i < e; i++) {');
  L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
  L.push(`    const q = (i - s) * ${m};`);
  for (let j = 0; j < nO; j++) L.push(`    const b${j} = f${j} + i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) {
    L.push(`    const d${v} = wi * (t[q + ${v}] - m${v});`);
    for (let j = 0; j < nO; j++) L.push(`    out[b${j} + ${v}] += d${v};`);
  }
  L.push('  }');
  L.push('}');
  if (mode === 0) for (let v = 0; v < m; v++) L.push(`out[offS + ${v}] += q${v};`);
  return (
    compile(params, L.join('\n')) ??
    ((lo, hi, out, ...args) => {
      const starts = args[0] as Int32Array;
      const w = args[1] as Float64Array;
      const offS = args[2] as number;
      const a = Array.from({ length: nO }, (_, j) => args[3 + 3 * j] as Float64Array);
      const ix = Array.from({ length: nO }, (_, j) => args[4 + 3 * j] as Int32Array);
      const off = Array.from({ length: nO }, (_, j) => args[5 + 3 * j] as number);
      const x = mode === 0 ? Array.from({ length: m }, (_, v) => args[3 + 3 * nO + v] as Float64Array) : [];
      for (let v = 0; v < m; v++) {
        for (let r = lo; r < hi; r++) {
          const s = starts[r];
          const e = starts[r + 1];
          let sw = 0;
          let se = 0;
          const t = new Float64Array(e - s);
          for (let i = s; i < e; i++) {
            const wi = weighted ? w[i] : 1;
            let sum = 0;
            for (let j = 0; j < nO; j++) sum += a[j][ix[j][i] * m + v];
            let ev: number;
            if (mode === 0) {
              const xi = x[v][i];
              out[offS + v] += wi * xi * xi;
              ev = xi - sum;
            } else ev = sum;
            t[i - s] = ev;
            sw += wi;
            se += wi * ev;
          }
          const mean = sw > 0 ? se / sw : 0;
          for (let i = s; i < e; i++) {
            const d = (weighted ? w[i] : 1) * (t[i - s] - mean);
            for (let j = 0; j < nO; j++) out[off[j] + ix[j][i] * m + v] += d;
          }
        }
      }
    })
  );
}

/** y_v[i] = x_v[i] − Σ_j a_j[idx_j[i]*m + v]. args: (a_j, idx_j) × nO, then (x_v, y_v) × m. */
function subtract(m: number, nO: number): RowKernel {
  const params = ['lo', 'hi', 'out'];
  for (let j = 0; j < nO; j++) params.push(`a${j}`, `i${j}`);
  for (let v = 0; v < m; v++) params.push(`x${v}`, `y${v}`);
  const L: string[] = ['for (let i = lo; i < hi; i++) {'];
  for (let j = 0; j < nO; j++) L.push(`  const b${j} = i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) L.push(`  y${v}[i] = x${v}[i]${Array.from({ length: nO }, (_, j) => ` - a${j}[b${j} + ${v}]`).join('')};`);
  L.push('}');
  return (
    compile(params, L.join('\n')) ??
    ((lo, hi, _out, ...args) => {
      for (let v = 0; v < m; v++) {
        const x = args[2 * nO + 2 * v] as Float64Array;
        const y = args[2 * nO + 2 * v + 1] as Float64Array;
        for (let i = lo; i < hi; i++) {
          let s = x[i];
          for (let j = 0; j < nO; j++) s -= (args[2 * j] as Float64Array)[(args[2 * j + 1] as Int32Array)[i] * m + v];
          y[i] = s;
        }
      }
    })
  );
}

/**
 * Blocked: y_v[i] = x_v[i] − Σ_j a_j[g_j(i)] − (weighted block mean of the same), i.e. M_B(x − D a).
 * args: starts, w, (a_j, idx_j) × nO, then (x_v, y_v) × m.
 */
function subtractBlocked(m: number, nO: number, weighted: boolean): RowKernel {
  const params = ['lo', 'hi', 'out', 'starts', 'w'];
  for (let j = 0; j < nO; j++) params.push(`a${j}`, `i${j}`);
  for (let v = 0; v < m; v++) params.push(`x${v}`, `y${v}`);
  const L: string[] = [];
  L.push('for (let r = lo; r < hi; r++) {');
  L.push('  const s = starts[r], e = starts[r + 1];');
  L.push(`  let sw = 0${Array.from({ length: m }, (_, v) => `, s${v} = 0`).join('')};`);
  L.push('  for (let i = s; i < e; i++) {');
  L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
  L.push('    sw += wi;');
  for (let j = 0; j < nO; j++) L.push(`    const b${j} = i${j}[i] * ${m};`);
  for (let v = 0; v < m; v++) {
    L.push(`    const t${v} = x${v}[i]${Array.from({ length: nO }, (_, j) => ` - a${j}[b${j} + ${v}]`).join('')};`);
    L.push(`    y${v}[i] = t${v};`);
    L.push(`    s${v} += wi * t${v};`);
  }
  L.push('  }');
  L.push('  const inv = sw > 0 ? 1 / sw : 0;');
  for (let v = 0; v < m; v++) L.push(`  const m${v} = s${v} * inv;`);
  L.push('  for (let i = s; i < e; i++) {');
  for (let v = 0; v < m; v++) L.push(`    y${v}[i] -= m${v};`);
  L.push('  }');
  L.push('}');
  return (
    compile(params, L.join('\n')) ??
    ((lo, hi, _out, ...args) => {
      const starts = args[0] as Int32Array;
      const w = args[1] as Float64Array;
      for (let v = 0; v < m; v++) {
        const x = args[2 + 2 * nO + 2 * v] as Float64Array;
        const y = args[3 + 2 * nO + 2 * v] as Float64Array;
        for (let r = lo; r < hi; r++) {
          const s = starts[r];
          const e = starts[r + 1];
          let sw = 0;
          let sx = 0;
          for (let i = s; i < e; i++) {
            let t = x[i];
            for (let j = 0; j < nO; j++) t -= (args[2 + 2 * j] as Float64Array)[(args[3 + 2 * j] as Int32Array)[i] * m + v];
            y[i] = t;
            const wi = weighted ? w[i] : 1;
            sw += wi;
            sx += wi * t;
          }
          const mean = sw > 0 ? sx / sw : 0;
          for (let i = s; i < e; i++) y[i] -= mean;
        }
      }
    })
  );
}

/** out[off_j + idx_j[i]] += w_i for each of nO dimensions; out[offW] += Σ w. args: w, offW, (idx_j, off_j) × nO. */
function groupWeightSums(nO: number): RowKernel {
  return (lo, hi, out, ...args) => {
    const w = args[0] as Float64Array | null;
    const offW = args[1] as number;
    let total = 0;
    for (let j = 0; j < nO; j++) {
      const ix = args[2 + 2 * j] as Int32Array;
      const off = args[3 + 2 * j] as number;
      if (w) for (let i = lo; i < hi; i++) out[off + ix[i]] += w[i];
      else for (let i = lo; i < hi; i++) out[off + ix[i]] += 1;
    }
    if (w) for (let i = lo; i < hi; i++) total += w[i];
    else total = hi - lo;
    out[offW] += total;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Weighted cross products for the p×p normal equations: out[a*(p+1) + c] += Σ w x_a x_c (c ≤ a) and
// out[a*(p+1) + p] += Σ w x_a z. args: w (or null), z, x_0..x_{p−1}. For small p one fused pass over the rows
// (each column read once); for large p one pass per column pair.
function crossProducts(p: number): RowKernel {
  if (p <= 12) {
    const params = ['lo', 'hi', 'out', 'w', 'z'];
    for (let a = 0; a < p; a++) params.push(`x${a}`);
    const acc: string[] = [];
    for (let a = 0; a < p; a++) {
      for (let c = 0; c <= a; c++) acc.push(`s${a}_${c}`);
      acc.push(`s${a}_${p}`);
    }
    const body = (weighted: boolean) => {
      const L = ['for (let i = lo; i < hi; i++) {'];
      for (let a = 0; a < p; a++) L.push(`  const v${a} = x${a}[i];`);
      L.push(`  const wz = ${weighted ? 'w[i] * z[i]' : 'z[i]'};`);
      for (let a = 0; a < p; a++) {
        L.push(`  const w${a} = ${weighted ? `w[i] * v${a}` : `v${a}`};`);
        for (let c = 0; c <= a; c++) L.push(`  s${a}_${c} += w${a} * v${c};`);
        L.push(`  s${a}_${p} += v${a} * wz;`);
      }
      L.push('}');
      return L.join('\n');
    };
    const L: string[] = [acc.length ? `let ${acc.map((x) => `${x} = 0`).join(', ')};` : ''];
    L.push(`if (w) {\n${body(true)}\n} else {\n${body(false)}\n}`);
    for (let a = 0; a < p; a++) {
      for (let c = 0; c <= a; c++) L.push(`out[${a * (p + 1) + c}] += s${a}_${c};`);
      L.push(`out[${a * (p + 1) + p}] += s${a}_${p};`);
    }
    const k = compile(params, L.join('\n'));
    if (k) return k;
  }
  return (lo, hi, out, ...args) => {
    const w = args[0] as Float64Array | null;
    const z = args[1] as Float64Array;
    const x = Array.from({ length: p }, (_, j) => args[2 + j] as Float64Array);
    for (let a = 0; a < p; a++) {
      const xa = x[a];
      let s = 0;
      if (w) for (let i = lo; i < hi; i++) s += w[i] * xa[i] * z[i];
      else for (let i = lo; i < hi; i++) s += xa[i] * z[i];
      out[a * (p + 1) + p] += s;
      for (let c = 0; c <= a; c++) {
        const xc = x[c];
        let t = 0;
        if (w) for (let i = lo; i < hi; i++) t += w[i] * xa[i] * xc[i];
        else for (let i = lo; i < hi; i++) t += xa[i] * xc[i];
        out[a * (p + 1) + c] += t;
      }
    }
  };
}

/** out[j] += Σ w x_j² (weighted sums of squares). args: w (or null), x_0..x_{p−1}. */
function sumsOfSquares(p: number): RowKernel {
  return (lo, hi, out, ...args) => {
    const w = args[0] as Float64Array | null;
    for (let j = 0; j < p; j++) {
      const x = args[1 + j] as Float64Array;
      let s = 0;
      if (w) for (let i = lo; i < hi; i++) s += w[i] * x[i] * x[i];
      else for (let i = lo; i < hi; i++) s += x[i] * x[i];
      out[j] += s;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// PPML (./ppml.ts). One IRLS update with the Newton step d of the p coefficients:
//   η_i += u_i − ũ_i + Σ_j x̃_ji d_j,   μ_i = exp(η_i),   u_i = (y_i − μ_i)/μ_i
// and the Poisson deviance terms out[0] += y ln(y/μ) − (y − μ).
// args: y, logy, eta, mu, u, ut, then d_0..d_{p−1} (numbers), then x̃_0..x̃_{p−1}.
function ppmlStep(p: number): RowKernel {
  const params = ['lo', 'hi', 'out', 'y', 'logy', 'eta', 'mu', 'u', 'ut'];
  for (let j = 0; j < p; j++) params.push(`d${j}`);
  for (let j = 0; j < p; j++) params.push(`x${j}`);
  const step = Array.from({ length: p }, (_, j) => ` + x${j}[i] * d${j}`).join('');
  const body = [
    'let dev = 0;',
    'for (let i = lo; i < hi; i++) {',
    `  const et = eta[i] + u[i] - ut[i]${step};`,
    '  eta[i] = et;',
    '  const m = Math.exp(et);',
    '  mu[i] = m;',
    '  const yi = y[i];',
    '  u[i] = (yi - m) / m;',
    '  dev += (yi > 0 ? yi * (logy[i] - et) : 0) - (yi - m);',
    '}',
    'out[0] += dev;',
  ].join('\n');
  return (
    compile(params, body) ??
    ((lo, hi, out, ...args) => {
      const [y, logy, eta, mu, u, ut] = args as Float64Array[];
      const d = args.slice(6, 6 + p) as number[];
      const xt = args.slice(6 + p, 6 + 2 * p) as Float64Array[];
      let dev = 0;
      for (let i = lo; i < hi; i++) {
        let et = eta[i] + u[i] - ut[i];
        for (let j = 0; j < p; j++) et += xt[j][i] * d[j];
        eta[i] = et;
        const m = Math.exp(et);
        mu[i] = m;
        const yi = y[i];
        u[i] = (yi - m) / m;
        dev += (yi > 0 ? yi * (logy[i] - et) : 0) - (yi - m);
      }
      out[0] += dev;
    })
  );
}
