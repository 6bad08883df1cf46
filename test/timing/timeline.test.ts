// The timing model on the real monthly series (../shared/data/us-tariffs/timeseries), the policy layer and
// the world2024 CP model: the backtest fitted through 2025-06, the Q1 2025 surge, the H2 2025 effective rate,
// the proof that data after the cutoff cannot move the fitted parameters, scenarios and bad inputs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { CUSTOMS_FILE, GOODS_FILE, parseMonth, PARTNER_FILE, type MonthlyTable, type Timeseries } from '../../src/data/timeseries.ts';
import { loadTimeseries } from '../../src/node/data/timeseries.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { buildTimelineInputs, runTimeline, timelineFromInputs, type TimelineInputs, type TimelineReport } from '../../src/node/timeline.ts';
import type { Threat } from '../../src/model/timing/types.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs/timeseries');
let inputs: TimelineInputs;
let report: TimelineReport;
const M = (s: string) => parseMonth(s);

before(async () => {
  if (skip) return;
  inputs = await buildTimelineInputs(M('2026-06'));
  report = timelineFromInputs(inputs, { from: M('2024-01'), to: M('2026-06'), cutoff: M('2025-06') });
});

const near = (x: number, y: number, tol: number, what: string) => assert.ok(Math.abs(x - y) <= tol, `${what}: ${x} vs ${y}`);

test('backtest fitted through 2025-06, predicting 2025-07 … 2025-12: MAPE per group and total (computed values)', { skip }, () => {
  const bt = report.backtest;
  assert.deepEqual(bt.window, ['2025-07', '2025-12']);
  const byGroup = Object.fromEntries(bt.mape.map((x) => [x.group, x.value]));
  // Issue 13 asks for ≤ 6% on the total and ≤ 15% per group. Met: every group. Not met (docs/timing.md
  // §Backtest explains why): the total, 6.69%.
  near(bt.total!, 6.69, 0.01, 'total');
  near(byGroup.CAN, 8.22, 0.01, 'CAN');
  near(byGroup.MEX, 6.84, 0.01, 'MEX');
  near(byGroup.CHN, 8.21, 0.01, 'CHN');
  near(byGroup.EU, 12.64, 0.01, 'EU');
  near(byGroup.ROW, 14.59, 0.01, 'ROW');
  for (const g of ['CAN', 'MEX', 'CHN', 'EU', 'ROW']) assert.ok(byGroup[g] <= 15, g);
  assert.ok(bt.total! > 6, 'the total bound is not met (the docs say so); update them if this changes');
});

test('fitted parameters (data through 2025-06)', { skip }, () => {
  const p = report.fit.params;
  assert.deepEqual(p.lambda, [0.093, 0.093, 0.093, 0.093, 0.093]);
  // κ_g, one per group (CAN, MEX, CHN, EU, ROW): the rest of the world and the EU front-ran most.
  [0.853, 0.072, 0.105, 2.734, 3.475].forEach((k, g) => near(p.kappa[g], k, 0.001, `κ_${g}`));
  assert.equal(p.sigma, Infinity);
  assert.equal(p.drawdown, 0.01);
  assert.equal(p.lead, 3);
  assert.equal(p.carry, 0);
  // Beliefs in threats (eq. T4c): with the lead free, none (the statements add nothing to the announcements
  // seen L months ahead; docs/timing.md §What the threats add).
  assert.deepEqual(p.belief, [0, 0]);
  assert.equal(report.fit.observations, 64); // 24 China months of 2018–19 + 5 groups × 8 months (2024-11 … 2025-06)
  assert.equal(report.fit.parameters, 12);
  near(report.fit.ssr, 0.3262, 0.0001, 'SSR');
  near(report.fit.bic, -287.96, 0.01, 'BIC');
  assert.equal(report.fit.duties.lag, 1);
  near(report.fit.duties.rhoBase, 1.033, 0.001, 'ρ0');
  near(report.fit.duties.rhoNew, 0.451, 0.001, 'ρ1');
  assert.ok(report.fit.eta2018 < -5 && report.fit.eta2018 > -7, `η = ${report.fit.eta2018}`);
});

