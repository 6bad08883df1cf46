// The bridge to the GE model: tariffMatrixOn(date, …) → bil(j, n, i) tariffs (n importer, i exporter, fractions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bilIndex } from '../../src/data/world.ts';
import { loadEmbeddedWorld } from '../../src/node/data/builder/embedded.ts';
import { parseConcordance } from '../../src/policy/concordance.ts';
import { parseDay } from '../../src/policy/dates.ts';
import { PolicyView } from '../../src/policy/view.ts';
import { EtrEngine } from '../../src/policy/etr.ts';
import { loadConcordance, loadPolicyContext } from '../../src/node/policy/inputs.ts';
import { tariffMatrixOn, type WorldShape } from '../../src/policy/matrix.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');

test('concordance: longest HS prefix wins; unmapped products give −1', () => {
  const c = parseConcordance('key,sector,note\n84,Machinery,\n8471,Office,\n27,Mining,\n2710,Petroleum,\n', 'c.csv');
  assert.equal(c.sectors[c.sectorOf('8471300100')], 'Office');
  assert.equal(c.sectors[c.sectorOf('8481809000')], 'Machinery');
  assert.equal(c.sectors[c.sectorOf('2710194500')], 'Petroleum');
  assert.equal(c.sectorOf('9801001012'), -1);
  assert.throws(() => parseConcordance('key,sector\n8x,Bad\n', 'bad.csv'), /neither an HS prefix/);
});

test('US rows: trade-weighted tariffs in the bil(j, n, i) layout, level and change modes; other cells untouched', { skip }, async () => {
  const ctx = await loadPolicyContext();
  const conc = loadConcordance('cp2015', ctx.data);
  const sectors = [...conc.sectors.map((name) => ({ name, tradable: true })), { name: 'Services', tradable: false }];
  const regions = ['USA', 'CHN', 'CAN', 'DEU', 'FRA', 'ROW'].map((code) => ({ code, name: code }));
  const N = regions.length;
  const J = sectors.length;
  const base = new Float64Array(J * N * N).fill(0.02);
  const world: WorldShape = { regions, sectors, tariff: base };
  const level = tariffMatrixOn('2025-04-15', ctx, world, { concordance: conc, mode: 'level', includeChina: false });
  const change = tariffMatrixOn('2025-04-15', ctx, world, { concordance: conc, relativeTo: '2025-01-01', includeChina: false });
  const before = tariffMatrixOn('2025-01-01', ctx, world, { concordance: conc, mode: 'level', includeChina: false });
  const us = regions.findIndex((r) => r.code === 'USA');
  const cn = regions.findIndex((r) => r.code === 'CHN');
  // Reference: the engine's own trade-weighted aggregate for China by CP2015 sector.
  const engine = new EtrEngine(new PolicyView(ctx.data), ctx.weights, { sectorOf: (h) => conc.sectors[conc.sectorOf(h)] ?? '(unmapped)' });
  const groups = engine.aggregate(parseDay('2025-04-15'), (p, cls) => (p.key === 'CHN' ? engine.sectors[cls.sector] : null));
  for (const g of groups) {
    const j = sectors.findIndex((s) => s.name === g.key);
    if (j < 0) continue;
    const x = bilIndex(N, j, us, cn);
    assert.ok(Math.abs(level.tariff[x] - g.total / 100) < 1e-9, `${g.key}: ${level.tariff[x]} vs ${g.total / 100}`);
    assert.equal(level.covered[x], 1);
    assert.ok(Math.abs(change.tariff[x] - (0.02 + level.tariff[x] - before.tariff[x])) < 1e-9);
    assert.ok(level.tariff[x] >= 0.2, `Chinese ${g.key}: at least the 20% fentanyl duty on 2025-04-15`);
    if (g.key === 'Textile' || g.key === 'Machinery n.e.c') assert.ok(level.tariff[x] > 1.45, `Chinese ${g.key}: over 145%`);
  }
  // Importers other than the US keep the baseline; services stay untouched.
  for (let j = 0; j < J; j++) {
    for (let n = 1; n < N; n++) for (let i = 0; i < N; i++) assert.equal(level.tariff[bilIndex(N, j, n, i)], 0.02);
  }
  assert.equal(level.tariff[bilIndex(N, J - 1, us, cn)], 0.02);
  // The EU bloc is split over Germany and France by their chapter mix; both face the EU's rates.
  const mach = sectors.findIndex((s) => s.name === 'Machinery n.e.c');
  const de = level.tariff[bilIndex(N, mach, us, 3)];
  const fr = level.tariff[bilIndex(N, mach, us, 4)];
  assert.ok(de > 0.1 && fr > 0.1 && Math.abs(de - fr) < 0.05, `DEU ${de} FRA ${fr}`);
  assert.ok(level.usAverage.date > before.usAverage.date + 10);
});

test('China rows and the embedded world2024 baseline: "tariffs in force on 2025-04-15"', { skip }, async () => {
  const ctx = await loadPolicyContext();
  const world = loadEmbeddedWorld();
  const conc = loadConcordance('world2024', ctx.data);
  const m = tariffMatrixOn('2025-04-15', ctx, world, { concordance: conc });
  const N = world.regions.length;
  const us = world.regions.findIndex((r) => r.code === 'USA');
  const cn = world.regions.findIndex((r) => r.code === 'CHN');
  const ag = world.sectors.findIndex((s) => s.name === 'Agriculture');
  const mach = world.sectors.findIndex((s) => s.name === 'Machinery');
  // China on US goods: +125 points on everything, more on the farm products of the March lists.
  const dMach = m.tariff[bilIndex(N, mach, cn, us)] - world.tariff[bilIndex(N, mach, cn, us)];
  const dAg = m.tariff[bilIndex(N, ag, cn, us)] - world.tariff[bilIndex(N, ag, cn, us)];
  assert.ok(Math.abs(dMach - 1.25) < 1e-9, `machinery +${dMach}`);
  assert.ok(dAg > 1.25 && dAg < 1.4, `agriculture +${dAg}`);
  // US on Chinese machinery: +145 points or more (301 unchanged, change mode).
  const dUs = m.tariff[bilIndex(N, mach, us, cn)] - world.tariff[bilIndex(N, mach, us, cn)];
  assert.ok(dUs > 1.3 && dUs < 1.5, `US on Chinese machinery +${dUs}`);
  // The 2025-01-01 matrix in change mode is the baseline itself.
  const jan = tariffMatrixOn('2025-01-01', ctx, world, { concordance: conc });
  for (let x = 0; x < jan.tariff.length; x++) assert.ok(Math.abs(jan.tariff[x] - world.tariff[x]) < 1e-12);
  assert.throws(() => tariffMatrixOn('2027-01-01', ctx, world, { concordance: conc }), /outside the data's range/);
  assert.throws(() => tariffMatrixOn('2025-04-15', ctx, world, { concordance: loadConcordance('cp2015', ctx.data) }), /is not a sector of the world/);
});
