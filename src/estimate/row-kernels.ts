// Row kernels: the hot loops of the PPML fit and of the fixed-effect demeaning, written so that a range of rows
// (or of contiguous row blocks) can be processed on its own and the results of the ranges combined by summing
// their reduction outputs. A RowRunner (./runner.ts) runs them chunk by chunk, on one thread or several. Pure.
//
// Every kernel has the signature (lo, hi, out, ...args): it processes rows (or blocks) lo..hi−1, may write
// row-indexed output arrays at those rows only, and may add (+=) into `out`, this chunk's zeroed reduction
// buffer. Kernels are named by a string "family:shape,..." so that a worker thread can rebuild the same kernel
// from its name. Shapes with several interleaved variables are generated once per shape with `new Function`
// and unrolled (a generic loop runs about 2× slower in V8); where code generation is not allowed (a strict
// Content-Security-Policy in a browser) the generic loops are used. The kernels live in the estimator's one kernel
// cache (./codegen.ts).
//
// Notation: m variables interleaved per fixed-effect group (a_j[g*m + v]); nO fixed-effect dimensions stored as
// (a_j, idx_j, off_j): coefficients, group of each row, and the offset of this dimension's accumulator in `out`.

import { generate, kernelCache } from './codegen.ts';

export type RowKernel = (lo: number, hi: number, out: Float64Array, ...args: unknown[]) => void;

const compile = (params: string[], body: string) => generate<RowKernel>(params, body);

export { setCodegen } from './codegen.ts';

/** The kernel with this name (see the families below). */
export function rowKernel(name: string): RowKernel {
  let k = kernelCache.get<RowKernel>(`row/${name}`);
  if (k) return k;
  const [family, shapeText] = name.split(':');
  const s = (shapeText ?? '').split(',').filter((x) => x !== '').map(Number);
  const make = FAMILIES[family];
  if (!make) throw new Error(`unknown row kernel '${name}'`);
  k = make(s);
  kernelCache.set(`row/${name}`, k);
  return k;
}

const FAMILIES: Record<string, (s: number[]) => RowKernel> = {
  fe: ([m, nO, mode, weighted, blocked, ws]) => feKernel(m, nO, mode, weighted === 1, blocked === 1, ws === 1),
  sub: ([m, nO, weighted, blocked]) => subtractKernel(m, nO, weighted === 1, blocked === 1),
  wsum: ([nO]) => groupWeightSums(nO),
  cross: ([p]) => crossProducts(p),
  sumsq: ([p]) => sumsOfSquares(p),
  pstep: ([p]) => ppmlStep(p),
  pinit: () => ppmlStart,
};

// ---------------------------------------------------------------------------------------------------------
// Fixed-effect normal-equation passes (./demean.ts). D = the dummies of the nO stored dimensions, W = the
// weights, M_B = the weighted within-block demeaning of a concentrated dimension with contiguous groups
// (blocked kernels; identity otherwise). The stored coefficients of all dimensions are one flat vector `a`
// (group-major, m interleaved variables: a[g*m + v]); `gi` holds, for row i, the flat group number of each stored
// dimension at gi[i*nO + j] (the dimension's offset already added). The accumulator in `out` has the layout of a.
//   mode 0 ("residual"): out[g*m + v] += (Dᵀ W M_B (x_v − D a_v))_g, and out[offS + v] += Σ w x_v²
//   mode 1 ("product"):  out[g*m + v] += (Dᵀ W M_B D a_v)_g
// With ws = 1 the pass also sums the weights per group, out[offW + g] += w_i, and in total, out[offT] += Σ w.
// args: starts (blocked; else null), w (null = unit weights), gi, a, offS, offW, offT, then x_0..x_{m−1} (mode 0).

