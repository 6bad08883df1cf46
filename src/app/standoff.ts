// Use case: who loses more from a standoff than from a deal. Both scenarios run on the same dataset and closure.
import type { LoadedScenario } from '../scenario/load.ts';
import { CLOSURES, type Closure } from '../model/cp/model.ts';
import { standoffReport, type StandoffReport } from '../scenario/standoff.ts';
import type { DataSources } from './sources.ts';
import { scenarioDataset } from './scenario.ts';
import { solveCpScenario } from './models/cp.ts';
import type { ScenarioRunOptions } from './models/types.ts';

export type { StandoffReport };

export interface StandoffInput {
  standoff: LoadedScenario;
  deal: LoadedScenario;
  /** The two sides (region codes or names). */
  a: string;
  b: string;
  /** Share of world exports (percent) above which a supplier has "few substitutes" (default FEW_SUBSTITUTES_THRESHOLD). */
  fewSubstitutesThreshold?: number;
}

export async function standoff(input: StandoffInput, sources: DataSources, options: ScenarioRunOptions = {}): Promise<StandoffReport> {
  const s = await solveCpScenario(input.standoff, scenarioDataset(input.standoff), sources, options);
  const d = await solveCpScenario(input.deal, scenarioDataset(input.deal), sources, options);
  return standoffReport(s, d, input.a, input.b, input.fewSubstitutesThreshold === undefined ? {} : { fewSubstitutesThreshold: input.fewSubstitutesThreshold });
}

/**
 * The standoff under one closure, or under both main closures ('both', the default: an object keyed by closure),
 * as `tariffsim standoff --json` prints it.
 */
export async function standoffByClosure(input: StandoffInput, sources: DataSources, options: Omit<ScenarioRunOptions, 'closure'> & { closure?: Closure | 'both' } = {}): Promise<StandoffReport | Record<string, StandoffReport>> {
  const { closure = 'both', ...rest } = options;
  const closures = closure === 'both' ? [...CLOSURES] : [closure];
  const reports: StandoffReport[] = [];
  for (const c of closures) reports.push(await standoff(input, sources, { ...rest, closure: c }));
  return reports.length > 1 ? Object.fromEntries(reports.map((r) => [r.closure, r])) : reports[0];
}
