// Node side of planning a sweep: read the sweep file and the scenarios it names, compile the base scenario once
// to resolve sector selectors and the base θ, look up standard errors (the project's CP2015 §4 estimates), and
// return a SweepPlan. Every error names the sweep file's field (line, column) — nothing is queued before this
// succeeds.
import { dirname, resolve, join } from 'node:path';
import { InputError } from '../../errors.ts';
import { readText, readCsvFile } from '../data/files.ts';
import { column } from '../../data/csv.ts';
import { PROJECT_ROOT, sharedDataDir } from '../paths.ts';
import { readCp2015Raw } from '../data/cp2015.ts';
import { findRegion, findSector, type World } from '../../data/world.ts';
import { estimateRatioElasticities, type SectorElasticity } from '../../estimate/cp-elasticity.ts';
import { coefficientOf, parseEstimateJson } from '../../estimate/json-format.ts';
import { elasticityFromTariffCoefficient } from '../../estimate/to-ge.ts';
import { parseScenario, type LoadedScenario } from '../../scenario/load.ts';
import { compileCp } from '../../app/models/cp.ts';
import { scenarioDataset } from '../../app/scenario.ts';
import { nodeSources } from '../sources.ts';
import { parseSweep, type LoadedSweep } from '../../sweep/load.ts';
import type { SweepSpec } from '../../sweep/schema.ts';
import { sweepKey, type SweepParam, type SweepPlan } from '../../sweep/plan.ts';
import type { YamlPath } from '../../data/yaml.ts';
import { variantPreparer } from './chunk.ts';

export interface PlanOptions {
  dataDir?: string;
  /** Overrides the file's draws (e.g. `--draws`). */
  draws?: number;
  /** Overrides the file's chunk size (`--chunk-size`); neither: measured by a pilot chunk (./run.ts). */
  chunk?: number;
  /**
   * The text of the scenario the sweep's `scenario`/`deal` field names (default: the file, relative to the sweep
   * file). The HTTP API passes shipped scenarios here and never reads a path a client sent.
   */
  scenarioText?: (name: string, field: 'scenario' | 'deal') => { file: string; text: string };
}

export function loadSweepFile(file: string): LoadedSweep {
  return parseSweep(readText(file, 'check the sweep file path'), file);
}

export async function planSweepFile(file: string, opts: PlanOptions = {}): Promise<SweepPlan> {
  return planSweep(loadSweepFile(file), opts);
}

