// The HTTP API (/v1) on fastify: datasets, the policy layer, and runs (POST → content-addressed id, status,
// result as JSON/CSV/Parquet, server-sent events, cancel). Every answer carries the model version, dataset version
// and policy revision (headers, and members of JSON bodies); errors are problem+json (RFC 9457) with the CLI's
// message parts. Built only on src/app (the use cases) and the Node data sources.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySseModule, { type fastifySSE } from '@fastify/sse';
import fastifyCors from '@fastify/cors';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, ConvergenceError, formatInputMessage } from '../errors.ts';
import { datasetRow, datasetRows, type DatasetRow } from '../app/registry.ts';
import type { EtrSeries, TariffLines, policyActions } from '../app/policy.ts';
import type { LookupResult } from '../policy/lookup.ts';
import { PolicyClient } from './policy-client.ts';
import { scenarioSchema } from '../scenario/schema.ts';
import { LIMITS } from '../scenario/limits.ts';
import { sweepSchema } from '../sweep/schema.ts';
import { failure, type RunError } from './job.ts';
import { parseJsonBody } from './json-body.ts';
import { canonicalJson, jobOf, runIdOf, shippedScenarios } from './requests.ts';
import { QueueFullError, RunManager, type RunEvent, type RunLimits, type RunState } from './runs.ts';
import { actionsQuery, datasetParams, etrQuery, resultQuery, runBody, runId, runQuery, tariffQuery, tariffsQuery } from './schemas.ts';
import { ResultStore } from './store.ts';
import { tableCsv } from './tables.ts';
import { openStatic, staticFile } from './static.ts';
import { computeVersions, type Versions } from './versions.ts';

export interface ServerOptions extends Partial<RunLimits> {
  /** The DuckDB file of the results store. */
  store: string;
  /** Largest request body, bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Deepest nesting of arrays/objects in a JSON body (default 32). */
  maxDepth?: number;
  /** Default wait of POST /runs before it answers 202, ms (default 2000). */
  waitMs?: number;
  /** Origins allowed by CORS (none by default: CORS closed). */
  corsOrigins?: string[];
  /** Shared datasets folder. */
  dataDir?: string;
  /** The built web app (web/dist) to serve at `/`; none when absent. */
  webRoot?: string;
  /** Most draws of one sweep run (default LIMITS.apiSweepDraws.max, 1000). */
  maxDraws?: number;
}

type PolicyActions = Awaited<ReturnType<typeof policyActions>>;

