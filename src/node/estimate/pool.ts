// A RowRunner (src/estimate/runner.ts) that spreads the chunks of every row kernel over worker threads: the Node
// implementation of the parallel map injected into the pure estimators (`fitPpml(input, { runner })`).
//
// Arrays live in SharedArrayBuffers (`f64`, `i32`, `share`), so a kernel call sends only handles. `run` is
// synchronous: it posts the call to every worker, works on chunks itself, and blocks (Atomics.wait) until the
// workers are done. Threads take chunks from a shared counter (dynamic balancing on a busy machine); each chunk
// writes its own reduction buffer and the buffers are summed in chunk order, so results are bit-for-bit those
// of the sequential runner whatever the number of threads or the order in which chunks ran.
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { rowKernel } from '../../estimate/row-kernels.ts';
import type { RowArg, RowRunner } from '../../estimate/runner.ts';
import { workerSource } from '../worker-source.ts';

/** Control words in shared memory. */
const NEXT = 0; // next chunk to take
const DONE = 1; // workers finished with the current call
const FAILED = 2; // a worker's kernel threw

export interface RowCall {
  name: string;
  bounds: Int32Array;
  args: RowArg[];
  outLen: number;
  out: Float64Array;
  ctrl: Int32Array;
}

interface Slot {
  worker: Worker;
  errors: MessagePort;
}

/** Default number of threads: the available cores (at least 1). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

function isShared(x: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer;
}

export class RowPool implements RowRunner {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * 4));
  private out = new Float64Array(new SharedArrayBuffer(8 * 1024));
  private closed = false;

  private constructor(private readonly slots: Slot[]) {}

  /** Starts `threads − 1` workers (the calling thread is the last one) and waits until they are ready. */
  static async create(threads = defaultThreads()): Promise<RowPool> {
    const nWorkers = Math.max(0, Math.floor(threads) - 1);
    const code = workerSource('node/estimate/worker');
    const slots = await Promise.all(
      Array.from({ length: nWorkers }, async (): Promise<Slot> => {
        const channel = new MessageChannel();
        const worker = new Worker(code, { eval: true, workerData: { errors: channel.port2 }, transferList: [channel.port2] });
        await new Promise<void>((resolve, reject) => {
          const onMsg = (m: { ready?: true; fatal?: string }): void => {
            if (m.ready) {
              worker.off('message', onMsg);
              resolve();
            } else if (m.fatal) reject(new Error(`estimate worker failed to start: ${m.fatal}`));
          };
          worker.on('message', onMsg);
          worker.once('error', reject);
        });
        worker.unref();
        return { worker, errors: channel.port1 };
      }),
    );
    return new RowPool(slots);
  }

  get threads(): number {
    return this.slots.length + 1;
  }

  f64(n: number): Float64Array {
    return new Float64Array(new SharedArrayBuffer(8 * n));
  }

  i32(n: number): Int32Array {
    return new Int32Array(new SharedArrayBuffer(4 * n));
  }

  share<T extends Float64Array | Int32Array>(x: T): T {
    if (isShared(x)) return x;
    const copy = (x instanceof Float64Array ? this.f64(x.length) : this.i32(x.length)) as T;
    copy.set(x as never);
    return copy;
  }

  run(name: string, bounds: Int32Array, args: RowArg[], outLen: number): Float64Array {
    if (this.closed) throw new Error('RowPool is closed');
    const C = bounds.length - 1;
    const total = new Float64Array(outLen);
    const kernel = rowKernel(name);
    if (C === 1 || this.slots.length === 0) {
      // Same chunking and summation order as the parallel path (and as the sequential runner).
      if (C === 1) kernel(bounds[0], bounds[1], total, ...args);
      else {
        const out = new Float64Array(outLen);
        for (let c = 0; c < C; c++) {
          out.fill(0);
          kernel(bounds[c], bounds[c + 1], out, ...args);
          for (let q = 0; q < outLen; q++) total[q] += out[q];
        }
      }
      return total;
    }
    for (const a of args) {
      if (ArrayBuffer.isView(a) && !isShared(a)) throw new Error(`RowPool.run(${name}): an argument is not in shared memory (allocate it with f64/i32 or pass it through share)`);
    }
    if (this.out.length < C * outLen) this.out = new Float64Array(new SharedArrayBuffer(8 * C * outLen));
    const out = this.out;
    out.fill(0, 0, C * outLen);
    const ctrl = this.ctrl;
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, FAILED, 0);
    const call: RowCall = { name, bounds, args, outLen, out, ctrl };
    for (const s of this.slots) s.worker.postMessage(call);
    let error: unknown = null;
    try {
      runChunks(call, kernel);
    } catch (e) {
      error = e;
      // Let the workers run out of chunks.
      Atomics.store(ctrl, NEXT, C);
    }
    const W = this.slots.length;
    for (let done = Atomics.load(ctrl, DONE); done < W; done = Atomics.load(ctrl, DONE)) Atomics.wait(ctrl, DONE, done);
    if (error) throw error;
    if (Atomics.load(ctrl, FAILED)) {
      const msgs: string[] = [];
      for (const s of this.slots) for (let m = receiveMessageOnPort(s.errors); m; m = receiveMessageOnPort(s.errors)) msgs.push(String(m.message));
      throw new Error(`row kernel ${name} failed in a worker thread: ${msgs.join('; ')}`);
    }
    for (let c = 0; c < C; c++) {
      const base = c * outLen;
      for (let q = 0; q < outLen; q++) total[q] += out[base + q];
    }
    return total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) s.errors.close();
  }
}

/** Takes chunks from the shared counter until none are left (used by the calling thread and the workers). */
export function runChunks(call: RowCall, kernel: ReturnType<typeof rowKernel>): void {
  const { bounds, args, outLen, out, ctrl } = call;
  const C = bounds.length - 1;
  for (let c = Atomics.add(ctrl, NEXT, 1); c < C; c = Atomics.add(ctrl, NEXT, 1)) {
    kernel(bounds[c], bounds[c + 1], out.subarray(c * outLen, (c + 1) * outLen), ...args);
  }
}

/** Runs `fn` with a pool of `threads` threads and always stops the workers. */
export async function withRowPool<T>(threads: number, fn: (pool: RowPool) => T | Promise<T>): Promise<T> {
  const pool = await RowPool.create(threads);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
