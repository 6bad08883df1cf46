// Zod schemas of the HTTP API: request bodies and query strings (validated by fastify-type-provider-zod and
// turned into the OpenAPI document). A scenario is the same object as a scenario file (src/scenario/schema.ts),
// validated by the scenario loader so that errors carry the field, the line of its JSON form and a hint.
import { z } from 'zod';
import { closureSchema } from '../scenario/schema.ts';

/** A shipped scenario by name (scenarios/<name>.yaml), never a path. */
export const scenarioName = z.string().max(80).regex(/^[a-z0-9][a-z0-9-]*$/, 'a shipped scenario name such as us-china-2025-04-standoff');
/** A scenario given inline: the fields of a scenario file (see the Scenario schema). */
export const scenarioObject = z.record(z.string(), z.unknown()).describe('a scenario object with the fields of a scenario file (components/schemas/Scenario)');
const scenarioRef = z.union([scenarioName, scenarioObject]);
/** A shipped sweep by name (scenarios/sweeps/<name>.yaml). */
export const sweepName = z.string().max(80).regex(/^[a-z0-9][a-z0-9-]*$/, 'a shipped sweep name such as standoff-theta');
const region = z.string().min(1).max(60).describe('region code or name, e.g. USA');
const datasetId = z.string().min(1).max(60).describe('a dataset id from GET /v1/datasets');
const month = z.string().regex(/^\d{4}-\d{2}$/, 'a month as YYYY-MM');

export const runBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('scenario'),
    scenario: scenarioRef.describe('the scenario: an object, or the name of a shipped scenario'),
    closure: closureSchema.optional().describe("override the scenario's closure"),
  }),
  z.strictObject({
    kind: z.literal('standoff'),
    a: region,
    b: region,
    standoff: scenarioRef.default('us-china-2025-04-standoff').describe('the standoff scenario (default the shipped April 2025 standoff)'),
    deal: scenarioRef.default('geneva-2025-05').describe('the deal scenario (default the shipped Geneva truce)'),
    closure: z.enum(['fixed-deficits', 'zero-deficits', 'dollar-deficits', 'both']).default('both').describe('one closure, or both main closures (an object keyed by closure), as `tariffsim standoff`'),
  }),
  z.strictObject({
    kind: z.literal('deal'),
    a: region,
    b: region,
    scenario: scenarioRef.optional().describe('multi-sector model: the standoff scenario (default us-china-2025-04-standoff unless dataset names an Ossa dataset)'),
    dataset: datasetId.optional().describe("Ossa's model: the dataset (ossa2014)"),
    grid: z.strictObject({ max: z.number().positive().max(10).optional(), steps: z.number().int().min(2).max(61).optional() }).optional(),
    closure: closureSchema.optional(),
    standoffKind: z.enum(['nash', 'factual']).optional().describe("Ossa's model: the disagreement point"),
    politicalEconomy: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('sweep'),
    sweep: z
      .union([sweepName, z.string().min(1).max(1 << 20), z.record(z.string(), z.unknown())])
      .describe('the sweep: an object with the fields of a sweep file (components/schemas/Sweep), its YAML text, or the name of a shipped sweep (scenarios/sweeps/<name>.yaml)'),
    draws: z.number().int().positive().optional().describe("override the sweep's draws (as `tariffsim sweep --draws`); at most the server's limit (1000 by default)"),
  }),
  z.strictObject({
    kind: z.literal('timeline'),
    from: month.default('2024-01').describe('first month of the table'),
    to: month.default('2026-06').describe('last month of the table'),
    fitThrough: month.default('2025-06').describe('last month of data the parameters are fitted on (the backtest covers the 6 months after it)'),
    scenario: scenarioRef.optional().describe("the path under this scenario's tariffs from its policy date on (as `tariffsim timeline --scenario`); a multi-sector (CP) dataset"),
  }),
  z.strictObject({
    kind: z.literal('war'),
    dataset: datasetId.default('ossa2014'),
    politicalEconomy: z.boolean().optional(),
    mfn: z.boolean().optional().describe('one tariff per industry for all partners'),
    closure: closureSchema.optional(),
  }),
]);
export type RunBody = z.infer<typeof runBody>;

export const runQuery = z.strictObject({
  wait: z.coerce.number().int().min(0).max(120000).optional().describe('ms to wait for the run before answering 202 (default 2000)'),
});

export const runId = z.strictObject({ id: z.string().regex(/^[0-9a-f]{64}$/, 'a run id: 64 hexadecimal characters') });
export const datasetParams = z.strictObject({ id: z.string().min(1).max(60) });

export const resultQuery = z.strictObject({
  format: z.enum(['json', 'rows', 'csv', 'parquet']).default('json').describe("json: the report; rows: the run's table as JSON (a sweep: one row per draw); csv, parquet: the table"),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const actionsQuery = z.strictObject({ from: day, to: day });
export const tariffQuery = z.strictObject({
  date: day,
  partner: z.string().min(1).max(60).describe('ISO3 (CHN), Census code (5700) or name'),
  hts: z.string().regex(/^\d{2,10}$/, 'an HTS code of 2–10 digits'),
  importer: z.enum(['USA', 'CHN']).optional(),
  usmca: z.enum(['non-qualifying', 'qualifying', 'expected']).optional(),
});
export const tariffsQuery = tariffQuery.extend({
  hts: z.string().regex(/^\d{2,10}$/, 'an HTS code or prefix of 2–10 digits'),
  limit: z.coerce.number().int().min(0).max(100_000).default(40).describe('at most this many lines, largest 2024 imports first (0 = all)'),
});
export const etrQuery = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  by: z.enum(['program', 'partner', 'sector']).default('program'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** RFC 9457 problem details with the CLI's message parts. */
export const problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  field: z.string().optional(),
  line: z.number().optional(),
  hint: z.string().optional(),
});
