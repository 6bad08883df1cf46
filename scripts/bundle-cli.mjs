// Bundles the compiled CLI into dist/cli-bundle/ (one ES module per lazily loaded command, code shared in chunks),
// so that a `tariffsim` call loads a few files instead of about a hundred project modules plus zod's and yaml's
// many files: about 0.1 s less start-up per call (README, "Performance"). Run by `npm run build` after tsc;
// bin/tariffsim.js runs the bundle. Heavy, rarely needed packages (the server's, the queue's, DuckDB, the
// browser driver, vite) stay external and load from node_modules only when a command needs them. Worker threads
// load the unbundled modules in dist/ (src/node/worker-source.ts).
import { build } from 'esbuild';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  external: ['@duckdb/node-api', 'bullmq', 'ioredis', 'fastify', '@fastify/*', 'fastify-type-provider-zod', 'playwright-core', 'vite', 'tsx', 'autocannon', 'esbuild'],
  // CommonJS packages inside an ES module bundle need a `require`.
  banner: { js: "import { createRequire as __tariffsimRequire } from 'node:module'; const require = __tariffsimRequire(import.meta.url);" },
});
// The build's identity for the derived-data caches (src/node/cache.ts): new on every build.
writeFileSync(join(root, 'dist', 'BUILD_ID'), `${new Date().toISOString()} ${randomUUID()}\n`);
