// A pool of worker threads that solve best-response jobs in parallel: the Node implementation of the
// BestResponseMap that the pure strategy engine accepts. Each worker holds its own copy of the model (built
// once from a structured-clonable ModelSpec) and its own warm-start state.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BestResponseJob, BestResponseMap, BestResponseResult } from '../../strategy/types.ts';
import { reviveError, type SerializedError } from './error-codec.ts';
import type { ModelSpec } from './models.ts';
import { workerSource } from '../worker-source.ts';

type Reply = { id: number; result?: BestResponseResult; error?: SerializedError } | { ready: true } | { fatal: string };

interface Slot {
  worker: Worker;
  busy: boolean;
}

/** Default number of workers: the available cores (at least 1). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export class WorkerPool {
  private readonly slots: Slot[];
  private closed = false;

  private constructor(slots: Slot[]) {
    this.slots = slots;
  }

  /** Starts `size` workers and waits until each has built its model. */
  static async create(spec: ModelSpec, size = defaultWorkers()): Promise<WorkerPool> {
    const n = Math.max(1, Math.floor(size));
    const code = workerSource('node/strategy/worker');
    const slots = await Promise.all(
      Array.from({ length: n }, async (): Promise<Slot> => {
        const worker = new Worker(code, { eval: true, workerData: { spec } });
        await new Promise<void>((resolve, reject) => {
          const onMsg = (m: Reply): void => {
            if ('ready' in m) {
              worker.off('message', onMsg);
              resolve();
            } else if ('fatal' in m) reject(new Error(`strategy worker failed to start: ${m.fatal}`));
          };
          worker.on('message', onMsg);
          worker.once('error', reject);
        });
        return { worker, busy: false };
      }),
    );
    return new WorkerPool(slots);
  }

  get size(): number {
    return this.slots.length;
  }

  /** The BestResponseMap: distributes jobs over idle workers, returns results in job order. */
  readonly map: BestResponseMap = (jobs: BestResponseJob[], onDone?: (index: number) => void) =>
    new Promise<BestResponseResult[]>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('WorkerPool is closed'));
        return;
      }
      const results: BestResponseResult[] = new Array(jobs.length);
      let next = 0;
      let done = 0;
      let failed = false;
      if (jobs.length === 0) {
        resolve(results);
        return;
      }
      const dispatch = (slot: Slot): void => {
        if (failed || next >= jobs.length) {
          slot.busy = false;
          return;
        }
        const id = next++;
        slot.busy = true;
        const onMsg = (m: Reply): void => {
          if (!('id' in m) || m.id !== id) return;
          slot.worker.off('message', onMsg);
          slot.worker.off('error', onErr);
          if (m.error) {
            failed = true;
            reject(reviveError(m.error, `worker, best response of government ${jobs[id].government}`));
            return;
          }
          results[id] = m.result as BestResponseResult;
          done++;
          onDone?.(id);
          if (done === jobs.length) resolve(results);
          else dispatch(slot);
        };
        const onErr = (e: Error): void => {
          failed = true;
          reject(e);
        };
        slot.worker.on('message', onMsg);
        slot.worker.once('error', onErr);
        slot.worker.postMessage({ id, job: jobs[id] });
      };
      for (const slot of this.slots) dispatch(slot);
    });

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Runs `fn` with a pool of `size` workers and always terminates them. */
export async function withWorkerPool<T>(spec: ModelSpec, size: number, fn: (map: BestResponseMap, pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = await WorkerPool.create(spec, size);
  try {
    return await fn(pool.map, pool);
  } finally {
    await pool.close();
  }
}
