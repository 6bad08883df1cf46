// Effective tariff rate on US imports (2024 weights, pre-substitution): the Yale Budget Lab reference point,
// the daily series, and agreement between the fast engine and single lookups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDay, parseDay } from '../../src/policy/dates.ts';
import { PolicyView } from '../../src/policy/view.ts';
import { EtrEngine, ETR_COLUMNS } from '../../src/policy/etr.ts';
import { loadPolicyContext } from '../../src/node/policy/inputs.ts';
import { lookupTariff } from '../../src/policy/lookup.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');

test('weights: 2024 imports for consumption, HTS10 for 50 partners (EU as a bloc) + partner × HS2 for the rest', { skip }, async () => {
  const { weights } = await loadPolicyContext();
  assert.equal(weights.detailPartners.length, 50, '51 parquet files less Slovakia, which the EU bloc file covers');
  assert.deepEqual(weights.skipped, ['4359']);
  assert.ok(weights.detailPartners.includes('0003'));
  // Census imports for consumption, all partners (EU members counted once): $3,251B in the shared files.
  assert.ok(Math.abs(weights.total / 1e9 - 3251.15) < 0.5, `total ${weights.total / 1e9}`);
  const euMembers = Object.values(weights.blocMembers['0003']).reduce((s, v) => s + v.reduce((a, b) => a + b, 0), 0);
  const euBloc = weights.detail.value.reduce((s, v, k) => s + (weights.detailPartners[weights.detail.p[k]] === '0003' ? v : 0), 0);
  assert.ok(Math.abs(euMembers / euBloc - 1) < 1e-6, 'the EU bloc equals the sum of its members');
});

test('every action announced through 2 April 2025 in force: statutory ETR within 1.5 points of the Budget Lab 22.5%', { skip }, async () => {
  const ctx = await loadPolicyContext();
  const view = new PolicyView(ctx.data, parseDay('2025-04-02'));
  const day = view.inForceDay();
  assert.equal(formatDay(day), '2025-05-03', 'the last action announced by Apr 2 (auto parts) took effect May 3');
  const engine = new EtrEngine(view, ctx.weights);
  const p = engine.at(day);
  assert.ok(Math.abs(p.etr - 22.5) <= 1.5, `ETR ${p.etr.toFixed(2)}% vs 22.5%`);
  const sum = p.byProgram.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - p.etr) < 1e-9);
  // China's 34% Annex I rate counts (the 84% and 125% came later), the pause of Apr 9 does not.
  const china = engine.breakdown(day).byPartner.find((x) => x.key === 'CHN')!;
  assert.ok(china.etr > 55 && china.etr < 75, `China ${china.etr}`);
});

test('daily ETR series 2025-01-01 … 2026-04-30: one row a day, programs sum to the total, key dates move as expected', { skip }, async () => {
  const ctx = await loadPolicyContext();
  const engine = new EtrEngine(new PolicyView(ctx.data), ctx.weights);
  const s = engine.series(parseDay('2025-01-01'), parseDay('2026-04-30'));
  assert.equal(s.length, 485);
  assert.equal(s[0].date, '2025-01-01');
  assert.equal(s.at(-1)!.date, '2026-04-30');
  for (const p of s) {
    assert.equal(p.byProgram.length, ETR_COLUMNS.length);
    assert.ok(Math.abs(p.byProgram.reduce((a, b) => a + b, 0) - p.etr) < 1e-9);
    assert.ok(p.etr > 0 && Number.isFinite(p.etr));
  }
  const at = (d: string) => s.find((p) => p.date === d)!;
  const col = (name: string) => ETR_COLUMNS.indexOf(name as (typeof ETR_COLUMNS)[number]);
  // Before 2025: MFN + Section 301 + the 2018 232 duties, close to the 2.4% collected in 2024.
  assert.ok(at('2025-01-01').etr > 2 && at('2025-01-01').etr < 3.5, `${at('2025-01-01').etr}`);
  assert.equal(at('2025-01-01').byProgram[col('ieepa_reciprocal')], 0);
  // The peak of the China escalation is above the post-Geneva level; IEEPA columns are 0 after Feb 20 2026.
  assert.ok(at('2025-04-15').etr > at('2025-05-20').etr + 5);
  assert.ok(at('2025-04-15').byProgram[col('ieepa_reciprocal')] > 10);
  assert.equal(at('2026-02-21').byProgram[col('ieepa_reciprocal')], 0);
  assert.equal(at('2026-02-21').byProgram[col('ieepa_fentanyl')], 0);
  assert.equal(at('2026-02-23').byProgram[col('s122')], 0);
  assert.ok(at('2026-02-24').byProgram[col('s122')] > 1);
  assert.ok(at('2025-11-10').byProgram[col('ieepa_fentanyl')] < at('2025-11-09').byProgram[col('ieepa_fentanyl')], 'Busan fentanyl cut');
});

test('the fast engine agrees with single lookups (expected USMCA mode) row by row', { skip }, async () => {
  const ctx = await loadPolicyContext();
  const view = new PolicyView(ctx.data);
  const engine = new EtrEngine(view, ctx.weights);
  const r = engine.row;
  let checked = 0;
  for (const date of ['2025-03-05', '2025-04-15', '2025-09-15', '2026-03-01']) {
    const totals = engine.rowTotals(parseDay(date));
    // A row's USMCA share is the import-weighted mean over its HTS10 lines; the lookup takes it as given.
    const q = engine.qOn(parseDay(date));
    for (let k = 0; k < r.value.length; k += 977) {
      const p = engine.partners[r.p[k]];
      const cls = engine.classes[r.c[k]];
      const look = lookupTariff(view, { partner: p.key, hts: cls.rep, date, usmca: 'expected', usmcaShare: q[k] });
      const additional = totals[k] - (1 - q[k]) * r.mfn[k];
      assert.ok(Math.abs(additional - look.additional) < 1e-6, `${date} ${p.key} ${cls.rep}: engine ${additional}, lookup ${look.additional}`);
      checked++;
    }
  }
  assert.ok(checked > 1000);
});
