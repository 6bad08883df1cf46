// Running a planned sweep on an executor: chunk jobs, shards, DuckDB summary. The chunk size is the plan's when
// given (`chunk:` in the sweep file, `--chunk-size`); otherwise a pilot chunk of the first PILOT_DRAWS draws is run
// and timed first, and the remaining draws are cut into chunks of about TARGET_CHUNK_MS each (src/sweep/plan.ts
// chunkSizeFor). Draws are keyed by (sweep, draw), so the chunking never changes the numbers.
import { chunkSizeFor, chunksOf, pilotMsPerDraw, PILOT_DRAWS, type Chunk, type SweepPlan } from '../../sweep/plan.ts';
import type { ChunkJob, ChunkResult } from './chunk.ts';
import type { Executor, SweepProgress } from './executor.ts';
import { summarize, type SweepSummary } from './summary.ts';

export interface SweepRun {
  summary: SweepSummary;
  shards: string[];
  /** The chunks run (the pilot first when the size was measured). */
  chunks: Chunk[];
  /** Draws per chunk after the pilot (the plan's when given). */
  chunkSize: number;
  /** The pilot's time per draw, ms (median of its draws after the first), when the size was measured. */
  pilotMsPerDraw?: number;
  /** Wall time of the whole sweep and the chunks' own times (a worker's first chunk includes building its model), ms. */
  wallMs: number;
  chunkMs: number[];
  /** Each chunk's draw times, ms (the solves only), in chunk order. */
  drawMs: number[][];
}

export interface SweepRunOptions {
  /** Runs the pilot chunk (default: the executor). A queue sweep pilots in the submitting process (InlineExecutor). */
  pilot?: Executor;
  /** Wall time a chunk aims at, ms (default TARGET_CHUNK_MS). */
  targetChunkMs?: number;
}

/** The chunk jobs of a plan with a fixed chunk size (the plan's; `size` when given). */
export function chunkJobs(plan: SweepPlan, outDir: string, size = plan.chunk): ChunkJob[] {
  if (size === undefined) throw new Error(`sweep ${plan.name}: chunkJobs needs a chunk size (the plan measures it: use runSweep)`);
  return chunksOf(plan.draws, size).map((chunk) => ({ plan, chunk, outDir }));
}

export async function runSweep(plan: SweepPlan, executor: Executor, outDir: string, onProgress?: (p: SweepProgress) => void, opts: SweepRunOptions = {}): Promise<SweepRun> {
  const t0 = performance.now();
  const results: ChunkResult[] = [];
  const chunks: Chunk[] = [];
  let chunkSize: number;
  let pilotMs: number | undefined;
  if (plan.chunk !== undefined) {
    chunkSize = plan.chunk;
    const jobs = chunkJobs(plan, outDir);
    results.push(...(await executor.run(jobs, onProgress)));
    chunks.push(...jobs.map((j) => j.chunk));
  } else {
    const pilot: Chunk = { index: 0, start: 0, end: Math.min(PILOT_DRAWS, plan.draws) };
    const [first] = await (opts.pilot ?? executor).run([{ plan, chunk: pilot, outDir }], (p) => onProgress?.({ chunksDone: p.chunksDone, chunks: 1, drawsDone: p.drawsDone, draws: plan.draws }));
    results.push(first);
    chunks.push(pilot);
    pilotMs = pilotMsPerDraw(first.drawMs);
    const remaining = plan.draws - pilot.end;
    chunkSize = chunkSizeFor(pilotMs, remaining, executor.size ?? 1, opts.targetChunkMs);
    const rest = chunksOf(plan.draws, chunkSize, pilot.end, 1);
    if (rest.length > 0) {
      const all = rest.length + 1;
      onProgress?.({ chunksDone: 1, chunks: all, drawsDone: pilot.end, draws: plan.draws });
      const out = await executor.run(rest.map((chunk) => ({ plan, chunk, outDir })), (p) => onProgress?.({ chunksDone: 1 + p.chunksDone, chunks: all, drawsDone: pilot.end + p.drawsDone, draws: plan.draws }));
      results.push(...out);
      chunks.push(...rest);
    }
  }
  const shards = results.map((r) => r.shard);
  const summary = await summarize(plan, shards);
  return { summary, shards, chunks, chunkSize, ...(pilotMs !== undefined ? { pilotMsPerDraw: pilotMs } : {}), wallMs: performance.now() - t0, chunkMs: results.map((r) => r.ms), drawMs: results.map((r) => r.drawMs) };
}

/** The chunk jobs a finished run used (to remove a queue sweep's jobs). */
export function jobsOf(plan: SweepPlan, run: SweepRun, outDir: string): ChunkJob[] {
  return run.chunks.map((chunk) => ({ plan, chunk, outDir }));
}
