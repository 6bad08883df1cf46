// A small HTTP server for the built web app on loopback: the static files of web/dist, and — until the
// tariffsim API server (`tariffsim serve`, which also serves the app) is everywhere — the one route the page needs
// from a server, GET /v1/policy/tariffs?date&partner&hts (the CLI's `tariffsim tariffs --hts` lookup, JSON, as the
// API answers it) and its older form GET /v1/policy/tariff here (the bare list). Any other /v1 path
// answers 404 problem+json, so the page degrades with its "needs the server" message.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { tariffLines } from '../app/policy.ts';
import { nodeSources } from '../node/sources.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface WebServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

async function tariffRoute(url: URL, res: ServerResponse): Promise<void> {
  const date = url.searchParams.get('date') ?? '';
  const partner = url.searchParams.get('partner') ?? '';
  const hts = url.searchParams.get('hts') ?? '';
  try {
    if (!partner) throw new InputError('partner is required', { field: 'partner' }, 'e.g. partner=CHN');
    const { tariffs, total } = await tariffLines({ date, partner, hts }, nodeSources());
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    // /v1/policy/tariffs answers as the API server does; /v1/policy/tariff with the bare list the page read first.
    res.end(JSON.stringify(url.pathname === '/v1/policy/tariffs' ? { tariffs, total } : tariffs));
  } catch (err) {
    if (err instanceof InputError) problem(res, 400, 'bad lookup', err.message);
    else problem(res, 500, 'lookup failed', (err as Error).message);
  }
}

/** Serves `root` (web/dist) on host:port (port 0 = ephemeral). */
export function startWebServer(root: string, opts: { host?: string; port?: number } = {}): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const base = normalize(root + sep);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if ((url.pathname === '/v1/policy/tariff' || url.pathname === '/v1/policy/tariffs') && req.method === 'GET') return void tariffRoute(url, res);
    if (url.pathname.startsWith('/v1/')) {
      req.resume();
      return problem(res, 404, 'not found', `${url.pathname} is served by \`tariffsim serve\` (the API server), not by this static server`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'method not allowed', 'this server only reads');
    let path: string;
    try {
      path = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      return problem(res, 400, 'bad path', 'the path is not valid percent-encoding');
    }
    if (!path.startsWith(base) && path + sep !== base) return problem(res, 400, 'bad path', 'the path leaves the app folder');
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) return problem(res, 404, 'not found', url.pathname);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(path).pipe(res);
  };
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      resolve({
        server,
        url: `http://${host}:${port}/`,
        close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
