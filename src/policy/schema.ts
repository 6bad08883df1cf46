// Schemas of the policy data files (data/policy/*.yaml): the manifest, the named product lists and the
// tariff-action files. zod validates the shape; src/policy/compile.ts checks the meaning (known countries,
// known lists, dates inside the covered range, no contradictory overlaps).
import { z } from 'zod';

/** Tariff programs. `termination` is not a tariff: it ends every action of the programs it names. */
export const PROGRAMS = ['mfn', 's232', 's301', 'ieepa_fentanyl', 'ieepa_reciprocal', 'ieepa_country', 's122', 's201', 'retaliation'] as const;
export type Program = (typeof PROGRAMS)[number];
export const programSchema = z.enum(PROGRAMS);

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD');
const codeString = z.string({ error: 'HTS codes must be quoted strings (leading zeros matter), e.g. \'0201\'' }).regex(/^[\d.]{2,13}$/, 'expected an HTS/HS code of 2–10 digits');
const percent = z.number().min(0, 'rates are percent ad valorem, ≥ 0').max(1000, 'rates are percent ad valorem (e.g. 25), not fractions');

const exceptField = { except: z.array(codeString).optional() };
export const productSpecSchema = z.union([
  z.literal('all'),
  z.strictObject({ list: z.string().min(1), ...exceptField }),
  z.strictObject({ prefixes: z.array(codeString).min(1), ...exceptField }),
  z.strictObject({ chapters: z.array(codeString).min(1), ...exceptField }),
]);
export type ProductSpec = z.infer<typeof productSpecSchema>;
export const productsSchema = z.union([productSpecSchema, z.array(productSpecSchema).min(1)]);
export type ProductsSpec = z.infer<typeof productsSchema>;

export const targetsSchema = z.union([
  z.literal('all'),
  z.array(z.string().min(2)).min(1),
  z.strictObject({ all_except: z.array(z.string().min(2)).min(1) }),
]);
export type TargetsSpec = z.infer<typeof targetsSchema>;

export const actionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, dots, dashes'),
  program: z.union([programSchema, z.literal('termination')]),
  slot: z.string().optional(),
  override: z.boolean().optional(),
  pre_existing: z.boolean().optional(),
  announced: dateString,
  effective: dateString,
  end: dateString.optional(),
  end_announced: dateString.optional(),
  /** Partners the action applies to; defaults to the keys of `rates`. */
  targets: targetsSchema.optional(),
  products: productsSchema,
  rate: percent.optional(),
  rates: z.record(z.string(), percent).optional(),
  floor: percent.optional(),
  product_rates: z.array(z.strictObject({ products: productsSchema, rate: percent })).optional(),
  exempt: z.array(productSpecSchema).optional(),
  usmca: z.enum(['exempt', 'us_content']).optional(),
  /** Section 232 on the metal content only: true (steel + aluminum + copper) or the one metal taxed. */
  metal_content: z.union([z.boolean(), z.enum(['steel', 'aluminum', 'copper'])]).optional(),
  not_on_232: z.boolean().optional(),
  /** Only in this mode: `law` (the default computation) or `budgetlab` (the tracker-compatibility mode). */
  mode: z.enum(['law', 'budgetlab']).optional(),
  supersedes: z.array(z.string()).optional(),
  terminates: z.array(programSchema).optional(),
  legal: z.string().optional(),
  sources: z.array(z.string().min(1)).min(1, 'every action needs at least one source'),
  notes: z.string().optional(),
  confidence: z.enum(['high', 'medium', 'low']).optional(),
});
export type ActionSpec = z.infer<typeof actionSchema>;

export const actionFileSchema = z.strictObject({
  imposer: z.string().min(2),
  actions: z.array(actionSchema).min(1),
});
export type ActionFileSpec = z.infer<typeof actionFileSchema>;

export const productListSchema = z.union([
  z.strictObject({
    file: z.string().min(1),
    column: z.union([z.string().min(1), z.literal(0)]),
    where: z.record(z.string(), z.string()).optional(),
    /** Digits that carry meaning: e.g. 8 for HTS8 codes written with a '00' statistical suffix. */
    digits: z.union([z.literal(2), z.literal(4), z.literal(6), z.literal(8), z.literal(10)]).optional(),
    /** Keep only the codes of these HS chapters / drop the codes of these chapters. */
    chapters: z.array(z.string().regex(/^\d{2}$/, 'chapters are two digits, quoted')).min(1).optional(),
    except_chapters: z.array(z.string().regex(/^\d{2}$/, 'chapters are two digits, quoted')).min(1).optional(),
    description: z.string(),
    source: z.string(),
  }),
  z.strictObject({ codes: z.array(codeString).min(1), except: z.array(codeString).optional(), description: z.string(), source: z.string() }),
]);
export type ProductListSpec = z.infer<typeof productListSchema>;

export const productListFileSchema = z.strictObject({
  version: z.literal(1),
  lists: z.record(z.string().regex(/^[a-z0-9_]+$/, 'list names are lower-case letters, digits and _'), productListSchema),
});

export const sourcesFileSchema = z.strictObject({ version: z.literal(1), sources: z.record(z.string(), z.string()) });

const sharedFile = z.strictObject({ file: z.string(), source: z.string() });
export const manifestSchema = z.strictObject({
  version: z.literal(1),
  coverage: z.strictObject({ from: dateString, to: dateString }),
  countries: z.string(),
  sources: z.string(),
  product_lists: z.string(),
  action_files: z.array(z.string()).min(1),
  rules: z.strictObject({
    china_rule_partners: z.array(z.string()),
    usmca_partners: z.array(z.string()),
    usmca_shares: z.strictObject({ file: z.string(), crosswalk: z.string(), source: z.string(), product_files: z.string().includes('{period}'), product_source: z.string() }),
    us_auto_content_share: z.number().min(0).max(1),
    us_auto_content_source: z.string(),
    metal_content: z.strictObject({ primary_chapters: z.array(z.string()), derivative_share: z.number().min(0).max(1), bea_shares: z.string(), source: z.string() }),
    mfn_rates: sharedFile,
    mfn_preference_shares: sharedFile,
  }),
});
export type ManifestSpec = z.infer<typeof manifestSchema>;
