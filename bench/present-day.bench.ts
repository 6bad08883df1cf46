// Present-day baseline (world2024): load, exact baseline re-solve, the April 2025 standoff (policy layer +
// solve), and a US–China deal grid. Run: npm run bench -- present-day
import { join } from 'node:path';
import { loadEmbeddedWorld } from '../src/node/data/builder/embedded.ts';
import { PROJECT_ROOT, sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';
import { CpModel } from '../src/model/cp/model.ts';
import { deal as dealApp } from '../src/app/deal.ts';
import { loadScenarioFile, prepareScenarioFile } from '../src/node/scenario.ts';
import { nodeSources } from '../src/node/sources.ts';

if (!sharedDataAvailable('us-tariffs')) {
  console.log(`skipped: ${join(sharedDataDir(), 'us-tariffs')} not found`);
  process.exit(process.env.CI ? 1 : 0);
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f: () => void, n: number) => {
  f();
  const t: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
};
const world = loadEmbeddedWorld();
console.log(`world2024: ${world.regions.length} regions × ${world.sectors.length} sectors`);
console.log(`  load embedded baseline           ${time(() => loadEmbeddedWorld(), 9).toFixed(1)} ms`);
console.log(`  exact baseline re-solve          ${time(() => new CpModel(world, { closure: 'fixed-deficits' }).baseline(), 9).toFixed(1)} ms`);
const file = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');
let t0 = performance.now();
const { compiled } = await prepareScenarioFile(file);
console.log(`  policy tariffs on 2025-04-15     ${(performance.now() - t0).toFixed(0)} ms (first call: loads actions and 2024 weights)`);
t0 = performance.now();
await prepareScenarioFile(file);
console.log(`  policy tariffs, cached context   ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`  standoff solve (baseline + cf)   ${time(() => new CpModel(world, { closure: compiled.closure }).solve(compiled.counterfactual), 9).toFixed(1)} ms`);
t0 = performance.now();
const deal = await dealApp({ a: 'USA', b: 'CHN', scenario: loadScenarioFile(file), grid: { steps: 11 } }, nodeSources());
console.log(`  US–China deal zone, 11 × 11 grid + NBS: ${((performance.now() - t0) / 1000).toFixed(2)} s (${deal.solves} equilibrium solves)`);
