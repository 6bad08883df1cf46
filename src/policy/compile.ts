// Action specs (YAML) → compiled actions, with every semantic check the data must pass:
//   unknown country or group, unknown product list, unknown source id, unknown or cross-slot `supersedes`,
//   dates outside the covered range, missing/conflicting rate fields, duplicate ids, and two actions of one
//   program slot that overlap in date, partner and product without an order between them (a contradiction).
// Every error is an InputError naming the action id (and file, line, column). Pure: takes parsed specs.
import { InputError, type InputLocation } from '../errors.ts';
import type { CountryTable, Country } from './countries.ts';
import { formatDay, parseDay, type Day } from './dates.ts';
import { compileProducts, type ListResolver, type ProductMatcher } from './products.ts';
import type { ActionFileSpec, ActionSpec, Program, TargetsSpec } from './schema.ts';
import type { ParsedYaml } from './yaml-file.ts';

export interface Coverage {
  from: Day;
  to: Day;
}

export interface TargetSet {
  /** 'all' = every partner; otherwise the member keys in `keys` are included (or excluded for 'all_except'). */
  mode: 'all' | 'list' | 'all_except';
  keys: Set<string>;
  label: string;
}

export interface CompiledAction {
  index: number;
  id: string;
  file: string;
  line: number;
  imposer: string;
  program: Program | 'termination';
  /** `${imposer}/${program}/${slot}`: actions in one slot replace each other. */
  slot: string;
  override: boolean;
  preExisting: boolean;
  announced: Day;
  effective: Day;
  /** Exclusive end day (Infinity if open-ended) and the day that end was announced. */
  end: Day;
  endAnnounced: Day;
  targets: TargetSet;
  products: ProductMatcher;
  exempt: ProductMatcher | null;
  /** Default rate (percent) for targets without a per-partner entry; null with `floor` or per-partner-only rates. */
  rate: number | null;
  /** Per-partner rates, keyed by country key (groups expanded). */
  partnerRates: Map<string, number>;
  floor: number | null;
  productRates: { products: ProductMatcher; rate: number }[];
  usmca: 'exempt' | 'us_content' | null;
  metalContent: boolean;
  /** The metal a metal-content action taxes ('all' for steel + aluminum + copper), null otherwise. */
  metal: 'steel' | 'aluminum' | 'copper' | 'all' | null;
  notOn232: boolean;
  /** The only mode the action counts in (null: every mode). */
  mode: 'law' | 'budgetlab' | null;
  /** Indices of actions this one replaces (transitive closure). */
  supersedes: Set<number>;
  terminates: Program[];
  sources: string[];
  legal: string;
  notes: string;
  confidence: 'high' | 'medium' | 'low';
}

export interface CompileInput {
  coverage: Coverage;
  countries: CountryTable;
  resolveList: ListResolver;
  sourceIds: Set<string>;
  files: ParsedYaml<ActionFileSpec>[];
}

export function compileActions(input: CompileInput): CompiledAction[] {
  const { countries } = input;
  const out: CompiledAction[] = [];
  const byId = new Map<string, CompiledAction>();
  const pendingSupersedes: { a: CompiledAction; ids: string[]; loc: InputLocation }[] = [];
  for (const f of input.files) {
    const imposer = countries.find(f.value.imposer);
    if (!imposer) throw new InputError(`unknown imposing country '${f.value.imposer}'`, { file: f.file, field: 'imposer', ...f.locate(['imposer']) });
    f.value.actions.forEach((spec, k) => {
      const at = (field: string, ...path: (string | number)[]): InputLocation => ({ file: f.file, id: spec.id, field, ...f.locate(['actions', k, ...(path.length ? path : [field])]) });
      if (byId.has(spec.id)) throw new InputError(`duplicate action id (also at ${byId.get(spec.id)!.file} line ${byId.get(spec.id)!.line})`, at('id'), 'give every action a unique id');
      const a = compileOne(spec, imposer.key, input, at, out.length, f.file, f.locate(['actions', k]).line);
      out.push(a);
      byId.set(a.id, a);
      if (spec.supersedes?.length) pendingSupersedes.push({ a, ids: spec.supersedes, loc: at('supersedes') });
    });
  }
  for (const { a, ids, loc } of pendingSupersedes) {
    for (const sid of ids) {
      const b = byId.get(sid);
      if (!b) throw new InputError(`supersedes unknown action '${sid}'`, loc, 'name an action id defined in the action files');
      if (b.slot !== a.slot) throw new InputError(`supersedes '${sid}', which is in slot ${b.slot}, not ${a.slot}`, loc, 'an action can only replace actions of its own program and slot');
      if (b === a) throw new InputError('an action cannot supersede itself', loc);
      a.supersedes.add(b.index);
    }
  }
  closeSupersedes(out);
  checkContradictions(out, countries);
  return out;
}

