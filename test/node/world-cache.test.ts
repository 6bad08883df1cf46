// The binary world cache (src/node/world-cache.ts): a cached world equals the built one bit for bit; a changed
// source file, a corrupt or foreign cache file, and an unwritable folder all fall back to building.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withCacheEnv } from '../helpers/env.ts';
import { cachedWorld, worldCacheDir } from '../../src/node/world-cache.ts';
import type { World } from '../../src/data/world.ts';
import { syntheticWorld } from '../helpers/synthetic.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-cache-'));
  const source = join(dir, 'source.csv');
  writeFileSync(source, 'a,b\n1,2\n');
  const world: World = { ...syntheticWorld({ N: 4, J: 3, seed: 7 }), tariffSchedules: { later: new Float64Array(3 * 4 * 4).fill(0.05) }, notes: ['synthetic'] };
  let builds = 0;
  const build = () => {
    builds++;
    return world;
  };
  return { dir, source, world, build, builds: () => builds, cache: join(dir, 'cache') };
}

test('a cached world equals the built one bit for bit, and is read instead of built', () => {
  const s = setup();
  try {
    const first = cachedWorld('w', [s.source], s.build, s.cache);
    assert.equal(s.builds(), 1);
    const second = cachedWorld('w', [s.source], s.build, s.cache);
    assert.equal(s.builds(), 1, 'the second call reads the cache');
    assert.notEqual(second, first);
    for (const k of ['trade', 'tariff', 'vaShare', 'io', 'alpha', 'valueAdded', 'deficit'] as const) {
      assert.deepEqual(Buffer.from(second[k].buffer), Buffer.from(s.world[k].buffer), k);
    }
    assert.deepEqual(Buffer.from(second.tariffSchedules!.later.buffer), Buffer.from(s.world.tariffSchedules!.later.buffer));
    assert.deepEqual({ ...second, trade: 0, tariff: 0, vaShare: 0, io: 0, alpha: 0, valueAdded: 0, deficit: 0, tariffSchedules: 0 }, { ...s.world, trade: 0, tariff: 0, vaShare: 0, io: 0, alpha: 0, valueAdded: 0, deficit: 0, tariffSchedules: 0 });
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('a changed source file, a corrupt cache file or an unwritable folder rebuilds the world', () => {
  const s = setup();
  try {
    cachedWorld('w', [s.source], s.build, s.cache);
    utimesSync(s.source, new Date(2020, 0, 1), new Date(2020, 0, 1));
    cachedWorld('w', [s.source], s.build, s.cache);
    assert.equal(s.builds(), 2, 'a new modification time is a new key');
    assert.equal(readdirSync(s.cache).length, 1, 'the stale file is removed');
    const file = join(s.cache, readdirSync(s.cache)[0]);
    writeFileSync(file, 'not a cache');
    const w = cachedWorld('w', [s.source], s.build, s.cache);
    assert.equal(s.builds(), 3);
    assert.equal(w, s.world);
    const locked = join(s.dir, 'locked');
    writeFileSync(locked, 'a file where the folder should be');
    assert.equal(cachedWorld('w', [s.source], s.build, locked), s.world);
    assert.equal(s.builds(), 4);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('off under TypeScript unless a folder is given, and with TARIFFSIM_CACHE=off', () => {
  withCacheEnv(undefined, () => assert.equal(worldCacheDir(), null, 'tests run the TypeScript sources: a source edit would not change the key'));
  withCacheEnv('off', () => {
    assert.equal(worldCacheDir(), null);
    assert.equal(worldCacheDir('/tmp/x'), '/tmp/x');
  });
});
