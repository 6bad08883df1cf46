// Compiling a scenario into model shocks: resolve region/sector selectors (names, codes, groups, built-ins)
// against a world, then apply the shocks in file order to the baseline tariff matrix and to the matrix of
// iceberg trade-cost changes. Errors point at the YAML line and column of the offending entry. Pure: files an
// elasticity refers to (`fromEstimate`) are read by the injected `readEstimate` (./run.ts passes the Node one).
import { InputError } from '../errors.ts';
import { coefficientOf, type EstimateJson } from '../estimate/json-format.ts';
import { LIMITS } from './limits.ts';
import { elasticityFromTariffCoefficient } from '../estimate/to-ge.ts';
import { findRegion, findSector, type World } from '../data/world.ts';
import type { Closure, CpCounterfactual } from '../model/cp/model.ts';
import type { CpSolveOptions } from '../model/cp/solve.ts';
import type { LoadedScenario, YamlPath } from './load.ts';

export interface CompiledScenario {
  name: string;
  description?: string;
  closure: Closure;
  solver: Partial<CpSolveOptions>;
  counterfactual: CpCounterfactual;
  /** Regions named as importer or exporter in any shock, in order of first mention. */
  shockedRegions: number[];
  /** Trade elasticities θ^j after the scenario's `elasticities` (length J), when it sets any. */
  theta?: Float64Array;
}

export const BUILTIN_REGION_GROUPS = ['all'] as const;
export const BUILTIN_SECTOR_GROUPS = ['all', 'goods', 'services'] as const;

/**
 * `startTariffs` (bil) replaces the world's tariffs as the starting point of the shocks, e.g. the tariffs in
 * force on the scenario's policy date (./policy.ts).
 */
/** Reads an `estimate --json` file named in the scenario (path as written there); returns the path it read. */
export type EstimateReader = (file: string) => { file: string; report: EstimateJson };

