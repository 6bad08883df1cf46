// Sweeps as runs over real HTTP on 127.0.0.1: a bad sweep is a 400 naming the field before any run exists, too
// many draws a 400 naming the limit; the shipped standoff-theta sweep with 4 draws runs on the server's solve
// thread with SSE progress, and its summary equals `tariffsim sweep … --draws 4 --chunk-size 1 --json` (the local pool, another
// chunking) exactly; per-draw rows as JSON and CSV; the run id is content-addressed (no ':').
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startServer } from '../../src/server/serve.ts';
import type { ResultStore } from '../../src/server/store.ts';
import type { RunManager } from '../../src/server/runs.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { runCli } from '../helpers/cli.ts';
import { http, readEvents } from '../helpers/http.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs') || needsShared('cp2015');
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-api-sweep-'));
const MAX_DRAWS = 6;
let app: FastifyInstance;
let base = '';
let store: ResultStore;
let runs: RunManager;

const spec = (extra: Record<string, unknown> = {}) => ({
  name: 'api-sweep',
  scenario: '../us-china-2025-04-standoff.yaml',
  deal: 'geneva-2025-05',
  sides: ['USA', 'CHN'],
  draws: 3,
  seed: 5,
  vary: [{ theta: { sector: 'goods', relativeSd: 0.2 } }],
  ...extra,
});