function compileOne(spec: ActionSpec, imposer: string, input: CompileInput, at: (field: string, ...path: (string | number)[]) => InputLocation, index: number, file: string, line: number): CompiledAction {
  const { coverage, countries } = input;
  const announced = parseDay(spec.announced, at('announced'), 'announced');
  const effective = parseDay(spec.effective, at('effective'), 'effective');
  const end = spec.end ? parseDay(spec.end, at('end'), 'end') : Infinity;
  const endAnnounced = spec.end_announced ? parseDay(spec.end_announced, at('end_announced'), 'end_announced') : announced;
  if (effective > coverage.to) {
    throw new InputError(`takes effect ${spec.effective}, after the end of the data's range (${formatDay(coverage.to)})`, at('effective'), 'extend coverage.to in data/policy/manifest.yaml together with the data, or fix the date');
  }
  if (effective < coverage.from && !spec.pre_existing) {
    throw new InputError(`takes effect ${spec.effective}, before the start of the data's range (${formatDay(coverage.from)})`, at('effective'), 'mark a measure already in force on that day with `pre_existing: true`, or fix the date');
  }
  if (spec.pre_existing && effective >= coverage.from) {
    throw new InputError(`is marked pre_existing but takes effect ${spec.effective}, inside the data's range`, at('pre_existing'), 'remove pre_existing');
  }
  if (end <= effective) throw new InputError(`ends ${spec.end}, not after it takes effect (${spec.effective})`, at('end'), '`end` is the first day the action no longer applies');
  const isTermination = spec.program === 'termination';
  if (isTermination) {
    if (!spec.terminates?.length) throw new InputError('a termination must list the programs it ends in `terminates`', at('terminates', 'program'));
    if (spec.rate !== undefined || spec.rates || spec.floor !== undefined) throw new InputError('a termination carries no rate', at('rate', 'program'));
  } else {
    if (spec.terminates) throw new InputError('only program `termination` may use `terminates`', at('terminates'));
    if (spec.rate === undefined && !spec.rates && spec.floor === undefined) {
      throw new InputError('no rate: give `rate`, `rates` (per partner) or `floor` (all-in rate)', at('rate', 'id'));
    }
    if (spec.floor !== undefined && (spec.rate !== undefined || spec.rates)) {
      throw new InputError('`floor` (an all-in rate) cannot be combined with `rate` or `rates`', at('floor'));
    }
  }
  for (const s of spec.sources) {
    const isCitation = /\s|\/|:/.test(s);
    if (!isCitation && !input.sourceIds.has(s)) {
      throw new InputError(`unknown source id '${s}'`, at('sources'), 'add it to data/policy/sources.yaml, or write the citation or URL in full');
    }
  }
  if (!spec.targets && !spec.rates && !isTermination) throw new InputError('no targets: give `targets` (or per-partner `rates`)', at('targets', 'id'));
  const targetSpec: TargetsSpec = spec.targets ?? (spec.rates ? Object.keys(spec.rates) : 'all');
  const targets = compileTargets(targetSpec, countries, at('targets'));
  const partnerRates = new Map<string, number>();
  if (spec.rates) {
    for (const [key, r] of Object.entries(spec.rates)) {
      const members = countries.expand(key);
      if (!members) throw new InputError(`unknown country or group '${key}' in rates`, at('rates', 'rates', key), 'use an ISO3 code or group listed in data/policy/countries.csv');
      for (const m of members) partnerRates.set(m, r);
    }
    if (!Array.isArray(targetSpec)) {
      // Per-partner rates with an open target set need a default rate for everybody else.
      if (spec.rate === undefined && targets.mode !== 'list') {
        throw new InputError('`rates` with targets `all`/`all_except` needs a default `rate` for the other partners', at('rate', 'rates'));
      }
    } else {
      for (const k of targets.keys) {
        if (!partnerRates.has(k) && spec.rate === undefined) throw new InputError(`target '${k}' has no rate (not in \`rates\` and no default \`rate\`)`, at('rates'));
      }
    }
  }
  const products = compileProducts(spec.products, input.resolveList, at('products'));
  const exempt = spec.exempt?.length ? compileProducts(spec.exempt, input.resolveList, at('exempt')) : null;
  const productRates = (spec.product_rates ?? []).map((pr) => ({ products: compileProducts(pr.products, input.resolveList, at('product_rates')), rate: pr.rate }));
  return {
    index,
    id: spec.id,
    file,
    line,
    imposer,
    program: spec.program,
    slot: `${imposer}/${spec.program}/${spec.slot ?? 'main'}`,
    override: spec.override ?? false,
    preExisting: spec.pre_existing ?? false,
    announced,
    effective,
    end,
    endAnnounced,
    targets,
    products,
    exempt,
    rate: spec.rate ?? null,
    partnerRates,
    floor: spec.floor ?? null,
    productRates,
    usmca: spec.usmca ?? null,
    metalContent: !!spec.metal_content,
    metal: spec.metal_content === true ? 'all' : spec.metal_content ? spec.metal_content : null,
    notOn232: spec.not_on_232 ?? false,
    mode: spec.mode ?? null,
    supersedes: new Set(),
    terminates: spec.terminates ?? [],
    sources: spec.sources,
    legal: spec.legal ?? '',
    notes: spec.notes ?? '',
    confidence: spec.confidence ?? 'high',
  };
}