export function compileScenario(loaded: LoadedScenario, world: World, startTariffs?: Float64Array, readEstimate?: EstimateReader): CompiledScenario {
  const { spec } = loaded;
  const N = world.regions.length;
  const J = world.sectors.length;
  const fail = (path: YamlPath, message: string, hint?: string): never => {
    const { line, column } = loaded.locate(path);
    throw new InputError(message, { file: loaded.file, line, column, field: path.join('.') }, hint);
  };

  const resolveRegions = (sel: string | string[], path: YamlPath): number[] =>
    resolve(sel, path, 'region', (name) => {
      if (name.toLowerCase() === 'all') return [...Array(N).keys()];
      const r = findRegion(world, name);
      return r >= 0 ? [r] : null;
    }, `regions of ${world.name}: ${world.regions.map((r) => r.code).join(', ')}`);

  const resolveSectors = (sel: string | string[], path: YamlPath): number[] =>
    resolve(sel, path, 'sector', (name) => {
      const key = name.toLowerCase();
      if (key === 'all') return [...Array(J).keys()];
      if (key === 'goods') return world.sectors.flatMap((s, j) => (s.tradable ? [j] : []));
      if (key === 'services') return world.sectors.flatMap((s, j) => (s.tradable ? [] : [j]));
      const j = findSector(world, name);
      return j >= 0 ? [j] : null;
    }, `sectors of ${world.name}: ${world.sectors.map((s) => s.name).join(', ')}; groups: goods, services, all`);

  function resolve(sel: string | string[], path: YamlPath, kind: string, one: (name: string) => number[] | null, known: string): number[] {
    const names = Array.isArray(sel) ? sel : [sel];
    const out = new Set<number>();
    names.forEach((name, k) => {
      const at = Array.isArray(sel) ? [...path, k] : path;
      const direct = one(name);
      if (direct) {
        direct.forEach((x) => out.add(x));
        return;
      }
      const group = Object.hasOwn(spec.groups, name) ? spec.groups[name] : undefined;
      if (!group) fail(at, `unknown ${kind} '${name}'`, `use a ${kind} name or code, a group defined under 'groups', or a built-in group (${known})`);
      group!.forEach((member, m) => {
        const x = one(member);
        if (!x) fail(['groups', name, m], `group '${name}' lists unknown ${kind} '${member}'`, known);
        x!.forEach((v) => out.add(v));
      });
    });
    return [...out].sort((a, b) => a - b);
  }

  // A group named like a region or sector would be shadowed by it (names resolve before groups): refuse.
  for (const name of Object.keys(spec.groups)) {
    const key = name.toLowerCase();
    const clash = findRegion(world, name) >= 0 ? `a region of ${world.name}` : findSector(world, name) >= 0 ? `a sector of ${world.name}` : ['all', 'goods', 'services'].includes(key) ? 'a built-in group' : null;
    if (clash) fail(['groups', name], `group '${name}' has the name of ${clash}, so shocks naming it would never reach the group`, 'rename the group, e.g. with a prefix (MY_' + name + ')');
  }

  const tariff = (startTariffs ?? world.tariff).slice();
  let tradeCostChange: Float64Array | undefined;
  const shocked: number[] = [];
  const note = (rs: number[]) => rs.forEach((r) => shocked.includes(r) || shocked.push(r));

  // The policy layer sets US tariffs on every partner and China's on US goods: list those two first.
  if (startTariffs && spec.policy) note(['USA', ...(spec.policy.china ? ['CHN'] : [])].map((c) => findRegion(world, c)).filter((r) => r >= 0));
  spec.shocks.forEach((sh, s) => {
    if ('tariff' in sh) {
      const t = sh.tariff;
      const p: YamlPath = ['shocks', s, 'tariff'];
      const imp = resolveRegions(t.importer, [...p, 'importer']);
      const exp = resolveRegions(t.exporter, [...p, 'exporter']);
      const sec = resolveSectors(t.sector, [...p, 'sector']);
      if (!imp.some((n) => exp.some((i) => i !== n))) {
        fail([...p, 'exporter'], `importer and exporter are the same region (${world.regions[imp[0]].name}): a tariff applies to imports from other regions only`, 'name different importer and exporter regions');
      }
      note(imp);
      note(exp);
      let schedule: Float64Array | undefined;
      if (t.schedule !== undefined) {
        schedule = world.tariffSchedules && Object.hasOwn(world.tariffSchedules, t.schedule) ? world.tariffSchedules[t.schedule] : undefined;
        if (!schedule) fail([...p, 'schedule'], `dataset ${world.name} has no tariff schedule '${t.schedule}'`, `available: ${Object.keys(world.tariffSchedules ?? {}).join(', ') || 'none'}`);
      }
      if (t.set !== undefined && t.set <= -100) fail([...p, 'set'], `tariff ${t.set}% is at or below −100%`, 'an ad valorem tariff must be above −100% (a −100% tariff would make imports free of any cost)');
      for (const j of sec) {
        for (const n of imp) {
          for (const i of exp) {
            if (n === i) continue; // no tariff on domestic sales
            const x = (j * N + n) * N + i;
            const v = t.set !== undefined ? t.set / 100 : t.add !== undefined ? tariff[x] + t.add / 100 : schedule![x];
            if (v <= -1) {
              fail([...p, t.add !== undefined ? 'add' : 'schedule'], `the tariff of ${world.regions[n].name} on ${world.regions[i].name} in ${world.sectors[j].name} would be ${(v * 100).toFixed(2)}%, at or below −100%`, 'reduce the cut');
            }
            if (t.add !== undefined && (v * 100 < LIMITS.tariff.min || v * 100 > LIMITS.tariff.max)) {
              fail([...p, 'add'], `the tariff of ${world.regions[n].name} on ${world.regions[i].name} in ${world.sectors[j].name} would be ${(v * 100).toFixed(2)}%, outside ${LIMITS.tariff.min}% … ${LIMITS.tariff.max}%`, LIMITS.tariff.why);
            }
            tariff[x] = v;
          }
        }
      }
    } else {
      const t = sh.ntb;
      const p: YamlPath = ['shocks', s, 'ntb'];
      const imp = resolveRegions(t.importer, [...p, 'importer']);
      const exp = resolveRegions(t.exporter, [...p, 'exporter']);
      const sec = resolveSectors(t.sector, [...p, 'sector']);
      if (!imp.some((n) => exp.some((i) => i !== n))) {
        fail([...p, 'exporter'], `importer and exporter are the same region (${world.regions[imp[0]].name}): a trade cost applies to imports from other regions only`, 'name different importer and exporter regions');
      }
      note(imp);
      note(exp);
      tradeCostChange ??= new Float64Array(J * N * N).fill(1);
      const dc: Float64Array = tradeCostChange;
      for (const j of sec) {
        for (const n of imp) {
          for (const i of exp) {
            if (n === i) continue;
            const x = (j * N + n) * N + i;
            dc[x] *= 1 + t.change / 100;
            if (dc[x] < LIMITS.ntbFactor.min || dc[x] > LIMITS.ntbFactor.max) {
              fail([...p, 'change'], `the NTB shocks so far change the trade cost of ${world.regions[n].name} on ${world.regions[i].name} in ${world.sectors[j].name} by ${(100 * (dc[x] - 1)).toFixed(2)}% in total, outside −90% … +1000%`, LIMITS.ntbFactor.why);
            }
          }
        }
      }
    }
  });

  let theta: Float64Array | undefined;
  spec.elasticities.forEach((el, k) => {
    const p: YamlPath = ['elasticities', k];
    const sec = resolveSectors(el.sector, [...p, 'sector']);
    let value = el.theta;
    if (el.fromEstimate) {
      value = thetaFromEstimate(el.fromEstimate.file, el.fromEstimate.coefficient, (msg, hint) => fail([...p, 'fromEstimate'], msg, hint));
      if (value < LIMITS.theta.min || value > LIMITS.theta.max) fail([...p, 'fromEstimate'], `the estimate gives θ = ${value.toFixed(4)}, outside ${LIMITS.theta.min} … ${LIMITS.theta.max}`, LIMITS.theta.why);
    }
    theta ??= Float64Array.from(world.sectors, (s) => s.theta);
    for (const j of sec) theta[j] = value!;
  });

  const solver: Partial<CpSolveOptions> = {};
  for (const [k, v] of Object.entries(spec.solver)) if (v !== undefined) (solver as Record<string, number>)[k] = v;
  return {
    name: spec.name,
    description: spec.description,
    closure: spec.closure,
    solver,
    counterfactual: { tariff, tradeCostChange },
    shockedRegions: shocked,
    ...(theta ? { theta } : {}),
  };

  /** θ = −β̂ − 1 from the coefficient on ln(1 + tariff) in `tariffsim estimate --json` output (path relative to the scenario). */
  function thetaFromEstimate(file: string, coefficient: string, bad: (msg: string, hint?: string) => never): number {
    if (!readEstimate) throw new Error('compileScenario: the scenario reads an estimate file but no readEstimate was given');
    let estimate: number;
    let path = file;
    try {
      const read = readEstimate(file);
      path = read.file;
      estimate = coefficientOf(read.report, coefficient, read.file);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const { file: where = path, field } = err.location;
      return bad(`${where}${field ? ` (field '${field}')` : ''} ${err.detail}`, err.hint);
    }
    try {
      return elasticityFromTariffCoefficient(estimate, coefficient).theta;
    } catch (err) {
      if (err instanceof InputError) return bad(err.detail, 'the coefficient on ln(1 + tariff) must be negative');
      throw err;
    }
  }
}
