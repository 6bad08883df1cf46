// Worker-thread entry answering the policy routes (./policy-client.ts): loading the policy data and building the
// effective-rate engine take seconds, so they happen here and not on the thread that answers requests.
import { parentPort } from 'node:worker_threads';
import { etrSeries, policyActions, tariffLines, tariffOn } from '../app/policy.ts';
import { nodeSources } from '../node/sources.ts';
import { failure } from './job.ts';
import type { PolicyCall } from './policy-client.ts';
import { plain } from './tables.ts';

const port = parentPort;
if (!port) throw new Error('server/policy-worker.ts must run in a worker thread');
const sources = nodeSources();

port.on('message', async ({ seq, call }: { seq: number; call: PolicyCall }) => {
  try {
    const result =
      call.name === 'actions' ? await policyActions(call.from, call.to, sources)
      : call.name === 'tariff' ? await tariffOn(call.query, sources)
      : call.name === 'tariffs' ? await tariffLines(call.query, sources)
      : await etrSeries(call.from, call.to, call.by, sources);
    port.postMessage({ seq, result: plain(result) });
  } catch (err) {
    port.postMessage({ seq, failed: failure(err) });
  }
});
port.postMessage({ ready: true });
