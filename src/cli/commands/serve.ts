// `tariffsim serve [--host 127.0.0.1] [--port 8080]`: the HTTP API (docs/api.md), with its results store, and the
// built web app (web/dist) at / when it exists (`--build-web` builds it first when missing or stale).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { PROJECT_ROOT } from '../../node/paths.ts';
import { startServer } from '../../server/serve.ts';

function int(raw: string, flag: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${flag} must be an integer from ${min} to ${max}, got '${raw}'`, { field: flag });
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('HTTP API (/v1): datasets, tariff policy, and runs (scenario, standoff, deal, war, sweep, timeline) cached in a DuckDB results store; OpenAPI at /v1/openapi.json')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--store <file>', 'DuckDB file of the results store', '.tariffsim-cache/runs.duckdb')
    .option('--data-dir <dir>', 'folder holding the shared datasets (default ../shared/data or $TARIFFSIM_DATA)')
    .option('--workers <n>', 'solve worker threads (runs solved at once)', '1')
    .option('--queue <n>', 'runs waiting at most; beyond that POST /v1/runs answers 429', '8')
    .option('--run-timeout <s>', 'per-run time cap, seconds', '600')
    .option('--max-draws <n>', 'most draws of one sweep run (POST /v1/runs kind: sweep)', '1000')
    .option('--wait <ms>', 'how long POST /v1/runs waits for a run before answering 202', '2000')
    .option('--body-limit <bytes>', 'largest request body', String(1 << 20))
    .option('--cors <origins>', 'comma-separated origins allowed by CORS (default: none, CORS closed)')
    .option('--web <dir>', 'built web app to serve at / (default web/dist when it holds index.html)')
    .option('--no-web', 'serve the API only')
    .option('--build-web', 'build the web app first when missing or older than its sources (needs the dev dependencies: vite)')
    .addHelpText('after', `
Examples:
  $ tariffsim serve                                   # http://127.0.0.1:8080/ (web app) and /v1/openapi.json
  $ tariffsim serve --build-web                       # what \`npm start\` runs: builds web/dist when missing
  $ tariffsim serve --port 9000 --workers 2 --cors https://example.org
  $ curl -s -X POST localhost:8080/v1/runs -H 'content-type: application/json' -d '{"kind":"standoff","a":"USA","b":"CHN"}'`)
    .action(async (opts: { host: string; port: string; store: string; dataDir?: string; workers: string; queue: string; runTimeout: string; maxDraws: string; wait: string; bodyLimit: string; cors?: string; web?: string | boolean; buildWeb?: boolean }) => {
      const webRoot = await webRootOf(opts.web, opts.buildWeb === true);
      const { app, url } = await startServer({
        host: opts.host,
        port: int(opts.port, '--port', 0, 65535),
        store: resolve(opts.store),
        dataDir: opts.dataDir,
        concurrency: int(opts.workers, '--workers', 1, 64),
        maxQueued: int(opts.queue, '--queue', 0, 10_000),
        timeCapMs: 1000 * int(opts.runTimeout, '--run-timeout', 1, 86_400),
        waitMs: int(opts.wait, '--wait', 0, 60_000),
        maxDraws: int(opts.maxDraws, '--max-draws', 1, 1_000_000),
        bodyLimit: int(opts.bodyLimit, '--body-limit', 1024, 1 << 30),
        corsOrigins: opts.cors ? opts.cors.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        webRoot,
      });
      if (webRoot) process.stdout.write(`\ntariffsim web app: ${url}/\n`);
      process.stdout.write(`tariffsim API listening on ${url} (routes under /v1, OpenAPI: ${url}/v1/openapi.json; store ${resolve(opts.store)}; Ctrl-C stops)\n`);
      if (!webRoot && opts.web !== false) process.stdout.write('note: no built web app (web/dist): `tariffsim serve --build-web` or `npm run web:build` builds it\n');
      await new Promise<void>((done) => {
        const stop = () => void app.close().then(done, done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/** The web app folder to serve: --web DIR, else web/dist (built first with --build-web); undefined with --no-web or when unbuilt. */
async function webRootOf(web: string | boolean | undefined, build: boolean): Promise<string | undefined> {
  if (web === false) return undefined;
  if (typeof web === 'string') {
    const dir = resolve(web);
    if (!existsSync(join(dir, 'index.html'))) throw new InputError(`--web ${web}: no index.html in ${dir}`, { field: '--web' }, 'name the folder of a built web app (npm run web:build writes web/dist)');
    return dir;
  }
  // The builder (and with it vite) loads only when asked to build.
  const dist = build ? await (await import('../../web-node/build.ts')).ensureWebBuild({ log: (s) => process.stdout.write(s + '\n') }) : join(PROJECT_ROOT, 'web', 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}
