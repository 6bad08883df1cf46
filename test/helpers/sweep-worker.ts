// A BullMQ sweep worker process for tests: `node --import tsx test/helpers/sweep-worker.ts PORT [LOCK_MS] [PAUSE_MS_AFTER_EACH_DRAW]`. Short locks so a
// killed worker's chunk is found stalled within ~11 s.
import { startQueueWorker } from '../../src/node/sweep/queue-worker.ts';

const port = Number(process.argv[2]);
const lockDuration = Number(process.argv[3] ?? 10000);
const drawPauseMs = Number(process.argv[4] ?? 0);
const w = startQueueWorker({ host: '127.0.0.1', port }, { lockDuration, stalledInterval: 1000, drawPauseMs });
await w.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void w.close().then(() => process.exit(0)));
