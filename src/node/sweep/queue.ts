// The distributed executor: chunks are BullMQ jobs on Redis; `tariffsim worker --queue URL` (./queue-worker.ts)
// processes them on any number of machines. Job ids are `<sweep>-<plan hash>-<start>-<end>` (no ':', which
// BullMQ reserves); re-adding a job whose id exists is a no-op, so a restarted coordinator does not duplicate work; the
// jobs are removed once the sweep's summary is computed (src/cli/commands/sweep.ts). A worker killed
// mid-chunk loses its lock; BullMQ's stalled-job check moves the chunk back to the wait list and another worker
// redoes it — with identical numbers, since draws are keyed by (sweep, draw) and warm starts reset per chunk.
import { Queue, QueueEvents, type Job } from 'bullmq';
import { InputError } from '../../errors.ts';
import { hash32 } from '../../sweep/rng.ts';
import type { ChunkJob, ChunkResult } from './chunk.ts';
import type { Executor, SweepProgress } from './executor.ts';

export const QUEUE_NAME = 'tariffsim-sweep';

export interface RedisTarget {
  host: string;
  port: number;
  db?: number;
}

/** Parses redis://host:port[/db]. */
export function parseRedisUrl(url: string, field = '--queue'): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`not a URL: '${url}'`, { field }, 'give redis://HOST:PORT, e.g. redis://127.0.0.1:6379');
  }
  if (u.protocol !== 'redis:') throw new InputError(`unsupported scheme '${u.protocol}'`, { field }, 'give redis://HOST:PORT');
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new InputError(`bad database number in '${url}'`, { field });
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379, ...(db !== undefined ? { db } : {}) };
}

export function connectionOf(t: RedisTarget) {
  return { host: t.host, port: t.port, ...(t.db !== undefined ? { db: t.db } : {}), maxRetriesPerRequest: null };
}

/**
 * `<sweep>-<hash of the plan>-<first draw>-<end>`: the same sweep (same plan, any output folder) maps to the same
 * ids, a changed spec under the same name to new ones, and a chunk is named by its draws (a restarted
 * coordinator whose pilot chose another chunk size never collects a chunk of other draws). No ':' (BullMQ
 * reserves it).
 */
export function jobId(job: ChunkJob): string {
  const { plan } = job;
  return `${plan.name}-${hash32(JSON.stringify(plan)).toString(16).padStart(8, '0')}-${job.chunk.start}-${job.chunk.end}`;
}

export class QueueExecutor implements Executor {
  readonly kind = 'queue' as const;
  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {}

  /** Connects to Redis; fails with an InputError naming --queue when it is not reachable within `timeoutMs`. */
  static async create(target: RedisTarget, name = QUEUE_NAME, timeoutMs = 5000): Promise<QueueExecutor> {
    await assertReachable(target, timeoutMs);
    const connection = connectionOf(target);
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueExecutor(queue, events);
  }

  async run(jobs: ChunkJob[], onProgress?: (p: SweepProgress) => void): Promise<ChunkResult[]> {
    const draws = jobs.reduce((s, j) => s + j.chunk.end - j.chunk.start, 0);
    const ids = jobs.map(jobId);
    const index = new Map(ids.map((id, k) => [id, k]));
    const results: ChunkResult[] = new Array(jobs.length);
    const partial = new Map<string, number>();
    let chunksDone = 0;
    let drawsDone = 0;
    const report = () => onProgress?.({ chunksDone, chunks: jobs.length, drawsDone: drawsDone + [...partial.values()].reduce((a, b) => a + b, 0), draws });
    const done = new Promise<void>((resolve, reject) => {
      const finish = (id: string, value: ChunkResult) => {
        const k = index.get(id);
        if (k === undefined || results[k]) return;
        results[k] = value;
        partial.delete(id);
        chunksDone++;
        drawsDone += value.draws;
        report();
        if (chunksDone === jobs.length) {
          cleanup();
          resolve();
        }
      };
      const onCompleted = ({ jobId: id, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        finish(id, (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ChunkResult);
      };
      const onFailed = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }) => {
        if (!index.has(id)) return;
        cleanup();
        reject(new Error(`chunk job ${id} failed: ${failedReason}`));
      };
      const onProgressEvent = ({ jobId: id, data }: { jobId: string; data: unknown }) => {
        if (!index.has(id) || typeof data !== 'object' || data === null) return;
        partial.set(id, Number((data as { done?: number }).done ?? 0));
        report();
      };
      const cleanup = () => {
        this.events.off('completed', onCompleted);
        this.events.off('failed', onFailed);
        this.events.off('progress', onProgressEvent);
      };
      this.events.on('completed', onCompleted);
      this.events.on('failed', onFailed);
      this.events.on('progress', onProgressEvent);
      // Jobs already finished (a restarted coordinator) are collected after adding.
      void (async () => {
        try {
          await this.queue.addBulk(jobs.map((j, k) => ({ name: 'chunk', data: j, opts: { jobId: ids[k], removeOnComplete: false, removeOnFail: false, attempts: 1 } })));
          for (const [k, id] of ids.entries()) {
            const job: Job | undefined = await this.queue.getJob(id);
            if (job && (await job.isCompleted()) && !results[k]) finish(id, job.returnvalue as ChunkResult);
            else if (job && (await job.isFailed())) onFailed({ jobId: id, failedReason: job.failedReason });
          }
        } catch (err) {
          cleanup();
          reject(err);
        }
      })();
    });
    await done;
    return results;
  }

  /** BullMQ's timestamps of finished jobs (ms since the epoch) and the worker that ran each. */
  async jobTimes(jobs: ChunkJob[]): Promise<{ id: string; processedOn: number; finishedOn: number; processedBy: string; result: ChunkResult }[]> {
    const out = [];
    for (const j of jobs) {
      const job = await this.queue.getJob(jobId(j));
      if (job?.processedOn && job.finishedOn) out.push({ id: jobId(j), processedOn: job.processedOn, finishedOn: job.finishedOn, processedBy: job.processedBy ?? '', result: job.returnvalue as ChunkResult });
    }
    return out;
  }

  /** Removes this sweep's jobs (completed ones keep their results until then). */
  async remove(jobs: ChunkJob[]): Promise<void> {
    for (const j of jobs) await this.queue.remove(jobId(j));
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
  }
}

/** A one-off PING with no retries: a wrong --queue fails fast instead of retrying forever. */
export async function assertReachable(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: target.host, port: target.port, ...(target.db !== undefined ? { db: target.db } : {}), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new InputError(`cannot reach Redis at ${target.host}:${target.port} (${(err as Error).message})`, { field: '--queue' }, 'start redis-server, or check the host and port of --queue');
  } finally {
    client.disconnect();
  }
}