test('specification: one κ per group and one λ has the lowest BIC of the four (fit through 2025-06, threats in)', { skip }, () => {
  const cutoff = M('2025-06');
  const bic = (spec: { kappaByGroup: boolean; lambdaByGroup: boolean }) => timelineFromInputs(inputs, { from: M('2024-01'), to: M('2025-06'), cutoff, spec }).fit.bic;
  const chosen = report.fit.bic;
  const others = [bic({ kappaByGroup: false, lambdaByGroup: false }), bic({ kappaByGroup: false, lambdaByGroup: true }), bic({ kappaByGroup: true, lambdaByGroup: true })];
  near(others[0], -269.56, 0.01, 'one κ, one λ');
  near(others[1], -263.33, 0.01, 'one κ, λ by group');
  near(others[2], -286.78, 0.01, 'κ and λ by group');
  // With the beliefs at 0 the statements change nothing: without them the path and the backtest are the same.
  const noThreats = timelineFromInputs(inputs, { from: M('2024-01'), to: M('2026-06'), cutoff, spec: { threats: false } });
  assert.deepEqual(noThreats.rows.map((r) => r.total.model), report.rows.map((r) => r.total.model));
  near(noThreats.fit.bic, -296.27, 0.01, 'no threats');
  for (const b of others) assert.ok(chosen < b, `${chosen} vs ${b}`);
});

test('Q1 2025 surge: model excess over the no-tariff path vs the excess measured against trend (computed values)', { skip }, () => {
  const s = report.surgeQ1!;
  // Measured: Σ Jan–Mar 2025 of actual − no-tariff path (T1), US$ millions. The "about $150bn".
  near(s.measured / 1000, 157.8, 0.1, 'measured, $bn');
  near(s.model / 1000, 146.0, 0.1, 'model, $bn');
  near(s.ratio, 0.925, 0.001, 'ratio');
  // Issue 13: the model within 30% of the measured excess.
  assert.ok(s.model >= 0.7 * s.measured && s.model <= 1.3 * s.measured, `${s.model} vs ${s.measured}`);
  // By group (measured / model, US$ bn): the rest of the world and the EU carry the surge.
  const ex = (g: number, f: (i: { model: number; actual: number | null; noTariff: number }) => number) =>
    ['2025-01', '2025-02', '2025-03'].reduce((a, m) => a + f(report.rows.find((r) => r.month === m)!.imports[g]), 0) / 1000;
  const expect = [[7.0, 5.04], [4.2, -0.70], [0.6, 0.06], [44.1, 37.13], [101.9, 104.44]];
  expect.forEach(([meas, mod], g) => {
    near(ex(g, (i) => i.actual! - i.noTariff), meas, 0.05, `measured ${g}`);
    near(ex(g, (i) => i.model - i.noTariff), mod, 0.05, `model ${g}`);
  });
});

test('H2 2025 effective tariff rate: model beside the actual 10.75% and the statutory rate; components add up', { skip }, () => {
  const e = report.etrH2!;
  near(e.actual, 10.75, 0.005, 'actual (mean of monthly duties / imports)');
  near(e.statutory, 16.19, 0.01, 'statutory');
  near(e.model, 7.95, 0.01, 'model');
  const parts = e.components.slice(0, -1).reduce((s, c) => s + c.points, 0);
  near(parts, e.model, 1e-9, 'components');
  assert.ok(e.model < e.statutory);
});

