// From a validated POST /v1/runs body to a job: shipped scenarios resolved by name (from a list of the files in
// scenarios/, never a path), inline scenarios validated by the scenario loader (InputError with field and line),
// limits on size, and the content-addressed run id: sha256 of the canonical job and the three versions.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../node/paths.ts';
import { datasetRow } from '../app/registry.ts';
import { scenarioDataset } from '../app/scenario.ts';
import { scenarioFromObject, type LoadedScenario } from '../scenario/load.ts';
import { loadScenarioFile } from '../node/scenario.ts';
import type { JobSpec, ScenarioInput } from './job.ts';
import type { RunBody } from './schemas.ts';
import type { Versions } from './versions.ts';

/** Most shocks, groups or elasticities one scenario may carry over HTTP. */
export const MAX_SCENARIO_ITEMS = 2000;

const SCENARIO_DIR = join(PROJECT_ROOT, 'scenarios');
let shipped: Map<string, string> | null = null;
const shippedLoaded = new Map<string, LoadedScenario>();

/** Shipped scenario names → files (the .yaml files of scenarios/). */
export function shippedScenarios(): Map<string, string> {
  if (!shipped) shipped = new Map(readdirSync(SCENARIO_DIR).filter((f) => /^[a-z0-9][a-z0-9-]*\.yaml$/.test(f)).map((f) => [f.slice(0, -5), join(SCENARIO_DIR, f)]));
  return shipped;
}

function checkLimits(obj: Record<string, unknown>, field: string): void {
  for (const key of ['shocks', 'elasticities']) {
    const v = obj[key];
    if (Array.isArray(v) && v.length > MAX_SCENARIO_ITEMS) {
      throw new InputError(`${v.length} ${key} in one scenario (at most ${MAX_SCENARIO_ITEMS} over HTTP)`, { field: `${field}.${key}` }, 'use region/sector groups and selectors ("all", "goods") instead of one entry per pair');
    }
  }
  const g = obj.groups;
  if (g && typeof g === 'object' && Object.keys(g).length > MAX_SCENARIO_ITEMS) throw new InputError(`more than ${MAX_SCENARIO_ITEMS} groups`, { field: `${field}.groups` });
}

/** A scenario reference (shipped name or inline object) as a validated scenario and its job input. */
export function resolveScenario(ref: string | Record<string, unknown>, field: string): { loaded: LoadedScenario; input: ScenarioInput } {
  let loaded: LoadedScenario;
  let label: string;
  if (typeof ref === 'string') {
    const file = shippedScenarios().get(ref);
    if (!file) throw new InputError(`unknown scenario '${ref}'`, { field }, `shipped scenarios: ${[...shippedScenarios().keys()].join(', ')}; or give the scenario as an object`);
    label = `scenarios/${ref}.yaml`;
    let hit = shippedLoaded.get(ref);
    if (!hit) shippedLoaded.set(ref, (hit = { ...loadScenarioFile(file), file: label }));
    loaded = hit;
  } else {
    checkLimits(ref, field);
    label = field;
    loaded = scenarioFromObject(ref, label);
  }
  loaded.spec.elasticities.forEach((e, k) => {
    if (e.fromEstimate) {
      const { line, column } = loaded.locate(['elasticities', k, 'fromEstimate']);
      throw new InputError('the HTTP API does not read files named in a scenario', { file: label, field: `elasticities[${k}].fromEstimate`, line, column }, 'give theta as a number');
    }
  });
  scenarioDataset(loaded);
  return { loaded, input: { label, spec: loaded.spec } };
}

/** The job of a POST /v1/runs body (bad inputs throw InputError). */
export function jobOf(body: RunBody): JobSpec {
  switch (body.kind) {
    case 'scenario':
      return { kind: 'scenario', scenario: resolveScenario(body.scenario, 'scenario').input, ...(body.closure ? { closure: body.closure } : {}) };
    case 'standoff':
      return { kind: 'standoff', a: body.a, b: body.b, standoff: resolveScenario(body.standoff, 'standoff').input, deal: resolveScenario(body.deal, 'deal').input, closure: body.closure };
    case 'deal': {
      const ossa = body.dataset !== undefined && datasetRow(body.dataset, 'dataset').model === 'ossa';
      if (ossa && body.scenario !== undefined) throw new InputError('give either dataset (Ossa model) or scenario (multi-sector model), not both', { field: 'scenario' });
      const scenario = ossa ? undefined : resolveScenario(body.scenario ?? 'us-china-2025-04-standoff', 'scenario').input;
      return {
        kind: 'deal', a: body.a, b: body.b,
        ...(scenario ? { scenario } : { dataset: body.dataset }),
        ...(body.grid ? { grid: body.grid } : {}),
        ...(body.closure ? { closure: body.closure } : {}),
        ...(body.standoffKind ? { standoffKind: body.standoffKind } : {}),
        ...(body.politicalEconomy !== undefined ? { politicalEconomy: body.politicalEconomy } : {}),
      };
    }
    case 'war':
      datasetRow(body.dataset, 'dataset');
      return { kind: 'war', dataset: body.dataset, ...(body.politicalEconomy !== undefined ? { politicalEconomy: body.politicalEconomy } : {}), ...(body.mfn !== undefined ? { mfn: body.mfn } : {}), ...(body.closure ? { closure: body.closure } : {}) };
  }
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v));
}

/** The content address of a run: sha256 (hex) of the canonical job and the versions. */
export function runIdOf(job: JobSpec, versions: Versions): string {
  return createHash('sha256').update(canonicalJson({ job, versions })).digest('hex');
}
