// Strategy on the multi-sector CP model (world2024): one warm-started equilibrium solve, one adjoint gradient
// (docs/cp2015.md (A1)–(A6)), one best response, and the two whole-process commands of issue 17:
// `tariffsim war --data world2024` (Nash, 2 worker threads) and `tariffsim deal --a USA --b CHN` (default
// 16 × 16 grid + Nash bargaining). Prints medians of wall and user CPU time.
// Run: npm run bench -- cp-strategy   (or: node --import tsx bench/cp-strategy.bench.ts [deal repeats] [war repeats])
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedWorld } from '../src/node/data/builder/embedded.ts';
import { PROJECT_ROOT, sharedDataAvailable } from '../src/node/paths.ts';
import { CpAdjoint } from '../src/model/cp/adjoint.ts';
import { CpModel } from '../src/model/cp/model.ts';
import { CpStrategicModel } from '../src/strategy/adapters/cp.ts';
import { bestResponse } from '../src/strategy/best-response.ts';

const dealRepeats = Number(process.argv[2] ?? 5);
const warRepeats = Number(process.argv[3] ?? 1);
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (label: string, times: number[], unit: 'ms' | 's', extra = ''): void => {
  const f = (x: number): string => (unit === 's' ? (x / 1000).toFixed(2) : x.toFixed(1));
  console.log(`  ${label.padEnd(52)} median ${f(median(times)).padStart(8)} ${unit}  (min ${f(Math.min(...times))}, max ${f(Math.max(...times))}, n=${times.length})${extra ? '  ' + extra : ''}`);
};

const world = loadEmbeddedWorld();
const N = world.regions.length;
console.log(`world2024: ${N} regions × ${world.sectors.length} sectors, zero deficits`);
const model = new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } });
const e = model.baseline().economy;
const usa = world.regions.findIndex((r) => r.code === 'USA');
const tariff = e.tau.slice();
for (let j = 0; j < world.sectors.length; j++) for (let i = 0; i < N; i++) if (i !== usa) tariff[(j * N + usa) * N + i] += 0.1;
let sol = model.equilibrium({ tariff });
const solveTimes: number[] = [];
for (let k = 0; k < 15; k++) {
  const t = tariff.slice();
  t[(2 * N + usa) * N + 1] += 0.001 * (k + 1);
  const t0 = performance.now();
  sol = model.equilibrium({ tariff: t }, undefined, sol.equilibrium);
  solveTimes.push(performance.now() - t0);
}
line('equilibrium solve, warm start (tolerance 1e-13)', solveTimes, 'ms', `${sol.equilibrium.convergence.iterations} outer iterations`);
const omega = new Float64Array(N);
omega[usa] = 1;
const gradTimes: number[] = [];
let adj: CpAdjoint | undefined;
for (let k = 0; k < 15; k++) {
  const t0 = performance.now();
  adj = new CpAdjoint(e, sol.equilibrium);
  adj.gradient(omega);
  gradTimes.push(performance.now() - t0);
}
line('adjoint gradient of ln Ŵ_USA, all 4,608 tariffs', gradTimes, 'ms', `${adj!.report.method}, ${adj!.report.iterations} products`);
const brTimes: number[] = [];
let evals = 0;
for (let k = 0; k < 3; k++) {
  const m = new CpStrategicModel(new CpModel(world, { closure: 'zero-deficits', solver: { tolerance: 1e-13 } }));
  const t0 = performance.now();
  const br = bestResponse(m, { government: usa, policy: m.baselinePolicy(), kind: 'mfn', options: { gradientTolerance: 1e-8 } });
  brTimes.push(performance.now() - t0);
  evals = br.evaluations;
}
line('USA best response (14 MFN tariffs), exact gradients', brTimes, 's', `${evals} evaluations`);

const cli = join(PROJECT_ROOT, 'bin', 'tariffsim.js');
// Whole-process runs: wall time, and (through /usr/bin/time where it exists) the user CPU time of the process
// and its threads, which a shared machine disturbs less than the wall time. The load average says how shared.
const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const whole = (args: string[], n: number, env: NodeJS.ProcessEnv = process.env): { wall: number[]; user: number[] } => {
  const wall: number[] = [];
  const user: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    const r = timer
      ? spawnSync(timer, ['-f', 'user-seconds %U', process.execPath, cli, ...args], { encoding: 'utf8', env })
      : spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
    wall.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`tariffsim ${args.join(' ')} failed: ${r.stderr}`);
    const u = /user-seconds ([\d.]+)/.exec(r.stderr ?? '');
    if (u) user.push(1000 * Number(u[1]));
  }
  return { wall, user };
};
const report = (label: string, r: { wall: number[]; user: number[] }, extra: string): void => {
  line(`${label}, wall`, r.wall, 's', extra);
  if (r.user.length) line(`${label}, user CPU (all threads)`, r.user, 's');
};
const load = (): string => `load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on ${os.availableParallelism()} cores`;
console.log(`  before the whole-process runs: ${load()}`);
if (sharedDataAvailable('us-tariffs')) {
  const dealArgs = ['deal', '--a', 'USA', '--b', 'CHN', '--json'];
  // Without the derived-data caches (src/node/cache.ts) every call loads and compiles the policy layer; with them,
  // the first call stores the standoff's tariff matrix and later calls read it (a user's second call).
  report('tariffsim deal --a USA --b CHN (whole process, caches off)', whole(dealArgs, Math.min(3, dealRepeats), { ...process.env, TARIFFSIM_CACHE: 'off' }), 'default 16 × 16 grid + Nash bargaining');
  whole(dealArgs, 1);
  report('tariffsim deal --a USA --b CHN (whole process, after a first call)', whole(dealArgs, dealRepeats), 'default 16 × 16 grid + Nash bargaining');
} else {
  console.log('  tariffsim deal: skipped (../shared/data/us-tariffs not found: the default standoff needs the policy layer)');
}
report('tariffsim war --data world2024 (whole process)', whole(['war', '--data', 'world2024', '--json', '--workers', '2'], warRepeats), '2 worker threads');
console.log(`  after: ${load()}`);
