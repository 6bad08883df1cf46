// src/model/ossa, src/model/cp (with its adjoint gradients), src/strategy and the CP strategic adapter are pure:
// they must bundle for a browser (no node: built-ins, no fs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../src/data/paths.ts';

for (const entry of ['src/strategy/index.ts', 'src/model/ossa/index.ts', 'src/model/cp/adjoint.ts', 'src/model/cp/model.ts', 'src/strategy/adapters/cp.ts']) {
  test(`${entry} bundles for the browser`, async () => {
    const r = await build({ entryPoints: [join(PROJECT_ROOT, entry)], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    assert.equal(r.errors.length, 0);
    const code = r.outputFiles[0].text;
    assert.ok(!/from ["']node:/.test(code) && !/require\(["'](fs|path|worker_threads)/.test(code));
  });
}