export async function planSweep(loaded: LoadedSweep, opts: PlanOptions = {}): Promise<SweepPlan> {
  const { spec } = loaded;
  const fail = (path: YamlPath, message: string, hint?: string): never => {
    const { line, column: col } = loaded.locate(path);
    throw new InputError(message, { file: loaded.file, line, column: col, field: path.join('.') }, hint);
  };
  const readScenario = (name: string, field: 'scenario' | 'deal'): { file: string; text: string; loaded: LoadedScenario } => {
    let path = resolve(dirname(loaded.file), name);
    let text: string;
    try {
      if (opts.scenarioText) ({ file: path, text } = opts.scenarioText(name, field));
      else text = readText(path);
    } catch (err) {
      if (err instanceof InputError && opts.scenarioText) return fail([field], err.detail, err.hint);
      if (err instanceof InputError) return fail([field], `cannot read scenario '${name}' (${path})`, 'paths are relative to the sweep file');
      throw err;
    }
    try {
      return { file: path, text, loaded: parseScenario(text, path) };
    } catch (err) {
      if (err instanceof InputError) return fail([field], `scenario '${name}' is invalid: ${err.message}`);
      throw err;
    }
  };
  const base = readScenario(spec.scenario, 'scenario');
  const deal = spec.deal ? readScenario(spec.deal, 'deal') : undefined;
  if (deal && deal.loaded.spec.dataset !== base.loaded.spec.dataset) fail(['deal'], `the deal uses dataset '${deal.loaded.spec.dataset}' but the scenario uses '${base.loaded.spec.dataset}'`);
  const sources = nodeSources(opts.dataDir);
  const row = scenarioDataset(base.loaded);
  if (row.model !== 'cp') fail(['scenario'], `sweeps run multi-sector (cp) scenarios; dataset '${row.id}' is a ${row.model} dataset`);
  const { prepared } = await compileCp(base.loaded, row, sources);
  if (deal) await compileCp(deal.loaded, scenarioDataset(deal.loaded), sources); // validates the deal now
  const world = prepared.world;
  const thetaBase = world.sectors.map((s) => s.theta);

  let sides: [string, string] | undefined;
  if (spec.sides) {
    sides = spec.sides.map((s, k) => {
      const n = findRegion(world, s);
      if (n < 0) fail(['sides', k], `unknown region '${s}'`, `regions of ${world.name}: ${world.regions.map((r) => r.code).join(', ')}`);
      return world.regions[n].code;
    }) as [string, string];
    if (sides[0] === sides[1]) fail(['sides', 1], 'the two sides name the same region');
  }

  let estimates: SectorElasticity[] | undefined;
  const params: SweepParam[] = spec.vary.map((v, k): SweepParam => {
    if ('closure' in v) {
      return { kind: 'closure', field: `vary.${k}.closure`, mode: v.closure.grid ? 'grid' : 'choices', values: (v.closure.grid ?? v.closure.choices)! };
    }
    if ('policy' in v) {
      if (!base.loaded.spec.policy && !deal?.loaded.spec.policy) fail(['vary', k, 'policy'], 'the scenarios have no policy block: a policy option changes nothing', 'vary policy options of scenarios that start from "tariffs in force on a date" (policy: {date: …})');
      const values = (v.policy.grid ?? v.policy.choices)!;
      return { kind: 'policy', field: `vary.${k}.policy`, option: v.policy.option, mode: v.policy.grid ? 'grid' : 'choices', values };
    }
    const t = v.theta;
    const at: YamlPath = ['vary', k, 'theta'];
    const sectors = resolveSectors(world, base.loaded, t.sector, [...at, 'sector'], fail);
    const field = `vary.${k}.theta`;
    if (t.grid || t.choices) return { kind: 'theta', field, sectors, mode: t.grid ? 'grid' : 'choices', values: (t.grid ?? t.choices)! };
    if (t.fromEstimate) {
      const { theta, se } = thetaFromEstimateFile(resolve(dirname(loaded.file), t.fromEstimate.file), t.fromEstimate.coefficient, (msg, hint) => fail([...at, 'fromEstimate'], msg, hint));
      return { kind: 'theta', field, sectors, mode: 'normal', mean: sectors.map(() => theta), sd: sectors.map(() => se), min: t.min };
    }
    const mean = sectors.map((j) => t.mean ?? thetaBase[j]);
    let sd: number[];
    if (t.relativeSd !== undefined) sd = mean.map((m) => m * t.relativeSd!);
    else if (typeof t.sd === 'number') sd = sectors.map(() => t.sd as number);
    else {
      estimates ??= cp2015Estimates(opts.dataDir, () => fail([...at, 'sd'], 'the CP2015 data needed for sd: cp2015-ratio are missing', 'put ../shared/data/cp2015 beside the checkout or give sd as a number'));
      sd = sectors.map((j) => seFor(world, row.id, j, estimates!, () => fail([...at, 'sd'], `no CP2015 sector is mapped to ${world.sectors[j].name} of ${row.id}`, 'give sd as a number for this sector')));
    }
    return { kind: 'theta', field, sectors, mode: 'normal', mean, sd, min: t.min };
  });

  const draws = opts.draws ?? spec.draws;
  const plan: SweepPlan = {
    name: spec.name,
    key: sweepKey(spec.name, spec.seed),
    seed: spec.seed,
    draws,
    ...((opts.chunk ?? spec.chunk) !== undefined ? { chunk: opts.chunk ?? spec.chunk } : {}),
    scenario: { file: base.file, text: base.text },
    ...(deal ? { deal: { file: deal.file, text: deal.text } } : {}),
    ...(sides ? { sides } : {}),
    ...(opts.dataDir ? { dataDir: resolve(opts.dataDir) } : {}),
    thetaBase,
    closure: prepared.compiled.closure,
    regions: world.regions.map((r) => r.code),
    params,
  };
  // Every policy option value compiles (one at a time), so a bad date fails here, naming the vary entry.
  const prepare = variantPreparer(plan, opts.dataDir);
  for (const [k, p] of params.entries()) {
    if (p.kind !== 'policy') continue;
    for (const [m, value] of p.values.entries()) {
      try {
        await prepare({ [p.option]: value });
      } catch (err) {
        if (err instanceof InputError) fail(['vary', k, 'policy', p.mode, m], `policy option ${p.option} = ${String(value)}: ${err.detail}`, err.hint);
        throw err;
      }
    }
  }
  return plan;
}

/** A sweep for `run … --draws N` / `standoff … --draws N`: θ of every goods sector ~ N(θ, SE of the CP2015 §4 estimate). */
export async function defaultPlan(input: { name: string; scenario: string; deal?: string; sides?: [string, string]; draws: number; seed?: number; dataDir?: string }): Promise<SweepPlan> {
  const rel = (p: string) => JSON.stringify(resolve(p));
  const text = [
    `name: ${input.name}`,
    `scenario: ${rel(input.scenario)}`,
    ...(input.deal ? [`deal: ${rel(input.deal)}`] : []),
    ...(input.sides ? [`sides: [${input.sides.map((s) => JSON.stringify(s)).join(', ')}]`] : []),
    `draws: ${input.draws}`,
    `seed: ${input.seed ?? 1}`,
    'vary:',
    '  - theta: {sector: goods, sd: cp2015-ratio}',
  ].join('\n');
  return planSweep(parseSweep(text, '<--draws>'), { dataDir: input.dataDir });
}

