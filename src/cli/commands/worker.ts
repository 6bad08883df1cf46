// `tariffsim worker --queue redis://HOST:PORT`: processes sweep chunks from BullMQ (see ./sweep.ts).
import type { Command } from 'commander';
import { assertReachable, parseRedisUrl } from '../../node/sweep/queue.ts';
import { startQueueWorker } from '../../node/sweep/queue-worker.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description('process sweep chunks from a BullMQ queue (one chunk at a time; start one per core)')
    .requiredOption('--queue <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .action(async (opts: { queue: string }) => {
      const target = parseRedisUrl(opts.queue);
      await assertReachable(target);
      const w = startQueueWorker(target, {
        onChunk: (c) => process.stderr.write(`chunk ${c.id} done in ${(c.ms / 1000).toFixed(2)} s\n`),
      });
      await w.waitUntilReady();
      process.stderr.write(`worker ready on ${opts.queue}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void w.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
