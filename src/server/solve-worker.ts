// Worker-thread entry of the server's solve pool (./pool.ts): runs one job at a time through the application
// layer with Node's data sources, posting throttled progress, then the JSON report and its flat table, or the
// failure (InputError / ConvergenceError members). Files named inside client inputs are never read.
import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors.ts';
import { runScenario } from '../app/scenario.ts';
import { standoffByClosure } from '../app/standoff.ts';
import { deal } from '../app/deal.ts';
import { war } from '../app/war.ts';
import type { DataSources } from '../app/sources.ts';
import { scenarioFromObject } from '../scenario/load.ts';
import { nodeSources } from '../node/sources.ts';
import { parseSweep } from '../sweep/load.ts';
import { planSweep } from '../node/sweep/plan.ts';
import { runSweep } from '../node/sweep/run.ts';
import { InlineExecutor } from '../node/sweep/inline.ts';
import { readDraws, unitOf } from '../node/sweep/summary.ts';
import { failure, type JobSpec, type Progress, type ScenarioInput, type SweepInput, type WorkerReply } from './job.ts';
import { plain, reportTable, type TableRow } from './tables.ts';
import { API_FIELDS, buildTimelineInputs, runTimeline, timelineJson, timelineMonths, timelineTable, type TimelineInputs } from '../node/timeline.ts';

const port = parentPort;
if (!port) throw new Error('server/solve-worker.ts must run in a worker thread');
const post = (m: WorkerReply) => port.postMessage(m);

/** Node's sources without reading files named by the client (a scenario's `fromEstimate`). */
function serverSources(): DataSources {
  const base = nodeSources();
  return {
    ...base,
    readText(path) {
      throw new InputError(`the HTTP API does not read files named in inputs ('${path}')`, { field: 'elasticities.fromEstimate' }, 'give theta as a number');
    },
  };
}

// Solves yield the CPU to the thread that answers requests: on Linux this lowers only this thread (and the
// threads it starts) to nice 10; elsewhere it may fail and is ignored.
try {
  setPriority(0, 10);
} catch {
  // not permitted here: solves keep the process priority
}

const sources = serverSources();
const load = (s: ScenarioInput) => scenarioFromObject(s.spec, s.label);

function throttled(): (p: Progress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    post({ progress: p });
  };
}

/**
 * A sweep run: planned from the job's texts (errors name the sweep's field; nothing is drawn before), then its
 * chunks run one after another in this thread (the inline executor: a sweep holds one of the server's solve
 * threads, so --workers bounds sweeps like any run), the pilot chunk sizing the others. Shards go to a temporary
 * folder, removed after the summary and the per-draw rows are read.
 */
