// Whole-process start-up of the compiled CLI, as a user's shell runs it after `npm ci` (which builds dist/ and
// the CLI bundle): `tariffsim --version` and `tariffsim run scenarios/cp2015-nafta.yaml --json`. Targets (issue
// 9): < 0.2 s and < 0.6 s median. The first call of each command is not timed: it warms the operating system's
// file cache and, for the run, writes the CP2015 world cache (src/node/world-cache.ts) and the zero-deficit
// baseline (src/node/baseline-cache.ts) that later calls read, as a user's second call would. The last row runs
// with every derived-data cache off (TARIFFSIM_CACHE=off: the CSVs parsed and the baseline solved on every call).
// Run: npm run bench -- startup
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT, sharedDataAvailable } from '../src/node/paths.ts';

const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
if (build.status !== 0) {
  console.log('npm run build failed');
  process.exit(1);
}
const bin = join(PROJECT_ROOT, 'bin', 'tariffsim.js');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeCommand(args: string[], n: number, env: NodeJS.ProcessEnv = process.env): { median: number; first: number } {
  const t: number[] = [];
  let first = 0;
  for (let k = 0; k < n + 1; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
    const dt = performance.now() - t0;
    if (r.status !== 0) throw new Error(`tariffsim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (k > 0) t.push(dt / 1000); // the first call warms the file cache (and writes the world cache)
    else first = dt / 1000;
  }
  return { median: median(t), first };
}

const rows: [string, { median: number; first: number }, number][] = [['tariffsim --version', timeCommand(['--version'], 15), 0.2]];
const run = ['run', 'scenarios/cp2015-nafta.yaml', '--json'];
if (sharedDataAvailable('cp2015')) rows.push(['tariffsim run scenarios/cp2015-nafta.yaml --json', timeCommand(run, 9), 0.6]);
else console.log('cp2015 data not found: the run benchmark is skipped');
for (const [name, s, target] of rows) console.log(`  ${name.padEnd(52)} median ${s.median.toFixed(3)} s  (target < ${target} s) ${s.median < target ? 'ok' : 'OVER'}; first call ${s.first.toFixed(3)} s`);
if (sharedDataAvailable('cp2015')) {
  const off = timeCommand(run, 5, { ...process.env, TARIFFSIM_CACHE: 'off' });
  console.log(`  ${'  the same with TARIFFSIM_CACHE=off'.padEnd(52)} median ${off.median.toFixed(3)} s  (no target: every derived-data cache off)`);
}
