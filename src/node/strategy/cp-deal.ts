// The deal grid of the multi-sector model on a worker thread: started before the scenario is compiled (module
// loading, the baseline solve) and then handed the upper half of the grid's rows while the calling thread
// solves the lower half (src/scenario/deal.ts dealOnScenarioSplit). The worker builds the same model as the
// calling thread (dealModel, dealGridModel), so both parts share one baseline.
import { Worker } from 'node:worker_threads';
import type { World } from '../../data/world.ts';
import type { Closure } from '../../model/cp/model.ts';
import type { CpSolveOptions } from '../../model/cp/solve.ts';
import type { DealGridBlock, DealGridRows } from '../../strategy/bargaining.ts';
import { reviveError, type SerializedError } from './error-codec.ts';
import { workerSource } from '../worker-source.ts';

/** What the worker builds as soon as it starts: the model of the deal (dealModel). */
export interface CpDealInit {
  world: World;
  closure: Closure;
  solver: Partial<CpSolveOptions>;
}

/** The rows of one deal: the prepared scenario's world (when it is not the `init` world, e.g. other θ), solver options and NTB changes. */
export interface CpDealJob extends CpDealInit {
  tradeCostChange?: Float64Array;
}

export interface CpDealHelper {
  /** The grid rows runner for a deal on `job` (same closure and solver as the model of the calling thread). */
  rows(job: CpDealJob): DealGridRows;
  /** Terminates the worker. */
  close(): Promise<void>;
}

type Reply = { id: number; row: number } | { id: number; block: DealGridBlock } | { id: number; error: SerializedError } | { fatal: string };

/** Starts the worker now (it loads its modules and solves the baseline of `init` while the caller carries on). */
export function startCpDealHelper(init: CpDealInit): CpDealHelper {
  const worker = new Worker(workerSource('node/strategy/cp-deal-worker'), { eval: true, workerData: { init } });
  // The worker is an optimisation: an idle one must not keep the process alive.
  worker.unref();
  let fatal: Error | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (b: DealGridBlock) => void; reject: (e: Error) => void; onRow?: (row: number) => void }>();
  const failAll = (e: Error): void => {
    fatal = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: Reply) => {
    if ('fatal' in m) return failAll(new Error(`deal worker failed to start: ${m.fatal}`));
    const w = waiting.get(m.id);
    if (!w) return;
    if ('row' in m) w.onRow?.(m.row);
    else {
      waiting.delete(m.id);
      if ('block' in m) w.resolve(m.block);
      else w.reject(reviveError(m.error, 'deal worker, grid rows'));
    }
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (waiting.size) failAll(new Error(`deal worker exited (code ${code}) with rows pending`));
  });
  return {
    rows(job: CpDealJob): DealGridRows {
      return (spec, from, to, onRow) =>
        new Promise<DealGridBlock>((resolve, reject) => {
          if (fatal) return reject(fatal);
          const id = next++;
          waiting.set(id, { resolve, reject, onRow });
          worker.ref();
          // The init world is already in the worker: send the job's world only when it is another one.
          const { world, ...rest } = job;
          worker.postMessage({ id, job: world === init.world ? rest : job, spec, from, to });
        }).finally(() => {
          if (waiting.size === 0) worker.unref();
        });
    },
    async close(): Promise<void> {
      await worker.terminate();
    },
  };
}
