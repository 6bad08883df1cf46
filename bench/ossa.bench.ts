// Ossa (2014), 7 regions × 33 industries: counterfactual solve, welfare gradient, one best response, the full
// Nash equilibrium (in this thread and on 2 worker threads), cooperative tariffs and a bilateral deal zone.
// Prints medians. Run: npm run bench -- ossa   (or: node --import tsx bench/ossa.bench.ts [repeats])
import { join } from 'node:path';
import { loadOssa2014 } from '../src/node/data/ossa2014.ts';
import { sharedDataAvailable, sharedDataDir } from '../src/node/paths.ts';
import { runOssaCounterfactual } from '../src/model/ossa/counterfactual.ts';
import { OssaModel } from '../src/model/ossa/model.ts';
import { OssaStrategicModel } from '../src/strategy/adapters/ossa.ts';
import { bargain } from '../src/strategy/bargaining.ts';
import { bestResponse } from '../src/strategy/best-response.ts';
import { cooperativeTariffs } from '../src/strategy/cooperative.ts';
import { computeNash } from '../src/strategy/nash.ts';
import { WorkerPool } from '../src/node/strategy/pool.ts';

if (!sharedDataAvailable('ossa2014')) {
  console.log(`skipped: ${join(sharedDataDir(), 'ossa2014')} not found`);
  process.exit(process.env.CI ? 1 : 0);
}
const repeats = Number(process.argv[2] ?? 5);
const data = loadOssa2014();

function stats(times: number[]): { median: number; min: number; max: number } {
  const t = times.slice().sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], min: t[0], max: t[t.length - 1] };
}
function line(label: string, times: number[], unit: 'ms' | 's', extra = ''): number {
  const { median, min, max } = stats(times);
  const f = (x: number): string => (unit === 's' ? (x / 1000).toFixed(2) : x.toFixed(unit === 'ms' && x < 10 ? 3 : 1));
  console.log(`  ${label.padEnd(46)} median ${f(median).padStart(8)} ${unit}  (min ${f(min)}, max ${f(max)}, n=${times.length})${extra ? '  ' + extra : ''}`);
  return median;
}
async function time(n: number, warm: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < n + warm; r++) {
    const t0 = performance.now();
    await fn();
    if (r >= warm) out.push(performance.now() - t0);
  }
  return out;
}

console.log(`Ossa (2014): 7 regions × 33 industries, ${repeats} repeats of the heavy cases (medians after JIT warm-up)`);

// 1. one counterfactual (Table 2, chemicals) from a cold start
const model = new OssaModel(data);
const t2 = Float64Array.from(data.tariff);
for (let i = 0; i < 6; i++) t2[(23 * 7 + 6) * 7 + i] += 0.5;
line('counterfactual solve (Table 2 crp, cold start)', await time(50, 5, () => model.solve(t2, { guess: new Float64Array(14) })), 'ms');
line('runOssaCounterfactual (Table 2 crp, incl. setup)', await time(20, 3, () => runOssaCounterfactual(data, { importer: 'US', industries: ['crp'], addPoints: 50 })), 'ms');

// 2. welfare and its exact gradient w.r.t. all 1,617 tariffs (warm start, as inside the optimiser)
const w = new Float64Array(7);
w[6] = 1;
let bump = 0;
line('welfare + adjoint gradient (1,617 tariffs)', await time(200, 20, () => {
  t2[(5 * 7 + 6) * 7 + 1] = 0.1 + 1e-4 * (bump++ % 7);
  model.welfareAndGradient(t2, w);
}), 'ms');

// 3. one best response (198 tariffs) from the factual tariffs
const sm = new OssaStrategicModel(data);
line('best response, US (198 tariffs)', await time(repeats * 2, 2, () => bestResponse(sm, { government: 6, policy: sm.baselinePolicy(), kind: 'discriminatory' })), 'ms');

// 4. full Nash equilibrium
let rounds = 0;
const nashSeq = line('Nash, no political economy, this thread', await time(repeats, 1, async () => {
  rounds = (await computeNash(sm)).rounds;
}), 's', `${rounds} rounds`);
const pool = await WorkerPool.create({ kind: 'ossa', data }, 2);
const nashPar = line('Nash, no political economy, 2 worker threads', await time(repeats, 1, async () => {
  rounds = (await computeNash(sm, { map: pool.map })).rounds;
}), 's', `${rounds} rounds`);
await pool.close();
const startup = line('worker pool start-up (2 workers, model built)', await time(3, 0, async () => (await WorkerPool.create({ kind: 'ossa', data }, 2)).close()), 'ms');
const smPe = new OssaStrategicModel(data, { politicalEconomy: true });
const poolPe = await WorkerPool.create({ kind: 'ossa', data, politicalEconomy: true }, 2);
const nashPe = line('Nash, political economy λ, 2 worker threads', await time(repeats, 1, async () => {
  rounds = (await computeNash(smPe, { map: poolPe.map })).rounds;
}), 's', `${rounds} rounds`);
await poolPe.close();

// 5. cooperative tariffs (1,386 tariffs) relative to the factual
line('cooperative tariffs vs factual (1,386 tariffs)', await time(Math.max(3, Math.ceil(repeats / 2)), 0, () => cooperativeTariffs(sm)), 's');

// 6. US–China deal zone (41×41 grid + Nash bargaining solution) from the factual tariffs
line('US–China deal zone, 41×41 grid + NBS', await time(3, 1, () => bargain(sm, { a: 6, b: 1 })), 's');

const worst = Math.max(nashSeq, nashPar + startup, nashPe + startup) / 1000;
console.log(`  target: full Nash of 7×33 in under 10 minutes on 2 cores — ${worst < 600 ? 'met' : 'NOT met'} (slowest case ${worst.toFixed(2)} s incl. worker start-up)`);
