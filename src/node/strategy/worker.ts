// Worker-thread entry: rebuilds the model from `workerData.spec` once, then answers best-response jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { bestResponse } from '../../strategy/best-response.ts';
import type { BestResponseJob } from '../../strategy/types.ts';
import { serializeError } from './error-codec.ts';
import { buildModel, type ModelSpec } from './models.ts';

const port = parentPort;
if (!port) throw new Error('node/strategy/worker.ts must run in a worker thread');
const model = buildModel((workerData as { spec: ModelSpec }).spec);
port.on('message', (msg: { id: number; job: BestResponseJob }) => {
  try {
    port.postMessage({ id: msg.id, result: bestResponse(model, msg.job) });
  } catch (e) {
    port.postMessage({ id: msg.id, error: serializeError(e) });
  }
});
port.postMessage({ ready: true });
