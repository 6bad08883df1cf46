// The scenario file schema (YAML), validated with zod. Each field says what it means; errors are reported
// with the YAML path, line and column by ./load.ts.
import { z } from 'zod';
import { LIMITS, STRING_LIMITS, type Range } from './limits.ts';

const ID = STRING_LIMITS.identifier;
const identifier = z.string().min(1, 'must not be empty').max(ID, `at most ${ID} characters`);
/** One name or a list: region/sector names or codes, group names, or the built-in groups. */
const selector = z.union([identifier, z.array(identifier).min(1, 'must list at least one name').max(STRING_LIMITS.listLength)]);

/** A finite number within a documented range (src/scenario/limits.ts), with the range in the message. */
const inRange = (r: Range) => {
  const msg = `must be from ${r.min} to ${r.max}${r.unit ? ` (${r.unit})` : ''}: ${r.why}`;
  return z.number().min(r.min, msg).max(r.max, msg);
};

const tariffShock = z
  .object({
    importer: selector.describe('importing regions (names, codes, groups, or "all")'),
    exporter: selector.describe('exporting regions'),
    sector: selector.default('goods').describe('sectors (names, groups, "goods", "services" or "all")'),
    set: inRange(LIMITS.tariff).optional().describe('new ad valorem tariff, percent'),
    add: inRange(LIMITS.tariffAdd).optional().describe('percentage points added to the current tariff'),
    schedule: identifier.optional().describe('a named tariff schedule of the dataset, e.g. "2005" in cp2015'),
  })
  .strict()
  .refine((t) => [t.set, t.add, t.schedule].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of set (percent), add (points) or schedule (a named schedule of the dataset)',
  });

const ntbShock = z
  .object({
    importer: selector,
    exporter: selector,
    sector: selector.default('goods'),
    change: inRange(LIMITS.ntbChange).describe('percent change of the iceberg (non-tariff) trade cost, e.g. -5'),
  })
  .strict();

const shock = z.union([z.object({ tariff: tariffShock }).strict(), z.object({ ntb: ntbShock }).strict()]);

/**
 * Trade elasticities θ for some sectors: a number, or read from `tariffsim estimate --json` output: the
 * coefficient β̂ on ln(1 + tariff) of a gravity regression on trade net of tariffs gives θ = −β̂ − 1.
 */
const elasticity = z
  .object({
    sector: selector.default('goods'),
    theta: inRange(LIMITS.theta).optional(),
    fromEstimate: z.object({ file: z.string().min(1).max(4096), coefficient: identifier }).strict().optional(),
  })
  .strict()
  .refine((e) => (e.theta === undefined) !== (e.fromEstimate === undefined), {
    message: 'give exactly one of theta (a number) or fromEstimate {file, coefficient}',
  });

export const closureSchema = z.enum(['fixed-deficits', 'zero-deficits', 'dollar-deficits']);

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** Tariffs from the policy layer (data/policy): US tariffs on every partner and China's on US goods. */
const policySchema = z
  .object({
    date: day.describe('tariffs in force on this day'),
    announcedThrough: day.optional().describe('only actions announced on or before this day count'),
    china: z.boolean().default(true).describe("include China's tariffs on US goods"),
    metalShare: z.string().optional().describe("Section 232 metal content: 'bea' (default, BEA input-output shares) or 'flat:<share>'"),
    usmcaShares: z.enum(['monthly-2025', 'annual-2025', 'h2-2025', '2024']).optional().describe('USMCA claim shares (default monthly-2025)'),
    weights: z.union([z.enum(['2024', '2025']), z.literal(2024), z.literal(2025)]).optional().describe('import weights of the US tariff averages (default 2024)'),
    compat: z.enum(['none', 'budgetlab']).optional().describe("'budgetlab': the Budget Lab tracker's conventions, for comparison only (default none: the law)"),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(STRING_LIMITS.name, `at most ${STRING_LIMITS.name} characters`),
    description: z.string().max(STRING_LIMITS.description, `at most ${STRING_LIMITS.description} characters`).optional(),
    dataset: identifier.describe('dataset name, e.g. "cp2015"'),
    policy: policySchema.optional().describe('start from the tariffs in force on a date (applied before the shocks)'),
    closure: closureSchema.default('fixed-deficits'),
    groups: z.record(identifier, z.array(identifier).min(1, 'a group lists at least one name').max(STRING_LIMITS.listLength)).default({}).describe('named lists of regions or sectors'),
    shocks: z.array(shock).max(STRING_LIMITS.listLength).default([]),
    elasticities: z.array(elasticity).max(STRING_LIMITS.listLength).default([]).describe('override the dataset\'s trade elasticities θ by sector'),
    solver: z
      .object({
        tolerance: z.number().positive().max(1e-3).optional(),
        maxIterations: z.number().int().min(LIMITS.maxIterations.min).max(LIMITS.maxIterations.max, `at most ${LIMITS.maxIterations.max}: ${LIMITS.maxIterations.why}`).optional(),
        damping: z.number().gt(0).max(1).optional(),
        memory: z.number().int().min(0).max(20).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ScenarioSpec = z.infer<typeof scenarioSchema>;
export type ShockSpec = z.infer<typeof shock>;
