// The web app's API client against a fake fetch: cached 200, 202 + polling, failures and no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, ApiUnavailable, runOnServer } from '../../src/web/api.ts';

type R = { status: number; body?: unknown; location?: string };
function fake(routes: Record<string, R | R[]>) {
  const calls: string[] = [];
  const fetch = async (url: string, init?: { method?: string }) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const r = routes[`${init?.method ?? 'GET'} ${url}`];
    if (!r) throw new TypeError('connection refused');
    const one = Array.isArray(r) ? r.shift()! : r;
    return { ok: one.status < 300, status: one.status, headers: { get: (h: string) => (h === 'location' ? one.location ?? null : null) }, json: async () => one.body };
  };
  return { fetch, calls };
}
const noSleep = async () => {};

test('a cached run answers 200 with the result (unwrapped from its versions)', async () => {
  const f = fake({ 'POST /v1/runs': { status: 200, body: { result: { ok: 1 }, modelVersion: 'x' } } });
  assert.deepEqual(await runOnServer({ kind: 'war' }, { fetch: f.fetch }), { ok: 1 });
});

test('a long run answers 202 + Location, is polled until it succeeds, then its result is read', async () => {
  const f = fake({
    'POST /v1/runs': { status: 202, location: '/v1/runs/abc', body: { id: 'abc' } },
    'GET /v1/runs/abc': [{ status: 200, body: { status: 'running', progress: 0.5 } }, { status: 200, body: { status: 'succeeded' } }],
    'GET /v1/runs/abc/result?format=json': { status: 200, body: { nash: true } },
  });
  const seen: string[] = [];
  assert.deepEqual(await runOnServer({ kind: 'war' }, { fetch: f.fetch, sleep: noSleep, onStatus: (s) => seen.push(s) }), { nash: true });
  assert.deepEqual(seen, ['running (0.5)', 'succeeded']);
});

test('no server, a host without /v1/runs, a 422 and a failed run each say what happened', async () => {
  await assert.rejects(runOnServer({}, { fetch: fake({}).fetch }), (e) => e instanceof ApiUnavailable && /tariffsim serve/.test(e.message) && /no server answered/.test(e.message));
  await assert.rejects(runOnServer({}, { fetch: fake({ 'POST /v1/runs': { status: 404, body: {} } }).fetch }), (e) => e instanceof ApiUnavailable && /has no \/v1\/runs/.test(e.message));
  await assert.rejects(runOnServer({}, { fetch: fake({ 'POST /v1/runs': { status: 422, body: { detail: 'kind: unknown kind' } } }).fetch }), (e) => e instanceof ApiError && /kind: unknown kind/.test(e.message));
  const failed = fake({ 'POST /v1/runs': { status: 202, location: '/v1/runs/z' }, 'GET /v1/runs/z': { status: 200, body: { status: 'failed', error: { detail: 'did not converge' } } } });
  await assert.rejects(runOnServer({}, { fetch: failed.fetch, sleep: noSleep }), /failed: did not converge/);
});
