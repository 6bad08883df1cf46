// Worker-thread entry of the server's solve pool (./pool.ts): runs one job at a time through the application
// layer with Node's data sources, posting throttled progress, then the JSON report and its flat table, or the
// failure (InputError / ConvergenceError members). Files named inside client inputs are never read.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors.ts';
import { runScenario } from '../app/scenario.ts';
import { standoffByClosure } from '../app/standoff.ts';
import { deal } from '../app/deal.ts';
import { war } from '../app/war.ts';
import type { DataSources } from '../app/sources.ts';
import { scenarioFromObject } from '../scenario/load.ts';
import { nodeSources } from '../node/sources.ts';
import { failure, type JobSpec, type Progress, type ScenarioInput, type WorkerReply } from './job.ts';
import { plain, reportTable } from './tables.ts';

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

async function run(job: JobSpec): Promise<{ report: unknown; convergence: unknown }> {
  const progress = throttled();
  let solve = 0;
  let last = { iteration: 0, residual: NaN };
  const onIteration = (phase: string) => (iteration: number, residual: number) => {
    if (iteration === 1) solve++;
    last = { iteration, residual };
    progress({ phase: `${phase} (solve ${solve})`, fraction: null, iteration, residual });
  };
  switch (job.kind) {
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
    const { report, convergence } = await run(job);
    const json = plain(report) as Record<string, unknown>;
    post({ done: { report: json, rows: reportTable(job.kind, json), convergence: plain(convergence) } });
  } catch (err) {
    post({ failed: failure(err) });
  }
});
post({ ready: true });
