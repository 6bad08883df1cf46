// Running a planned sweep on an executor: chunk jobs, shards, DuckDB summary.
import { chunksOf, type SweepPlan } from '../../sweep/plan.ts';
import type { ChunkJob } from './chunk.ts';
import type { Executor, SweepProgress } from './executor.ts';
import { summarize, type SweepSummary } from './summary.ts';

export interface SweepRun {
  summary: SweepSummary;
  shards: string[];
  /** Wall time of the whole sweep and the sum of the chunks' own times, ms. */
  wallMs: number;
  chunkMs: number[];
}

export function chunkJobs(plan: SweepPlan, outDir: string): ChunkJob[] {
  return chunksOf(plan.draws, plan.chunk).map((chunk) => ({ plan, chunk, outDir }));
}

export async function runSweep(plan: SweepPlan, executor: Executor, outDir: string, onProgress?: (p: SweepProgress) => void): Promise<SweepRun> {
  const t0 = performance.now();
  const results = await executor.run(chunkJobs(plan, outDir), onProgress);
  const shards = results.map((r) => r.shard);
  const summary = await summarize(plan, shards);
  return { summary, shards, wallMs: performance.now() - t0, chunkMs: results.map((r) => r.ms) };
}
