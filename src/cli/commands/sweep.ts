// `tariffsim sweep spec.yaml [--workers N] [--queue redis://HOST:PORT] [--out DIR] [--json]` and
// `tariffsim worker --queue redis://HOST:PORT`: uncertainty sweeps on a local worker-thread pool or on BullMQ.
import type { Command } from 'commander';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { planSweepFile } from '../../node/sweep/plan.ts';
import { jobsOf, runSweep, type SweepRun } from '../../node/sweep/run.ts';
import { LocalExecutor } from '../../node/sweep/local.ts';
import { InlineExecutor } from '../../node/sweep/inline.ts';
import { QueueExecutor, parseRedisUrl } from '../../node/sweep/queue.ts';
import type { Executor } from '../../node/sweep/executor.ts';
import type { SweepPlan } from '../../sweep/plan.ts';
import type { SweepSummary } from '../../node/sweep/summary.ts';
import { fmt, table, toJson } from '../format.ts';
import { progressBar } from '../progress.ts';

export function register(program: Command): void {
  program
    .command('sweep')
    .description('run a sweep file: draws of elasticities/closures, bands (5/50/95%) and shares of qualitative answers')
    .argument('<spec>', 'sweep YAML file, e.g. scenarios/sweeps/standoff-theta.yaml')
    .option('--workers <n>', 'local worker threads (default: cores)')
    .option('--queue <url>', 'run the chunks as BullMQ jobs on this Redis (workers: tariffsim worker --queue URL)')
    .option('--draws <n>', "override the file's number of draws")
    .option('--chunk-size <n>', "draws per chunk (overrides the file's chunk:; default: measured by a pilot chunk, ~2.5 s per chunk)")
    .option('--out <dir>', 'folder of the Parquet shards (default a temporary folder)')
    .option('--data-dir <dir>', 'folder holding the shared datasets')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `
Examples:
  $ tariffsim sweep scenarios/sweeps/standoff-theta.yaml --workers 2
  $ tariffsim worker --queue redis://127.0.0.1:6379 &   # on each machine
  $ tariffsim sweep scenarios/sweeps/standoff-theta.yaml --queue redis://127.0.0.1:6379`)
    .action(async (spec: string, opts: { workers?: string; queue?: string; draws?: string; chunkSize?: string; out?: string; dataDir?: string; json?: boolean }) => {
      const draws = opts.draws !== undefined ? positiveInt(opts.draws, '--draws') : undefined;
      const chunk = opts.chunkSize !== undefined ? positiveInt(opts.chunkSize, '--chunk-size') : undefined;
      const workers = opts.workers !== undefined ? positiveInt(opts.workers, '--workers') : Math.max(1, availableParallelism());
      const target = opts.queue ? parseRedisUrl(opts.queue) : undefined;
      const plan = await planSweepFile(spec, { dataDir: opts.dataDir, draws, chunk }); // validates before anything is queued
      const summary = await runPlan(plan, { workers, target, out: opts.out });
      process.stdout.write((opts.json ? toJson(summary) : summaryText(summary)) + '\n');
    });
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`expected a positive integer, got '${v}'`, { field: flag });
  return n;
}

/** Runs a plan locally or on the queue with a progress bar (local) or queue progress events (distributed). */
export async function runPlan(plan: SweepPlan, o: { workers: number; target?: ReturnType<typeof parseRedisUrl>; out?: string }): Promise<SweepSummary> {
  const out = o.out ?? mkdtempSync(join(tmpdir(), `tariffsim-sweep-${plan.name}-`));
  const queue = o.target ? await QueueExecutor.create(o.target) : undefined;
  const executor: Executor = queue ?? (await LocalExecutor.create(o.workers));
  // A queue sweep sizes its chunks before queueing them: the pilot chunk runs here, in the submitting process.
  const pilot = queue && plan.chunk === undefined ? new InlineExecutor() : undefined;
  if (queue) process.stderr.write(`sweep ${plan.name}: chunks on the queue${pilot ? ' after a pilot chunk here' : ''}; workers: tariffsim worker --queue redis://${o.target!.host}:${o.target!.port}\n`);
  const bar = progressBar(`sweep ${plan.name} |{bar}| {value}/{total} draws | {chunks} chunks | ${executor.kind}`);
  try {
    const run = await runSweep(plan, executor, out, (p) => bar.update(p.drawsDone, p.draws, { chunks: `${p.chunksDone}/${p.chunks}` }), { pilot });
    await queue?.remove(jobsOf(plan, run, out).slice(pilot ? 1 : 0));
    bar.stop();
    process.stderr.write(`${chunkingText(plan, run)}\n`);
    return run.summary;
  } finally {
    bar.stop();
    await executor.close();
    if (!o.out) rmSync(out, { recursive: true, force: true });
  }
}

/** How the draws were chunked, e.g. "sweep x: pilot chunk of 3 draws (48 ms per draw), then 2 chunks of ≤29 draws (mean 1.62 s of draws per chunk, median draw 52 ms); 11.7 s wall". */
export function chunkingText(plan: SweepPlan, run: SweepRun): string {
  const piloted = run.pilotMsPerDraw !== undefined;
  const rest = run.drawMs.slice(piloted ? 1 : 0);
  const head = piloted ? `pilot chunk of ${run.chunks[0].end - run.chunks[0].start} draws (${run.pilotMsPerDraw!.toFixed(0)} ms per draw), then ` : '';
  const perChunk = rest.length ? rest.reduce((a, d) => a + d.reduce((x, y) => x + y, 0), 0) / rest.length : 0;
  const all = rest.flat().sort((a, b) => a - b);
  const median = all.length ? all[all.length >> 1] : 0;
  return `sweep ${plan.name}: ${head}${rest.length} chunks of ≤${run.chunkSize} draws (mean ${(perChunk / 1000).toFixed(2)} s of draws per chunk, median draw ${median.toFixed(0)} ms); ${(run.wallMs / 1000).toFixed(1)} s wall`;
}

export function summaryText(s: SweepSummary): string {
  const rows = s.bands.map((b) => [b.metric, b.p50, `[${fmt(b.p5)}, ${fmt(b.p95)}]`, b.mean]);
  return [
    `Sweep ${s.sweep}: ${s.draws} draws (seed ${s.seed})`,
    `  ${s.units}`,
    '',
    table(['output', 'median', '90% band [5%, 95%]', 'mean'], rows),
    '',
    ...s.answers.map((a) => `${(a.share * 100).toFixed(1).padStart(5)}% of draws: ${a.statement}`),
  ].join('\n');
}
