// From the app state to a scenario object (the same schema as scenarios/*.yaml): the preset's spec, the day
// scrubbed to, the closure, and one tariff shock per lever override. Lever rates are uniform ad valorem tariffs
// on all goods, percent, and replace the rates in force for that pair of regions.
import type { AppState } from './state.ts';

export interface LeverShock {
  tariff: { importer: string | string[]; exporter: string | string[]; sector: string; set: number };
}

export function leverShocks(s: AppState, regions: string[]): LeverShock[] {
  const out: LeverShock[] = [];
  const set = (importer: string | string[], exporter: string | string[], rate: number) => out.push({ tariff: { importer, exporter, sector: 'goods', set: rate } });
  if (s.usOnOthers !== null) {
    const others = regions.filter((r) => r !== 'USA' && r !== 'CHN' && !(s.dealRate !== null && r === s.dealPartner));
    if (others.length) set('USA', others, s.usOnOthers);
  }
  if (s.dealRate !== null) set('USA', s.dealPartner, s.dealRate);
  if (s.usOnChina !== null) set('USA', 'CHN', s.usOnChina);
  if (s.chinaOnUs !== null) set('CHN', 'USA', s.chinaOnUs);
  return out;
}

/** The scenario object of a state: the preset's spec with the scrubbed day, closure and lever shocks; with
 *  `announced` (the timeline's toggle, the day's entry of PolicyAssets.announcedDays) the policy becomes
 *  `{date: announced.date, announcedThrough: s.date}`. */
export function scenarioObject(preset: Record<string, unknown>, s: AppState, regions: string[], announced?: { date: string }): Record<string, unknown> {
  const spec = structuredClone(preset);
  const policy = spec.policy as { date: string; announcedThrough?: string; china?: boolean } | undefined;
  if (s.date && announced) {
    // Everything announced through the day as if in force: the tariffs on the day all of it is in force.
    spec.policy = { date: announced.date, announcedThrough: s.date };
    spec.name = `${String(spec.name)} — every action announced through ${s.date} as if in force`;
  } else if (s.date) {
    spec.policy = { date: s.date, ...(policy && policy.china === false ? { china: false } : {}) };
    if (s.date !== policy?.date) spec.name = `${String(spec.name)} — tariffs in force on ${s.date}`;
  }
  if (s.closure) spec.closure = s.closure;
  const shocks = leverShocks(s, regions);
  if (shocks.length) spec.shocks = [...((spec.shocks as unknown[]) ?? []), ...shocks];
  return spec;
}
