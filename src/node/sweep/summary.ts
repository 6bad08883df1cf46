// The summary of a sweep, computed with DuckDB over its Parquet shards: for every output column the 5/50/95%
// quantiles (linear interpolation, quantile_cont) and the mean; and the share of draws in which each qualitative
// answer holds (e.g. "CHN loses more"). Units: real income changes are percent against the baseline; losses are
// percent of income under the deal (src/scenario/standoff.ts).
import type { SweepPlan } from '../../sweep/plan.ts';

export interface Band {
  metric: string;
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

export interface SweepSummary {
  sweep: string;
  seed: number;
  draws: number;
  shards: number;
  units: string;
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
    const sel = metrics.flatMap((m) => [`quantile_cont(${ident(m)}, [0.05, 0.5, 0.95]) AS ${ident(`q_${m}`)}`, `avg(${ident(m)}) AS ${ident(`m_${m}`)}`]);
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
      return { metric: m, p5: qs[0], p50: qs[1], p95: qs[2], mean: Number(row[`m_${m}`]) };
    });
    return {
      sweep: plan.name,
      seed: plan.seed,
      draws: Number(row.n),
      shards: shards.length,
      units: 'real_income_*: percent change of real income against the baseline; loss_*: percent of income under the deal',
      bands,
      answers: answers.map((x, k) => ({ statement: x.statement, share: Number(row[`a${k}`]) })),
    };
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}