function resolveSectors(world: World, scenario: LoadedScenario, sel: string | string[], path: YamlPath, fail: (p: YamlPath, m: string, h?: string) => never): number[] {
  const names = Array.isArray(sel) ? sel : [sel];
  const out = new Set<number>();
  const one = (name: string): number[] | null => {
    const key = name.toLowerCase();
    if (key === 'all') return world.sectors.map((_, j) => j);
    if (key === 'goods') return world.sectors.flatMap((s, j) => (s.tradable ? [j] : []));
    if (key === 'services') return world.sectors.flatMap((s, j) => (s.tradable ? [] : [j]));
    const j = findSector(world, name);
    return j >= 0 ? [j] : null;
  };
  names.forEach((name, k) => {
    let got = one(name);
    const group = scenario.spec.groups[name];
    if (!got && group) got = group.flatMap((m) => one(m) ?? []);
    if (!got || got.length === 0) fail(Array.isArray(sel) ? [...path, k] : path, `unknown sector '${name}'`, `sectors of ${world.name}: ${world.sectors.map((s) => s.name).join(', ')}; groups: goods, services, all`);
    got!.forEach((j) => out.add(j));
  });
  return [...out].sort((a, b) => a - b);
}

/** θ = −β̂ − 1 and SE(β̂) from `tariffsim estimate --json` output. */
function thetaFromEstimateFile(path: string, coefficient: string, bad: (msg: string, hint?: string) => never): { theta: number; se: number } {
  let text: string;
  try {
    text = readText(path);
  } catch {
    return bad(`cannot read the estimate file ${path}`, 'paths are relative to the sweep file; write one with: tariffsim estimate … --json > file.json');
  }
  try {
    const report = parseEstimateJson(text, path);
    const beta = coefficientOf(report, coefficient, path);
    const raw = (JSON.parse(text) as { coefficients: { name: string; se?: unknown }[] }).coefficients.find((c) => c.name === coefficient);
    const se = typeof raw?.se === 'number' ? raw.se : NaN;
    if (!(se > 0)) return bad(`${path}: coefficient '${coefficient}' has no positive standard error`, 'use the output of: tariffsim estimate … --json');
    return { theta: elasticityFromTariffCoefficient(beta, coefficient).theta, se };
  } catch (err) {
    if (err instanceof InputError) return bad(`${err.location.file ?? path} ${err.detail}`, err.hint);
    throw err;
  }
}

const estimateCache = new Map<string, SectorElasticity[]>();

/** The project's CP2015 §4 estimates (all 20 goods sectors, RoW excluded), computed once per process. */
export function cp2015Estimates(dataDir: string | undefined, missing: () => never): SectorElasticity[] {
  const dir = join(dataDir ? resolve(dataDir) : sharedDataDir(), 'cp2015');
  const hit = estimateCache.get(dir);
  if (hit) return hit;
  let raw;
  try {
    raw = readCp2015Raw(dir);
  } catch (err) {
    if (err instanceof InputError) return missing();
    throw err;
  }
  const est = estimateRatioElasticities({
    codes: raw.regions.map((r) => r.code),
    sectors: raw.sectors.map((s) => s.name),
    tradeNet: raw.trade,
    tariff: raw.tariff1993,
    sectorIndices: raw.sectors.flatMap((s, j) => (s.tradable ? [j] : [])),
    exclude: ['ROW'],
  });
  estimateCache.set(dir, est);
  return est;
}

/**
 * SE of θ for sector j of the dataset: the jackknife SE of the matching CP2015 sector; for a sector that merges
 * k CP2015 sectors (its θ is their simple mean), the SE of that mean, sqrt(Σ SE²)/k.
 */
function seFor(world: World, dataset: string, j: number, est: SectorElasticity[], none: () => never): number {
  const name = world.sectors[j].name;
  let members: string[];
  if (dataset === 'cp2015') members = [name];
  else {
    const file = join(PROJECT_ROOT, 'data', 'concordances', `${dataset}-cp2015-theta.csv`);
    let t;
    try {
      t = readCsvFile(file);
    } catch {
      return none();
    }
    const r = t.rows.find((row) => row[column(t, 'name')].trim().toLowerCase() === name.toLowerCase());
    if (!r) return none();
    members = r[column(t, 'cp2015_sectors')].split(';').map((s) => s.trim());
  }
  const ses = members.map((m) => est.find((e) => e.sector.toLowerCase() === m.toLowerCase())?.seJackknife ?? NaN);
  if (ses.some((s) => !Number.isFinite(s))) return none();
  return Math.sqrt(ses.reduce((a, s) => a + s * s, 0)) / ses.length;
}
