// The part every demeaning method shares (see ../demean.ts for the equations): the fixed-effect layout (which
// dimension is concentrated out, the stored dimensions' offsets in the flat coefficient vector, each row's flat
// group numbers), the weights and their group sums, and the passes over the rows that the methods are built
// from — the residual and product passes of the normal equations and the final subtraction (../row-kernels.ts,
// run in chunks by a RowRunner). Pure.
import { chunkBounds, sequentialRunner, type RowRunner } from '../runner.ts';
import type { DemeanState, FixedEffectIndex } from './types.ts';

export class FixedEffectLayout {
  readonly n: number;
  readonly K: number;
  readonly runner: RowRunner;
  /** Observation weights (null = unit weights) and, once formed, their total. */
  w: Float64Array | null = null;
  wsum = 0;
  /** 1 / (weight sum) of every stored group, dimension after dimension; per dimension views in invW. */
  readonly invFlat: Float64Array;
  readonly invW: Float64Array[];
  readonly idx: Int32Array[];
  readonly sizes: number[];
  /** The concentrated (contiguous) dimension, if any, with its block starts. */
  readonly block: { dim: number; starts: Int32Array; R: number; maxRun: number } | null;
  /** Dimensions whose coefficients are stored and iterated on, and their offsets in the flat vectors. */
  readonly stored: number[];
  readonly offset: number[];
  /** Number of stored coefficients per variable (Σ sizes of the stored dimensions). */
  readonly N: number;
  private readonly boundsCache = new Map<number, Int32Array>();
  /** Flat group number of each stored dimension, per row: gi[i*nO + j] (shared with the runner's threads). */
  readonly gi: Int32Array;
  /** True until the group weight sums of the current weights are formed. */
  weightsPending = true;

  constructor(readonly fes: FixedEffectIndex[], n: number, opts: { allowBlock?: boolean; runner?: RowRunner } = {}) {
    this.n = n;
    this.K = fes.length;
    this.runner = opts.runner ?? sequentialRunner;
    this.idx = fes.map((f) => f.index);
    this.sizes = fes.map((f) => f.size);
    this.block = this.K >= 2 && opts.allowBlock !== false ? findBlock(fes, n) : null;
    if (this.block) this.block.starts = this.runner.share(this.block.starts);
    this.stored = fes.map((_, k) => k).filter((k) => k !== this.block?.dim);
    this.offset = fes.map(() => 0);
    let N = 0;
    for (const k of this.stored) {
      this.offset[k] = N;
      N += this.sizes[k];
    }
    this.N = N;
    // Flat group numbers of the stored dimensions, row after row (see ./row-kernels.ts).
    const nO = this.stored.length;
    this.gi = this.runner.i32(n * nO);
    this.stored.forEach((k, j) => {
      const ix = this.idx[k];
      const off = this.offset[k];
      for (let i = 0, c = j; i < n; i++, c += nO) this.gi[c] = ix[i] + off;
    });
    this.invFlat = new Float64Array(N);
    this.invW = this.sizes.map((s, k) => (k === this.block?.dim ? new Float64Array(0) : this.invFlat.subarray(this.offset[k], this.offset[k] + s)));
    this.setWeights(null);
  }

  /**
   * Chunks of a pass (over blocks when `blocked`, else rows) whose reductions have length outLen: about 32,768
   * rows each, at most 16, and few enough that the chunks' reduction buffers (chunks × outLen) stay within
   * max(n, 2²⁰) numbers — so a pass never spends more on its buffers than on its rows. Depends only on the
   * problem's shape, never on the runner (the same chunks, the same sums, on any number of threads).
   */
  bounds(outLen: number, blocked: boolean): Int32Array {
    const maxChunks = Math.max(1, Math.min(16, Math.floor(Math.max(this.n, 1 << 20) / Math.max(outLen, 1))));
    const key = (blocked ? 1 : 0) + 2 * maxChunks;
    let b = this.boundsCache.get(key);
    if (!b) {
      b = blocked && this.block
        ? chunkBounds(this.block.R, Math.max(1, Math.ceil((32768 * this.block.R) / Math.max(this.n, 1))), maxChunks)
        : chunkBounds(this.n, 32768, maxChunks);
      this.boundsCache.set(key, b);
    }
    return b;
  }