function compileTargets(t: TargetsSpec, countries: CountryTable, loc: InputLocation): TargetSet {
  if (t === 'all') return { mode: 'all', keys: new Set(), label: 'all partners' };
  const list = Array.isArray(t) ? t : t.all_except;
  const keys = new Set<string>();
  for (const key of list) {
    const members = countries.expand(key);
    if (!members) throw new InputError(`unknown country or group '${key}'`, loc, 'use an ISO3 code or group listed in data/policy/countries.csv');
    for (const m of members) keys.add(m);
  }
  return Array.isArray(t) ? { mode: 'list', keys, label: list.join(', ') } : { mode: 'all_except', keys, label: `all except ${list.join(', ')}` };
}

/** Whether a target set covers a partner. A bloc partner (the EU in the trade data) is covered when all its
 *  members are; covering only some members is an error, since the bloc cannot be split. */
export function targetsPartner(a: CompiledAction, p: Country): boolean {
  const t = a.targets;
  if (t.mode === 'all') return true;
  const has = (k: string) => (t.mode === 'list' ? t.keys.has(k) : !t.keys.has(k));
  if (!p.members) return has(p.key);
  const n = p.members.filter(has).length;
  if (n === 0) return false;
  if (n === p.members.length) return true;
  throw new InputError(`covers ${n} of the ${p.members.length} members of ${p.name}, which the trade data report as one partner`, { id: a.id, file: a.file, line: a.line, field: 'targets' }, 'target the whole group (e.g. EU) or none of its members');
}

