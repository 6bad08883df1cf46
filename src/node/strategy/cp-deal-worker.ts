// Worker-thread entry of src/node/strategy/cp-deal.ts: builds the deal's model from `workerData.init` at once
// (baseline solve included), then solves the grid rows it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { CpModel } from '../../model/cp/model.ts';
import { dealGridModel, dealModel } from '../../scenario/deal.ts';
import { dealGridRows, type DealGridSpec } from '../../strategy/bargaining.ts';
import type { CpDealInit, CpDealJob } from './cp-deal.ts';
import { serializeError } from './error-codec.ts';

const port = parentPort;
if (!port) throw new Error('node/strategy/cp-deal-worker.ts must run in a worker thread');
const init = (workerData as { init: CpDealInit }).init;
const key = (d: Omit<CpDealInit, 'world'>): string => JSON.stringify({ closure: d.closure, solver: d.solver });
let initModel: { key: string; model: CpModel } | null = null;
try {
  const model = dealModel(init.world, init.closure, init.solver);
  model.baseline();
  initModel = { key: key(init), model };
} catch {
  // A failing baseline fails again, with its typed error, on the job.
}
port.on('message', (msg: { id: number; job: Omit<CpDealJob, 'world'> & { world?: CpDealInit['world'] }; spec: DealGridSpec; from: number; to: number }) => {
  try {
    const job = msg.job;
    // The model built at start-up serves when the job has the same world (no world sent) and options.
    const model = !job.world && initModel && initModel.key === key(job) ? initModel.model : dealModel(job.world ?? init.world, job.closure, job.solver);
    const grid = dealGridModel(model, job.tradeCostChange);
    const block = dealGridRows(grid, msg.spec, msg.from, msg.to, (row) => port.postMessage({ id: msg.id, row }));
    port.postMessage({ id: msg.id, block: { ...block, solves: grid.solves } });
  } catch (e) {
    port.postMessage({ id: msg.id, error: serializeError(e) });
  }
});
