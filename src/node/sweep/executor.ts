// The executor interface shared by the local worker-thread pool (./local.ts), the BullMQ queue (./queue.ts) and
// the calling thread itself (./inline.ts: the server's solve workers, a queue sweep's pilot chunk) (and, later,
// Web Workers): run chunk jobs, report progress, return one result per chunk.
import type { ChunkJob, ChunkResult } from './chunk.ts';

export interface SweepProgress {
  chunksDone: number;
  chunks: number;
  drawsDone: number;
  draws: number;
}

export interface Executor {
  readonly kind: 'local' | 'queue' | 'inline';
  /** Chunks run at once, when known (the queue's workers are not): caps the chunk size so every worker gets work. */
  readonly size?: number;
  /** Runs every job; resolves with the results in job order; rejects on the first failed chunk. */
  run(jobs: ChunkJob[], onProgress?: (p: SweepProgress) => void): Promise<ChunkResult[]>;
  close(): Promise<void>;
}
