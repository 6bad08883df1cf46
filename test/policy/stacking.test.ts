// Each stacking rule on its own (src/policy/stacking.ts). Pure: no data files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combineSlots,
  derivativeSplit,
  effectiveMfn,
  floorDealRate,
  NP,
  P_COUNTRY,
  P_FENT,
  P_RECIP,
  P_RETAL,
  P_S122,
  P_S201,
  P_S232,
  P_S301,
  stackChina,
  stackOthers,
  stackRetaliation,
  usmcaMix,
  usmcaQualifyingRate,
} from '../../src/policy/stacking.ts';
import { endWithTerminations } from '../../src/policy/view.ts';
import { parseDay } from '../../src/policy/dates.ts';

function rates(r: Partial<Record<number, number>>): Float64Array {
  const a = new Float64Array(NP);
  for (const [k, v] of Object.entries(r)) a[Number(k)] = v!;
  return a;
}
const total = (a: Float64Array) => a.reduce((s, x) => s + x, 0);

test('stackChina (EO 14257 §3(b)(ii)): a 232 good pays 232 + fentanyl + 301, never the reciprocal duty', () => {
  const out = new Float64Array(NP);
  // April 2025 steel from China: 232 25% and reciprocal 125% in force → 232 applies, so no reciprocal duty
  // even though 125 > 25 (the old max(232, reciprocal) rule charged 125); fentanyl and 301 add.
  stackChina(rates({ [P_S232]: 25, [P_RECIP]: 125, [P_FENT]: 20, [P_S301]: 25 }), true, out);
  assert.equal(out[P_S232], 25);
  assert.equal(out[P_RECIP], 0);
  assert.equal(total(out), 70);
  // A good under no 232 program: reciprocal + fentanyl + 301.
  stackChina(rates({ [P_S232]: 0, [P_RECIP]: 125, [P_FENT]: 20, [P_S301]: 25 }), false, out);
  assert.equal(out[P_RECIP], 125);
  assert.equal(total(out), 170);
  // After Geneva: 232 50%, reciprocal 10%.
  stackChina(rates({ [P_S232]: 50, [P_RECIP]: 10, [P_FENT]: 20, [P_S301]: 25, [P_S122]: 0, [P_S201]: 0 }), true, out);
  assert.equal(out[P_RECIP], 0);
  assert.equal(total(out), 95);
});

test('stackOthers: a 232 program displaces reciprocal, fentanyl and country duties; 301/122/201 add', () => {
  const out = new Float64Array(NP);
  const r = rates({ [P_S232]: 25, [P_RECIP]: 10, [P_FENT]: 25, [P_COUNTRY]: 40, [P_S301]: 0, [P_S122]: 10, [P_S201]: 14 });
  stackOthers(r, true, out);
  assert.equal(total(out), 25 + 10 + 14);
  assert.equal(out[P_RECIP] + out[P_FENT] + out[P_COUNTRY], 0);
  stackOthers(r, false, out);
  assert.equal(out[P_S232], 0);
  assert.equal(total(out), 10 + 25 + 40 + 10 + 14);
  // A 232 program that applies at 0% (e.g. a USMCA-qualifying auto part) still displaces the others.
  stackOthers(rates({ [P_S232]: 0, [P_FENT]: 25 }), true, out);
  assert.equal(total(out), 0);
});

test('stackRetaliation: China adds its all-goods and product-list duties', () => {
  const out = new Float64Array(NP);
  stackRetaliation(rates({ [P_RETAL]: 135 }), out);
  assert.equal(out[P_RETAL], 135);
});

test('combineSlots: 232 programs and 301 lists take the maximum, other programs add', () => {
  assert.equal(combineSlots(P_S232, 25, 50), 50);
  assert.equal(combineSlots(P_S301, 25, 7.5), 25);
  assert.equal(combineSlots(P_RETAL, 125, 10), 135);
  assert.equal(combineSlots(P_COUNTRY, 0, 40), 40);
});

test('floorDealRate: reciprocal = max(0, 15% − MFN)', () => {
  assert.equal(floorDealRate(15, 2.5), 12.5);
  assert.equal(floorDealRate(15, 0), 15);
  assert.equal(floorDealRate(15, 25), 0);
});

test('usmcaQualifyingRate: exempt → 0, US content → only the non-US share is taxed', () => {
  assert.equal(usmcaQualifyingRate(25, 'exempt', 0.4), 0);
  assert.equal(usmcaQualifyingRate(25, 'us_content', 0.4), 15);
  assert.equal(usmcaQualifyingRate(50, null, 0.4), 50);
});

test('derivativeSplit and usmcaMix are share-weighted averages', () => {
  // A derivative with 50% metal: 232 at 50% on the metal, reciprocal 10% on the rest.
  assert.equal(derivativeSplit(0.5, 50, 10), 30);
  assert.equal(derivativeSplit(1, 50, 10), 50);
  assert.ok(Math.abs(usmcaMix(0.8, 0, 25) - 5) < 1e-12);
  assert.equal(usmcaMix(0, 0, 25), 25);
});

test('effectiveMfn: statutory MFN net of the preference share, clamped to [0, 1]', () => {
  assert.equal(effectiveMfn(10, 0.25), 7.5);
  assert.equal(effectiveMfn(10, 1.5), 0);
  assert.equal(effectiveMfn(10, -1), 10);
});

test('endWithTerminations: IEEPA duties stop on 2026-02-20; Section 122 and other imposers are untouched', () => {
  const ruling = { imposer: 'USA', program: 'termination' as const, terminates: ['ieepa_fentanyl', 'ieepa_reciprocal', 'ieepa_country'] as const, effective: parseDay('2026-02-20') };
  const t = [{ ...ruling, terminates: [...ruling.terminates] }];
  assert.equal(endWithTerminations({ imposer: 'USA', program: 'ieepa_reciprocal' }, Infinity, t), parseDay('2026-02-20'));
  assert.equal(endWithTerminations({ imposer: 'USA', program: 'ieepa_country' }, parseDay('2026-02-07'), t), parseDay('2026-02-07'));
  assert.equal(endWithTerminations({ imposer: 'USA', program: 's122' }, parseDay('2026-07-24'), t), parseDay('2026-07-24'));
  assert.equal(endWithTerminations({ imposer: 'CHN', program: 'retaliation' }, Infinity, t), Infinity);
});
