// The application layer and everything it imports bundle for a browser: no Node built-ins (fs, path,
// worker_threads, …), so the web app can run the same use cases in the page.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

// The pure layers reach no file, environment or Node-only folder even where a bundler would not notice
// (`process.env` bundles for a browser but fails there): src/data and src/policy read through src/node.
test('src/data and src/policy name no process, Node built-in or src/node module', () => {
  const offenders: string[] = [];
  const scan = (dir: string) => {
    for (const f of readdirSync(join(PROJECT_ROOT, dir)).sort()) {
      const rel = `${dir}/${f}`;
      if (statSync(join(PROJECT_ROOT, rel)).isDirectory()) scan(rel);
      else if (f.endsWith('.ts')) {
        const text = readFileSync(join(PROJECT_ROOT, rel), 'utf8');
        const hit = /\bprocess\.\w|from\s*['"]node:|import\s*\(\s*['"]node:|from\s*['"][./]*\/node\//.exec(text);
        if (hit) offenders.push(`${rel}: ${hit[0]}`);
      }
    }
  };
  scan('src/data');
  scan('src/policy');
  assert.deepEqual(offenders, []);
});
