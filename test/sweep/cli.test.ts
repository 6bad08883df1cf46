// `tariffsim sweep` and `standoff --draws` through the CLI (in-process; worker threads), on small world2024
// scenarios without the policy layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tariffsim-sweep-cli-'));
writeFileSync(join(dir, 'war.yaml'), 'name: cli war\ndataset: world2024\nshocks:\n  - tariff: {importer: USA, exporter: CHN, add: 60}\n  - tariff: {importer: CHN, exporter: USA, add: 60}\n');
writeFileSync(join(dir, 'deal.yaml'), 'name: cli deal\ndataset: world2024\nshocks:\n  - tariff: {importer: USA, exporter: CHN, add: 10}\n');

test('sweep: a bad spec exits 2 naming the field, line and column', async () => {
  writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nscenario: war.yaml\ndraws: 4\nseed: 1\nvary:\n  - theta: {sector: goods, sd: -1}\n');
  const r = await runCli(['sweep', join(dir, 'bad.yaml'), '--workers', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /vary\.0\.theta/);
  assert.match(r.stderr, /line 6:\d+/);
});

test('standoff --draws prints each side\'s loss with a 90% band and the share of draws in which each loses more', async () => {
  const r = await runCli(['standoff', '--a', 'USA', '--b', 'CHN', '--from', join(dir, 'war.yaml'), '--deal', join(dir, 'deal.yaml'), '--draws', '4', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /median \[5%, 95%\] over draws/);
  const m = /United States loses more in ([\d.]+)% of draws; China in ([\d.]+)%/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(Number(m[1]) + Number(m[2]), 100);
  assert.match(r.stdout, /over 4 draws of θ/);
  console.log(r.stdout);
});

test('run --draws prints each region\'s real income with a band', async () => {
  const r = await runCli(['run', join(dir, 'war.yaml'), '--draws', '3', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /real income % \(point\)\s+median \[5%, 95%\] over draws/);
  assert.match(r.stdout, /over 3 draws of θ/);
  assert.match(r.stdout, /China\s+-?\d+\.\d+\s+-?\d+\.\d+ \[-?\d+\.\d+, -?\d+\.\d+\]/);
});

test('sweep --queue to a Redis that is not there exits 2 naming --queue (no endless retry)', async () => {
  writeFileSync(join(dir, 'ok.yaml'), 'name: ok\nscenario: war.yaml\ndraws: 2\nseed: 1\nvary:\n  - theta: {sector: goods, relativeSd: 0.1}\n');
  const port = await new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const r = await runCli(['sweep', join(dir, 'ok.yaml'), '--queue', `redis://127.0.0.1:${port}`]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /field '--queue': cannot reach Redis at 127\.0\.0\.1:\d+/);
});
