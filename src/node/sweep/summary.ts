// The summary of a sweep, computed with DuckDB over its Parquet shards: for every output column the 5/50/95%
// quantiles (linear interpolation, quantile_cont) and the mean; and the share of draws in which each qualitative
// answer holds (e.g. "CHN loses more"). Units: real income changes are percent against the baseline; losses are
// percent of income under the deal (src/scenario/standoff.ts). The summary depends on the draws only, never on
// how they were chunked: quantiles sort, shares count, and means add the draws in draw order (an ordered list),
// so the shards' read order cannot change a bit.
import type { SweepPlan } from '../../sweep/plan.ts';

export interface Band {
  metric: string;
  /** What p5/p50/p95/mean are measured in, and relative to what. */
  unit: string;
  p5: number;
  p50: number;
  p95: number;
  mean: number;
}

export interface Answer {
  /** e.g. "CHN loses more (loss from standoff, % of income)". */
  statement: string;
  /** Share of draws, 0..1. */
  share: number;
}

export const REAL_INCOME_UNIT = 'percent change of real income against the baseline (exact hat algebra)';
export const LOSS_UNIT = 'percent of income under the deal (loss from the standoff instead of the deal)';

/** The unit of a shard column. */
export function unitOf(metric: string): string {
  if (metric.startsWith('real_income_')) return REAL_INCOME_UNIT;
  if (metric.startsWith('loss_')) return LOSS_UNIT;
  if (metric === 'draw') return 'draw number (0-based)';
  if (metric === 'closure') return 'trade-balance closure of the draw';
  return '';
}

export interface SweepSummary {
  sweep: string;
  seed: number;
  draws: number;
  units: string;
  /** The unit of Answer.share. */
  shareUnit: string;
  bands: Band[];
  answers: Answer[];
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function summarize(plan: SweepPlan, shards: string[]): Promise<SweepSummary> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const from = `read_parquet([${shards.map(sqlString).join(', ')}])`;
    const metrics = [...(plan.deal && plan.sides ? plan.sides.map((s) => `loss_${s}`) : []), ...plan.regions.map((c) => `real_income_${c}`)];
    const sel = metrics.flatMap((m) => [`quantile_cont(${ident(m)}, [0.05, 0.5, 0.95]) AS ${ident(`q_${m}`)}`, `list_avg(list(${ident(m)} ORDER BY draw)) AS ${ident(`m_${m}`)}`]);
    const answers: { statement: string; sql: string }[] = [];
    if (plan.sides) {
      const [a, b] = plan.sides;
      if (plan.deal) {
        answers.push({ statement: `${a} loses more from the standoff (percent of income)`, sql: `avg((loss_${a} > loss_${b})::INTEGER)` });
        answers.push({ statement: `${b} loses more from the standoff (percent of income)`, sql: `avg((loss_${b} > loss_${a})::INTEGER)` });
      }
      answers.push({ statement: `${a} loses more real income than ${b} in the scenario`, sql: `avg((real_income_${a} < real_income_${b})::INTEGER)` });
      for (const s of plan.sides) answers.push({ statement: `${s} loses real income in the scenario`, sql: `avg((real_income_${s} < 0)::INTEGER)` });
    }
    const q = `SELECT count(*) AS n, ${[...sel, ...answers.map((x, k) => `${x.sql} AS a${k}`)].join(', ')} FROM ${from}`;
    const row = (await conn.runAndReadAll(q)).getRowObjectsJS()[0] as Record<string, unknown>;
    const bands: Band[] = metrics.map((m) => {
      const qs = row[`q_${m}`] as number[];
      return { metric: m, unit: unitOf(m), p5: qs[0], p50: qs[1], p95: qs[2], mean: Number(row[`m_${m}`]) };
    });
    return {
      sweep: plan.name,
      seed: plan.seed,
      draws: Number(row.n),
      units: 'real_income_*: percent change of real income against the baseline; loss_*: percent of income under the deal',
      shareUnit: 'share of draws (0–1)',
      bands,
      answers: answers.map((x, k) => ({ statement: x.statement, share: Number(row[`a${k}`]) })),
    };
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/** Every draw's row from the shards, in draw order: {draw, closure, real_income_<code>…, loss_<side>…}. */
export async function readDraws(shards: string[]): Promise<Record<string, number | string>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT * FROM read_parquet([${shards.map(sqlString).join(', ')}]) ORDER BY draw`);
    return r.getRowObjectsJS().map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as number | string)])));
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}
