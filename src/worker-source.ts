// Source of a worker thread that runs a TypeScript entry module: it registers tsx inside the worker (whether or
// not the parent runs under `--import tsx`), imports the entry, and reports a failure to load as
// `{ fatal: message }` on the parent port. Used by the worker pools in src/strategy-node and src/estimate-node.
export function tsxWorkerSource(entry: URL): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return (
    `const { parentPort } = require('node:worker_threads');` +
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));`
  );
}
