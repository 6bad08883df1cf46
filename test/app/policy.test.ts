// The policy use cases of the application layer (src/app/tariffs.ts, src/app/etr.ts) driven with plain objects:
// the numbers the `tariffsim tariffs` / `tariffsim etr` tests check (test/policy/cli.test.ts, etr.test.ts), with
// no CLI in between, and bad inputs named the way the caller names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveRate } from '../../src/app/etr.ts';
import { tariffsOnDay } from '../../src/app/tariffs.ts';
import { flagOf } from '../../src/app/policy-inputs.ts';
import { ETR_COLUMNS } from '../../src/policy/etr.ts';
import { InputError } from '../../src/errors.ts';
import { nodeSources } from '../../src/node/sources.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');
const sources = nodeSources();

test('app effectiveRate: every action announced through 2025-04-02 in force is within 1.5 points of the Budget Lab 22.5%', { skip }, async () => {
  const r = await effectiveRate({ announcedThrough: '2025-04-02' }, sources);
  assert.equal(r.kind, 'day');
  if (r.kind !== 'day') return;
  assert.equal(r.announcedThrough, '2025-04-02');
  assert.equal(r.date, '2025-05-03', 'the last action announced by Apr 2 (auto parts) took effect May 3');
  assert.ok(Math.abs(r.etr - 22.5) <= 1.5, `ETR ${r.etr}`);
  assert.deepEqual(Object.keys(r.byProgram), [...ETR_COLUMNS]);
  const sum = Object.values(r.byProgram).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - r.etr) < 1e-9);
  assert.match(r.units.etr, /percent of imports/);
  assert.equal(r.options.weights, '2024');
});

test('app effectiveRate: a daily series of 485 days, a by-partner day, and a by-partner total equal to the day total', { skip }, async () => {
  const s = await effectiveRate({ from: '2025-01-01', to: '2026-04-30' }, sources);
  assert.equal(s.kind, 'series');
  if (s.kind !== 'series') return;
  assert.equal(s.series.length, 485);
  assert.equal(s.series[0].date, '2025-01-01');
  assert.equal(s.series.at(-1)!.date, '2026-04-30');
  const d = await effectiveRate({ date: '2025-11-15', by: 'partner', limit: 5 }, sources);
  assert.equal(d.kind, 'day');
  if (d.kind !== 'day') return;
  assert.equal(d.rows.length, 5);
  assert.ok(d.rows.some((r) => r.key === 'CHN China'));
  // The import-weighted mean of the partner rates is the day's rate.
  const imports = d.byPartner.reduce((a, p) => a + p.imports, 0);
  const mean = d.byPartner.reduce((a, p) => a + p.imports * p.etr, 0) / imports;
  assert.ok(Math.abs(mean - d.etr) < 1e-6, `partners ${mean} vs total ${d.etr}`);
  const same = s.series.find((p) => p.date === '2025-11-15')!;
  assert.ok(Math.abs(same.etr - d.etr) < 1e-9);
});

test('app tariffsOnDay: Chinese toys (HTS 9503) on 2025-04-15 are 145 points over MFN, with the deciding actions', { skip }, async () => {
  const r = await tariffsOnDay({ date: '2025-04-15', partner: 'CHN', hts: '9503' }, sources);
  assert.equal(r.kind, 'products');
  if (r.kind !== 'products') return;
  assert.ok(r.lines.length >= 3);
  for (const x of r.lines) {
    assert.ok(x.hts.startsWith('9503'));
    assert.equal(x.additional, 145 + x.byProgram.s301);
    assert.equal(x.total, x.mfn + x.additional);
    assert.deepEqual(x.actions.ieepa_fentanyl, ['us-fent-chn-20']);
    assert.ok(x.imports2024! > 0);
  }
  const cn = await tariffsOnDay({ date: '2025-04-15', importer: 'CHN', partner: 'USA', hts: '120190' }, sources);
  assert.equal(cn.kind, 'products');
  if (cn.kind === 'products') assert.equal(cn.lines[0].additional, 135);
});

test('app tariffsOnDay: trade-weighted tables by hs2 and by partner', { skip }, async () => {
  const hs2 = await tariffsOnDay({ date: '2025-09-15', partner: 'JPN', by: 'hs2', limit: 0 }, sources);
  assert.equal(hs2.kind, 'groups');
  if (hs2.kind !== 'groups') return;
  assert.ok(hs2.rows.find((g) => g.key === '87')!.byProgram.s232 > 10, 'Japanese cars still under 232 on Sep 15');
  assert.equal(hs2.rows.length, hs2.total);
  const byPartner = await tariffsOnDay({ date: '2025-04-15', by: 'partner', limit: 0 }, sources);
  assert.equal(byPartner.kind, 'groups');
  if (byPartner.kind !== 'groups') return;
  // The partner table's import-weighted total is the day's effective rate (both mix USMCA shares).
  const imports = byPartner.rows.reduce((a, g) => a + g.imports, 0);
  const total = byPartner.rows.reduce((a, g) => a + g.imports * g.total, 0) / imports;
  const day = await effectiveRate({ date: '2025-04-15' }, sources);
  assert.ok(day.kind === 'day' && Math.abs(total - day.etr) < 1e-6, `partners ${total} vs ETR ${day.kind === 'day' ? day.etr : NaN}`);
  assert.equal(byPartner.rows.find((g) => g.key === 'CHN')!.name, 'China');
  const top3 = await tariffsOnDay({ date: '2025-04-15', by: 'partner', limit: 3 }, sources);
  assert.ok(top3.kind === 'groups' && top3.rows.length === 3 && top3.total === byPartner.total);
  const sector = await tariffsOnDay({ date: '2025-04-15', by: 'sector', sectors: 'world2024' }, sources);
  assert.ok(sector.kind === 'groups' && sector.rows.some((g) => /Electrical & optical/.test(g.key)));
});

test('app: bad inputs are InputErrors naming the input as the caller names it', { skip }, async () => {
  await assert.rejects(tariffsOnDay({ date: '2025-04-15', by: 'color' }, sources), (e: unknown) => e instanceof InputError && /unknown by 'color'/.test(e.message));
  await assert.rejects(tariffsOnDay({ date: '2025-04-15', by: 'color' }, sources, flagOf), /unknown --by 'color'/);
  await assert.rejects(tariffsOnDay({ date: '2025-04-15', partner: 'ATLANTIS', hts: '9503' }, sources), /unknown country 'ATLANTIS'/);
  await assert.rejects(tariffsOnDay({ date: '2025-04-15', partner: 'CHN', hts: '9503', limit: 'x' }, sources), /limit must be a whole number ≥ 0, got 'x'/);
  await assert.rejects(effectiveRate({ by: 'partner' }, sources, flagOf), /--by needs --date \(or --announced-through\)/);
  await assert.rejects(effectiveRate({ from: '2025-01-01', to: '2027-01-01' }, sources), /outside the data's range/);
  await assert.rejects(effectiveRate({ date: '2025-04-15', by: 'sector', sectors: 'nosuch' }, sources), /unknown concordance 'nosuch'/);
  await assert.rejects(effectiveRate({ realized: true }, { ...sources, realizedDuties: undefined }), /no realized duties series/);
});
