// `tariffsim worker --queue URL`: a BullMQ worker that processes sweep chunks (one at a time per process; start
// one process per core). Progress events per draw. Yields between draws so the job lock is renewed while a
// chunk runs; a killed worker's chunk is found stalled and redone by another worker.
import { Worker } from 'bullmq';
import { runChunk, type ChunkJob } from './chunk.ts';
import { connectionOf, QUEUE_NAME, type RedisTarget } from './queue.ts';

export interface QueueWorkerOptions {
  name?: string;
  /** Lock on a running chunk, ms; renewed every half of it while the chunk runs. Default 10 000. */
  lockDuration?: number;
  /** How often stalled chunks (dead workers) are looked for, ms. Default 5 000. */
  stalledInterval?: number;
  onChunk?: (info: { id: string; chunk: number; ms: number }) => void;
}

export function startQueueWorker(target: RedisTarget, opts: QueueWorkerOptions = {}): Worker {
  return new Worker(
    opts.name ?? QUEUE_NAME,
    async (job) => {
      const data = job.data as ChunkJob;
      const result = await runChunk(data, (done, total) => job.updateProgress({ done, total }));
      opts.onChunk?.({ id: job.id ?? '', chunk: data.chunk.index, ms: result.ms });
      return result;
    },
    {
      connection: connectionOf(target),
      concurrency: 1,
      lockDuration: opts.lockDuration ?? 10_000,
      stalledInterval: opts.stalledInterval ?? 5_000,
      maxStalledCount: 3,
    },
  );
}
