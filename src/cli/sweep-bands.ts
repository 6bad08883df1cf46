// `--draws N` for run and standoff: a default sweep (θ of every goods sector ~ N(θ, SE of the project's CP2015
// §4 estimate)) on the local pool, and the bands printed beside the point estimates.
import { availableParallelism } from 'node:os';
import type { SweepSummary } from '../node/sweep/summary.ts';
import { fmt } from './format.ts';

export async function bandsFor(input: { name: string; scenario: string; deal?: string; sides?: [string, string]; draws: number; seed?: number; dataDir?: string; workers?: number }): Promise<SweepSummary> {
  // Loaded on demand: the sweep runner pulls in the queue and DuckDB clients, which a run without --draws never needs.
  const [{ defaultPlan }, { runPlan }] = await Promise.all([import('../node/sweep/plan.ts'), import('./commands/sweep.ts')]);
  const plan = await defaultPlan(input);
  return runPlan(plan, { workers: input.workers ?? Math.max(1, availableParallelism()) });
}

export function bandText(s: SweepSummary, metric: string): string {
  const b = s.bands.find((x) => x.metric === metric);
  return b ? `${fmt(b.p50)} [${fmt(b.p5)}, ${fmt(b.p95)}]` : '';
}

export function drawsNote(s: SweepSummary): string {
  return `Bands: median [5%, 95%] over ${s.draws} draws of θ (every goods sector ~ Normal(θ, jackknife SE of the project's CP2015 §4 estimate), seed ${s.seed}).`;
}
