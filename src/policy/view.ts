// Which actions count, and until when: the full dataset, or only what was announced by a day ("everything
// announced by then, as if in force"); terminations (the IEEPA ruling) cut the end of the programs they name.
// Pure: no Node APIs.
import { InputError } from '../errors.ts';
import type { CompiledAction } from './compile.ts';
import type { PolicyData } from './data.ts';
import { formatDay, type Day } from './dates.ts';
import type { CompatSetting } from './options.ts';

/**
 * Termination rule (the IEEPA ruling of 2026-02-20): an action of a program that a termination of the same
 * imposer names stops on the termination's effective day, whatever its own end. Returns the new end.
 */
export function endWithTerminations(a: Pick<CompiledAction, 'imposer' | 'program'>, end: Day, terminations: Pick<CompiledAction, 'imposer' | 'program' | 'terminates' | 'effective'>[]): Day {
  if (a.program === 'termination') return end;
  let e = end;
  for (const t of terminations) if (t.imposer === a.imposer && (t.terminates as readonly string[]).includes(a.program)) e = Math.min(e, t.effective);
  return e;
}

/**
 * Which actions count, and until when. The full view takes every action; `announcedThrough` keeps only the
 * actions announced on or before that day (ends announced later are ignored), i.e. "everything announced by
 * then, as if in force". Termination actions cut the end of every action of the programs they name.
 */
export class PolicyView {
  readonly data: PolicyData;
  readonly announcedThrough: Day | null;
  readonly included: Uint8Array;
  readonly end: Float64Array;
  /** 'none': the law; 'budgetlab': the actions of the Budget Lab compatibility mode (for comparisons only). */
  readonly compat: CompatSetting;

  constructor(data: PolicyData, announcedThrough: Day | null = null, compat: CompatSetting = 'none') {
    this.data = data;
    this.announcedThrough = announcedThrough;
    this.compat = compat;
    const A = data.actions.length;
    this.included = new Uint8Array(A);
    this.end = new Float64Array(A);
    const modeOk = (m: 'law' | 'budgetlab' | null) => m === null || (m === 'law' ? compat === 'none' : compat === 'budgetlab');
    for (const a of data.actions) {
      this.included[a.index] = (announcedThrough === null || a.announced <= announcedThrough) && modeOk(a.mode) ? 1 : 0;
      this.end[a.index] = announcedThrough === null || a.endAnnounced <= announcedThrough ? a.end : Infinity;
    }
    const terminations = data.actions.filter((t) => t.program === 'termination' && this.included[t.index]);
    for (const a of data.actions) this.end[a.index] = endWithTerminations(a, this.end[a.index], terminations);
  }

  isActive(a: CompiledAction, day: Day): boolean {
    return this.included[a.index] === 1 && a.effective <= day && day < this.end[a.index];
  }

  /** Tariff actions (not terminations) of an imposer that this view includes. */
  actionsOf(imposer: string): CompiledAction[] {
    return this.data.actions.filter((a) => a.imposer === imposer && a.program !== 'termination' && this.included[a.index]);
  }

  /** Days in [from, to] on which some included action starts or stops, plus `from` itself. */
  changeDays(from: Day, to: Day): Day[] {
    const s = new Set<Day>([from]);
    for (const a of this.data.actions) {
      if (!this.included[a.index]) continue;
      if (a.effective > from && a.effective <= to) s.add(a.effective);
      const e = this.end[a.index];
      if (e > from && e <= to) s.add(e);
    }
    return [...s].sort((x, y) => x - y);
  }

  /** The day on which every action announced in [coverage.from, announcedThrough] is in force. */
  inForceDay(): Day {
    const lim = this.announcedThrough ?? this.data.coverage.to;
    let d = this.data.coverage.from;
    for (const a of this.data.actions) {
      if (this.included[a.index] && a.announced >= this.data.coverage.from && a.announced <= lim) d = Math.max(d, a.effective);
    }
    return d;
  }

  checkDay(day: Day, what = 'date'): void {
    const c = this.data.coverage;
    if (day < c.from || day > c.to) {
      throw new InputError(`${what} ${formatDay(day)} is outside the data's range ${formatDay(c.from)} … ${formatDay(c.to)}`, { field: what, file: 'data/policy/manifest.yaml' }, 'pick a date inside coverage (see data/policy/manifest.yaml)');
    }
  }
}

