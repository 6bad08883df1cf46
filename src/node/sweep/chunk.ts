// Running one chunk of a sweep in Node: the worker's SweepModel (built once per plan and kept: warm caches of
// the baselines), the chunk's draws, and its Parquet shard written with DuckDB (to a temporary name, then renamed:
// a worker killed mid-write leaves no shard, and a redone chunk overwrites with identical bits).
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { parseScenario } from '../../scenario/load.ts';
import { compileCp } from '../../app/models/cp.ts';
import { scenarioDataset } from '../../app/scenario.ts';
import { nodeSources } from '../sources.ts';
import { SweepModel, type DrawRow, type PrepareVariant, type PreparedSide } from '../../sweep/evaluate.ts';
import type { Chunk, PolicyOverrides, SweepPlan } from '../../sweep/plan.ts';
import { hash32 } from '../../sweep/rng.ts';

/** A chunk job: what the local pool posts to a thread and what BullMQ stores as job data. */
export interface ChunkJob {
  plan: SweepPlan;
  chunk: Chunk;
  /** Folder of the shards (shared by every worker; a network folder when workers run on several machines). */
  outDir: string;
}

export interface ChunkResult {
  chunk: number;
  shard: string;
  draws: number;
  /** Wall time of the chunk's draws and of writing its shard, ms. */
  ms: number;
  /** Wall time of each draw's solve(s), ms (the pilot chunk's sizes the others: src/sweep/plan.ts chunkSizeFor). */
  drawMs: number[];
  /** Of which spent reporting progress (e.g. BullMQ progress events, a Redis round trip each), ms. */
  progressMs: number;
  /** Wall-clock start and end of the chunk (ms since the epoch), to compare with a queue's own timestamps. */
  startedAt: number;
  endedAt: number;
}

const models = new Map<string, Promise<SweepModel>>();
/** Plans whose models a worker keeps (a long-lived worker — a server solve thread — meets many sweeps). */
const MAX_MODELS = 4;

/** The worker's model for a plan (compiled once per plan and process/thread; the latest MAX_MODELS are kept). */
export function sweepModel(plan: SweepPlan): Promise<SweepModel> {
  const id = `${plan.name}#${plan.key}#${plan.scenario.file}#${plan.deal?.file ?? ''}#${hash32(plan.scenario.text + (plan.deal?.text ?? ''))}`;
  let m = models.get(id);
  if (!m) {
    m = Promise.resolve(new SweepModel(plan, variantPreparer(plan)));
    models.set(id, m);
    while (models.size > MAX_MODELS) models.delete(models.keys().next().value as string);
  }
  return m;
}

/** Compiles the plan's scenarios with a draw's policy overrides (applied to every scenario with a policy block). */
export function variantPreparer(plan: SweepPlan, dataDir = plan.dataDir): PrepareVariant {
  const sources = nodeSources(dataDir);
  const prep = async (s: { file: string; text: string }, policy: PolicyOverrides): Promise<PreparedSide> => {
    const parsed = parseScenario(s.text, s.file);
    const scenario = parsed.spec.policy && Object.keys(policy).length > 0 ? { ...parsed, spec: { ...parsed.spec, policy: { ...parsed.spec.policy, ...policy } } } : parsed;
    const { prepared } = await compileCp(scenario, scenarioDataset(scenario), sources);
    return { scenario, prepared };
  };
  return async (policy) => ({ base: await prep(plan.scenario, policy), ...(plan.deal ? { deal: await prep(plan.deal, policy) } : {}) });
}

export function shardPath(outDir: string, plan: SweepPlan, chunk: number): string {
  return join(outDir, `${plan.name}-${String(chunk).padStart(6, '0')}.parquet`);
}

/** Runs the chunk's draws (yielding to the event loop between draws: lock renewals and messages) and writes its shard. */
export async function runChunk(job: ChunkJob, onDraw?: (done: number, total: number) => void | Promise<void>, pauseMs = 0): Promise<ChunkResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const model = await sweepModel(job.plan);
  await model.ensure(job.chunk.start, job.chunk.end);
  const rows: DrawRow[] = [];
  const total = job.chunk.end - job.chunk.start;
  const drawMs: number[] = [];
  let progressMs = 0;
  for (let d = job.chunk.start; d < job.chunk.end; d++) {
    const d0 = performance.now();
    rows.push(model.evaluate(d));
    drawMs.push(performance.now() - d0);
    const p0 = performance.now();
    await onDraw?.(d - job.chunk.start + 1, total);
    progressMs += performance.now() - p0;
    await new Promise<void>((r) => (pauseMs > 0 ? setTimeout(r, pauseMs) : setImmediate(r)));
  }
  const shard = shardPath(job.outDir, job.plan, job.chunk.index);
  await writeShard(shard, model.columns, rows);
  return { chunk: job.chunk.index, shard, draws: rows.length, ms: performance.now() - t0, drawMs, progressMs, startedAt, endedAt: Date.now() };
}

type DuckConn = Awaited<ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api')['DuckDBInstance']['create']>>['connect']>>;
let duck: Promise<DuckConn> | null = null;

async function connection(): Promise<DuckConn> {
  duck ??= (async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(':memory:');
    return inst.connect();
  })();
  return duck;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Writes rows (draw INTEGER, closure VARCHAR, then DOUBLE columns) as a Parquet file, atomically. */
export async function writeShard(path: string, columns: string[], rows: DrawRow[]): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  const conn = await connection();
  const table = `shard_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const types = columns.map((c, k) => `${ident(c)} ${k === 0 ? 'INTEGER' : k === 1 ? 'VARCHAR' : 'DOUBLE'}`);
  await conn.run(`CREATE TABLE ${table} (${types.join(', ')})`);
  try {
    const app = await conn.createAppender(table);
    for (const r of rows) {
      app.appendInteger(r[0] as number);
      app.appendVarchar(r[1] as string);
      for (let k = 2; k < r.length; k++) app.appendDouble(r[k] as number);
      app.endRow();
    }
    app.flushSync();
    app.closeSync();
    const tmp = `${path}.tmp-${process.pid}-${threadId}`;
    await conn.run(`COPY (SELECT * FROM ${table} ORDER BY draw) TO ${sqlString(tmp)} (FORMAT parquet)`);
    renameSync(tmp, path);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

export function removeShards(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
}
