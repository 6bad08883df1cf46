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
  /** Draws per chunk; undefined: sized from a measured pilot chunk (chunkSizeFor). Never changes the results. */
  chunk?: number;
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

/** Chunks of `size` draws covering start ≤ d < draws, indexed from `firstIndex`. */
export function chunksOf(draws: number, size: number, start = 0, firstIndex = 0): Chunk[] {
  const out: Chunk[] = [];
  for (let s = start, k = firstIndex; s < draws; s += size, k++) out.push({ index: k, start: s, end: Math.min(draws, s + size) });
  return out;
}

/** Draws of the pilot chunk that measures the time per draw when the chunk size is not given. */
export const PILOT_DRAWS = 3;
/** Wall time a chunk aims at, ms: long enough that building the model and queue round trips are small next to it,
 * short enough that a redone chunk costs little and the last chunks balance across workers (docs/sweep.md §3). */
export const TARGET_CHUNK_MS = 2500;

/**
 * Time per draw from the pilot's draw times (ms): the median of the draws after the first (the first solves the
 * exact baseline of its closure and starts cold), or the only draw.
 */
export function pilotMsPerDraw(drawMs: number[]): number {
  const xs = (drawMs.length > 1 ? drawMs.slice(1) : drawMs).filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (xs.length === 0) return 0;
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/**
 * Draws per chunk so that a chunk takes about `targetMs` at `msPerDraw`, clamped to [1, remaining]; with
 * `parallelism` workers, at most an even share of the remaining draws each (so no worker idles at the end while
 * another holds all the work).
 */
export function chunkSizeFor(msPerDraw: number, remaining: number, parallelism = 1, targetMs = TARGET_CHUNK_MS): number {
  if (remaining <= 0) return 1;
  const byTime = msPerDraw > 0 ? Math.round(targetMs / msPerDraw) : remaining;
  const share = Math.ceil(remaining / Math.max(1, Math.floor(parallelism)));
  return Math.max(1, Math.min(byTime, share, remaining));
}

/** Column names of a shard: draw, closure, real_income_<code> per region, and loss_<code> per side with a deal. */
export function shardColumns(plan: SweepPlan): string[] {
  return ['draw', 'closure', ...plan.regions.map((c) => `real_income_${c}`), ...(plan.deal && plan.sides ? plan.sides.map((s) => `loss_${s}`) : [])];
}
