// How the estimators run their row kernels (./row-kernels.ts): the RowRunner interface, the plain sequential
// runner, and the chunking of a row (or block) range. Pure: a parallel runner is injected from outside this layer
// (src/node/estimate/pool.ts runs the chunks on worker threads over shared memory).
//
// Determinism: the range is cut into chunks by `chunkBounds`, which depends only on the size of the range; each
// chunk adds into its own zeroed reduction buffer and the buffers are summed in chunk order. So every runner —
// sequential or parallel, with any number of threads — returns bit-for-bit the same sums.
import { rowKernel } from './row-kernels.ts';

export type RowArray = Float64Array | Int32Array | Uint8Array;
export type RowArg = RowArray | number | null;

export interface RowRunner {
  /** Number of threads the chunks are spread over (1 for the sequential runner). */
  readonly threads: number;
  /** A zeroed Float64Array of length n that every thread can read and write. */
  f64(n: number): Float64Array;
  /** A zeroed Int32Array of length n that every thread can read and write. */
  i32(n: number): Int32Array;
  /** `x` itself when every thread can read it, else a copy that they can. */
  share<T extends Float64Array | Int32Array>(x: T): T;
  /**
   * Runs kernel `name` over chunk c = 0..bounds.length−2, i.e. lo = bounds[c], hi = bounds[c+1], and returns
   * the sum (in chunk order) of the chunks' reduction buffers of length `outLen`. Synchronous.
   */
  run(name: string, bounds: Int32Array, args: RowArg[], outLen: number): Float64Array;
}

/** Chunks of at least `minChunk` items, at most `maxChunks` of them, as bounds (C + 1 entries) over 0..count. */
export function chunkBounds(count: number, minChunk = 32768, maxChunks = 16): Int32Array {
  const C = Math.max(1, Math.min(maxChunks, Math.floor(count / minChunk)));
  const b = new Int32Array(C + 1);
  for (let c = 0; c <= C; c++) b[c] = Math.round((count * c) / C);
  return b;
}

/** Runs the chunks one after the other on the calling thread. */
export class SequentialRunner implements RowRunner {
  readonly threads = 1;
  private buf = new Float64Array(0);

  f64(n: number): Float64Array {
    return new Float64Array(n);
  }
  i32(n: number): Int32Array {
    return new Int32Array(n);
  }
  share<T extends Float64Array | Int32Array>(x: T): T {
    return x;
  }
  run(name: string, bounds: Int32Array, args: RowArg[], outLen: number): Float64Array {
    const k = rowKernel(name);
    const C = bounds.length - 1;
    const total = new Float64Array(outLen);
    if (C === 1) {
      k(bounds[0], bounds[1], total, ...args);
      return total;
    }
    if (this.buf.length < outLen) this.buf = new Float64Array(outLen);
    const out = outLen === this.buf.length ? this.buf : this.buf.subarray(0, outLen);
    for (let c = 0; c < C; c++) {
      if (outLen) out.fill(0);
      k(bounds[c], bounds[c + 1], out, ...args);
      for (let q = 0; q < outLen; q++) total[q] += out[q];
    }
    return total;
  }
}

export const sequentialRunner: RowRunner = new SequentialRunner();
