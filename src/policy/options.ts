// The assumptions of the policy layer a user can see and change: how Section 232 derivatives' metal content
// is measured, which USMCA claim shares mix qualifying and non-qualifying goods, which year's imports weight
// the effective rate, and whether the rate is computed the way the Budget Lab's tracker computes it (for
// comparisons only). The same options are CLI flags (`tariffsim etr|tariffs --metal-share …`), a scenario's
// `policy:` block fields and the header line printed above every table. Pure: no Node APIs.
import { InputError } from '../errors.ts';

export type MetalShareSetting = { kind: 'bea' } | { kind: 'flat'; share: number };
export const USMCA_SHARE_SETTINGS = ['monthly-2025', 'annual-2025', 'h2-2025', '2024'] as const;
export type UsmcaShareSetting = (typeof USMCA_SHARE_SETTINGS)[number];
export const WEIGHT_SETTINGS = ['2024', '2025'] as const;
export type WeightSetting = (typeof WEIGHT_SETTINGS)[number];
export const COMPAT_SETTINGS = ['none', 'budgetlab'] as const;
export type CompatSetting = (typeof COMPAT_SETTINGS)[number];

export interface PolicyOptions {
  /** `bea` (default): per-HTS10 metal content from BEA input-output tables, HTS8/6/4 averages where a line is
   *  missing; `flat`: one share for every derivative outside the primary metal chapters. */
  metalShare: MetalShareSetting;
  /** USMCA claim shares: the month's own product-level shares (default; 2026 days use December 2025),
   *  calendar 2025, the mean of the Jul–Dec 2025 monthly shares (the Budget Lab tracker's default), or 2024.
   *  Lines a period has no imports of fall back to calendar 2025, 2024, then the H2-2025 GTAP-sector share. */
  usmcaShares: UsmcaShareSetting;
  /** Import weights: 2024 HTS10 imports, or the same mix rescaled to each partner's 2025 total imports. */
  weights: WeightSetting;
  /** `budgetlab`: the tracker's conventions (for comparison only, not the law). */
  compat: CompatSetting;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { metalShare: { kind: 'bea' }, usmcaShares: 'monthly-2025', weights: '2024', compat: 'none' };

/** Raw option strings as given on the command line or in a scenario's `policy:` block. */
export interface PolicyOptionInput {
  metalShare?: string;
  usmcaShares?: string;
  weights?: string | number;
  compat?: string;
}

/**
 * Parses the option strings; `fieldOf` names the input in errors (a CLI flag or a scenario field). The Budget
 * Lab compatibility mode also sets the tracker's USMCA shares (the H2-2025 average) unless given; its metal
 * shares are BEA's, as the default.
 */
export function parsePolicyOptions(raw: PolicyOptionInput, fieldOf: (name: keyof PolicyOptionInput) => string = (n) => n): PolicyOptions {
  const out: PolicyOptions = { ...DEFAULT_POLICY_OPTIONS };
  if (raw.compat !== undefined) {
    if (!(COMPAT_SETTINGS as readonly string[]).includes(raw.compat)) throw new InputError(`unknown compatibility mode '${raw.compat}'`, { field: fieldOf('compat') }, `use ${COMPAT_SETTINGS.join(' or ')}`);
    out.compat = raw.compat as CompatSetting;
    if (out.compat === 'budgetlab') out.usmcaShares = 'h2-2025';
  }
  if (raw.metalShare !== undefined) out.metalShare = parseMetalShare(raw.metalShare, fieldOf('metalShare'));
  if (raw.usmcaShares !== undefined) {
    if (!(USMCA_SHARE_SETTINGS as readonly string[]).includes(raw.usmcaShares)) throw new InputError(`unknown USMCA share setting '${raw.usmcaShares}'`, { field: fieldOf('usmcaShares') }, `use ${USMCA_SHARE_SETTINGS.join(', ')}`);
    out.usmcaShares = raw.usmcaShares as UsmcaShareSetting;
  }
  if (raw.weights !== undefined) {
    const w = String(raw.weights);
    if (!(WEIGHT_SETTINGS as readonly string[]).includes(w)) throw new InputError(`unknown weights '${w}'`, { field: fieldOf('weights') }, `use ${WEIGHT_SETTINGS.join(' or ')}`);
    out.weights = w as WeightSetting;
  }
  return out;
}

export function parseMetalShare(s: string, field = 'metalShare'): MetalShareSetting {
  if (s === 'bea') return { kind: 'bea' };
  const m = /^flat:(.+)$/.exec(s);
  const x = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(x) || x < 0 || x > 1) throw new InputError(`metal share '${s}' is neither 'bea' nor 'flat:<share between 0 and 1>'`, { field }, 'e.g. bea or flat:0.5');
  return { kind: 'flat', share: x };
}

export function formatMetalShare(m: MetalShareSetting): string {
  return m.kind === 'bea' ? 'bea' : `flat:${m.share}`;
}

/** One line naming every option in force, printed above the `etr` and `tariffs` tables. */
export function describePolicyOptions(o: PolicyOptions): string {
  const parts = [`metal share ${formatMetalShare(o.metalShare)}`, `USMCA shares ${o.usmcaShares}`, `weights ${o.weights}`];
  if (o.compat === 'budgetlab') parts.push('Budget Lab compatibility mode — for comparison only, not the law');
  return `options: ${parts.join('; ')}`;
}

/** Help texts of the option flags shared by `tariffsim etr` and `tariffsim tariffs`. */
export const OPTION_FLAGS = {
  metalShare: ['--metal-share <bea|flat:x>', "Section 232 metal content of derivatives: bea (default; BEA input-output shares by HTS10, HTS8/6/4 averages as fallback) or flat:<share>, e.g. flat:0.5"],
  usmcaShares: ['--usmca-shares <which>', `USMCA claim shares: ${USMCA_SHARE_SETTINGS.join(', ')} (default monthly-2025: the month's own product-level shares; 2026 days use Dec 2025)`],
  compat: ['--compat <mode>', "budgetlab: the Yale Budget Lab tracker's conventions (its reciprocal-exempt list, Section 301 List 4B charged, chapters 98/99 out of the denominator, H2-2025 USMCA shares) — for comparison with its published series only, not the law; none (default)"],
  weights: ['--weights <year>', 'import weights: 2024 (default; HTS10 imports) or 2025 (2024 mix scaled to 2025 imports of Canada, Mexico, China, the EU and the rest)'],
} as const;