test('data after the cutoff cannot change the fitted parameters (perturbed exactly, compared exactly)', { skip }, () => {
  const cutoff = M('2025-06');
  const perturb = (tb: MonthlyTable, from: number): MonthlyTable => {
    const columns: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(tb.columns)) {
      columns[k] = Float64Array.from(v, (x, i) => (tb.start + i >= from ? x * (1.5 + 0.1 * Math.sin(i)) : x));
    }
    return { ...tb, columns };
  };
  const after: Timeseries = { partners: perturb(inputs.ts.partners, cutoff + 1), customs: perturb(inputs.ts.customs, cutoff + 1), goods: perturb(inputs.ts.goods, cutoff + 1) };
  const r2 = timelineFromInputs({ ...inputs, ts: after }, { from: M('2024-01'), to: M('2026-06'), cutoff });
  assert.deepEqual(r2.fit.params, report.fit.params);
  assert.equal(r2.fit.ssr, report.fit.ssr);
  assert.deepEqual(r2.fit.duties, report.fit.duties);
  assert.deepEqual(r2.fit.anchors, report.fit.anchors);
  assert.deepEqual(r2.fit.exports, report.fit.exports);
  // The model path is the same; only the actual series (and so the backtest errors) differ.
  assert.deepEqual(r2.rows.map((r) => r.total.model), report.rows.map((r) => r.total.model));
  assert.notEqual(r2.backtest.total, report.backtest.total);
  // Announcements after the cutoff are invisible to the fit too (real time): dropping them changes nothing.
  const policy = { ...inputs.policy, steps: inputs.policy.steps.filter((s) => s.announced < cutoff + 1) };
  assert.ok(policy.steps.length < inputs.policy.steps.length);
  assert.deepEqual(timelineFromInputs({ ...inputs, policy }, { from: M('2024-01'), to: M('2026-06'), cutoff }).fit.params, report.fit.params);
  // Threats stated after the cutoff are invisible too: new ones, and a restatement of a pledge at 50%.
  const late = (stated: number, id: string, chain = id): Threat => ({ id, kind: 1, stated, expected: stated + 0.5, resolved: NaN, enacted: false, chain, dTau: new Float64Array([0.3, 0.3, 0.3, 0.3, 0.3]) });
  const withLate = { ...inputs.policy, threats: [...inputs.policy.threats!, late(cutoff + 1.2, 'late'), late(cutoff + 2, 'late-restated', 'campaign-universal-10')] };
  const rLate = timelineFromInputs({ ...inputs, policy: withLate }, { from: M('2024-01'), to: M('2026-06'), cutoff });
  assert.deepEqual(rLate.fit.params, report.fit.params);
  assert.equal(rLate.fit.ssr, report.fit.ssr);
  // With the lead fixed at 0 the beliefs are positive (π = 0.5, 1): there too a later threat changes nothing,
  // and, as a control, the same threat stated before the cutoff does change the fit.
  const spec = { leads: [0] };
  const r0 = timelineFromInputs(inputs, { from: M('2024-01'), to: M('2025-06'), cutoff, spec });
  assert.deepEqual(r0.fit.params.belief, [0.5, 1]);
  const r0Late = timelineFromInputs({ ...inputs, policy: withLate }, { from: M('2024-01'), to: M('2025-06'), cutoff, spec });
  assert.deepEqual(r0Late.fit.params, r0.fit.params);
  assert.equal(r0Late.fit.ssr, r0.fit.ssr);
  const early = { ...inputs.policy, threats: [...inputs.policy.threats!, late(cutoff - 2, 'early')] };
  assert.notEqual(timelineFromInputs({ ...inputs, policy: early }, { from: M('2024-01'), to: M('2025-06'), cutoff, spec }).fit.ssr, r0.fit.ssr);
  // Control: the same perturbation from the cutoff month itself does move the fit.
  const at: Timeseries = { partners: perturb(inputs.ts.partners, cutoff), customs: perturb(inputs.ts.customs, cutoff), goods: perturb(inputs.ts.goods, cutoff) };
  const r3 = timelineFromInputs({ ...inputs, ts: at }, { from: M('2024-01'), to: M('2026-06'), cutoff });
  assert.notEqual(r3.fit.ssr, report.fit.ssr);
});

