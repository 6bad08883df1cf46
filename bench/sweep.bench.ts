// Sweep throughput on the embedded world2024 baseline (scenarios/sweeps/standoff-theta.yaml: standoff vs deal,
// θ of every goods sector drawn): draws per second on the local pool with 1 and 2 worker threads and through
// Redis (BullMQ on a loopback redis-server) with 2 worker processes; scaling efficiency; queue overhead per job
// as a share of a chunk's own time. Medians of `repeats` timed sweeps after a warm-up (workers keep their model).
// Run: npm run bench -- sweep   (or: node --import tsx bench/sweep.bench.ts [draws] [repeats])
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/node/paths.ts';
import { planSweepFile } from '../src/node/sweep/plan.ts';
import { LocalExecutor } from '../src/node/sweep/local.ts';
import { QueueExecutor } from '../src/node/sweep/queue.ts';
import { chunkJobs, runSweep } from '../src/node/sweep/run.ts';
import type { Executor } from '../src/node/sweep/executor.ts';

const draws = Number(process.argv[2] ?? 64);
const repeats = Number(process.argv[3] ?? 3);
const out = mkdtempSync(join(tmpdir(), 'tariffsim-sweep-bench-'));
const plan = { ...(await planSweepFile(join(PROJECT_ROOT, 'scenarios', 'sweeps', 'standoff-theta.yaml'), { draws })), chunk: 16 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label: string, ex: Executor, workers: number, reset?: () => Promise<void>): Promise<{ rate: number; overhead: number; chunk: number }> {
  await runSweep({ ...plan, draws: plan.chunk * workers }, ex, join(out, 'warm')); // each worker builds its model
  await reset?.();
  const rates: number[] = [];
  const overheads: number[] = [];
  const chunks: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const run = await runSweep(plan, ex, join(out, `${label}-${r}`));
    await reset?.();
    rates.push((draws / run.wallMs) * 1000);
    const busy = run.chunkMs.reduce((a, b) => a + b, 0);
    const jobs = run.chunkMs.length;
    overheads.push(((run.wallMs * workers - busy) / jobs) / (busy / jobs));
    chunks.push(busy / jobs);
  }
  const res = { rate: median(rates), overhead: median(overheads), chunk: median(chunks) };
  console.log(`${label.padEnd(26)} ${res.rate.toFixed(2)} draws/s   chunk ${(res.chunk / 1000).toFixed(2)} s (${plan.chunk} draws)   idle+overhead per job ${(res.overhead * 100).toFixed(1)}% of a chunk`);
  return res;
}

console.log(`${draws} draws, chunks of ${plan.chunk}, median of ${repeats} (the machine is shared: timings under load)`);
const l1 = await LocalExecutor.create(1);
const one = await measure('local pool, 1 thread', l1, 1);
await l1.close();
const l2 = await LocalExecutor.create(2);
const two = await measure('local pool, 2 threads', l2, 2);
await l2.close();
console.log(`scaling efficiency 1 → 2 threads: ${((two.rate / one.rate / 2) * 100).toFixed(0)}%`);

if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.log('redis-server not installed: Redis figures skipped');
} else {
  const port = await new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const workers: ChildProcess[] = [];
  try {
    for (let k = 0; k < 50 && !spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG'); k++) await new Promise((r) => setTimeout(r, 100));
    for (let k = 0; k < 2; k++) {
      const w = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/helpers/sweep-worker.ts'), String(port), '60000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      workers.push(w);
      await new Promise<void>((res) => w.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && res()));
    }
    const q = await QueueExecutor.create({ host: '127.0.0.1', port });
    // Queue overhead per job, from BullMQ's own timestamps: per worker, the time a job spends in the queue
    // machinery while the worker holds it (lock, result storage, progress round trips) plus the gap until the
    // worker starts its next job; as a share of the chunk's compute time.
    const overheads: number[] = [];
    const reset = async () => {
      const times = await q.jobTimes(chunkJobs(plan, ''));
      if (times.length === chunkJobs(plan, '').length) {
        const byWorker = new Map<string, typeof times>();
        for (const t of times) byWorker.set(t.processedBy, [...(byWorker.get(t.processedBy) ?? []), t]);
        let over = 0;
        let held = 0;
        let before = 0;
        let progress = 0;
        let afterEnd = 0;
        let compute = 0;
        for (const list of byWorker.values()) {
          list.sort((a, b) => a.processedOn - b.processedOn);
          list.forEach((t, k) => {
            const own = t.result.ms - t.result.progressMs;
            held += t.finishedOn - t.processedOn - own;
            before += t.result.startedAt - t.processedOn;
            progress += t.result.progressMs;
            afterEnd += t.finishedOn - t.result.endedAt;
            over += t.finishedOn - t.processedOn - own + (k + 1 < list.length ? list[k + 1].processedOn - t.finishedOn : 0);
            compute += own;
          });
        }
        overheads.push(over / compute);
        console.log(`  run: ${times.length} jobs, mean compute ${(compute / times.length).toFixed(0)} ms/job, queue overhead ${(over / times.length).toFixed(1)} ms/job (of which held-not-computing ${(held / times.length).toFixed(1)} ms: taken → chunk start ${(before / times.length).toFixed(1)} ms, chunk end → finished ${(afterEnd / times.length).toFixed(1)} ms, progress events ${(progress / times.length).toFixed(1)} ms)`);
      }
      await q.remove(chunkJobs(plan, ''));
      await q.remove(chunkJobs({ ...plan, draws: plan.chunk * 2 }, ''));
    };
    const rq = await measure('Redis, 2 worker processes', q, 2, reset);
    await q.close();
    console.log(`Redis vs local 2 threads: ${((rq.rate / two.rate) * 100).toFixed(0)}% of the throughput; scaling efficiency vs 1 thread ${((rq.rate / one.rate / 2) * 100).toFixed(0)}%`);
    console.log(`queue overhead per job (BullMQ timestamps: held-but-not-computing + gap to the next job, per worker): median ${(median(overheads) * 100).toFixed(2)}% of a chunk's compute time (runs: ${overheads.map((o) => (o * 100).toFixed(2)).join(', ')}%)`);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    redis.kill('SIGTERM');
  }
}
rmSync(out, { recursive: true, force: true });
