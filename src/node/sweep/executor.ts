// The executor interface shared by the local worker-thread pool (./local.ts) and the BullMQ queue (./queue.ts)
// (and, later, Web Workers): run chunk jobs, report progress, return one result per chunk.
import type { ChunkJob, ChunkResult } from './chunk.ts';

export interface SweepProgress {
  chunksDone: number;
  chunks: number;
  drawsDone: number;
  draws: number;
}

export interface Executor {
  readonly kind: 'local' | 'queue';
  /** Runs every job; resolves with the results in job order; rejects on the first failed chunk. */
  run(jobs: ChunkJob[], onProgress?: (p: SweepProgress) => void): Promise<ChunkResult[]>;
  close(): Promise<void>;
}