function feKernel(m: number, nO: number, mode: number, weighted: boolean, blocked: boolean, ws: boolean): RowKernel {
  const params = ['lo', 'hi', 'out', 'starts', 'w', 'gi', 'a', 'offS', 'offW', 'offT'];
  if (mode === 0) for (let v = 0; v < m; v++) params.push(`x${v}`);
  const V = Array.from({ length: m }, (_, v) => v);
  const J = Array.from({ length: nO }, (_, j) => j);
  const L: string[] = [];
  const wi = weighted ? 'w[i]' : '1';
  // Values of row i: e_v = x_v − Σ_j a[g_j + v] (mode 0) or Σ_j a[g_j + v] (mode 1).
  const rowValues = (ind: string) => {
    L.push(`${ind}const c = i * ${nO};`);
    for (const j of J) L.push(`${ind}const g${j} = gi[c + ${j}] * ${m};`);
    for (const v of V) {
      const sum = J.map((j) => `a[g${j} + ${v}]`);
      if (mode === 0) {
        L.push(`${ind}const x${v}i = x${v}[i];`);
        L.push(`${ind}q${v} += wi * x${v}i * x${v}i;`);
        L.push(`${ind}const e${v} = x${v}i - ${sum.join(' - ')};`);
      } else L.push(`${ind}const e${v} = ${sum.join(' + ')};`);
    }
    if (ws) for (const j of J) L.push(`${ind}out[offW + gi[c + ${j}]] += wi;`);
  };
  L.push(`let tw = 0${V.map((v) => `, q${v} = 0`).join('')};`);
  if (blocked) {
    L.push(`let t = new Float64Array(64 * ${m});`);
    L.push('for (let r = lo; r < hi; r++) {');
    L.push('  const s = starts[r], e = starts[r + 1];');
    L.push(`  if ((e - s) * ${m} > t.length) t = new Float64Array((e - s) * ${m});`);
    L.push(`  let sw = 0${V.map((v) => `, s${v} = 0`).join('')};`);
    L.push('  for (let i = s; i < e; i++) {');
    L.push(`    const wi = ${wi};`);
    L.push('    sw += wi;');
    rowValues('    ');
    L.push(`    const q = (i - s) * ${m};`);
    for (const v of V) L.push(`    t[q + ${v}] = e${v};`, `    s${v} += wi * e${v};`);
    L.push('  }');
    L.push('  tw += sw;');
    L.push('  const inv = sw > 0 ? 1 / sw : 0;');
    for (const v of V) L.push(`  const m${v} = s${v} * inv;`);
    L.push('  for (let i = s; i < e; i++) {');
    L.push(`    const wi = ${wi};`);
    L.push(`    const q = (i - s) * ${m};`);
    L.push(`    const c = i * ${nO};`);
    for (const j of J) L.push(`    const g${j} = gi[c + ${j}] * ${m};`);
    for (const v of V) {
      L.push(`    const d${v} = wi * (t[q + ${v}] - m${v});`);
      for (const j of J) L.push(`    out[g${j} + ${v}] += d${v};`);
    }
    L.push('  }');
    L.push('}');
  } else {
    L.push('for (let i = lo; i < hi; i++) {');
    L.push(`  const wi = ${wi};`);
    L.push('  tw += wi;');
    rowValues('  ');
    for (const v of V) {
      L.push(`  const d${v} = wi * e${v};`);
      for (const j of J) L.push(`  out[g${j} + ${v}] += d${v};`);
    }
    L.push('}');
  }
  if (mode === 0) for (const v of V) L.push(`out[offS + ${v}] += q${v};`);
  if (ws) L.push('out[offT] += tw;');
  return compile(params, L.join('\n')) ?? genericFe(m, nO, mode, weighted, blocked, ws);
}

function genericFe(m: number, nO: number, mode: number, weighted: boolean, blocked: boolean, ws: boolean): RowKernel {
  return (lo, hi, out, ...args) => {
    const [starts, w, gi, a, offS, offW, offT] = args as [Int32Array, Float64Array, Int32Array, Float64Array, number, number, number];
    const x = args.slice(7, 7 + (mode === 0 ? m : 0)) as Float64Array[];
    const e = new Float64Array(m);
    let t = new Float64Array(64 * m);
    const sv = new Float64Array(m);
    const value = (i: number, wi: number): void => {
      for (let v = 0; v < m; v++) {
        let s = 0;
        for (let j = 0; j < nO; j++) s += a[gi[i * nO + j] * m + v];
        if (mode === 0) {
          out[offS + v] += wi * x[v][i] * x[v][i];
          e[v] = x[v][i] - s;
        } else e[v] = s;
      }
      if (ws) {
        for (let j = 0; j < nO; j++) out[offW + gi[i * nO + j]] += wi;
        out[offT] += wi;
      }
    };
    const scatter = (i: number, d: (v: number) => number): void => {
      for (let v = 0; v < m; v++) {
        const dv = d(v);
        for (let j = 0; j < nO; j++) out[gi[i * nO + j] * m + v] += dv;
      }
    };
    if (!blocked) {
      for (let i = lo; i < hi; i++) {
        const wi = weighted ? w[i] : 1;
        value(i, wi);
        scatter(i, (v) => wi * e[v]);
      }
      return;
    }
    for (let r = lo; r < hi; r++) {
      const s = starts[r];
      const end = starts[r + 1];
      if ((end - s) * m > t.length) t = new Float64Array((end - s) * m);
      let sw = 0;
      sv.fill(0);
      for (let i = s; i < end; i++) {
        const wi = weighted ? w[i] : 1;
        sw += wi;
        value(i, wi);
        for (let v = 0; v < m; v++) {
          t[(i - s) * m + v] = e[v];
          sv[v] += wi * e[v];
        }
      }
      const inv = sw > 0 ? 1 / sw : 0;
      for (let i = s; i < end; i++) {
        const wi = weighted ? w[i] : 1;
        scatter(i, (v) => wi * (t[(i - s) * m + v] - sv[v] * inv));
      }
    }
  };
}

/**
 * y_v[i] = x_v[i] − Σ_j a[g_j(i)*m + v], blocked: minus also the weighted block mean of that, i.e. M_B(x − D a).
 * args: starts (blocked; else null), w, gi, a, then (x_v, y_v) × m.
 */