  /**
   * Sets the observation weights (null = unit weights). The group weight sums are formed in the next pass over
   * the rows. The array must stay unchanged while it is in use; a parallel runner needs it in shared memory
   * (otherwise it is copied).
   */
  setWeights(w: Float64Array | null): void {
    this.w = w === null ? null : this.runner.share(w);
    this.weightsPending = true;
  }

  /** Forms the group weight sums now (when no pass is about to form them). */
  weightSums(): void {
    const W = this.runner.run(`wsum:${this.stored.length}`, this.bounds(this.N + 1, false), [this.w, this.gi, this.N], this.N + 1);
    this.takeWeightSums(W, 0);
  }

  private takeWeightSums(W: Float64Array, off: number): void {
    for (let g = 0; g < this.N; g++) this.invFlat[g] = W[off + g] > 0 ? 1 / W[off + g] : 0;
    this.wsum = W[off + this.N];
    this.weightsPending = false;
  }

  newState(m: number): DemeanState {
    const flat = this.runner.f64(this.N * m);
    const alpha = this.sizes.map((s, k) => (k === this.block?.dim ? new Float64Array(0) : flat.subarray(this.offset[k] * m, (this.offset[k] + s) * m)));
    return { m, alpha, flat };
  }

  /** x̃ = M_b (x − Σ_k α_k[g_k(i)]) for the m variables `xs` into `outs` (shared arrays), from `state`. */
  subtract(xs: Float64Array[], outs: Float64Array[], state: DemeanState): void {
    const m = xs.length;
    const args: (Float64Array | Int32Array | number | null)[] = [this.block?.starts ?? null, this.w, this.gi, state.flat];
    for (let v = 0; v < m; v++) args.push(xs[v], outs[v]);
    const blocked = this.block ? 1 : 0;
    this.runner.run(`sub:${m},${this.stored.length},${this.w ? 1 : 0},${blocked}`, this.bounds(0, blocked === 1), args, 0);
  }

  /**
   * One pass over the rows: mode 0 returns Dᵀ W M_b (x − D a), then Σ w x² per variable, then (when the weights
   * changed) the group weight sums and their total; mode 1 returns Dᵀ W M_b D a. `a` is a flat coefficient
   * vector (m interleaved variables).
   */
  pass(mode: 0 | 1, a: Float64Array, xs: Float64Array[]): Float64Array {
    const m = xs.length;
    const NM = this.N * m;
    const ws = mode === 0 && this.weightsPending;
    const args: (Float64Array | Int32Array | number | null)[] = [this.block?.starts ?? null, this.w, this.gi, a, NM, NM + m, NM + m + this.N];
    if (mode === 0) args.push(...xs);
    const name = `fe:${m},${this.stored.length},${mode},${this.w ? 1 : 0},${this.block ? 1 : 0},${ws ? 1 : 0}`;
    const outLen = mode === 1 ? NM : ws ? NM + m + this.N + 1 : NM + m;
    const out = this.runner.run(name, this.bounds(outLen, this.block !== null), args, outLen);
    if (ws) this.takeWeightSums(out, NM + m);
    return out;
  }
}

/**
 * The dimension to concentrate out: among those whose groups are contiguous runs of rows, the one with the
 * most groups. Returns its run starts (R + 1 entries) or null when no dimension has contiguous groups.
 */
function findBlock(fes: FixedEffectIndex[], n: number): { dim: number; starts: Int32Array; R: number; maxRun: number } | null {
  let best = -1;
  for (let k = 0; k < fes.length; k++) {
    const ix = fes[k].index;
    const seen = new Uint8Array(fes[k].size);
    let ok = n > 0;
    for (let i = 0; i < n && ok; i++) {
      if (i > 0 && ix[i] === ix[i - 1]) continue;
      if (seen[ix[i]]) ok = false;
      seen[ix[i]] = 1;
    }
    if (ok && (best < 0 || fes[k].size > fes[best].size)) best = k;
  }
  if (best < 0) return null;
  const ix = fes[best].index;
  const R = fes[best].size;
  const starts = new Int32Array(R + 1);
  let r = 0;
  let maxRun = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || ix[i] !== ix[i - 1]) {
      if (r > 0) maxRun = Math.max(maxRun, i - starts[r - 1]);
      starts[r++] = i;
    }
  }
  starts[r] = n;
  maxRun = Math.max(maxRun, n - starts[r - 1]);
  return { dim: best, starts, R: r, maxRun };
}
