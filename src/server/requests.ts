// From a validated POST /v1/runs body to a job: shipped scenarios resolved by name (from a list of the files in
// scenarios/, never a path), inline scenarios validated by the scenario loader (InputError with field and line),
// limits on size, sweeps (the sweep file schema, the draws limit, shipped scenarios only), and the
// content-addressed run id: sha256 of the canonical job and the three versions.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../node/paths.ts';
import { datasetRow } from '../app/registry.ts';
import { scenarioDataset } from '../app/scenario.ts';
import { scenarioFromObject, type LoadedScenario } from '../scenario/load.ts';
import { loadScenarioFile } from '../node/scenario.ts';
import { API_FIELDS, checkTimelineData, timelineMonths, timelineScenarioDataset } from '../node/timeline.ts';
import { loadTimeseries } from '../node/data/timeseries.ts';
import { parseMonth, type Timeseries } from '../data/timeseries.ts';
import { LIMITS, checkInteger, type Range } from '../scenario/limits.ts';
import { parseSweep } from '../sweep/load.ts';
import type { JobSpec, ScenarioInput, SweepInput } from './job.ts';
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

const SWEEP_DIR = join(SCENARIO_DIR, 'sweeps');

/** The text of a shipped scenario named by a sweep: a name (us-china-2025-04-standoff) or a path relative to
 * scenarios/sweeps/ that is a shipped scenario file (../us-china-2025-04-standoff.yaml); nothing else is read. */
function shippedSweepScenario(name: string, field: string): { file: string; text: string } {
  const files = shippedScenarios();
  const file = files.get(name) ?? [...files.values()].find((f) => f === resolve(SWEEP_DIR, name));
  if (!file) throw new InputError(`unknown scenario '${name}'`, { field }, `over HTTP a sweep names a shipped scenario: ${[...files.keys()].join(', ')} (or ../<name>.yaml, as the files in scenarios/sweeps/ do)`);
  return { file: `scenarios/${file.slice(SCENARIO_DIR.length + 1)}`, text: readFileSync(file, 'utf8') };
}

/**
 * A POST /v1/runs sweep (a shipped sweep's name, YAML text or an object) as a job: validated by the sweep file
 * schema, the draws within `maxDraws`, no file read but shipped scenarios. Every error is an InputError naming
 * the sweep's field (400); what needs the model (sectors, regions) is checked by the run before any draw.
 */
export function sweepJobOf(body: Extract<RunBody, { kind: 'sweep' }>, maxDraws: number): JobSpec {
  let label: string;
  let text: string;
  if (typeof body.sweep === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(body.sweep)) {
    const file = join(SWEEP_DIR, `${body.sweep}.yaml`);
    let known: string[] = [];
    try {
      known = readdirSync(SWEEP_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    } catch {
      // no shipped sweeps
    }
    if (!known.includes(body.sweep)) throw new InputError(`unknown sweep '${body.sweep}'`, { field: 'sweep' }, `shipped sweeps: ${known.join(', ') || 'none'}; or give the sweep as an object or YAML text`);
    label = `scenarios/sweeps/${body.sweep}.yaml`;
    text = readFileSync(file, 'utf8');
  } else if (typeof body.sweep === 'string') {
    label = 'sweep';
    text = body.sweep;
  } else {
    label = 'sweep';
    text = JSON.stringify(JSON.parse(canonicalJson(body.sweep)), null, 1);
  }
  const loaded = parseSweep(text, label);
  const { spec } = loaded;
  const where = (path: (string | number)[]) => ({ file: label, field: path.join('.'), ...loaded.locate(path) });
  const limit: Range = { ...LIMITS.apiSweepDraws, max: maxDraws };
  if (body.draws !== undefined) checkInteger(body.draws, limit, 'draws', body.draws, { field: 'draws' });
  else checkInteger(spec.draws, limit, 'draws', spec.draws, where(['draws']));
  spec.vary.forEach((v, k) => {
    if ('theta' in v && v.theta.fromEstimate) throw new InputError('the HTTP API does not read files named in a sweep', where(['vary', k, 'theta', 'fromEstimate']), 'give sd, relativeSd, grid or choices');
  });
  const scenario = (name: string, field: 'scenario' | 'deal') => {
    try {
      return shippedSweepScenario(name, field);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(err.detail, where([field]), err.hint);
      throw err;
    }
  };
  const sweep: SweepInput = { label, text, scenario: scenario(spec.scenario, 'scenario'), ...(spec.deal ? { deal: scenario(spec.deal, 'deal') } : {}) };
  return { kind: 'sweep', sweep, ...(body.draws !== undefined ? { draws: body.draws } : {}) };
}

/** The job of a POST /v1/runs body (bad inputs throw InputError). */
export function jobOf(body: RunBody, maxDraws: number = LIMITS.apiSweepDraws.max): JobSpec {
  switch (body.kind) {
    case 'sweep':
      return sweepJobOf(body, maxDraws);
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
    case 'timeline':
      return timelineJobOf(body);
    case 'war':
      datasetRow(body.dataset, 'dataset');
      return { kind: 'war', dataset: body.dataset, ...(body.politicalEconomy !== undefined ? { politicalEconomy: body.politicalEconomy } : {}), ...(body.mfn !== undefined ? { mfn: body.mfn } : {}), ...(body.closure ? { closure: body.closure } : {}) };
  }
}

/** The last month a timeline run over HTTP may ask for. */
export const TIMELINE_LAST = '2030-12';
let timeseries: Timeseries | null = null;

/**
 * A POST /v1/runs timeline as a job: the months checked against the monthly data (a cutoff outside it names
 * fitThrough), the scenario resolved and on a multi-sector (CP) dataset, before anything is queued.
 */
export function timelineJobOf(body: Extract<RunBody, { kind: 'timeline' }>): JobSpec {
  const { from, to, cutoff } = timelineMonths(body, API_FIELDS);
  try {
    checkTimelineData((timeseries ??= loadTimeseries()), from, cutoff, API_FIELDS);
  } catch (err) {
    // The file by its name in the shared datasets, not the server's path.
    if (err instanceof InputError && err.location.file) throw new InputError(err.detail, { ...err.location, file: `us-tariffs/timeseries/${basename(err.location.file)}` }, err.hint);
    throw err;
  }
  // Months after the policy data hold its last day's tariffs; a bound keeps a run's size in check.
  if (to > parseMonth(TIMELINE_LAST)) throw new InputError(`to ${body.to} is after ${TIMELINE_LAST}`, { field: 'to' }, `months after the policy data hold its last day's tariffs: pick a month up to ${TIMELINE_LAST}`);
  let scenario: ScenarioInput | undefined;
  if (body.scenario !== undefined) {
    const { loaded, input } = resolveScenario(body.scenario, 'scenario');
    timelineScenarioDataset(loaded, input.label, 'scenario.dataset');
    scenario = input;
  }
  return { kind: 'timeline', from: body.from, to: body.to, fitThrough: body.fitThrough, ...(scenario ? { scenario } : {}) };
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v));
}

/** The content address of a run: sha256 (hex) of the canonical job and the versions. */
export function runIdOf(job: JobSpec, versions: Versions): string {
  return createHash('sha256').update(canonicalJson({ job, versions })).digest('hex');
}