test('the path: no-tariff counterfactual before 2025, actuals beside, partner groups add up to the total', { skip }, () => {
  const r2024 = report.rows.find((r) => r.month === '2024-06')!;
  assert.equal(r2024.total.model, r2024.total.noTariff);
  for (const row of report.rows) {
    const s = row.imports.reduce((a, i) => a + i.model, 0);
    near(s, row.total.model, 1e-6 * s, row.month);
    assert.ok(Number.isFinite(row.etr.model) && Number.isFinite(row.exports.model));
  }
  const dec = report.rows.find((r) => r.month === '2025-12')!;
  assert.ok(dec.total.actual !== null && dec.imports.every((i) => i.actual !== null));
  assert.equal(report.rows.find((r) => r.month === '2026-03')!.total.actual, null);
  // China: the model path in late 2025 is far below the no-tariff path (the 2025 tariffs).
  const chn = dec.imports.find((i) => i.group === 'CHN')!;
  assert.ok(chn.model < 0.7 * chn.noTariff);
  assert.ok(report.quarters.some((q) => q.quarter === '2025Q1' && q.model < q.noTariff && q.model < q.withoutFrontRunning));
  // Net-export contributions (annualized, pp of 2024 GDP): front-running accounts for the Q1 2025 swing.
  const q1 = report.quarters.find((q) => q.quarter === '2025Q1')!;
  near(q1.actual!, -7.45, 0.01, 'actual 2025Q1');
  near(q1.model, -7.44, 0.01, 'model 2025Q1');
  near(q1.withoutFrontRunning, -0.26, 0.01, 'without front-running 2025Q1');
  // Quarters are calendar quarters whatever --from is.
  const mid = timelineFromInputs(inputs, { from: M('2024-06'), to: M('2025-06'), cutoff: M('2025-06') });
  assert.equal(mid.quarters[0].quarter, '2024Q3');
  assert.deepEqual(mid.quarters.find((q) => q.quarter === '2025Q1'), q1);
});

test('bad input: a cutoff outside the data is an InputError naming --fit-through', { skip }, async () => {
  for (const cut of ['2026-03', '2019-06']) {
    assert.throws(() => timelineFromInputs(inputs, { from: M('2024-01'), to: M('2026-06'), cutoff: M(cut) }), (e: unknown) => e instanceof InputError && e.location.field === '--fit-through');
  }
  await assert.rejects(runTimeline({ fitThrough: '2030-01' }), (e: unknown) => e instanceof InputError && /outside the data/.test(e.message));
  await assert.rejects(runTimeline({ fitThrough: '2025-6x' }), InputError);
});

test('bad input: a scenario on a dataset without a US region is an InputError at the dataset line', { skip }, async () => {
  const file = join(PROJECT_ROOT, 'scenarios', 'ossa2014-table2-crp.yaml');
  await assert.rejects(runTimeline({ scenario: file, inputs }), (e: unknown) => e instanceof InputError && e.location.field === 'dataset' && e.location.line !== undefined && /no USA region/.test(e.message));
});

test('bad input: a gap in the monthly data is an InputError naming the file, row and missing month', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-ts-'));
  const src = sharedPath('us-tariffs', 'timeseries');
  for (const f of [CUSTOMS_FILE, GOODS_FILE]) writeFileSync(join(dir, f), readFileSync(join(src, f)));
  const lines = readFileSync(join(src, PARTNER_FILE), 'utf8').split('\n');
  const k = lines.findIndex((l) => l.startsWith('2019-05-01'));
  writeFileSync(join(dir, PARTNER_FILE), [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n'));
  assert.throws(() => loadTimeseries(dir), (e: unknown) => e instanceof InputError && /month 2019-05 is missing/.test(e.message) && e.location.row === k && e.location.file === join(dir, PARTNER_FILE));
});

test('a scenario holds its tariffs from its policy date: the April 2025 standoff keeps China far lower', { skip }, async () => {
  const file = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');
  const r = await runTimeline({ scenario: file, inputs, from: '2025-01', to: '2025-12', fitThrough: '2025-06' });
  assert.equal(r.scenario, file);
  assert.deepEqual(r.fit.params, report.fit.params);
  const chn = (rep: TimelineReport, m: string) => rep.rows.find((x) => x.month === m)!.imports.find((i) => i.group === 'CHN')!.model;
  // Before the switch the paths agree up to anticipation (the switch itself is not anticipated).
  near(chn(r, '2025-01'), chn(report, '2025-01'), 1e-3 * chn(report, '2025-01'), 'January 2025');
  near(chn(r, '2025-03'), chn(report, '2025-03'), 1e-3 * chn(report, '2025-03'), 'March 2025');
  assert.ok(chn(r, '2025-12') < 0.8 * chn(report, '2025-12'), `${chn(r, '2025-12')} vs ${chn(report, '2025-12')}`);
});
