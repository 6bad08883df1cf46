// Exact gradients of real income on the CP2015 model (src/model/cp/adjoint.ts, docs/cp2015.md (A1)–(A6))
// against central finite differences: on a synthetic world (every tariff), on world2024 and on the CP2015 data
// (a sample of tariffs: the government's largest import flows and the partners' tariffs on its largest export
// flows, at a tariff policy away from the baseline), under both closures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../../src/data/world.ts';
import { loadDataset } from '../../src/node/sources.ts';
import { loadEmbeddedWorld } from '../../src/node/data/builder/embedded.ts';
import { CpAdjoint } from '../../src/model/cp/adjoint.ts';
import { CLOSURES, CpModel, type Closure } from '../../src/model/cp/model.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';
import { needsShared } from '../helpers/shared.ts';

/** Sixth-order central difference of f at 0 with step h. */
function centralDifference(f: (d: number) => number, h: number): number {
  return (45 * (f(h) - f(-h)) - 9 * (f(2 * h) - f(-2 * h)) + (f(3 * h) - f(-3 * h))) / (60 * h);
}

interface Check {
  /** Largest |adjoint − FD| / |FD| over the sample. */
  relative: number;
  /** Largest |adjoint − FD| over the sample relative to the largest |FD|. */
  relativeToMax: number;
  size: number;
}

/** Compares the adjoint gradient of Σ ω ln Ŵ at `tariff` with finite differences at `positions`. */
function check(world: World, closure: Closure, tariff: Float64Array, omega: Float64Array, positions: number[], h: number): Check {
  const m = new CpModel(world, { closure, solver: { tolerance: 1e-13 } });
  const e = m.baseline().economy;
  const s = m.equilibrium({ tariff });
  const grad = new CpAdjoint(e, s.equilibrium).gradient(omega);
  const block = new CpAdjoint(e, s.equilibrium, { method: 'block' }).gradient(omega);
  const phi = (t: Float64Array): number => {
    const r = m.equilibrium({ tariff: t }, undefined, s.equilibrium).realIncome;
    let v = 0;
    for (let n = 0; n < r.length; n++) v += omega[n] * Math.log(r[n]);
    return v;
  };
  let relative = 0;
  let worstAbs = 0;
  let maxFd = 0;
  for (const x of positions) {
    const fd = centralDifference((d) => {
      const t = tariff.slice();
      t[x] += d;
      return phi(t);
    }, h);
    const err = Math.abs(grad[x] - fd);
    relative = Math.max(relative, err / Math.abs(fd));
    worstAbs = Math.max(worstAbs, err);
    maxFd = Math.max(maxFd, Math.abs(fd));
    // GMRES on the whole system and block elimination give the same multipliers.
    assert.ok(Math.abs(block[x] - grad[x]) <= 1e-9 * Math.abs(grad[x]) + 1e-16, `position ${x}: gmres ${grad[x]} vs block ${block[x]}`);
  }
  return { relative, relativeToMax: worstAbs / maxFd, size: positions.length };
}

/** g's largest import flows (its own tariffs) and its largest export flows (partners' tariffs on g). */
function sample(world: World, g: number, own: number, partners: number): number[] {
  const N = world.regions.length;
  const J = world.sectors.length;
  const imports: [number, number][] = [];
  const exports: [number, number][] = [];
  for (let j = 0; j < J; j++) {
    for (let i = 0; i < N; i++) {
      if (i === g) continue;
      imports.push([(j * N + g) * N + i, world.trade[(j * N + g) * N + i]]);
      exports.push([(j * N + i) * N + g, world.trade[(j * N + i) * N + g]]);
    }
  }
  const top = (xs: [number, number][], k: number) => xs.sort((a, b) => b[1] - a[1]).slice(0, k).map((p) => p[0]);
  return [...top(imports, own), ...top(exports, partners)];
}

/** A policy away from the baseline: g raises every tariff by 10 points, a partner by 5 on g. */
function warTariffs(world: World, g: number, partner: number): Float64Array {
  const N = world.regions.length;
  const t = world.tariff.slice();
  for (let j = 0; j < world.sectors.length; j++) {
    for (let i = 0; i < N; i++) if (i !== g) t[(j * N + g) * N + i] += 0.1;
    t[(j * N + partner) * N + g] += 0.05;
  }
  return t;
}

test('adjoint gradient = central differences on a synthetic world, every tariff, both closures', (t) => {
  const world = syntheticWorld({ N: 4, J: 3, services: 1, tariff: 'random', seed: 11, theta: 4 });
  const N = 4;
  const positions: number[] = [];
  for (let j = 0; j < 2; j++) for (let n = 0; n < N; n++) for (let i = 0; i < N; i++) if (i !== n) positions.push((j * N + n) * N + i);
  const omega = Float64Array.of(1, 0.5, 0, 0);
  for (const closure of CLOSURES) {
    const c = check(world, closure, warTariffs(world, 1, 2), omega, positions, 1e-3);
    t.diagnostic(`${closure}: ${JSON.stringify(c)}`);
    assert.ok(c.relativeToMax < 1e-7 && c.relative < 1e-5, `${closure}: ${JSON.stringify(c)}`);
  }
});

test('adjoint gradient = central differences on world2024 to 1e-6 (sample of tariffs, both closures)', (t) => {
  const world = loadEmbeddedWorld();
  const usa = world.regions.findIndex((r) => r.code === 'USA');
  const chn = world.regions.findIndex((r) => r.code === 'CHN');
  const omega = new Float64Array(world.regions.length);
  omega[usa] = 1;
  for (const closure of CLOSURES) {
    const c = check(world, closure, warTariffs(world, usa, chn), omega, sample(world, usa, 6, 4), 5e-3);
    t.diagnostic(`world2024 ${closure}: ${JSON.stringify(c)}`);
    assert.ok(c.relative < 1e-6, `world2024 ${closure}: ${JSON.stringify(c)}`);
  }
});

test('adjoint gradient = central differences on the CP2015 data to 1e-6 (sample of tariffs, both closures)', { skip: needsShared('cp2015') }, (t) => {
  const world = loadDataset('cp2015');
  const mex = world.regions.findIndex((r) => r.name === 'Mexico');
  const usa = world.regions.findIndex((r) => r.name === 'USA');
  const omega = new Float64Array(world.regions.length);
  omega[mex] = 1;
  for (const closure of CLOSURES) {
    const c = check(world, closure, warTariffs(world, mex, usa), omega, sample(world, mex, 4, 3), 5e-3);
    t.diagnostic(`cp2015 ${closure}: ${JSON.stringify(c)}`);
    assert.ok(c.relative < 1e-6, `cp2015 ${closure}: ${JSON.stringify(c)}`);
  }
});
