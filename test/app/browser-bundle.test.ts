// The application layer and everything it imports bundle for a browser: no Node built-ins (fs, path,
// worker_threads, …), so the web app can run the same use cases in the page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../src/node/paths.ts';

test('src/app/index.ts bundles for the browser with no Node built-ins', async () => {
  const r = await build({ entryPoints: [join(PROJECT_ROOT, 'src/app/index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
  assert.equal(r.errors.length, 0);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const imported = Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
  assert.deepEqual(imported.filter((p) => builtins.has(p)), [], 'Node built-ins reached from src/app');
  const files = Object.keys(r.metafile.inputs);
  assert.ok(files.some((f) => f.includes('src/model/cp/solve.ts')), 'the bundle holds the CP solver');
  assert.ok(!files.some((f) => /src\/(node|cli|server|web-node|web-build)\//.test(f)), `Node-only code in the bundle: ${files.filter((f) => /src\/(node|cli|server)\//.test(f)).join(', ')}`);
});
