// The inline executor: runs chunk jobs one after another in the calling thread (no worker of its own). Used where
// the caller already is a worker (a server solve thread running a sweep run) and for the pilot chunk of a queue
// sweep, which the submitting process times before it sizes and queues the other chunks (./run.ts).
import { runChunk, type ChunkJob, type ChunkResult } from './chunk.ts';
import type { Executor, SweepProgress } from './executor.ts';

export class InlineExecutor implements Executor {
  readonly kind = 'inline' as const;
  readonly size = 1;

  async run(jobs: ChunkJob[], onProgress?: (p: SweepProgress) => void): Promise<ChunkResult[]> {
    const draws = jobs.reduce((s, j) => s + j.chunk.end - j.chunk.start, 0);
    const results: ChunkResult[] = [];
    let drawsDone = 0;
    for (const job of jobs) {
      const before = drawsDone;
      const r = await runChunk(job, (done) => {
        drawsDone = before + done;
        onProgress?.({ chunksDone: results.length, chunks: jobs.length, drawsDone, draws });
      });
      results.push(r);
      onProgress?.({ chunksDone: results.length, chunks: jobs.length, drawsDone, draws });
    }
    return results;
  }

  async close(): Promise<void> {}
}
