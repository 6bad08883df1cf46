// CP2015 NAFTA experiment: zero-deficit baseline re-solve + counterfactual, repeated; prints the median.
// Run: npm run bench -- cp2015   (or: node --import tsx bench/cp2015.bench.ts [repeats])
import { loadCp2015 } from '../src/node/data/cp2015.ts';
import { sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';
import { CpModel } from '../src/model/cp/model.ts';
import { compileScenario } from '../src/scenario/compile.ts';
import { loadScenarioFile } from '../src/node/scenario.ts';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/node/paths.ts';

if (!sharedDataAvailable('cp2015')) {
  console.log(`skipped: ${join(sharedDataDir(), 'cp2015')} not found`);
  process.exit(process.env.CI ? 1 : 0);
}
const repeats = Number(process.argv[2] ?? 15);
const scenario = loadScenarioFile(join(PROJECT_ROOT, 'scenarios', 'cp2015-nafta.yaml'));
const world = loadCp2015(join(sharedDataDir(), 'cp2015'));
const compiled = compileScenario(scenario, world);
const times: number[] = [];
let iterations = 0;
let inner = '';
for (let r = 0; r < repeats + 2; r++) {
  const t0 = performance.now();
  const model = new CpModel(world, { closure: compiled.closure, solver: compiled.solver });
  const res = model.solve(compiled.counterfactual);
  const dt = performance.now() - t0;
  if (r >= 2) times.push(dt); // first two runs warm up the JIT
  iterations = res.convergence.baseline.iterations + res.convergence.counterfactual.iterations;
  inner = `baseline ${res.convergence.baseline.iterations}, counterfactual ${res.convergence.counterfactual.iterations}`;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`cp2015 NAFTA (31 regions × 40 sectors), zero-deficit baseline + counterfactual, ${repeats} runs after 2 warm-ups`);
console.log(`  median wall time     ${median.toFixed(1)} ms   (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)})`);
console.log(`  wage iterations      ${iterations} (${inner})`);
console.log(`  time per iteration   ${(median / iterations).toFixed(2)} ms`);
console.log(`  target ≤ 200 ms: ${median <= 200 ? 'met' : 'NOT met'}`);