function subtractKernel(m: number, nO: number, weighted: boolean, blocked: boolean): RowKernel {
  const params = ['lo', 'hi', 'out', 'starts', 'w', 'gi', 'a'];
  for (let v = 0; v < m; v++) params.push(`x${v}`, `y${v}`);
  const V = Array.from({ length: m }, (_, v) => v);
  const J = Array.from({ length: nO }, (_, j) => j);
  const L: string[] = [];
  const rowValues = (ind: string) => {
    L.push(`${ind}const c = i * ${nO};`);
    for (const j of J) L.push(`${ind}const g${j} = gi[c + ${j}] * ${m};`);
    for (const v of V) L.push(`${ind}const t${v} = x${v}[i]${J.map((j) => ` - a[g${j} + ${v}]`).join('')};`, `${ind}y${v}[i] = t${v};`);
  };
  if (blocked) {
    L.push('for (let r = lo; r < hi; r++) {');
    L.push('  const s = starts[r], e = starts[r + 1];');
    L.push(`  let sw = 0${V.map((v) => `, s${v} = 0`).join('')};`);
    L.push('  for (let i = s; i < e; i++) {');
    L.push(`    const wi = ${weighted ? 'w[i]' : '1'};`);
    L.push('    sw += wi;');
    rowValues('    ');
    for (const v of V) L.push(`    s${v} += wi * t${v};`);
    L.push('  }');
    L.push('  const inv = sw > 0 ? 1 / sw : 0;');
    for (const v of V) L.push(`  const m${v} = s${v} * inv;`);
    L.push('  for (let i = s; i < e; i++) {');
    for (const v of V) L.push(`    y${v}[i] -= m${v};`);
    L.push('  }');
    L.push('}');
  } else {
    L.push('for (let i = lo; i < hi; i++) {');
    rowValues('  ');
    L.push('}');
  }
  return (
    compile(params, L.join('\n')) ??
    ((lo, hi, _out, ...args) => {
      const [starts, w, gi, a] = args as [Int32Array, Float64Array, Int32Array, Float64Array];
      for (let v = 0; v < m; v++) {
        const x = args[4 + 2 * v] as Float64Array;
        const y = args[5 + 2 * v] as Float64Array;
        const row = (i: number) => {
          let t = x[i];
          for (let j = 0; j < nO; j++) t -= a[gi[i * nO + j] * m + v];
          y[i] = t;
          return t;
        };
        if (!blocked) {
          for (let i = lo; i < hi; i++) row(i);
          continue;
        }
        for (let r = lo; r < hi; r++) {
          const s = starts[r];
          const e = starts[r + 1];
          let sw = 0;
          let sx = 0;
          for (let i = s; i < e; i++) {
            const wi = weighted ? w[i] : 1;
            sw += wi;
            sx += wi * row(i);
          }
          const mean = sw > 0 ? sx / sw : 0;
          for (let i = s; i < e; i++) y[i] -= mean;
        }
      }
    })
  );
}

/** Group weight sums: out[gi[i*nO + j]] += w_i for every stored dimension j, out[offT] += Σ w. args: w, gi, offT. */
function groupWeightSums(nO: number): RowKernel {
  return (lo, hi, out, ...args) => {
    const [w, gi, offT] = args as [Float64Array | null, Int32Array, number];
    let total = 0;
    for (let i = lo; i < hi; i++) {
      const wi = w ? w[i] : 1;
      total += wi;
      for (let j = 0, c = i * nO; j < nO; j++) out[gi[c + j]] += wi;
    }
    out[offT] += total;
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
// and the Poisson deviance terms out[0] += y ln(y/μ) − (y − μ), written without a branch for y = 0 (logy holds
// ln y for y > 0 and 0 for y = 0, where y·(…) = 0): zeros are common in trade data and a mispredicted branch
// per row costs about as much as the exp.
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
    '  dev += yi * (logy[i] - et) - (yi - m);',
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
        dev += yi * (logy[i] - et) - (yi - m);
      }
      out[0] += dev;
    })
  );
}

/**
 * PPML starting values: μ = (y + ȳ)/2, η = ln μ, u = (y − μ)/μ, ln y (0 where y = 0) and z = η + u.
 * args: y, ybar (number), mu, eta, u, logy, z.
 */
const ppmlStart: RowKernel = (lo, hi, _out, ...args) => {
  const y = args[0] as Float64Array;
  const ybar = args[1] as number;
  const [mu, eta, u, logy, z] = args.slice(2) as Float64Array[];
  for (let i = lo; i < hi; i++) {
    const yi = y[i];
    const m = 0.5 * (yi + ybar);
    const et = Math.log(m);
    const ui = (yi - m) / m;
    mu[i] = m;
    eta[i] = et;
    u[i] = ui;
    logy[i] = yi > 0 ? Math.log(yi) : 0;
    z[i] = et + ui;
  }
};
