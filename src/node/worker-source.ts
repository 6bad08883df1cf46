// Source of a worker thread that runs an entry module beside the calling module, and reports a failure to load
// as `{ fatal: message }` on the parent port. Used by the worker pools in src/node/strategy,
// src/node/estimate and src/node/sweep. When the caller is compiled JavaScript (dist/, how `tariffsim` runs), the worker imports the
// compiled entry directly; when the caller runs as TypeScript (tests, benchmarks under `--import tsx`), the
// worker registers tsx first and imports the TypeScript entry.
export function workerSource(callerUrl: string, entryName: string): string {
  const compiled = callerUrl.endsWith('.js');
  const entry = new URL(`./${entryName}.${compiled ? 'js' : 'ts'}`, callerUrl).href;
  const load = compiled
    ? `import(${JSON.stringify(entry)})`
    : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return `const { parentPort } = require('node:worker_threads');` + `${load}.catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));`;
}
