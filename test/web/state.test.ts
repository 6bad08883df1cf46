// The web app's URL state: round trip, and every bad entry named in a message (never a throw).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/web/state.ts';
import { leverShocks, scenarioObject } from '../../src/web/scenario.ts';
import { lookupRows } from '../../src/web/adapter.ts';

const ctx = { presets: ['us-china-2025-04-standoff', 'geneva-2025-05'], regions: ['USA', 'CHN', 'JPN', 'EU', 'ROW'], coverage: { from: '2025-01-01', to: '2026-04-30' } };

test('a state survives the URL round trip', () => {
  const s = { ...DEFAULT_STATE, view: 'timeline' as const, preset: 'geneva-2025-05', date: '2025-05-20', usOnChina: 42.5, chinaOnUs: 0, usOnOthers: 10, dealPartner: 'EU', dealRate: 15, closure: 'zero-deficits' as const, focus: 'CHN', lookup: { hts: '9503', partner: 'CHN', date: '2025-04-15' } };
  const { state, errors } = parseState(serializeState(s), ctx);
  assert.deepEqual(errors, []);
  assert.deepEqual(state, s);
  assert.deepEqual(parseState('', ctx).state, DEFAULT_STATE);
});

test('bad entries become messages naming the entry; the rest of the state is kept', () => {
  const { state, errors } = parseState('#view=map&preset=nope&usChn=500&chnUs=abc&date=2025-02-30&closure=x&partner=USA&focus=XX&hts=95a3&zzz=1&deal=20', ctx);
  const all = errors.join('\n');
  for (const w of ["unknown link parameter 'zzz'", "unknown view 'map'", "unknown preset 'nope'", 'US tariff on China 500% is out of range (0–300%)', "China's tariff on the US 'abc' is not a number", "date '2025-02-30' is not a day", "unknown closure 'x'", "deal partner 'USA' is not a region other than USA and CHN", "unknown region 'XX'", "'95a3' is not an HTS code"]) assert.ok(all.includes(w), `missing: ${w}\n${all}`);
  assert.equal(state.dealRate, 20);
  assert.equal(state.view, 'scenario');
  assert.equal(state.usOnChina, null);
  assert.match(parseState('#date=2027-01-01', ctx).errors[0], /outside the policy data \(2025-01-01 … 2026-04-30\)/);
});

test('levers become tariff shocks on all goods; the scrubbed day replaces the preset day and its cut-off', () => {
  const s = { ...DEFAULT_STATE, usOnChina: 60, chinaOnUs: 30, usOnOthers: 12, dealPartner: 'JPN', dealRate: 15 };
  assert.deepEqual(leverShocks(s, ctx.regions), [
    { tariff: { importer: 'USA', exporter: ['EU', 'ROW'], sector: 'goods', set: 12 } },
    { tariff: { importer: 'USA', exporter: 'JPN', sector: 'goods', set: 15 } },
    { tariff: { importer: 'USA', exporter: 'CHN', sector: 'goods', set: 60 } },
    { tariff: { importer: 'CHN', exporter: 'USA', sector: 'goods', set: 30 } },
  ]);
  const preset = { name: 'P', dataset: 'world2024', policy: { date: '2025-05-03', announcedThrough: '2025-04-02', china: true }, shocks: [{ ntb: { importer: 'EU', exporter: 'USA', sector: 'goods', change: -3 } }] };
  const o = scenarioObject(preset, { ...DEFAULT_STATE, date: '2025-05-20', closure: 'zero-deficits' }, ctx.regions);
  assert.deepEqual(o.policy, { date: '2025-05-20' });
  assert.equal(o.closure, 'zero-deficits');
  assert.equal((o.shocks as unknown[]).length, 1);
  assert.deepEqual(preset.policy.announcedThrough, '2025-04-02', 'the preset is not changed');
});

test('lookup answers are read in every shape a server gives them', () => {
  const one = { hts: '9503000073', total: 145 };
  assert.deepEqual(lookupRows([one, one]), [one, one]);
  assert.deepEqual(lookupRows({ tariff: one, modelVersion: 'x' }), [one]);
  assert.deepEqual(lookupRows({ tariff: [one] }), [one]);
  assert.deepEqual(lookupRows({ results: [one] }), [one]);
  assert.deepEqual(lookupRows(one), [one]);
  assert.deepEqual(lookupRows({ detail: 'nope' }), []);
  assert.deepEqual(lookupRows(null), []);
});

test('the time view, its partner group and the announced toggle travel in the URL; bad values are named', () => {
  const s = { ...DEFAULT_STATE, view: 'time' as const, group: 'CHN' };
  assert.deepEqual(parseState(serializeState(s), ctx), { state: s, errors: [] });
  const t = { ...DEFAULT_STATE, view: 'timeline' as const, date: '2025-04-03', announced: true };
  assert.match(serializeState(t), /ann=1/);
  assert.deepEqual(parseState(serializeState(t), ctx), { state: t, errors: [] });
  const { state, errors } = parseState('#view=time&group=JPN&ann=yes', ctx);
  assert.equal(state.view, 'time');
  assert.equal(state.group, 'all');
  assert.equal(state.announced, false);
  const all = errors.join('\n');
  for (const w of ["unknown partner group 'JPN'; groups: all, CAN, MEX, CHN, EU, ROW", "ann='yes' is not 1"]) assert.ok(all.includes(w), `missing: ${w}\n${all}`);
});

test('announced as if in force: the policy becomes {date: the day all of it is in force, announcedThrough: the day}', () => {
  const preset = { name: 'P', dataset: 'world2024', closure: 'fixed-deficits', policy: { date: '2025-04-15' } };
  const o = scenarioObject(preset, { ...DEFAULT_STATE, view: 'timeline', date: '2025-04-03', announced: true }, ctx.regions, { date: '2025-04-09' });
  assert.deepEqual(o.policy, { date: '2025-04-09', announcedThrough: '2025-04-03' });
  assert.match(String(o.name), /announced through 2025-04-03 as if in force/);
});
