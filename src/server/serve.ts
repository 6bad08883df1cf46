// Starting and stopping the HTTP server (used by `tariffsim serve` and the tests): listen on host:port (port 0 =
// an ephemeral port), print the address, close cleanly on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.ts';
import type { ResultStore } from './store.ts';
import type { RunManager } from './runs.ts';

export interface ListenOptions extends ServerOptions {
  host: string;
  port: number;
}

export async function startServer(options: ListenOptions): Promise<{ app: FastifyInstance; url: string; store: ResultStore; runs: RunManager }> {
  const { app, store, runs } = await buildServer(options);
  await app.listen({ host: options.host, port: options.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, url: `http://${host}:${port}`, store, runs };
}
