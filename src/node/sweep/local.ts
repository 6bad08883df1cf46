// The local executor: a pool of worker threads, each keeping its SweepModel between chunks.
import { Worker } from 'node:worker_threads';
import { workerSource } from '../worker-source.ts';
import type { ChunkJob, ChunkResult } from './chunk.ts';
import type { Executor, SweepProgress } from './executor.ts';

type Reply = { ready: true } | { fatal: string } | { id: number; draw: number } | { id: number; result: ChunkResult } | { id: number; error: string };

export class LocalExecutor implements Executor {
  readonly kind = 'local' as const;
  private constructor(private readonly workers: Worker[]) {}

  static async create(size: number): Promise<LocalExecutor> {
    const code = workerSource('node/sweep/local-worker');
    const workers = await Promise.all(
      Array.from({ length: Math.max(1, Math.floor(size)) }, async () => {
        const w = new Worker(code, { eval: true });
        await new Promise<void>((resolve, reject) => {
          const on = (m: Reply) => {
            if ('ready' in m) {
              w.off('message', on);
              resolve();
            } else if ('fatal' in m) reject(new Error(`sweep worker failed to start: ${m.fatal}`));
          };
          w.on('message', on);
          w.once('error', reject);
        });
        return w;
      }),
    );
    return new LocalExecutor(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  run(jobs: ChunkJob[], onProgress?: (p: SweepProgress) => void): Promise<ChunkResult[]> {
    const results: ChunkResult[] = new Array(jobs.length);
    const draws = jobs.reduce((s, j) => s + j.chunk.end - j.chunk.start, 0);
    let next = 0;
    let chunksDone = 0;
    let drawsDone = 0;
    return new Promise((resolve, reject) => {
      if (jobs.length === 0) return resolve(results);
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const onError = (err: unknown) => fail(new Error(`a sweep worker thread failed: ${String((err as Error)?.message ?? err)}`));
      const onExit = (code: number) => fail(new Error(`a sweep worker thread exited (code ${code}) before the sweep finished`));
      for (const w of this.workers) {
        w.once('error', onError);
        w.once('exit', onExit);
      }
      const settle = () => {
        for (const w of this.workers) {
          w.off('error', onError);
          w.off('exit', onExit);
        }
      };
      const dispatch = (w: Worker): void => {
        if (failed || next >= jobs.length) return;
        const id = next++;
        const on = (m: Reply): void => {
          if (!('id' in m) || m.id !== id) return;
          if ('draw' in m) {
            drawsDone++;
            onProgress?.({ chunksDone, chunks: jobs.length, drawsDone, draws });
          } else if ('result' in m) {
            w.off('message', on);
            results[id] = m.result;
            chunksDone++;
            onProgress?.({ chunksDone, chunks: jobs.length, drawsDone, draws });
            if (chunksDone === jobs.length) {
              settle();
              resolve(results);
            } else dispatch(w);
          } else {
            w.off('message', on);
            settle();
            fail(new Error(`chunk ${jobs[id].chunk.index} failed: ${m.error}`));
          }
        };
        w.on('message', on);
        w.postMessage({ id, job: jobs[id] });
      };
      this.workers.forEach(dispatch);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
