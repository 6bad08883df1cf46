// `tariffsim data build` end to end (the CLI process: read WIOD 2011, Census 2024 and WDI 2024 targets, aggregate,
// RAS, calibration rounds with exact re-solves, serialise, write to a temporary folder); prints the median wall
// time and the file size. Issue 10 budget: under 30 s, baseline file under 300 KB.
// Run: npm run bench -- data-build   (or: node --import tsx bench/data-build.bench.ts [repeats])
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';

for (const sub of ['wiod2011', 'us-tariffs', 'wdi']) {
  if (!sharedDataAvailable(sub)) {
    console.log(`skipped: ${join(sharedDataDir(), sub)} not found`);
    process.exit(process.env.CI ? 1 : 0);
  }
}
const repeats = Number(process.argv[2] ?? 3);
const out = mkdtempSync(join(tmpdir(), 'tariffsim-build-'));
const times: number[] = [];
for (let k = 0; k < repeats; k++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'tariffsim.js'), 'data', 'build', '--out', out], { encoding: 'utf8' });
  times.push(performance.now() - t0);
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  if (k === 0) process.stdout.write(r.stdout.replace(/^/gm, '  | '));
}
const median = times.slice().sort((a, b) => a - b)[Math.floor(times.length / 2)];
const size = statSync(join(out, 'world2024.json')).size;
console.log(`tariffsim data build: median ${(median / 1000).toFixed(2)} s over ${repeats} runs (budget 30 s); world2024.json ${(size / 1024).toFixed(0)} KB (budget 300 KB)`);
rmSync(out, { recursive: true, force: true });
