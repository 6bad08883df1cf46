// Worker-thread entry of the RowPool (./pool.ts): runs chunks of row kernels on shared memory.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { rowKernel } from '../../estimate/row-kernels.ts';
import { runChunks, type RowCall } from './pool.ts';

const port = parentPort;
if (!port) throw new Error('node/estimate/worker.ts must run in a worker thread');
const errors = (workerData as { errors: MessagePort }).errors;
const DONE = 1;
const FAILED = 2;
port.on('message', (call: RowCall) => {
  try {
    runChunks(call, rowKernel(call.name));
  } catch (e) {
    errors.postMessage(String((e as Error)?.stack ?? e));
    Atomics.store(call.ctrl, FAILED, 1);
    Atomics.store(call.ctrl, 0, call.bounds.length - 1);
  } finally {
    Atomics.add(call.ctrl, DONE, 1);
    Atomics.notify(call.ctrl, DONE);
  }
});
port.postMessage({ ready: true });
