// The sweep file schema (YAML), validated with zod like scenario files: a base scenario (and optionally a deal
// to compare it with), what varies from draw to draw, the number of draws and a seed. See docs/sweep.md §2.
import { z } from 'zod';
import { closureSchema } from '../scenario/schema.ts';
import { LIMITS } from '../scenario/limits.ts';

const selector = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * Trade elasticities θ^j of some sectors. Exactly one of:
 *   sd: a number (θ units) or "cp2015-ratio" (the delete-one-country jackknife SE of the project's CP2015 §4
 *       estimates, src/estimate/cp-elasticity.ts, mapped to the dataset's sectors) — normal around `mean`
 *       (default: the base scenario's θ of each sector), redrawn below `min`;
 *   relativeSd: normal with SD = relativeSd × mean;
 *   fromEstimate {file, coefficient}: `tariffsim estimate --json` output (path relative to the sweep file); the
 *       coefficient β̂ on ln(1 + tariff) with its standard error gives θ ~ Normal(−β̂ − 1, SE(β̂));
 *   grid: values taken in turn, draw d takes grid[d mod length];
 *   choices: values drawn uniformly.
 */
const thetaVary = z
  .object({
    sector: selector.describe('sectors (names, codes, "goods", "all")'),
    mean: z.number().positive().optional().describe('centre of the normal, θ units; default the scenario θ of each sector'),
    sd: z.union([z.number().positive(), z.literal('cp2015-ratio')]).optional(),
    relativeSd: z.number().positive().max(2).optional(),
    fromEstimate: z.object({ file: z.string().min(1), coefficient: z.string().min(1) }).strict().optional(),
    grid: z.array(z.number().positive()).min(1).optional(),
    choices: z.array(z.number().positive()).min(1).optional(),
    min: z.number().positive().default(0.5).describe('normal draws below this are redrawn (θ must stay positive)'),
  })
  .strict()
  .refine((t) => [t.sd, t.relativeSd, t.fromEstimate, t.grid, t.choices].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of sd (number or "cp2015-ratio"), relativeSd, fromEstimate, grid or choices',
  })
  .refine((t) => t.fromEstimate === undefined || t.mean === undefined, { message: 'fromEstimate sets the mean (−β̂ − 1): remove mean', path: ['mean'] });

const closureVary = z
  .object({
    grid: z.array(closureSchema).min(1).optional(),
    choices: z.array(closureSchema).min(1).optional(),
  })
  .strict()
  .refine((c) => (c.grid === undefined) !== (c.choices === undefined), { message: 'give exactly one of grid or choices' });

/**
 * A policy-layer option of the scenarios' `policy` blocks (the base and the deal, where they have one): `china`
 * (include China's tariffs on US goods: true/false) or `announcedThrough` (only actions announced by a date).
 */
const policyVary = z
  .object({
    option: z.enum(['china', 'announcedThrough']),
    grid: z.array(z.union([z.boolean(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')])).min(1).optional(),
    choices: z.array(z.union([z.boolean(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')])).min(1).optional(),
  })
  .strict()
  .refine((c) => (c.grid === undefined) !== (c.choices === undefined), { message: 'give exactly one of grid or choices' })
  .refine((c) => ((c.grid ?? c.choices) ?? []).every((v) => (c.option === 'china' ? typeof v === 'boolean' : typeof v === 'string')), {
    message: 'china takes true/false; announcedThrough takes dates (YYYY-MM-DD)',
  });

const vary = z.union([z.object({ theta: thetaVary }).strict(), z.object({ closure: closureVary }).strict(), z.object({ policy: policyVary }).strict()]);

export const sweepSchema = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only (it names the job ids and files)'),
    description: z.string().optional(),
    scenario: z.string().min(1).describe('base scenario file, relative to the sweep file'),
    deal: z.string().min(1).optional().describe('a deal scenario: the draws then report each side\'s loss from the standoff (the base) instead of the deal'),
    sides: z.array(z.string().min(1)).length(2).optional().describe('two regions compared in every draw, e.g. [USA, CHN]'),
    draws: z.number().int().min(LIMITS.sweepDraws.min).max(LIMITS.sweepDraws.max),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    chunk: z.number().int().positive().max(10_000).optional().describe('draws per chunk (default: about 2 s of work)'),
    vary: z.array(vary).min(1),
  })
  .strict()
  .refine((s) => s.deal === undefined || s.sides !== undefined, { message: 'a sweep with a deal needs sides: [A, B]', path: ['sides'] });

export type SweepSpec = z.infer<typeof sweepSchema>;
export type ThetaVary = z.infer<typeof thetaVary>;
