#!/usr/bin/env node
// Entry point of the `tariffsim` command: runs the compiled, bundled CLI in dist/cli-bundle/ (built by
// `npm run build`, which `npm ci` runs through the `prepare` script; scripts/bundle-cli.mjs). No TypeScript
// loader at run time.
import { existsSync } from 'node:fs';
const main = new URL('../dist/cli-bundle/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('error: the compiled CLI (dist/) is missing: run `npm run build` (npm ci runs it too)\n');
  process.exit(1);
}
// A closed pipe (`tariffsim … | head`) ends the command quietly, as in other Unix tools.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const cli = await import(main.href);
process.exitCode = await cli.main(process.argv);
