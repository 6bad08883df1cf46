// The re-solved baseline store (src/node/baseline-cache.ts): a stored baseline equals the solved one bit for bit
// and replaces the solve; another θ, closure or solver option, or any changed number of the world, is another key;
// a corrupt file and an unwritable folder fall back to solving; old entries are pruned.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withCacheEnv } from '../helpers/env.ts';
import { baselineCache, baselineKey, MAX_ENTRIES } from '../../src/node/baseline-cache.ts';
import { CpModel, type Closure, type CpBaselineStore } from '../../src/model/cp/model.ts';
import type { World } from '../../src/data/world.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';
import { needsShared } from '../helpers/shared.ts';
import { runScenario } from '../../src/app/scenario.ts';
import type { DataSources } from '../../src/app/sources.ts';
import { nodeSources } from '../../src/node/sources.ts';
import { loadScenarioFile } from '../../src/node/scenario.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';

const ARRAYS = ['trade', 'tariff', 'vaShare', 'io', 'alpha', 'valueAdded', 'deficit'] as const;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-baselines-'));
  const world: World = syntheticWorld({ N: 4, J: 3, seed: 11 });
  return { dir, world, cache: join(dir, 'baselines') };
}

/** A store that counts what the model asks of it. */
function counting(store: CpBaselineStore) {
  const n = { get: 0, hit: 0, put: 0 };
  return {
    n,
    store: {
      get: (i) => {
        n.get++;
        const r = store.get(i);
        if (r) n.hit++;
        return r;
      },
      put: (i, b) => {
        n.put++;
        store.put(i, b);
      },
    } satisfies CpBaselineStore,
  };
}

/** A 10% tariff of region 0 on every partner in every sector. */
function shock(w: World): Float64Array {
  const N = w.regions.length;
  const J = w.sectors.length;
  const t = w.tariff.slice();
  for (let j = 0; j < J; j++) for (let i = 1; i < N; i++) t[(j * N + 0) * N + i] += 0.1;
  return t;
}