/** The action's rate for a partner before product-specific rules (null when only `floor` applies). */
export function partnerRate(a: CompiledAction, p: Country): number | null {
  if (a.partnerRates.size) {
    if (p.members) {
      const rs = new Set(p.members.map((m) => a.partnerRates.get(m) ?? a.rate));
      if (rs.size > 1) throw new InputError(`gives different rates to members of ${p.name}, which the trade data report as one partner`, { id: a.id, file: a.file, line: a.line, field: 'rates' });
      return [...rs][0] ?? null;
    }
    const r = a.partnerRates.get(p.key);
    if (r !== undefined) return r;
  }
  return a.rate;
}

function closeSupersedes(actions: CompiledAction[]): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const a of actions) {
      for (const b of [...a.supersedes]) {
        for (const c of actions[b].supersedes) {
          if (c === a.index) {
            throw new InputError(`supersedes '${actions[b].id}', which (directly or not) supersedes it back`, { id: a.id, file: a.file, line: a.line, field: 'supersedes' }, 'remove the cycle');
          }
          if (!a.supersedes.has(c)) {
            a.supersedes.add(c);
            changed = true;
          }
        }
      }
    }
  }
}

/** True when a wins over b in their slot (a supersedes b, or a is an override and b is not). */
export function outranks(a: CompiledAction, b: CompiledAction): boolean {
  return a.supersedes.has(b.index) || (a.override && !b.override);
}

function dateOverlap(a: CompiledAction, b: CompiledAction): boolean {
  return a.effective < b.end && b.effective < a.end;
}

function partnerOverlap(a: CompiledAction, b: CompiledAction, countries: CountryTable): boolean {
  const inA = (k: string) => a.targets.mode === 'all' || (a.targets.mode === 'list' ? a.targets.keys.has(k) : !a.targets.keys.has(k));
  const inB = (k: string) => b.targets.mode === 'all' || (b.targets.mode === 'list' ? b.targets.keys.has(k) : !b.targets.keys.has(k));
  return countries.all.some((c) => !c.members && inA(c.key) && inB(c.key));
}

function sameRates(a: CompiledAction, b: CompiledAction): boolean {
  if (a.floor !== b.floor || a.rate !== b.rate || a.productRates.length || b.productRates.length) return false;
  if (a.partnerRates.size !== b.partnerRates.size) return false;
  for (const [k, r] of a.partnerRates) if (b.partnerRates.get(k) !== r) return false;
  return true;
}

/** Two actions of one slot overlapping in date, partner and product, with no order between them and different
 *  rates, contradict each other: the data must say which one applies. */
function checkContradictions(actions: CompiledAction[], countries: CountryTable): void {
  const bySlot = new Map<string, CompiledAction[]>();
  for (const a of actions) {
    if (a.program === 'termination') continue;
    if (!bySlot.has(a.slot)) bySlot.set(a.slot, []);
    bySlot.get(a.slot)!.push(a);
  }
  for (const group of bySlot.values()) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        const a = group[x];
        const b = group[y];
        if (outranks(a, b) || outranks(b, a) || sameRates(a, b)) continue;
        if (!dateOverlap(a, b) || !partnerOverlap(a, b, countries) || !a.products.overlaps(b.products)) continue;
        throw new InputError(
          `contradicts action '${b.id}' (${b.file} line ${b.line}): both are ${a.slot} actions in force on ${formatDay(Math.max(a.effective, b.effective))} for the same partners and products with different rates`,
          { id: a.id, file: a.file, line: a.line, field: 'supersedes' },
          `say which one applies: add \`supersedes: [${b.id}]\` to the later one, end the earlier one, or narrow targets/products`,
        );
      }
    }
  }
}

/** The identity and dates of an action as a timeline shows them (YYYY-MM-DD; `end` null when open-ended). */
export interface ActionDates {
  id: string;
  imposer: string;
  program: string;
  announced: string;
  effective: string;
  /** First day no longer in force (exclusive), or null when open-ended. */
  end: string | null;
}

export function actionDates(a: CompiledAction): ActionDates {
  return { id: a.id, imposer: a.imposer, program: a.program, announced: formatDay(a.announced), effective: formatDay(a.effective), end: Number.isFinite(a.end) ? formatDay(a.end) : null };
}
