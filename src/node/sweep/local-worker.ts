// Worker-thread entry of the local sweep pool: runs chunk jobs posted by ./local.ts, posts per-draw progress.
import { parentPort } from 'node:worker_threads';
import { runChunk, type ChunkJob } from './chunk.ts';

const port = parentPort!;
port.on('message', (m: { id: number; job: ChunkJob }) => {
  runChunk(m.job, (done) => port.postMessage({ id: m.id, draw: done }))
    .then((result) => port.postMessage({ id: m.id, result }))
    .catch((e: unknown) => port.postMessage({ id: m.id, error: String((e as Error)?.stack ?? e) }));
});
port.postMessage({ ready: true });
