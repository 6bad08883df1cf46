// One process for the web app and the API (`tariffsim serve`), over real HTTP on 127.0.0.1 (ephemeral ports):
// the built app (web/dist) at / with its assets and their content types; traversal attempts on static paths (raw,
// percent-encoded, double-encoded, backslashes, encoded slashes, dot-files, a symbolic link leaving the folder)
// answered 4xx without a byte of the file outside; /v1 still the API; and GET /v1/policy/tariffs answering the
// toy example (HTS 9503, CHN, 2025-04-15) with the same lines as `tariffsim tariffs --json`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startServer } from '../../src/server/serve.ts';
import { ensureWebBuild } from '../../src/web-node/build.ts';
import { runCli } from '../helpers/cli.ts';
import { http } from '../helpers/http.ts';
import { needsShared } from '../helpers/shared.ts';

/** A GET with the path sent exactly as given (fetch would normalise `..` away). */
function rawGet(base: string, path: string): Promise<{ status: number; type: string; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'tariffsim-secret-' + Math.random().toString(36).slice(2);

describe('static files of a web app folder: content types and safe paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-static-'));
  const root = join(dir, 'dist');
  let app: FastifyInstance;
  let base = '';
  before(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/main-abc.js"></script>');
    writeFileSync(join(root, 'assets', 'main-abc.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'style-abc.css'), 'body{}');
    writeFileSync(join(root, 'policy.json'), '{"a":1}');
    writeFileSync(join(root, 'sub', 'index.html'), '<p>sub</p>');
    writeFileSync(join(root, '.env'), SECRET);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
    ({ app, url: base } = await startServer({ host: '127.0.0.1', port: 0, store: join(dir, 'runs.duckdb'), webRoot: root }));
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ is index.html; files carry their content type; hashed assets are immutable; HEAD has no body', async () => {
    const home = await http(`${base}/`);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(home.text, /<title>app<\/title>/);
    assert.equal(home.headers.get('cache-control'), 'no-cache');
    const js = await http(`${base}/assets/main-abc.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.text, 'console.log(1)');
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await http(`${base}/assets/style-abc.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await http(`${base}/policy.json`)).headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal((await http(`${base}/sub/`)).text, '<p>sub</p>', 'a folder answers its index.html');
    const head = await fetch(`${base}/assets/main-abc.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '14');
    assert.equal(await head.text(), '');
    const missing = await http(`${base}/nope.js`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
  });

  test('traversal attempts on static paths are 4xx and never show a file outside the folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/etc/passwd',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/..\\secret.txt',
      '/.env',
      '/assets/%2e/../.env',
      '/link.txt',
      '/%00index.html',
      '/%e0%a4%a',
      '//etc/passwd',
      '/' + '../'.repeat(20) + 'etc/passwd',
    ];
    for (const path of attempts) {
      const r = await rawGet(base, path);
      assert.ok(r.status >= 400 && r.status < 500, `${path} → ${r.status}`);
      assert.ok(!r.text.includes(SECRET) && !r.text.includes('root:x:'), `${path} leaked a file`);
    }
    const bad = await rawGet(base, '/%2e%2e/secret.txt');
    assert.equal(bad.status, 400);
    assert.match(bad.type, /^application\/problem\+json/);
    assert.match(JSON.parse(bad.text).detail, /'\.\.' segments/);
    assert.equal((await http(`${base}/v1/datasets`)).status, 200, 'the server is still up and the API still answers');
  });

  test('/v1 paths stay the API: an unknown one is a problem+json 404, never a file; POST to / is 404', async () => {
    writeFileSync(join(root, 'v1'), 'not the API');
    const r = await http(`${base}/v1/nope`);
    assert.equal(r.status, 404);
    assert.match(r.body.detail, /no route GET \/v1\/nope/);
    assert.equal((await http(`${base}/v1`)).status, 404);
    assert.equal((await http(`${base}/`, { method: 'POST', body: 'x' })).status, 404);
  });
});

describe('the built web app and the API in one process', { skip: needsShared('us-tariffs') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-web-api-'));
  let app: FastifyInstance;
  let base = '';
  let dist = '';
  before(async () => {
    dist = await ensureWebBuild();
    ({ app, url: base } = await startServer({ host: '127.0.0.1', port: 0, store: join(dir, 'runs.duckdb'), webRoot: dist }));
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ serves web/dist/index.html and every script, style and data file it names', async () => {
    const home = await http(`${base}/`);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(home.text, readFileSync(join(dist, 'index.html'), 'utf8'));
    const refs = [...home.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !/^(https?:|data:|#)/.test(u));
    assert.ok(refs.some((u) => u.endsWith('.js')), `index.html names a script: ${refs.join(', ')}`);
    for (const ref of refs) {
      const r = await fetch(new URL(ref, `${base}/`));
      assert.equal(r.status, 200, ref);
      const type = r.headers.get('content-type') ?? '';
      if (ref.endsWith('.js')) assert.equal(type, 'text/javascript; charset=utf-8', ref);
      if (ref.endsWith('.css')) assert.equal(type, 'text/css; charset=utf-8', ref);
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), readFileSync(join(dist, new URL(ref, 'http://x/').pathname)), `${ref} is the file`);
    }
    for (const data of ['world2024.json', 'policy.json', 'presets.json']) {
      const r = await fetch(`${base}/${data}`);
      assert.equal(r.status, 200, data);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      await r.arrayBuffer();
    }
  });

  test('GET /v1/policy/tariffs answers the toy example (HTS 9503, CHN, 2025-04-15) with the lines of `tariffsim tariffs --json`', async () => {
    const cli = await runCli(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9503', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const expected = JSON.parse(cli.stdout) as { hts: string; additional: number }[];
    const r = await http(`${base}/v1/policy/tariffs?date=2025-04-15&partner=CHN&hts=9503`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.tariffs.length > 1, 'every HTS10 line under 9503 with 2024 imports from China');
    assert.deepEqual(r.body.tariffs, expected);
    assert.ok(r.body.total >= r.body.tariffs.length);
    assert.ok(r.body.tariffs.every((t: { additional: number }) => t.additional === 145), 'Chinese toys on 2025-04-15: 145 points over MFN');
    assert.equal(typeof r.body.policyRevision, 'string');
    const two = await http(`${base}/v1/policy/tariffs?date=2025-04-15&partner=CHN&hts=9503&limit=2`);
    assert.deepEqual(two.body.tariffs, expected.slice(0, 2));
    const bad = await http(`${base}/v1/policy/tariffs?date=2025-04-15&partner=CHN&hts=7701`);
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.body.field, 'hts');
    assert.match(bad.body.detail, /chapter 77/);
    const self = await http(`${base}/v1/policy/tariffs?date=2025-04-15&partner=USA&hts=9503`);
    assert.equal(self.status, 422);
    assert.equal(self.body.field, 'partner');
    const traversal = await http(`${base}/v1/policy/tariffs?date=2025-04-15&partner=CHN&hts=..%2F..%2Fetc`);
    assert.equal(traversal.status, 400);
    assert.equal(traversal.body.field, 'hts');
  });
});