/** Problem types are URNs (RFC 9457 allows any URI): urn:tariffsim:problem:<slug>; docs/api.md lists them. */
const PROBLEM_BASE = 'urn:tariffsim:problem:';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [k: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

function problemOfRunError(e: RunError, status: number): Problem {
  const { errorClass, title, detail, ...rest } = e;
  const slug = errorClass === 'InputError' ? 'invalid-input' : errorClass === 'ConvergenceError' || errorClass === 'TimeCap' ? 'no-convergence' : 'internal';
  const where = errorClass === 'InputError' ? formatInputMessage(detail, { file: e.file, field: e.field, line: e.line, column: e.column, row: e.row, id: e.actionId }, e.hint) : detail;
  const cliExitCode = errorClass === 'InputError' ? 2 : errorClass === 'Error' ? 1 : 3;
  return { type: PROBLEM_BASE + slug, title, status, detail: where, errorClass, cliExitCode, ...rest };
}

const notFound = (what: string, hint?: string) => new HttpProblem({ type: PROBLEM_BASE + 'not-found', title: 'Not found', status: 404, detail: what, ...(hint ? { hint } : {}) });

export async function buildServer(options: ServerOptions): Promise<{ app: FastifyInstance; runs: RunManager; store: ResultStore; versions: Versions }> {
  // Worker threads (solves, policy) read the shared datasets from $TARIFFSIM_DATA, inherited at their start.
  if (options.dataDir) process.env.TARIFFSIM_DATA = resolve(options.dataDir);
  const versions = computeVersions();
  const store = await ResultStore.open(options.store);
  const runs = new RunManager(store, { concurrency: options.concurrency ?? 1, maxQueued: options.maxQueued ?? 8, timeCapMs: options.timeCapMs ?? 600_000 });
  await runs.init();
  const policy = new PolicyClient();
  const bodyLimit = options.bodyLimit ?? 1 << 20;
  const maxDepth = options.maxDepth ?? 32;
  const waitDefault = options.waitMs ?? 2000;
  const maxDraws = options.maxDraws ?? LIMITS.apiSweepDraws.max;

  const app = Fastify({ bodyLimit, logger: false, routerOptions: { maxParamLength: 200 }, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string, maxDepth));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  const v = { modelVersion: versions.modelVersion, datasetVersion: versions.datasetVersion, policyRevision: versions.policyRevision };
  // Set on arrival, so that every answer carries them, streams (server-sent events) included.
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-tariffsim-model-version', v.modelVersion);
    reply.header('x-tariffsim-dataset-version', v.datasetVersion);
    reply.header('x-tariffsim-policy-revision', v.policyRevision);
  });
  if (options.corsOrigins?.length) await app.register(fastifyCors, { origin: options.corsOrigins, methods: ['GET', 'POST', 'DELETE'], exposedHeaders: ['Location', 'Retry-After', 'x-tariffsim-model-version', 'x-tariffsim-dataset-version', 'x-tariffsim-policy-revision'] });
  // The CommonJS export is the encapsulation-free plugin (fastify-plugin); its types describe the ESM default.
  await app.register(fastifySseModule as unknown as typeof fastifySSE, { heartbeatInterval: 15_000 });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'tariffsim HTTP API', version: versions.modelVersion, description: 'Runs of the tariffsim models (scenario, standoff, deal, war, sweep, timeline) and the tariff policy layer. Every response carries modelVersion, datasetVersion and policyRevision.' },
      components: {
        schemas: {
          Scenario: z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
          Sweep: z.toJSONSchema(sweepSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  const send = (reply: FastifyReply, status: number, body: Record<string, unknown>) => reply.code(status).type('application/json').send({ ...body, ...v });
  const sendProblem = (reply: FastifyReply, p: Problem, headers: Record<string, string> = {}) => {
    for (const [k, val] of Object.entries(headers)) reply.header(k, val);
    return reply.code(p.status).type('application/problem+json').send(JSON.stringify({ ...p, ...v }));
  };

  app.setNotFoundHandler((req, reply) => sendProblem(reply, { type: PROBLEM_BASE + 'not-found', title: 'Not found', status: 404, detail: `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`, hint: 'see /v1/openapi.json' }));
  app.setErrorHandler((err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpProblem) return sendProblem(reply, err.problem, err.headers);
    if (err instanceof QueueFullError) return sendProblem(reply, { type: PROBLEM_BASE + 'queue-full', title: 'Too many runs', status: 429, detail: `the run queue is full (${runs.limits.maxQueued} waiting); retry after ${err.retryAfter} s`, retryAfter: err.retryAfter, maxQueued: runs.limits.maxQueued, ...runs.load() }, { 'retry-after': String(err.retryAfter) });
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((i) => ({ field: i.instancePath.replace(/\//g, '.').replace(/^\./, '') || (err.validationContext ?? 'body'), in: err.validationContext ?? 'body', message: i.message }));
      const first = issues[0];
      return sendProblem(reply, { type: PROBLEM_BASE + 'invalid-request', title: 'Invalid request', status: 400, detail: `field '${first.field}': ${first.message}`, field: first.field, issues, hint: 'see /v1/openapi.json for the accepted fields' });
    }
    if (err instanceof InputError) {
      const status = err.location.field === 'body' ? 400 : 422;
      return sendProblem(reply, problemOfRunError(failure(err), status));
    }
    if (err instanceof ConvergenceError) return sendProblem(reply, problemOfRunError(failure(err), 422));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, { type: PROBLEM_BASE + 'body-too-large', title: 'Body too large', status: 413, detail: `the request body is larger than ${bodyLimit} bytes`, hint: 'send a smaller scenario: use groups and selectors instead of one shock per pair' });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, { type: PROBLEM_BASE + 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'send the body as application/json' });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendProblem(reply, { type: PROBLEM_BASE + (status === 500 ? 'internal' : 'bad-request'), title: status === 500 ? 'Internal error' : 'Bad request', status, detail: status === 500 ? 'the server failed to answer; the error was logged' : err.message });
  });

  const runLinks = (id: string) => ({ self: `/v1/runs/${id}`, result: `/v1/runs/${id}/result`, events: `/v1/runs/${id}/events` });
  const runView = (r: RunState) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    convergence: r.convergence,
    created: r.created,
    started: r.started,
    finished: r.finished,
    seconds: r.seconds,
    ...(r.error ? { error: problemOfRunError(r.error, r.error.errorClass === 'InputError' ? 422 : 500) } : {}),
    links: runLinks(r.id),
  });
  const getRun = (id: string) => {
    const r = runs.get(id);
    if (!r) throw notFound(`no run ${id}`, 'POST /v1/runs computes it');
    return r;
  };
  const datasetView = (row: DatasetRow) => ({
    id: row.id, model: row.model, description: row.description, citation: row.citation, strategic: row.strategic, concordance: row.concordance ?? null,
    source: row.source.kind === 'inline' ? { kind: 'inline' } : row.source.kind === 'project-file' ? { kind: row.source.kind, file: row.source.file } : { kind: row.source.kind, folder: row.source.folder },
  });

  // ───── datasets ─────
  app.get('/v1/datasets', { schema: { summary: 'registered datasets', tags: ['datasets'] } }, async (_req, reply) => send(reply, 200, { datasets: datasetRows().map(datasetView) }));
  app.get('/v1/datasets/:id', { schema: { summary: 'one dataset, with the shipped scenarios on it', tags: ['datasets'], params: datasetParams } }, async (req, reply) => {
    let row: DatasetRow;
    try {
      row = datasetRow(req.params.id, 'id');
    } catch {
      throw notFound(`no dataset '${req.params.id.slice(0, 60)}'`, `known datasets: ${datasetRows().map((r) => r.id).join(', ')}`);
    }
    return send(reply, 200, { dataset: datasetView(row), scenarios: [...shippedScenarios().keys()].filter((n) => scenarioDatasetOf(n) === row.id) });
  });

  // ───── policy ─────
  app.get('/v1/policy/actions', { schema: { summary: 'dated tariff actions (authority, sources) for a timeline', tags: ['policy'], querystring: actionsQuery } }, async (req, reply) => send(reply, 200, await policy.call<PolicyActions>({ name: 'actions', from: req.query.from, to: req.query.to })));
  app.get('/v1/policy/tariff', { schema: { summary: 'the tariff on one product from one partner on a day, by program', tags: ['policy'], querystring: tariffQuery } }, async (req, reply) => send(reply, 200, { tariff: await policy.call<LookupResult>({ name: 'tariff', query: req.query }) }));
  app.get('/v1/policy/tariffs', { schema: { summary: 'the tariffs on every 2024 US import line under an HTS prefix from one partner on a day (`tariffsim tariffs --hts H --json`)', tags: ['policy'], querystring: tariffsQuery } }, async (req, reply) => send(reply, 200, { ...(await policy.call<TariffLines>({ name: 'tariffs', query: req.query })) }));
  app.get('/v1/policy/etr', { schema: { summary: 'statutory effective US tariff rate (daily by program, or by partner/sector on change days)', tags: ['policy'], querystring: etrQuery } }, async (req, reply) => {
    const s = await policy.call<EtrSeries>({ name: 'etr', from: req.query.from, to: req.query.to, by: req.query.by });
    if (req.query.format === 'csv') {
      const rows = s.series ? s.series.map((p) => ({ date: p.date, etr: p.etr, ...p.byProgram })) : s.groups!.map((g) => ({ ...g, name: g.name ?? null }));
      return reply.code(200).type('text/csv; charset=utf-8').send(tableCsv(rows));
    }
    return send(reply, 200, s as unknown as Record<string, unknown>);
  });

  // ───── runs ─────
  // Bodies already seen → their run ids, so that a repeat post skips validation, and so that a full queue sheds a
  // new body before the cost of validating it (429 only when the queue is full either way).
  const seen = new Map<string, string>();
  const bodyKey = (body: unknown) => createHash('sha256').update(canonicalJson(body ?? null)).digest('hex');
  const seenRun = (key: string) => {
    const id = seen.get(key);
    const run = id === undefined ? undefined : runs.get(id);
    return run && runs.reusable(run) ? run : undefined;
  };
  const rawKeys = new WeakMap<object, string>();
  const shed = async (req: FastifyRequest) => {
    const key = bodyKey(req.body);
    rawKeys.set(req, key);
    if (runs.isFull() && !seenRun(key)) throw runs.full();
  };
  app.post('/v1/runs', { preValidation: shed, schema: { summary: 'start (or find) a run: 200 with the result when cached or quick, else 202 with Location', tags: ['runs'], body: runBody, querystring: runQuery } }, async (req, reply) => {
    const key = rawKeys.get(req) ?? bodyKey(req.body);
    let run = seenRun(key);
    if (!run) {
      let job;
      try {
        job = jobOf(req.body, maxDraws);
      } catch (err) {
        // A sweep that does not match the sweep file schema or the limits is a bad request (400), like a body
        // that does not match the API's schema; scenarios keep 422 for the model's own checks.
        if (req.body.kind === 'sweep' && err instanceof InputError) {
          const limit = err.location.field === 'draws' ? { limit: maxDraws } : {};
          throw new HttpProblem({ ...problemOfRunError(failure(err), 400), ...limit });
        }
        throw err;
      }
      run = runs.submit(runIdOf(job, versions), job, versions).run;
      seen.delete(key);
      seen.set(key, run.id);
      while (seen.size > 10_000) seen.delete(seen.keys().next().value as string);
    }
    const id = run.id;
    const settled = await runs.wait(run, req.query.wait ?? waitDefault);
    reply.header('location', `/v1/runs/${id}`);
    if (!settled) return send(reply, 202, runView(run));
    if (run.status === 'failed' && run.error) {
      const status = run.error.errorClass === 'InputError' ? 422 : run.error.errorClass === 'Error' ? 500 : 422;
      return sendProblem(reply, { ...problemOfRunError(run.error, status), run: runView(run) });
    }
    if (run.status !== 'succeeded') return send(reply, 200, runView(run));
    const json = await runs.resultJson(run);
    return reply.code(200).type('application/json').send(`{${JSON.stringify(runView(run)).slice(1, -1)},"result":${json},${JSON.stringify(v).slice(1)}`);
  });
  app.get('/v1/runs/:id', { schema: { summary: 'status, progress and convergence of a run', tags: ['runs'], params: runId } }, async (req, reply) => send(reply, 200, runView(getRun(req.params.id))));
  app.get('/v1/runs/:id/result', { schema: { summary: 'the result of a finished run: the JSON report, or its table as JSON rows, CSV or Parquet (a sweep: the summary; one row per draw)', tags: ['runs'], params: runId, querystring: resultQuery } }, async (req, reply) => {
    const run = getRun(req.params.id);
    if (run.status !== 'succeeded') throw new HttpProblem({ type: PROBLEM_BASE + 'not-ready', title: 'No result', status: 409, detail: `run ${run.id} is ${run.status}`, runStatus: run.status, hint: `GET /v1/runs/${run.id} or its /events` });
    const format = req.query.format;
    if (format === 'json') {
      const json = await runs.resultJson(run);
      return reply.code(200).type('application/json').send(`{"id":${JSON.stringify(run.id)},"kind":${JSON.stringify(run.kind)},"result":${json},${JSON.stringify(v).slice(1)}`);
    }
    const rows = await runs.rowsOf(run);
    if (format === 'rows') return send(reply, 200, { id: run.id, kind: run.kind, columns: [...new Set(rows.flatMap((r) => Object.keys(r)))], rows });
    if (format === 'csv') return reply.code(200).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${run.id}.csv"`).send(tableCsv(rows));
    const bytes = await store.parquet(rows);
    return reply.code(200).type('application/vnd.apache.parquet').header('content-disposition', `attachment; filename="${run.id}.parquet"`).send(bytes);
  });
  app.get('/v1/runs/:id/events', { sse: { kind: 'manual', heartbeat: true }, schema: { summary: 'server-sent events of a run: progress, done, error (Last-Event-ID resumes)', tags: ['runs'], params: runId } }, async (req, reply) => {
    const run = getRun(req.params.id);
    const sse = reply.sse!;
    const last = Number(req.headers['last-event-id'] ?? sse.lastEventId ?? 0) || 0;
    const queue: RunEvent[] = run.events.filter((e) => e.id > last);
    const terminal = (e: RunEvent) => e.event === 'done' || e.event === 'error';
    const format = (e: RunEvent) => ({ id: String(e.id), event: e.event, data: { ...(e.data as object), ...v } });
    for (const e of queue) await sse.send(format(e));
    if (queue.some(terminal) || (run.status !== 'queued' && run.status !== 'running' && run.events.some(terminal))) {
      sse.close();
      return;
    }
    sse.keepAlive();
    await new Promise<void>((resolve) => {
      let unsub = () => {};
      let chain = Promise.resolve();
      unsub = runs.subscribe(run, (e) => {
        chain = chain.then(async () => {
          if (!sse.isConnected) return;
          await sse.send(format(e));
          if (terminal(e)) {
            unsub();
            sse.close();
            resolve();
          }
        }).catch(() => undefined);
      });
      sse.onClose(() => {
        unsub();
        resolve();
      });
    });
  });
  app.delete('/v1/runs/:id', { schema: { summary: 'cancel a queued or running run, or delete a stored one', tags: ['runs'], params: runId } }, async (req, reply) => {
    const run = getRun(req.params.id);
    const was = run.status;
    await runs.cancel(run);
    return send(reply, 200, { id: run.id, status: was === 'queued' || was === 'running' ? 'cancelled' : 'deleted' });
  });

  app.get('/v1/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(app.swagger()));

  // ───── the web app (web/dist) at / ─────
  if (options.webRoot) {
    const root = options.webRoot;
    const staticRoute = async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?')[0];
      if (path === '/v1' || path.startsWith('/v1/')) throw notFound(`no route ${req.method} ${path.slice(0, 200)}`, 'see /v1/openapi.json');
      const f = staticFile(root, path);
      if (f.kind === 'bad-path') throw new HttpProblem({ type: PROBLEM_BASE + 'bad-path', title: 'Bad path', status: 400, detail: f.detail });
      if (f.kind === 'not-found') throw notFound(`no file ${path.slice(0, 200)} in the web app`, 'the app is at /');
      reply.code(200).type(f.type).header('content-length', String(f.size)).header('x-content-type-options', 'nosniff').header('cache-control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.send(openStatic(f.file));
    };
    app.get('/', { schema: { hide: true } }, staticRoute);
    app.get('/*', { schema: { hide: true } }, staticRoute);
  }
  app.addHook('onClose', async () => {
    await Promise.all([runs.close(), policy.close()]);
    store.close();
  });
  return { app: app as unknown as FastifyInstance, runs, store, versions };
}

const scenarioDatasets = new Map<string, string | null>();
function scenarioDatasetOf(name: string): string | null {
  if (!scenarioDatasets.has(name)) {
    try {
      const file = shippedScenarios().get(name)!;
      const m = /^dataset:\s*([\w-]+)/m.exec(readFileSync(file, 'utf8'));
      scenarioDatasets.set(name, m ? m[1] : null);
    } catch {
      scenarioDatasets.set(name, null);
    }
  }
  return scenarioDatasets.get(name)!;
}