test('a stored baseline equals the solved one bit for bit, replaces the solve, and gives the same counterfactual', () => {
  const s = setup();
  try {
    for (const closure of ['zero-deficits', 'fixed-deficits'] as Closure[]) {
      const c = counting(baselineCache(s.cache)!);
      const solved = new CpModel(s.world, { closure, baselines: c.store });
      const a = solved.baseline();
      assert.deepEqual(c.n, { get: 1, hit: 0, put: 1 });
      const read = new CpModel(s.world, { closure, baselines: c.store });
      const b = read.baseline();
      assert.deepEqual(c.n, { get: 2, hit: 1, put: 1 }, 'the second model reads the baseline');
      for (const k of ARRAYS) assert.deepEqual(Buffer.from(b.world[k].buffer), Buffer.from(a.world[k].buffer), `${closure} ${k}`);
      assert.deepEqual(b.convergence, a.convergence);
      assert.equal(b.world.name, a.world.name);
      const x = solved.solve({ tariff: shock(s.world) }, undefined, undefined, { pathSteps: 8 });
      const y = read.solve({ tariff: shock(s.world) }, undefined, undefined, { pathSteps: 8 });
      assert.deepEqual(y.regions, x.regions, `${closure}: the same report`);
      assert.deepEqual(y.convergence, x.convergence);
    }
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('another θ, closure, solver option or any changed number of the world is another key', () => {
  const s = setup();
  const key = (w: World, closure: Closure = 'zero-deficits', solver = {}) => baselineKey({ world: w, closure, solver });
  const base = key(s.world);
  assert.equal(key({ ...s.world }), base, 'the contents, not the object, make the key');
  assert.notEqual(key(s.world, 'fixed-deficits'), base);
  assert.notEqual(key(s.world, 'zero-deficits', { tolerance: 1e-9 }), base);
  assert.equal(key(s.world, 'zero-deficits', { onIteration: () => undefined, regionNames: ['a'] }), base, 'callbacks and names do not matter');
  assert.notEqual(key({ ...s.world, sectors: s.world.sectors.map((x, j) => (j === 1 ? { ...x, theta: x.theta * 2 } : x)) }), base, 'θ');
  assert.notEqual(key({ ...s.world, notes: ['another source'] }), base, 'notes (the stored world carries them)');
  assert.notEqual(key({ ...s.world, tariffSchedules: { a: new Float64Array(2) } }), key({ ...s.world, tariffSchedules: { a: new Float64Array(1), b: new Float64Array(1) } }), 'schedules by name and length');
  for (const k of ARRAYS) {
    const a = s.world[k].slice();
    a[a.length - 1] = a[a.length - 1] * (1 + 1e-15) + 1e-300;
    assert.notEqual(key({ ...s.world, [k]: a }), base, `${k}: one number changed in its last bit`);
  }
  const numeraire = (us: number) => {
    const w = new Float64Array(4);
    w[us] = 1;
    return { numeraire: w };
  };
  assert.notEqual(key(s.world, 'dollar-deficits', numeraire(0)), key(s.world, 'dollar-deficits', numeraire(1)));
  rmSync(s.dir, { recursive: true, force: true });
});

test('a corrupt entry or an unwritable folder falls back to solving; old entries are pruned', () => {
  const s = setup();
  try {
    const store = baselineCache(s.cache)!;
    const expected = new CpModel(s.world, { closure: 'zero-deficits', baselines: store }).baseline();
    const [file] = readdirSync(s.cache);
    writeFileSync(join(s.cache, file), 'not a baseline');
    const c = counting(store);
    const again = new CpModel(s.world, { closure: 'zero-deficits', baselines: c.store }).baseline();
    assert.deepEqual(c.n, { get: 1, hit: 0, put: 1 }, 'a corrupt entry is a miss, solved and stored again');
    assert.deepEqual(Buffer.from(again.world.trade.buffer), Buffer.from(expected.world.trade.buffer));
    const locked = join(s.dir, 'locked');
    writeFileSync(locked, 'a file where the folder should be');
    const off = new CpModel(s.world, { closure: 'zero-deficits', baselines: baselineCache(locked)! }).baseline();
    assert.deepEqual(Buffer.from(off.world.trade.buffer), Buffer.from(expected.world.trade.buffer));
    // The entry read last survives pruning: MAX_ENTRIES − 1 others, a read of the first, then three more.
    const other = (k: number) => new CpModel(s.world, { closure: 'zero-deficits', solver: { tolerance: 1e-11 * (2 + k) }, baselines: store }).baseline();
    for (let k = 0; k < MAX_ENTRIES - 1; k++) other(k);
    assert.equal(readdirSync(s.cache).filter((f) => f.endsWith('.bin')).length, MAX_ENTRIES);
    const used = counting(store);
    new CpModel(s.world, { closure: 'zero-deficits', baselines: used.store }).baseline();
    for (let k = MAX_ENTRIES; k < MAX_ENTRIES + 3; k++) other(k);
    assert.equal(readdirSync(s.cache).filter((f) => f.endsWith('.bin')).length, MAX_ENTRIES);
    new CpModel(s.world, { closure: 'zero-deficits', baselines: used.store }).baseline();
    assert.deepEqual(used.n, { get: 2, hit: 2, put: 0 }, 'the entry used last is kept');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('caching is off under TypeScript and with TARIFFSIM_CACHE=off unless a folder is given', () => {
  withCacheEnv(undefined, () => assert.equal(baselineCache(), undefined, 'tests run the TypeScript sources: a source edit would not change the key'));
  withCacheEnv('off', () => {
    assert.equal(baselineCache(), undefined);
    assert.equal(baselineCache(null), undefined);
    assert.ok(baselineCache('/tmp/x'));
  });
});

test('CP2015 NAFTA through the app: the run that reads the stored baseline reports the same JSON as the one that solved it', { skip: needsShared('cp2015') }, async () => {
  const s = setup();
  try {
    const c = counting(baselineCache(s.cache)!);
    const sources: DataSources = { ...nodeSources(), baselines: () => c.store };
    const scenario = loadScenarioFile(join(PROJECT_ROOT, 'scenarios', 'cp2015-nafta.yaml'));
    const first = await runScenario(scenario, sources);
    assert.deepEqual(c.n, { get: 1, hit: 0, put: 1 });
    const second = await runScenario(scenario, sources);
    assert.deepEqual(c.n, { get: 2, hit: 1, put: 1 });
    assert.equal(JSON.stringify(second.report), JSON.stringify(first.report));
    assert.equal(JSON.stringify(second.report), JSON.stringify((await runScenario(scenario, nodeSources())).report), 'the same as without a store');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