describe('sweeps as runs', { skip, concurrency: 1 }, () => {
  before(async () => {
    const s = await startServer({ host: '127.0.0.1', port: 0, store: join(dir, 'runs.duckdb'), concurrency: 1, maxQueued: 2, timeCapMs: 300_000, waitMs: 0, maxDraws: MAX_DRAWS });
    app = s.app;
    base = s.url;
    store = s.store;
    runs = s.runs;
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a bad sweep is a 400 naming the field (and too many draws the limit), before any run exists', async () => {
    const bad = async (sweep: unknown, extra: Record<string, unknown> = {}) => {
      const r = await http(`${base}/v1/runs`, { json: { kind: 'sweep', sweep, ...extra } });
      assert.equal(r.status, 400, r.text);
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
      return r.body;
    };
    assert.equal((await bad(spec({ draws: 0 }))).field, 'draws');
    assert.equal((await bad(spec({ colour: 'red' }))).field, 'colour');
    const two = await bad(spec({ vary: [{ theta: { sector: 'goods', relativeSd: 0.2, grid: [1, 2] } }] }));
    assert.equal(two.field, 'vary.0.theta');
    assert.match(two.detail, /sweep, line \d+:\d+, field 'vary\.0\.theta': give exactly one of/);
    assert.equal((await bad(spec({ seed: -1 }))).field, 'seed');
    assert.equal((await bad(spec({ vary: [{ closure: { choices: ['fixed'] } }] }))).field, 'vary.0.closure.choices.0');
    // The server reads no file a client names: only shipped scenarios, no estimate files.
    const path = await bad(spec({ scenario: '../../package.json' }));
    assert.equal(path.field, 'scenario');
    assert.match(path.detail, /unknown scenario/);
    assert.doesNotMatch(path.text ?? JSON.stringify(path), /tariffsim@|"version"/);
    assert.equal((await bad(spec({ deal: '/etc/passwd' }))).field, 'deal');
    assert.equal((await bad(spec({ vary: [{ theta: { sector: 'goods', fromEstimate: { file: '/etc/passwd', coefficient: 'x' } } }] }))).field, 'vary.0.theta.fromEstimate');
    assert.equal((await bad('no-such-sweep')).field, 'sweep');
    // YAML text is parsed like a sweep file: line and column of the field.
    const yaml = await bad('name: y\nscenario: pre-2025\ndraws: 2\nseed: 1\nvary:\n  - theta: {sector: goods, sd: -1}\n');
    assert.equal(yaml.field, 'vary.0.theta.sd');
    assert.equal(yaml.line, 6);
    // Too many draws: in the spec, or as the draws override.
    const many = await bad(spec({ draws: 50 }));
    assert.equal(many.field, 'draws');
    assert.equal(many.limit, MAX_DRAWS);
    assert.match(many.detail, new RegExp(`draws must be a number from 1 to ${MAX_DRAWS} \\(draws per sweep run over HTTP\\), got '50'`));
    const over = await bad('standoff-theta', { draws: MAX_DRAWS + 1 });
    assert.equal(over.field, 'draws');
    assert.equal(over.limit, MAX_DRAWS);
    assert.match(over.hint, /solve thread/);
    // A body that does not match the API's schema at all.
    const shape = await http(`${base}/v1/runs`, { json: { kind: 'sweep', sweep: 'standoff-theta', draws: -2 } });
    assert.equal(shape.status, 400);
    assert.equal(shape.body.field, 'draws');
    assert.deepEqual(runs.load(), { queued: 0, running: 0 }, 'nothing was queued');
    assert.equal(await store.count(), 0, 'nothing was stored');
  });

  test('standoff-theta, 4 draws: SSE progress, status, summary equal to the CLI\'s, per-draw rows as JSON and CSV, same id on repost', async () => {
    const body = { kind: 'sweep', sweep: 'standoff-theta', draws: 4 };
    const post = await http(`${base}/v1/runs?wait=0`, { json: body });
    assert.ok(post.status === 202 || post.status === 200, post.text);
    const id = post.body.id as string;
    assert.match(id, /^[0-9a-f]{64}$/, 'content-addressed, no ":"');
    assert.equal(post.body.kind, 'sweep');
    assert.equal(post.headers.get('location'), `/v1/runs/${id}`);
    const [events, cli] = await Promise.all([
      readEvents(`${base}/v1/runs/${id}/events`, undefined, 280_000),
      runCli(['sweep', join(PROJECT_ROOT, 'scenarios', 'sweeps', 'standoff-theta.yaml'), '--draws', '4', '--workers', '1', '--chunk-size', '1', '--json']),
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const done = events[events.length - 1];
    assert.equal(done.event, 'done', JSON.stringify(done.data));
    const draws = events.filter((e) => e.event === 'progress' && e.data.phase === 'draws');
    assert.ok(draws.length >= 1, `draw progress events: ${JSON.stringify(events.map((e) => e.data.phase))}`);
    assert.equal(draws[draws.length - 1].data.done, 4);
    assert.equal(draws[draws.length - 1].data.total, 4);
    assert.equal(typeof draws[0].data.modelVersion, 'string');
    const status = await http(`${base}/v1/runs/${id}`);
    assert.equal(status.body.status, 'succeeded');
    assert.deepEqual(status.body.convergence, { draws: 4, chunks: status.body.convergence.chunks });

    const result = await http(`${base}/v1/runs/${id}/result`);
    assert.equal(result.status, 200);
    const report = result.body.result;
    assert.deepEqual(report.summary, JSON.parse(cli.stdout), 'the API summary equals `tariffsim sweep --draws 4 --json` exactly');
    assert.equal(report.summary.draws, 4);
    const loss = report.summary.bands.find((b: { metric: string }) => b.metric === 'loss_USA');
    assert.match(loss.unit, /percent of income under the deal/);
    assert.ok(loss.p5 <= loss.p50 && loss.p50 <= loss.p95);
    const shares = report.summary.answers.filter((a: { statement: string }) => / loses more from the standoff/.test(a.statement));
    assert.equal(shares.length, 2);
    assert.ok(Math.abs(shares[0].share + shares[1].share - 1) < 1e-12);
    assert.equal(report.summary.shareUnit, 'share of draws (0–1)');
    assert.equal(report.chunks.count >= 1, true);
    assert.ok(report.columns.some((c: { name: string; unit: string }) => c.name === 'real_income_CHN' && /percent change of real income/.test(c.unit)));

    const rows = await http(`${base}/v1/runs/${id}/result?format=rows`);
    assert.equal(rows.status, 200);
    assert.deepEqual(rows.body.rows.map((r: { draw: number }) => r.draw), [0, 1, 2, 3]);
    assert.ok(rows.body.columns.includes('loss_CHN'));
    const q = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const h = (s.length - 1) * p;
      return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
    };
    const usaLoss = rows.body.rows.map((r: { loss_USA: number }) => r.loss_USA);
    assert.ok(Math.abs(q(usaLoss, 0.5) - loss.p50) < 1e-12, 'the median of the rows is the summary median');
    const csv = await http(`${base}/v1/runs/${id}/result?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.text.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.ok(lines[0].split(',').includes('loss_USA'));

    const again = await http(`${base}/v1/runs`, { json: body });
    assert.equal(again.status, 200, 'cached');
    assert.equal(again.body.id, id);
    assert.deepEqual(again.body.result.summary, report.summary);
    // The same sweep as YAML text is validated the same way (its own id: the text is part of the job).
    const text = readFileSync(join(PROJECT_ROOT, 'scenarios', 'sweeps', 'standoff-theta.yaml'), 'utf8');
    const yaml = await http(`${base}/v1/runs?wait=0`, { json: { kind: 'sweep', sweep: text.replace('draws: 200', 'draws: 2000') } });
    assert.equal(yaml.status, 400);
    assert.equal(yaml.body.field, 'draws');
    assert.equal(yaml.body.line, 9);
  });

  test('an unknown sector fails the run before any draw, naming the field (422)', async () => {
    const r = await http(`${base}/v1/runs?wait=120000`, { json: { kind: 'sweep', sweep: spec({ vary: [{ theta: { sector: 'Textilez', sd: 1 } }] }) } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.field, 'vary.0.theta.sector');
    assert.match(r.body.detail, /unknown sector 'Textilez'/);
    assert.equal(r.body.run.status, 'failed');
  });

  test('OpenAPI documents sweep runs and the Sweep schema', async () => {
    const api = await http(`${base}/v1/openapi.json`);
    assert.equal(api.status, 200);
    assert.ok(api.body.components.schemas.Sweep.properties.vary, 'the sweep file schema is in the document');
    assert.ok(api.body.components.schemas.Sweep.properties.draws);
    const post = JSON.stringify(api.body.paths['/v1/runs'].post);
    assert.match(post, /"sweep"/);
    const result = JSON.stringify(api.body.paths['/v1/runs/{id}/result'].get);
    assert.match(result, /"rows"/);
  });
});
