// A resolved sweep: everything a worker needs to compute any draw, as plain JSON (it travels in worker_threads
// messages and BullMQ job data). Draw values are a pure function of (plan.key, draw, parameter): the same on
// every worker and on every retry. Pure.
import type { Closure } from '../model/cp/model.ts';
import { normalFrom, streamAt, hash32 } from './rng.ts';

export type SweepParam =
  | { kind: 'theta'; field: string; sectors: number[]; mode: 'normal'; mean: number[]; sd: number[]; min: number }
  | { kind: 'theta'; field: string; sectors: number[]; mode: 'grid' | 'choices'; values: number[] }
  | { kind: 'closure'; field: string; mode: 'grid' | 'choices'; values: Closure[] }
  | { kind: 'policy'; field: string; option: 'china' | 'announcedThrough'; mode: 'grid' | 'choices'; values: (boolean | string)[] };

/** Overrides of the scenarios' policy blocks in one draw. */
export type PolicyOverrides = Partial<{ china: boolean; announcedThrough: string }>;

export interface SweepPlan {
  name: string;
  /** Counter-RNG key: hash of name and seed. */
  key: number;
  seed: number;
  draws: number;
  chunk: number;
  /** Scenario texts travel with the plan, so a worker on another machine needs no copy of the files. */
  scenario: { file: string; text: string };
  deal?: { file: string; text: string };
  sides?: [string, string];
  /** Folder of the shared datasets, when not the default. */
  dataDir?: string;
  /** θ^j of the base scenario (after its own `elasticities`), length J. */
  thetaBase: number[];
  closure: Closure;
  /** Region codes (columns real_income_<code>). */
  regions: string[];
  params: SweepParam[];
}

export interface DrawValues {
  draw: number;
  theta: Float64Array;
  closure: Closure;
  policy: PolicyOverrides;
}

/** A stable key of a draw's policy overrides ('' for none): draws with the same key share compiled scenarios. */
export function variantKey(p: PolicyOverrides): string {
  const keys = Object.keys(p).sort() as (keyof PolicyOverrides)[];
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, p[k]]));
}

export function sweepKey(name: string, seed: number): number {
  return hash32(`${name}#${seed}`);
}

/** The parameter values of draw `d` (0-based). Later `vary` entries override earlier ones on shared sectors. */
export function drawValues(plan: SweepPlan, d: number): DrawValues {
  const theta = Float64Array.from(plan.thetaBase);
  let closure = plan.closure;
  const policy: PolicyOverrides = {};
  plan.params.forEach((p, k) => {
    const next = streamAt(plan.key, d, k);
    if (p.kind === 'closure') {
      closure = p.mode === 'grid' ? p.values[d % p.values.length] : p.values[Math.floor(next() * p.values.length)];
      return;
    }
    if (p.kind === 'policy') {
      const v = p.mode === 'grid' ? p.values[d % p.values.length] : p.values[Math.floor(next() * p.values.length)];
      if (p.option === 'china') policy.china = v as boolean;
      else policy.announcedThrough = v as string;
      return;
    }
    if (p.mode === 'normal') {
      p.sectors.forEach((j, c) => {
        let v = p.mean[c] + p.sd[c] * normalFrom(next);
        for (let tries = 0; v < p.min && tries < 1000; tries++) v = p.mean[c] + p.sd[c] * normalFrom(next);
        theta[j] = Math.max(v, p.min);
      });
    } else {
      const v = p.mode === 'grid' ? p.values[d % p.values.length] : p.values[Math.floor(next() * p.values.length)];
      for (const j of p.sectors) theta[j] = v;
    }
  });
  return { draw: d, theta, closure, policy };
}

export interface Chunk {
  index: number;
  /** Draws start ≤ d < end. */
  start: number;
  end: number;
}

export function chunksOf(draws: number, size: number): Chunk[] {
  const out: Chunk[] = [];
  for (let s = 0, k = 0; s < draws; s += size, k++) out.push({ index: k, start: s, end: Math.min(draws, s + size) });
  return out;
}

/** Column names of a shard: draw, closure, real_income_<code> per region, and loss_<code> per side with a deal. */
export function shardColumns(plan: SweepPlan): string[] {
  return ['draw', 'closure', ...plan.regions.map((c) => `real_income_${c}`), ...(plan.deal && plan.sides ? plan.sides.map((s) => `loss_${s}`) : [])];
}
