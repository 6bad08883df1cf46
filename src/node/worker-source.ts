// Source of a worker thread that runs one entry module of the project, and reports a failure to load as
// `{ fatal: message }` on the parent port. Used by the worker pools in src/node/strategy, src/node/estimate,
// src/node/sweep and by the server. The entry is named by its path under src/ without extension (e.g.
// 'node/strategy/worker'). When this module runs as compiled JavaScript (dist/ or the CLI bundle, how
// `tariffsim` runs), the worker imports the compiled entry dist/<entry>.js; when it runs as TypeScript (tests,
// benchmarks under `--import tsx`), the worker registers tsx first and imports src/<entry>.ts.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.ts';

export function workerSource(entry: string): string {
  const compiled = import.meta.url.endsWith('.js');
  const href = pathToFileURL(join(PROJECT_ROOT, compiled ? 'dist' : 'src', `${entry}.${compiled ? 'js' : 'ts'}`)).href;
  const load = compiled
    ? `import(${JSON.stringify(href)})`
    : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(href)}); })`;
  return `const { parentPort } = require('node:worker_threads');` + `${load}.catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));`;
}
