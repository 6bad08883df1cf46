// Scheduled increases that were called off before their day (docs/timing.md §Data, eq. T4a): the 2025 pauses of
// the reciprocal rates were law with an end date — the Annex I rates due back on 9 July, China's suspended 24
// points on 12 August — and each was postponed shortly before it. The policy layer holds the law as applied, so
// these dates are a small cited table, data/timing/scheduled-2025.csv, one row per scheduled change of a policy
// action: `end` (the action stops on the day, what it had replaced applies again) or `rate:N` (from the day the
// action's rate is N%). Each row becomes a step of the schedule importers saw coming (announced, effective on
// the scheduled day, called off on `called_off`), like the called-off 2018–19 lists: its size is the change of
// the group tariffs on the scheduled day between the policy data with the row applied and the data as applied.
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { parseCsv, column } from '../data/csv.ts';
import type { TariffStep } from '../model/timing/types.ts';
import type { CompiledAction } from '../policy/compile.ts';
import type { Concordance } from '../policy/concordance.ts';
import { formatDay, parseDay, type Day } from '../policy/dates.ts';
import { readText } from './data/files.ts';
import { PROJECT_ROOT } from './paths.ts';
import type { PolicyContext } from './policy/inputs.ts';
import { dayToMonths, splitStep, type TargetSolver } from './timeline-inputs.ts';

export const SCHEDULED_FILE = join(PROJECT_ROOT, 'data', 'timing', 'scheduled-2025.csv');

export interface ScheduledChange {
  id: string;
  /** Index of the policy action the row changes. */
  action: number;
  /** 'end': the action stops on the day; a number: the action's rate (percent) from the day. */
  change: 'end' | number;
  announced: Day;
  scheduled: Day;
  calledOff: Day;
}

/** Reads and checks the table against the policy data (errors name the file, row and field). */
export function loadScheduled(file: string, ctx: PolicyContext): ScheduledChange[] {
  const t = parseCsv(readText(file), file);
  const cols = Object.fromEntries(['id', 'action', 'change', 'announced', 'scheduled', 'called_off', 'source'].map((n) => [n, column(t, n)]));
  const cov = ctx.data.coverage;
  const ids = new Set<string>();
  return t.rows.map((r, k) => {
    const at = (f: string) => ({ file, row: k + 1, field: f });
    const val = (f: string) => {
      const v = (r[cols[f]] ?? '').trim();
      if (!v) throw new InputError(`field ${f} is empty`, at(f), `fill in ${f} (see docs/timing.md §Data)`);
      return v;
    };
    const id = val('id');
    if (ids.has(id)) throw new InputError(`id ${id} repeats an earlier row`, at('id'), 'give every row its own id');
    ids.add(id);
    val('source');
    const a = ctx.data.actions.find((x) => x.id === val('action'));
    if (!a) throw new InputError(`no policy action '${val('action')}'`, at('action'), 'use the id of an action in data/policy/*.yaml');
    const changeText = val('change');
    const rate = /^rate:(\d+(\.\d+)?)$/.exec(changeText);
    if (changeText !== 'end' && !rate) throw new InputError(`change '${changeText}' is neither end nor rate:N`, at('change'), 'write end, or rate:34 for a rate of 34%');
    const day = (f: string) => parseDay(val(f), at(f));
    const announced = day('announced');
    const scheduled = day('scheduled');
    const calledOff = day('called_off');
    if (scheduled < cov.from || scheduled > cov.to) throw new InputError(`scheduled day ${formatDay(scheduled)} is outside the policy data (${formatDay(cov.from)} … ${formatDay(cov.to)})`, at('scheduled'));
    if (!(announced < scheduled)) throw new InputError('announced on or after its scheduled day', at('announced'));
    if (!(calledOff > announced && calledOff <= scheduled)) throw new InputError('called off before its announcement or after its scheduled day (then it took effect: it belongs in the policy data)', at('called_off'));
    if (scheduled <= a.effective || scheduled >= a.end) throw new InputError(`scheduled day ${formatDay(scheduled)} is not inside action ${a.id}'s time in force`, at('scheduled'));
    return { id, action: a.index, change: rate ? Number(rate[1]) : 'end', announced, scheduled, calledOff };
  });
}

/** The policy actions with one scheduled change applied (a new action carries a new rate; it replaces the old). */
export function withScheduled(actions: readonly CompiledAction[], s: ScheduledChange): CompiledAction[] {
  // The action stops on the scheduled day unless it already stops earlier (a copy may have removed it).
  const out = actions.map((a) => (a.index === s.action && s.scheduled < a.end ? { ...a, end: s.scheduled, endAnnounced: s.announced } : a));
  if (s.change !== 'end') {
    const a = actions[s.action];
    out.push({ ...a, index: actions.length, id: `${a.id} (${s.change}% scheduled)`, announced: s.announced, effective: s.scheduled, end: a.end, endAnnounced: a.endAnnounced, rate: s.change, partnerRates: new Map(), floor: null, supersedes: new Set([...a.supersedes, a.index]) });
  }
  return out;
}

/**
 * The policy actions with the rows of one action applied: the action changed by its earliest row (a later row of
 * the same action re-dates a change that was called off before it, so on the later row's day the earlier change
 * holds, as the later row alone would have it).
 */
export function withActionScheduled(actions: readonly CompiledAction[], rows: readonly ScheduledChange[]): CompiledAction[] {
  const first = [...rows].sort((a, b) => a.scheduled - b.scheduled)[0];
  return first ? withScheduled(actions, first) : actions.slice();
}

/**
 * Steps of eq. T4a, split by days like the schedule's: dTau is the group tariffs on the row's day with the row
 * applied minus as applied. One copy of the policy data per action (one policy engine each) holds that action's
 * rows: on each row's day it equals the row alone (`test/timing/scheduled.test.ts`); rows of different actions
 * are kept apart (on a copy that lacks the rates of 7 August, the pause's end of 9 July would still hold on
 * Geneva's day, 12 August).
 */
export function scheduledSteps(rows: readonly ScheduledChange[], ctx: PolicyContext, concordance: Concordance, solver: TargetSolver): TariffStep[] {
  const groupsOn = (c: PolicyContext, day: Day) => solver.groupsOn(day, c, concordance);
  const applied = rows.map((s) => groupsOn(ctx, s.scheduled));
  const changed = new Map<ScheduledChange, Float64Array>();
  for (const action of new Set(rows.map((s) => s.action))) {
    const mine = rows.filter((s) => s.action === action);
    const copy = { ...ctx, data: { ...ctx.data, actions: withActionScheduled(ctx.data.actions, mine) } };
    for (const s of mine) changed.set(s, groupsOn(copy, s.scheduled));
  }
  return rows.flatMap((s, k) => splitStep(`scheduled ${s.id}`, dayToMonths(s.announced), dayToMonths(s.calledOff), s.scheduled, changed.get(s)!.map((x, g) => x - applied[k][g])));
}
