// src/model/timing is pure: it must bundle for a browser (no node: built-ins, no fs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../src/node/paths.ts';

test('src/model/timing/index.ts bundles for the browser', async () => {
  const r = await build({ entryPoints: [join(PROJECT_ROOT, 'src/model/timing/index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.equal(r.errors.length, 0);
  const code = r.outputFiles[0].text;
  assert.ok(!/from ["']node:/.test(code) && !/require\(["'](fs|path|worker_threads)/.test(code));
  assert.ok(/fitDynamics/.test(code));
});