async function sweep(job: { sweep: SweepInput; draws?: number }, progress: (p: Progress, force?: boolean) => void): Promise<{ report: unknown; convergence: unknown; rows: TableRow[] }> {
  progress({ phase: 'plan', fraction: null }, true);
  const texts = { scenario: job.sweep.scenario, deal: job.sweep.deal };
  const plan = await planSweep(parseSweep(job.sweep.text, job.sweep.label), {
    ...(job.draws !== undefined ? { draws: job.draws } : {}),
    scenarioText: (_name, field) => texts[field]!,
  });
  const out = mkdtempSync(join(tmpdir(), 'tariffsim-sweep-run-'));
  try {
    const run = await runSweep(plan, new InlineExecutor(), out, (p) =>
      progress({ phase: 'draws', fraction: p.drawsDone / p.draws, done: p.drawsDone, total: p.draws, chunksDone: p.chunksDone, chunks: p.chunks }, p.drawsDone === p.draws),
    );
    const rows = (await readDraws(run.shards)) as TableRow[];
    const columns = rows.length ? Object.keys(rows[0]).map((name) => ({ name, unit: unitOf(name) })) : [];
    const report = {
      summary: run.summary,
      chunks: { count: run.chunks.length, size: run.chunkSize, ...(run.pilotMsPerDraw !== undefined ? { pilotMsPerDraw: run.pilotMsPerDraw } : {}) },
      columns,
    };
    return { report, convergence: { draws: rows.length, chunks: run.chunks.length }, rows };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// The timing model's inputs (files, the policy layer by month, the CP targets: about 20 s) are built once per
// worker thread and last month, and kept for the next timeline run (one set at a time).
let timelineInputs: { lastMonth: number; inputs: Promise<TimelineInputs> } | null = null;

/** A timeline run (`tariffsim timeline` over HTTP): the JSON report and the monthly table. */
async function timeline(job: Extract<JobSpec, { kind: 'timeline' }>, progress: (p: Progress, force?: boolean) => void): Promise<{ report: unknown; convergence: unknown; rows: TableRow[] }> {
  const fields = API_FIELDS;
  const { to, cutoff } = timelineMonths(job, fields);
  const lastMonth = Math.max(to, cutoff);
  if (timelineInputs?.lastMonth !== lastMonth) {
    progress({ phase: 'timeline inputs (policy by month, CP targets)', fraction: null }, true);
    timelineInputs = { lastMonth, inputs: buildTimelineInputs(lastMonth) };
  }
  const pending = timelineInputs;
  let inputs: TimelineInputs;
  try {
    inputs = await pending.inputs;
  } catch (err) {
    if (timelineInputs === pending) timelineInputs = null;
    throw err;
  }
  progress({ phase: 'timeline fit and path', fraction: null }, true);
  const r = await runTimeline({ from: job.from, to: job.to, fitThrough: job.fitThrough, fields, inputs, sources, ...(job.scenario ? { scenario: { loaded: load(job.scenario), label: job.scenario.label } } : {}) });
  return { report: timelineJson(r), convergence: { observations: r.fit.observations, parameters: r.fit.parameters, ssr: r.fit.ssr, bic: r.fit.bic }, rows: timelineTable(r.rows) as TableRow[] };
}

async function run(job: JobSpec): Promise<{ report: unknown; convergence: unknown; rows?: TableRow[] }> {
  const progress = throttled();
  let solve = 0;
  let last = { iteration: 0, residual: NaN };
  const onIteration = (phase: string) => (iteration: number, residual: number) => {
    if (iteration === 1) solve++;
    last = { iteration, residual };
    progress({ phase: `${phase} (solve ${solve})`, fraction: null, iteration, residual });
  };
  switch (job.kind) {
    case 'sweep':
      return sweep(job, progress);
    case 'scenario': {
      const out = await runScenario(load(job.scenario), sources, { closure: job.closure, onIteration: onIteration('equilibrium') });
      return { report: out.report, convergence: out.model === 'cp2015' ? out.report.convergence : null };
    }
    case 'standoff': {
      const report = await standoffByClosure({ standoff: load(job.standoff), deal: load(job.deal), a: job.a, b: job.b }, sources, { closure: job.closure, onIteration: onIteration('equilibrium') });
      return { report, convergence: { solves: solve, lastSolve: last } };
    }
    case 'deal': {
      const report = await deal(
        {
          a: job.a,
          b: job.b,
          scenario: job.scenario ? load(job.scenario) : undefined,
          dataset: job.dataset,
          grid: job.grid,
          closure: job.closure,
          standoffKind: job.standoffKind,
          politicalEconomy: job.politicalEconomy,
          workers: 0,
          onProgress: (done, total) => progress({ phase: 'deal grid', fraction: total ? done / total : null, done, total }, done === total),
          onBestResponse: (round, done, total) => progress({ phase: 'best responses', fraction: total ? done / total : null, round, done, total }),
        },
        sources,
      );
      return { report, convergence: { solves: report.solves ?? null } };
    }
    case 'timeline':
      return timeline(job, progress);
    case 'war': {
      const report = await war(
        {
          dataset: job.dataset,
          politicalEconomy: job.politicalEconomy,
          kind: job.mfn ? 'mfn' : 'discriminatory',
          closure: job.closure,
          workers: 0,
          onBestResponse: (round, done, total) => progress({ phase: 'best responses', fraction: total ? done / total : null, round, done, total }),
          onRound: (r) => progress({ phase: 'nash round', fraction: null, round: r.round, residual: r.maxChange }, true),
        },
        sources,
      );
      return { report, convergence: { rounds: report.rounds } };
    }
  }
}

port.on('message', async (job: JobSpec) => {
  try {
    const { report, convergence, rows } = await run(job);
    const json = plain(report) as Record<string, unknown>;
    post({ done: { report: json, rows: rows ?? reportTable(job.kind, json), convergence: plain(convergence) } });
  } catch (err) {
    post({ failed: failure(err) });
  }
});
post({ ready: true });
