// Fault test of the results store: `tariffsim serve` as a child process is killed with SIGKILL while it writes a
// run (a fault-injection pause inside the write transaction); after a restart the store opens, the run is absent
// or complete, and re-posting it computes it again. A second server on the same store is refused (one writer);
// a run written before another kill -9 is served from the store after the restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { http } from '../helpers/http.ts';
import { needsShared } from '../helpers/shared.ts';

interface Child {
  proc: ChildProcess;
  url: Promise<string>;
  stderr: () => string;
  exited: Promise<number | null>;
}

function serve(store: string, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-child.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--store', store], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s: ${err}`)), 90_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}: ${err}`));
    });
  });
  url.catch(() => undefined);
  return { proc, url, stderr: () => err, exited };
}

async function until(what: string, cond: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('kill -9 during a run write: the store opens, the run is absent or complete, re-posting computes it', { skip: needsShared('ossa2014') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-crash-'));
  const store = join(dir, 'runs.duckdb');
  const children: Child[] = [];
  const body = { kind: 'scenario', scenario: 'ossa2014-table2-crp' };
  try {
    // 1. A server that pauses 30 s inside the write transaction; kill it there.
    const a = serve(store, { TARIFFSIM_STORE_WRITE_DELAY_MS: '30000' });
    children.push(a);
    const urlA = await a.url;
    const post = await http(`${urlA}/v1/runs?wait=0`, { json: body });
    assert.ok(post.status === 202 || post.status === 200, post.text);
    const id = post.body.id as string;
    await until('the write to start', () => a.stderr().includes(`store: writing run ${id}`));
    a.proc.kill('SIGKILL');
    await a.exited;

    // 2. Restart: the store opens; the run is absent, or complete.
    const b = serve(store);
    children.push(b);
    const urlB = await b.url;
    const after = await http(`${urlB}/v1/runs/${id}`);
    t.diagnostic(`after the kill -9 mid-write the run is ${after.status === 404 ? 'absent' : 'present'}`);
    if (after.status === 200) {
      assert.equal(after.body.status, 'succeeded');
      const csv = await http(`${urlB}/v1/runs/${id}/result?format=csv`);
      assert.equal(csv.text.trim().split('\n').length, 8, 'complete: all 7 regions');
    } else assert.equal(after.status, 404, 'absent');

    // 3. One writer: a second server on the same store is refused.
    const c = serve(store);
    children.push(c);
    assert.notEqual(await c.exited, 0);
    assert.match(c.stderr(), /open in another process|lock/i);

    // 4. Re-posting computes it; kill -9 after the write; a restart serves it from the store.
    const again = await http(`${urlB}/v1/runs?wait=120000`, { json: body });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, id);
    assert.equal(again.body.result.regions.length, 7);
    b.proc.kill('SIGKILL');
    await b.exited;
    const d = serve(store);
    children.push(d);
    const urlD = await d.url;
    const cached = await http(`${urlD}/v1/runs`, { json: body });
    assert.equal(cached.status, 200);
    assert.equal(cached.body.status, 'succeeded');
    assert.deepEqual(cached.body.result, again.body.result, 'served from the store after the restart');
  } finally {
    for (const ch of children) if (ch.proc.exitCode === null && ch.proc.signalCode === null) ch.proc.kill('SIGKILL');
    await Promise.all(children.map((ch) => ch.exited));
    rmSync(dir, { recursive: true, force: true });
  }
});
