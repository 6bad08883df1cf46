// "What tariff did a product from a country face on a given day, and why": one lookup through the same
// candidate-set evaluation the effective-rate engine uses. Pure.
import { InputError } from '../errors.ts';
import type { Country } from './countries.ts';
import { formatDay, parseDay, type Day } from './dates.ts';
import { CandidateSets } from './candidates.ts';
import { metalShareOf, usmcaPeriod, usmcaShareOf } from './data.ts';
import { DEFAULT_POLICY_OPTIONS, describePolicyOptions, type PolicyOptions } from './options.ts';
import { evaluateSet, mixVariants, VARIANT_LEN, type SetTrace } from './evaluate.ts';
import type { PolicyView } from './view.ts';
import { normalizeCode } from './hts.ts';
import { NP, STACK_PROGRAMS, type StackProgram } from './stacking.ts';

export type UsmcaMode = 'non-qualifying' | 'qualifying' | 'expected';

export interface LookupQuery {
  /** Imposing country (default USA). */
  importer?: string;
  partner: string;
  /** HTS10 (or HTS8/HS6) code; for China as importer an HS6 code. */
  hts: string;
  date: string | Day;
  /** Canada/Mexico: treat the good as USMCA-qualifying, not, or mix by the qualifying share (default not). */
  usmca?: UsmcaMode;
  /** With usmca 'expected': this share instead of the product's share under the options (engine checks). */
  usmcaShare?: number;
  /** Metal share and USMCA share settings (default DEFAULT_POLICY_OPTIONS). */
  options?: PolicyOptions;
}

export interface LookupResult {
  importer: string;
  partner: { key: string; name: string; census: string };
  hts: string;
  date: string;
  /** Statutory MFN (percent); null where the dataset has no MFN schedule (China as importer). */
  mfnStatutory: number | null;
  /** MFN charged in this lookup (0 for USMCA-qualifying goods). */
  mfn: number;
  additional: number;
  total: number;
  byProgram: Record<StackProgram, number>;
  /** Ids of the actions that set each program's rate. */
  actions: Partial<Record<StackProgram, string[]>>;
  rule: string;
  notes: string[];
  usmca: { mode: UsmcaMode; share: number; period: string } | null;
  /** Share of the value charged the metal-content 232 duty (derivatives), null when none applies. */
  metalShare: number | null;
  /** Where the metal share comes from (BEA HTS10 / HTS8 average / flat / primary metal chapter). */
  metalShareBasis: string | null;
  /** The options in force, as printed in the header. */
  options: string;
}

/** Resolves a partner name/code; unknown partners are InputErrors listing how to name one. */
export function resolvePartner(view: PolicyView, key: string, field = 'partner'): Country {
  const c = view.data.countries.find(key);
  if (!c) throw new InputError(`unknown country '${key}'`, { field }, 'use an ISO3 code (CHN), a Census code (5700) or a name from data/policy/countries.csv');
  return c;
}

const setsCache = new WeakMap<PolicyView, Map<string, CandidateSets>>();

export function candidateSetsFor(view: PolicyView, importer: string): CandidateSets {
  let m = setsCache.get(view);
  if (!m) {
    m = new Map();
    setsCache.set(view, m);
  }
  let s = m.get(importer);
  if (!s) {
    s = new CandidateSets(view, importer);
    m.set(importer, s);
  }
  return s;
}

export function lookupTariff(view: PolicyView, q: LookupQuery): LookupResult {
  const importer = resolvePartner(view, q.importer ?? 'USA', 'importer');
  const partner = resolvePartner(view, q.partner);
  const hts = normalizeCode(q.hts);
  if (!hts) throw new InputError(`'${q.hts}' is not an HTS/HS code of 2–10 digits`, { field: 'hts' });
  const day = typeof q.date === 'number' ? q.date : parseDay(q.date, { field: 'date' });
  view.checkDay(day);
  const sets = candidateSetsFor(view, importer.key);
  const set = sets.setFor(sets.partnerProfile(partner), sets.productProfile(hts));
  const vec = new Float64Array(VARIANT_LEN);
  const trace: SetTrace = { winners: new Map(), notes: [], rule: '', hasMetal: false, applies232: false };
  evaluateSet(set, view, day, vec, 0, trace);
  const isUs = importer.key === 'USA';
  const mode: UsmcaMode = q.usmca ?? 'non-qualifying';
  const usmcaPartner = isUs && view.data.rules.usmcaPartners.has(partner.key);
  const options = q.options ?? DEFAULT_POLICY_OPTIONS;
  if (options.compat !== view.compat) throw new InputError(`compatibility mode '${options.compat}' differs from the view's '${view.compat}'`, { field: 'compat' }, 'build the PolicyView with the same compat setting');
  const period = usmcaPeriod(options.usmcaShares, day);
  const share = usmcaPartner ? (q.usmcaShare ?? usmcaShareOf(view.data, partner, hts, period)) : 0;
  const qShare = !usmcaPartner ? 0 : mode === 'qualifying' ? 1 : mode === 'expected' ? share : 0;
  const ms = trace.hasMetal ? metalShareOf(view.data, hts, sets.productProfile(hts).metals, options.metalShare) : null;
  const m = ms ? ms.share : 1;
  const mfnStat = isUs ? (view.data.mfn.get(hts.slice(0, 8)) ?? 0) : null;
  const out = new Float64Array(NP);
  const mfn = mixVariants(vec, 0, qShare, m, mfnStat ?? 0, out, 0);
  const byProgram = Object.fromEntries(STACK_PROGRAMS.map((p, k) => [p, clean(out[k])])) as Record<StackProgram, number>;
  const additional = clean(out.reduce((s, x) => s + x, 0));
  const actions: Partial<Record<StackProgram, string[]>> = {};
  for (const [p, list] of trace.winners) actions[STACK_PROGRAMS[p]] = list.map((a) => a.id);
  const notes = [...trace.notes];
  for (const [p, list] of trace.winners) {
    if (out[p] === 0 && list.some((a) => set.rate[set.actions.indexOf(a)] > 0)) notes.push(`${list.map((a) => a.id).join(', ')}: not charged here (${trace.rule})`);
  }
  if (ms) notes.push(`Section 232 on the metal content: share ${round(m)} (${ms.basis}); the rest stacked without 232`);
  if (usmcaPartner) notes.push(`USMCA claim share (${period === 'h2' ? 'product, mean of Jul–Dec 2025' : `product, ${period}`}): ${round(share)} (mode ${mode}${mode === 'qualifying' ? ': MFN waived' : ''})`);
  if (!isUs) notes.push(`${importer.name}'s MFN rates are not in the dataset: 'total' is the additional tariff only`);
  for (const a of view.data.actions) {
    if (a.program === 'termination' && a.imposer === importer.key && view.isActive(a, day)) notes.push(`${a.id}: ${a.terminates.join(', ')} ended ${formatDay(a.effective)}`);
  }
  return {
    importer: importer.key,
    partner: { key: partner.key, name: partner.name, census: partner.census },
    hts,
    date: formatDay(day),
    mfnStatutory: mfnStat,
    mfn: clean(mfn),
    additional,
    total: clean(mfn + additional),
    byProgram,
    actions,
    rule: trace.rule,
    notes,
    usmca: usmcaPartner ? { mode, share: round(share), period } : null,
    metalShare: ms ? m : null,
    metalShareBasis: ms ? ms.basis : null,
    options: describePolicyOptions(options),
  };
}

function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
