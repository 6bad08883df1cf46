// Scenario files on the Ossa (2014) dataset: the same YAML format, run through the Ossa model
// (src/model/ossa). Tariff shocks only (the model has no iceberg-cost shocks and the dataset no named
// schedules); trade is balanced in Ossa's purged data, so both closures coincide. Errors point at the YAML
// line and column of the offending shock.
import { InputError } from '../errors.ts';
import type { OssaData } from '../data/ossa2014.ts';
import { applyOssaChanges, ossaChangesFromShocks, runOssaCounterfactual, type OssaCounterfactualResult, type OssaTariffChange } from '../model/ossa/counterfactual.ts';
import type { LoadedScenario, YamlPath } from './load.ts';

export interface OssaScenarioRun {
  scenario: LoadedScenario;
  name: string;
  description?: string;
  result: OssaCounterfactualResult;
}

/** Field names of an Ossa tariff change → the scenario file's field names, for error locations. */
const FIELD: Record<string, string> = { importer: 'importer', exporters: 'exporter', industries: 'sector', addPoints: 'add', setPercent: 'set' };

export function runOssaScenario(scenario: LoadedScenario, data: OssaData): OssaScenarioRun {
  const { spec } = scenario;
  const fail = (path: YamlPath, message: string, hint?: string): never => {
    const { line, column } = scenario.locate(path);
    throw new InputError(message, { file: scenario.file, line, column, field: path.join('.') }, hint);
  };
  if (spec.elasticities.length) fail(['elasticities'], 'the Ossa (2014) model uses its own estimated elasticities σ; elasticities cannot be set', 'remove the elasticities block for dataset ossa2014');
  if (spec.policy) fail(['policy'], 'the policy layer (US tariffs in force on a date) maps onto the multi-sector datasets only, not onto Ossa\'s 2007 data', 'remove the policy block for dataset ossa2014, or use dataset world2024');
  const solverKeys = Object.entries(spec.solver).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (solverKeys.length) fail(['solver', solverKeys[0]], `the Ossa (2014) model is solved by Newton's method with its own settings; solver.${solverKeys[0]} does not apply`, 'remove the solver block for dataset ossa2014');
  const expand = (sel: string | string[]): string[] => (Array.isArray(sel) ? sel : [sel]).flatMap((x) => (Object.hasOwn(spec.groups, x) ? spec.groups[x] : [x]));
  for (const name of Object.keys(spec.groups)) {
    const key = name.toLowerCase();
    const clash = data.regions.some((r) => r.toLowerCase() === key) ? 'a region of ossa2014' : data.industries.some((x) => x.code.toLowerCase() === key || x.name.toLowerCase() === key) ? 'an industry of ossa2014' : ['all', 'goods'].includes(key) ? 'a built-in group' : null;
    if (clash) fail(['groups', name], `group '${name}' has the name of ${clash}, so shocks naming it would be ambiguous`, `rename the group, e.g. MY_${name}`);
  }
  const changes: OssaTariffChange[] = [];
  spec.shocks.forEach((sh, s) => {
    if (!('tariff' in sh)) return fail(['shocks', s, 'ntb'], 'the Ossa (2014) model has no non-tariff (iceberg) trade-cost shocks', 'use tariff shocks (set or add) with dataset ossa2014');
    const t = sh.tariff;
    const at: YamlPath = ['shocks', s, 'tariff'];
    if (t.schedule !== undefined) fail([...at, 'schedule'], 'dataset ossa2014 has no named tariff schedules', 'use set (percent) or add (points)');
    const mine = ossaChangesFromShocks(data, [{ importer: expand(t.importer), exporter: expand(t.exporter), sector: expand(t.sector), set: t.set, add: t.add, id: `shocks.${s}` }]);
    if (mine.length === 0) fail([...at, 'exporter'], 'importer and exporter are the same region: a tariff applies to imports from other regions only', 'name different importer and exporter regions');
    try {
      applyOssaChanges(data, mine);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const field = FIELD[err.location.field?.split('.').pop() ?? ''] ?? '';
      fail(field ? [...at, field] : at, err.detail, err.hint);
    }
    changes.push(...mine);
  });
  if (changes.length === 0) fail(['shocks'], 'an ossa2014 scenario needs at least one tariff shock', 'add a tariff shock, e.g. {tariff: {importer: US, exporter: all, sector: crp, add: 50}}');
  return { scenario, name: spec.name, description: spec.description, result: runOssaCounterfactual(data, changes) };
}
