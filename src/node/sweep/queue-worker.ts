// `tariffsim worker --queue URL`: a BullMQ worker that processes sweep chunks (one at a time per process; start
// one process per core). Progress events per draw. Yields between draws so the job lock is renewed while a
// chunk runs; a killed worker's chunk is found stalled and redone by another worker.
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { runChunk, type ChunkJob } from './chunk.ts';
import { connectionOf, QUEUE_NAME, type RedisTarget } from './queue.ts';

export interface QueueWorkerOptions {
  name?: string;
  /**
   * Lock on a running chunk, ms; renewed every half of it between draws. It must exceed the longest stretch
   * without a yield: a worker's first chunk compiles the scenarios and solves the baselines in one go (seconds,
   * more on a loaded machine). Default 60 000; a killed worker's chunk is redone after at most this plus
   * stalledInterval.
   */
  lockDuration?: number;
  /** How often stalled chunks (dead workers) are looked for, ms. Default 5 000. */
  stalledInterval?: number;
  onChunk?: (info: { id: string; chunk: number; ms: number }) => void;
  /** Pause after each draw, ms (tests: keeps a chunk running long enough to kill its worker mid-chunk). */
  drawPauseMs?: number;
}

export function startQueueWorker(target: RedisTarget, opts: QueueWorkerOptions = {}): Worker {
  const worker = new Worker(
    opts.name ?? QUEUE_NAME,
    async (job) => {
      const data = job.data as ChunkJob;
      // Progress events at most once a second and off the critical path (not awaited): each is a Redis round trip.
      let last = 0;
      const result = await runChunk(data, (done, total) => {
        const now = Date.now();
        if (now - last < 1000 && done < total) return;
        last = now;
        void job.updateProgress({ done, total }).catch(() => undefined);
      }, opts.drawPauseMs);
      opts.onChunk?.({ id: job.id ?? '', chunk: data.chunk.index, ms: result.ms });
      return result;
    },
    {
      connection: connectionOf(target),
      name: `${hostname()}-${process.pid}`,
      concurrency: 1,
      lockDuration: opts.lockDuration ?? 60_000,
      stalledInterval: opts.stalledInterval ?? 5_000,
      maxStalledCount: 3,
    },
  );
  // A lost lock (the chunk ran too long without yielding) only means the chunk may be done twice, with the same
  // numbers; report it in one line instead of a stack trace.
  worker.on('error', (err) => process.stderr.write(`sweep worker: ${err.message}\n`));
  return worker;
}
