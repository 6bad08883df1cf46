// The browser-safe core must bundle for a browser (esbuild, platform browser) with no Node built-ins: every
// module of src/model, src/strategy, src/estimate, src/data and src/policy (their file access lives in
// src/node/data and src/node/policy) and the scenario schema and compiler. Each module is its own entry point, so a Node import anywhere
// in what one of them pulls in fails the build, and the error names the module that imports it.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { build, type Message } from 'esbuild';
import { PROJECT_ROOT } from '../../src/node/paths.ts';

const AREAS: { name: string; files: () => string[] }[] = [
  { name: 'src/model', files: () => tsFiles('src/model') },
  { name: 'src/strategy', files: () => tsFiles('src/strategy') },
  { name: 'src/estimate', files: () => tsFiles('src/estimate') },
  { name: 'src/policy', files: () => tsFiles('src/policy') },
  { name: 'src/data', files: () => tsFiles('src/data') },
  { name: 'src/scenario schema and compile', files: () => ['src/scenario/schema.ts', 'src/scenario/compile.ts'] },
  { name: 'src/sweep', files: () => tsFiles('src/sweep') },
  { name: 'src/web (the web app\'s pure code) and the world JSON parser', files: () => [...tsFiles('src/web'), 'src/data/world-json.ts'] },
];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(join(PROJECT_ROOT, dir)).sort()) {
    const rel = `${dir}/${f}`;
    if (statSync(join(PROJECT_ROOT, rel)).isDirectory()) out.push(...tsFiles(rel));
    else if (f.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Node built-ins by name, with or without the node: prefix. */
const NODE_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](node:[\w/]+|fs|path|os|url|worker_threads|child_process|crypto|stream|util|module|process)["']/;

for (const area of AREAS) {
  test(`${area.name} bundles for the browser with no Node built-ins`, async () => {
    const files = area.files();
    assert.ok(files.length > 0, `no modules found under ${area.name}`);
    let errors: Message[] = [];
    let outputs: { path: string; text: string }[] = [];
    try {
      const r = await build({
        entryPoints: files.map((f) => join(PROJECT_ROOT, f)),
        absWorkingDir: PROJECT_ROOT,
        outdir: join(PROJECT_ROOT, 'out-purity'),
        outbase: PROJECT_ROOT,
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      });
      errors = r.errors;
      outputs = r.outputFiles;
    } catch (e) {
      errors = (e as { errors?: Message[] }).errors ?? [{ text: String(e) } as Message];
    }
    const where = errors.map((m) => `${m.location ? relative(PROJECT_ROOT, join(PROJECT_ROOT, m.location.file)) : '?'}: ${m.text.split('\n')[0]}`);
    assert.deepEqual(where, [], `modules that do not bundle for the browser:\n  ${where.join('\n  ')}`);
    assert.equal(outputs.length, files.length);
    const offenders = outputs.filter((o) => NODE_IMPORT.test(o.text)).map((o) => relative(join(PROJECT_ROOT, 'out-purity'), o.path));
    assert.deepEqual(offenders, [], `bundles that import a Node built-in: ${offenders.join(', ')}`);
  });
}
