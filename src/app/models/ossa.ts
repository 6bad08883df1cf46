// Ossa's (2014) model as a scenario model: tariff shocks on the ossa2014 dataset, Table 2 quantities for the
// importer of the first shock and every region's welfare decomposition (JSON-ready).
import { InputError } from '../../errors.ts';
import type { OssaData } from '../../data/ossa2014.ts';
import type { OssaRegionResult } from '../../model/ossa/counterfactual.ts';
import { runOssaScenario, type OssaScenarioRun } from '../../scenario/ossa.ts';
import type { LoadedScenario } from '../../scenario/load.ts';
import { loadRow } from '../sources.ts';
import type { ScenarioModel } from './types.ts';

export interface OssaScenarioReport {
  model: 'ossa2014';
  scenario: { name: string; description?: string; file: string; dataset: string; model: 'ossa2014' };
  units: { changes: 'percent' };
  /** Ossa (2014) Table 2 columns for the importer of the first shock and the industries it shocks. */
  focus: { region: string; industries: string[] } & Omit<OssaScenarioRun['result']['table2'], 'otherIndustriesSales'> & { otherIndustriesSales?: number; otherIndustries?: string };
  regions: OssaRegionResult[];
}

export function ossaScenarioReport(run: OssaScenarioRun): OssaScenarioReport {
  const r = run.result;
  const { otherIndustriesSales, ...table2 } = r.table2;
  return {
    model: 'ossa2014',
    scenario: { name: run.name, ...(run.description ? { description: run.description } : {}), file: run.scenario.file, dataset: run.scenario.spec.dataset, model: 'ossa2014' },
    units: { changes: 'percent' },
    // With every industry shocked there are no "other industries": say so instead of reporting a non-number.
    focus: { region: r.focusRegion, industries: r.focusIndustries, ...table2, ...(Number.isFinite(otherIndustriesSales) ? { otherIndustriesSales } : { otherIndustries: 'none: every industry is shocked' }) },
    regions: r.byRegion,
  };
}

export const ossaScenarioModel: ScenarioModel<{ scenario: LoadedScenario; data: OssaData }, OssaScenarioRun, OssaScenarioReport> = {
  async compile(scenario, row, sources, options) {
    if (options.closure) {
      throw new InputError(`dataset ${row.id} has balanced trade by construction; --closure does not apply`, { field: '--closure' }, 'drop --closure for Ossa scenarios');
    }
    return { scenario, data: loadRow(row, sources) as OssaData };
  },
  solve: (c) => runOssaScenario(c.scenario, c.data),
  report: ossaScenarioReport,
};
