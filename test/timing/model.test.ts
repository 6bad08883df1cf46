// The timing model's mechanisms on synthetic inputs (docs/timing.md eq. T1–T9): no shared data needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { formatMonth, monthIndex, parseMonthlyTable } from '../../src/data/timeseries.ts';
import { partialAdjustment, shareReached } from '../../src/model/timing/adjust.ts';
import { inventoryPath, motive, saturate } from '../../src/model/timing/anticipation.ts';
import { noTariffLevel } from '../../src/model/timing/baseline.ts';
import { fitDuties, fitDynamics, mape } from '../../src/model/timing/fit.ts';
import { simulateEpisode } from '../../src/model/timing/path.ts';
import { fitExportSpeed } from '../../src/model/timing/exports.ts';
import { G, type Baseline, type DynamicParams, type Episode, type TariffStep, type Threat } from '../../src/model/timing/types.ts';

const step = (id: string, announced: number, month: number, dTau: number[], cancelled = NaN): TariffStep => ({ id, announced, month, cancelled, dTau: Float64Array.from(dTau) });

test('T2–T3: partial adjustment reaches 1 − (1−λ)^(h+1) of a permanent change after h months', () => {
  const n = 24;
  const target = new Float64Array(n).fill(-0.5);
  const x = new Float64Array(n);
  partialAdjustment(target, 0.1, n, 1, 0, x);
  for (const h of [0, 1, 5, 23]) assert.ok(Math.abs(x[h] - -0.5 * shareReached(0.1, h)) < 1e-15, `h=${h}`);
  assert.ok(Math.abs(shareReached(0.1, 5) - (1 - 0.9 ** 6)) < 1e-15);
});

test('T4a: the motive is the known rise of ln(1+τ) net of carrying cost, from announcement (minus the lead) to the effective month', () => {
  const start = monthIndex(2025, 1);
  const n = 8;
  const tariff = new Float64Array(n * G);
  // +25 points on group 2, announced 2025-02-10, effective in 2025-05 (month index start + 4).
  const steps = [step('a', start + 1 + 9 / 28, start + 4, [0, 0, 0.25, 0, 0])];
  const S0 = motive(steps, tariff, start, n, 0, 0.02);
  assert.equal(S0[0 * G + 2], 0, 'January: not yet announced');
  assert.ok(Math.abs(S0[1 * G + 2] - (Math.log(1.25) - 0.02 * 3)) < 1e-15, 'February: 3 months ahead');
  assert.ok(Math.abs(S0[3 * G + 2] - (Math.log(1.25) - 0.02)) < 1e-15, 'April: 1 month ahead');
  assert.equal(S0[4 * G + 2], 0, 'May: in force, nothing left to save');
  assert.equal(S0[1 * G + 0], 0, 'other groups untouched');
  const S1 = motive(steps, tariff, start, n, 1, 0.02);
  assert.ok(Math.abs(S1[0 * G + 2] - (Math.log(1.25) - 0.02 * 4)) < 1e-15, 'lead 1: seen in January');
  // A step called off on 2025-03-01 stops the motive from March.
  const S2 = motive([step('a', start + 1.3, start + 4, [0, 0, 0.25, 0, 0], start + 2)], tariff, start, n, 0, 0.02);
  assert.ok(S2[1 * G + 2] > 0);
  assert.equal(S2[2 * G + 2], 0);
  // Carrying cost larger than the saving: no motive.
  assert.equal(motive(steps, tariff, start, n, 0, 0.1)[1 * G + 2], 0);
});

test('T4b–T5: front-run purchases are paid back by the drawdown (cumulated F − D → 0)', () => {
  const n = 120;
  const P = new Float64Array(n * G).fill(100);
  const S = new Float64Array(n * G);
  for (let k = 2; k < 5; k++) S[k * G + 1] = 0.2;
  const F = new Float64Array(n * G);
  const D = new Float64Array(n * G);
  inventoryPath(P, S, n, 2, 0.05, 0.3, F, D);
  let cum = 0;
  let front = 0;
  for (let k = 0; k < n; k++) {
    cum += F[k * G + 1] - D[k * G + 1];
    front += F[k * G + 1];
  }
  assert.ok(front > 0);
  assert.ok(Math.abs(saturate(0.2, 0.05) - 0.05 * (1 - Math.exp(-4))) < 1e-15);
  assert.ok(Math.abs(front - 3 * 2 * 100 * saturate(0.2, 0.05)) < 1e-9);
  assert.ok(Math.abs(cum) < 1e-9 * front, `cumulated F − D = ${cum}`);
  assert.equal(saturate(0.2, Infinity), 0.2);
});

test('T5: a one-month front-run pulse is drawn down from the next month on: D = δF, δ(1−δ)F, …', () => {
  const n = 5;
  const P = new Float64Array(n * G).fill(100);
  const S = new Float64Array(n * G);
  S[1 * G + 2] = 0.1; // group 2 (China) front-runs in month 1 only
  const F = new Float64Array(n * G);
  const D = new Float64Array(n * G);
  inventoryPath(P, S, n, 2, Infinity, 0.25, F, D);
  assert.equal(F[1 * G + 2], 20); // κ · P · S = 2 · 100 · 0.1
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => D[k * G + 2]), [0, 0, 5, 3.75, 2.8125]);
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => F[k * G + 0] + D[k * G + 0]), [0, 0, 0, 0, 0]);
});

/** A synthetic world: flat no-tariff path, one tariff episode with an announced step. */
function synthetic(): { ep: Episode; base: Baseline } {
  const start = monthIndex(2024, 11);
  const n = 14;
  const tariff = new Float64Array(n * G);
  const target = new Float64Array(n * G);
  const steps = [step('s1', start + 1.5, start + 5, [0.1, 0.05, 0.6, 0.1, 0.1]), step('s2', start + 4.2, start + 7, [0, 0.1, -0.3, 0.05, 0.1])];
  for (let k = 0; k < n; k++) {
    for (let g = 0; g < G; g++) {
      let tau = 0.02;
      for (const s of steps) if (s.month <= start + k) tau += s.dTau[g];
      tariff[k * G + g] = tau;
      target[k * G + g] = -4 * Math.log((1 + tau) / 1.02);
    }
  }
  const ep: Episode = { name: 'synthetic', start, n, fitGroups: [0, 1, 2, 3, 4], tariff, target, exportTarget: new Float64Array(n), statutory: new Float64Array(n), steps };
  const season = new Float64Array(G * 12);
  for (let g = 0; g < G; g++) for (let m = 0; m < 12; m++) season[g * 12 + m] = Math.log(1000 * (g + 1)) + 0.05 * Math.sin(m);
  const base: Baseline = { trend: new Float64Array(G).fill(0.002), season, origin: start, anchor: new Float64Array(G), anchorWindow: [start, start], estimationWindow: [start, start] };
  return { ep, base };
}

test('T8: the fit recovers the parameters that generated noise-free data', () => {
  const { ep, base } = synthetic();
  const truth: DynamicParams = { lambda: new Array(G).fill(0.12), kappa: new Array(G).fill(3), sigma: 0.05, drawdown: 0.3, lead: 1, carry: 0.01, belief: [0, 0] };
  const path = simulateEpisode(ep, base, truth);
  const cutoff = ep.start + ep.n - 1;
  const r = fitDynamics([{ episode: ep, baseline: base, from: ep.start, observed: path.model, obsStart: ep.start, obsN: ep.n }], { cutoff });
  assert.deepEqual(r.params.lambda, truth.lambda);
  assert.equal(r.params.sigma, truth.sigma);
  assert.equal(r.params.drawdown, truth.drawdown);
  assert.equal(r.params.lead, truth.lead);
  assert.equal(r.params.carry, truth.carry);
  assert.ok(r.params.kappa.every((k) => Math.abs(k - 3) < 1e-5), `κ = ${r.params.kappa}`);
  assert.ok(r.ssr < 1e-12, `ssr = ${r.ssr}`);
  assert.equal(r.observations, ep.n * G);
});

test('T8: with one speed per group the fit recovers each λ_g', () => {
  const { ep, base } = synthetic();
  const truth: DynamicParams = { lambda: [0.05, 0.1, 0.2, 0.3, 0.12], kappa: new Array(G).fill(3), sigma: 0.05, drawdown: 0.3, lead: 1, carry: 0.01, belief: [0, 0] };
  const path = simulateEpisode(ep, base, truth);
  const r = fitDynamics([{ episode: ep, baseline: base, from: ep.start, observed: path.model, obsStart: ep.start, obsN: ep.n }], { cutoff: ep.start + ep.n - 1, lambdaByGroup: true });
  assert.deepEqual(r.params.lambda, truth.lambda);
  assert.equal(r.params.drawdown, truth.drawdown);
  assert.ok(r.params.kappa.every((k) => Math.abs(k - 3) < 1e-5), `κ = ${r.params.kappa}`);
});

test('T8: with one κ per group and threats of both kinds the fit recovers every parameter (two truths)', () => {
  const { ep: ep0, base } = synthetic();
  const s = ep0.start;
  const threats: Threat[] = [
    { id: 'c', kind: 0, stated: s, expected: s + 2, resolved: s + 6.5, enacted: false, chain: 'c', dTau: Float64Array.from([0.1, 0.1, 0.2, 0.1, 0.1]) },
    { id: 's', kind: 1, stated: s + 3.3, expected: s + 9, resolved: NaN, enacted: false, chain: 's', dTau: Float64Array.from([0.25, 0, 0, 0.2, 0.1]) },
  ];
  const ep: Episode = { ...ep0, threats };
  const truths: DynamicParams[] = [
    { lambda: new Array(G).fill(0.09), kappa: [1, 0.2, 3, 5, 8], sigma: Infinity, drawdown: 0.05, lead: 2, carry: 0, belief: [0.75, 0.5] },
    { lambda: new Array(G).fill(0.12), kappa: [1, 0.2, 3, 5, 8], sigma: 0.05, drawdown: 0.3, lead: 1, carry: 0.01, belief: [0.5, 0.25] },
  ];
  for (const truth of truths) {
    const path = simulateEpisode(ep, base, truth);
    const r = fitDynamics([{ episode: ep, baseline: base, from: s, observed: path.model, obsStart: s, obsN: ep.n }], { cutoff: s + ep.n - 1, kappaByGroup: true });
    const { kappa, ...rest } = r.params;
    const { kappa: kappaTrue, ...restTrue } = truth;
    assert.deepEqual(rest, restTrue);
    kappa.forEach((k, g) => assert.ok(Math.abs(k - kappaTrue[g]) < 1e-6, `κ_${g} = ${k}`));
    assert.ok(r.ssr < 1e-12, `ssr = ${r.ssr}`);
  }
});

test('T8: observations after the cutoff are refused', () => {
  const { ep, base } = synthetic();
  const obs = new Float64Array(ep.n * G).fill(1000);
  assert.throws(() => fitDynamics([{ episode: ep, baseline: base, from: ep.start, observed: obs, obsStart: ep.start, obsN: ep.n }], { cutoff: ep.start + 3 }), InputError);
});

test('T9: duty collection recovers ρ0, ρ1 and the lag', () => {
  const imports = (g: number, t: number) => 100 + 10 * g + ((t * 7) % 5);
  const tariff = (g: number, t: number) => (t >= 10 ? 0.02 + 0.01 * (t - 9) * (g + 1) : 0.02);
  const duties = (t: number) => {
    let s = 0;
    for (let g = 0; g < G; g++) s += imports(g, t - 1) * (0.98 * 0.02 + 0.55 * (tariff(g, t - 1) - 0.02));
    return s;
  };
  const r = fitDuties({ baseFrom: 1, baseTo: 9, from: 10, cutoff: 20, duties, imports, tariff, baseTariff: () => 0.02 });
  assert.equal(r.lag, 1);
  assert.ok(Math.abs(r.rhoNew - 0.55) < 1e-12);
  assert.ok(Math.abs(r.rhoBase - 0.98) < 1e-12, `ρ0 = ${r.rhoBase}`);
});

test('T7b: the export speed λ_X is recovered from noise-free deviations; a bound is flagged; no moving target, no fit', () => {
  const n = 14;
  const target = Float64Array.from({ length: n }, (_, k) => (k < 3 ? 0 : k < 8 ? -0.2 : -0.3));
  const x = new Float64Array(n);
  for (const truth of [0.037, 0.25]) {
    partialAdjustment(target, truth, n, 1, 0, x);
    const f = fitExportSpeed(target, x, 10)!;
    assert.ok(Math.abs(f.lambda - truth) < 1e-9 && f.ssr < 1e-20 && f.months === 10 && !f.bound, JSON.stringify(f));
  }
  // Exports that rise while the target falls: the least-squares speed is the grid's floor, flagged as a bound.
  const up = Float64Array.from({ length: n }, (_, k) => 0.01 * k);
  const f0 = fitExportSpeed(target, up, n)!;
  assert.ok(f0.lambda === 0 && f0.bound, JSON.stringify(f0));
  // Exports that jump to the target at once: the ceiling, a bound.
  assert.ok(fitExportSpeed(target, target, n)!.lambda === 1 && fitExportSpeed(target, target, n)!.bound);
  // Through month 2 the target has not moved: λ_X does not enter, so there is no fit.
  assert.equal(fitExportSpeed(target, up, 3), null);
  assert.equal(fitExportSpeed(target, up, 0), null);
  assert.throws(() => fitExportSpeed(target, Float64Array.from(up, (v, k) => (k === 5 ? NaN : v)), n), /month 5/);
  assert.throws(() => fitExportSpeed(target, up, n + 1), /15 months asked, 14 given/);
});

test('T1: the no-tariff path is anchor + trend + seasonal factor', () => {
  const { base } = synthetic();
  const t = base.origin + 5;
  assert.ok(Math.abs(noTariffLevel(base, 2, t) - Math.exp(0.002 * 5 + base.season[2 * 12 + (t % 12)])) < 1e-9);
  assert.ok(Math.abs(mape([110, 90], [100, 100]) - 10) < 1e-12);
});

test('monthly series: a gap, a repeated month and a bad value are InputErrors naming file, row and field', () => {
  const ok = 'date,a\n2025-01-01,1\n2025-02-01,2\n2025-03-01,3\n';
  const t = parseMonthlyTable(ok, 'ok.csv', ['a']);
  assert.equal(formatMonth(t.start), '2025-01');
  assert.deepEqual([...t.columns.a], [1, 2, 3]);
  assert.throws(
    () => parseMonthlyTable('date,a\n2025-01-01,1\n2025-03-01,3\n', 'gap.csv', ['a']),
    (e: unknown) => e instanceof InputError && /month 2025-02 is missing/.test(e.message) && e.location.file === 'gap.csv' && e.location.row === 2,
  );
  assert.throws(() => parseMonthlyTable('date,a\n2025-01-01,1\n2025-01-01,1\n', 'rep.csv', ['a']), (e: unknown) => e instanceof InputError && /out of order or repeated/.test(e.message));
  assert.throws(
    () => parseMonthlyTable('date,a\n2025-01-01,1\n2025-02-01,NA\n', 'bad.csv', ['a']),
    (e: unknown) => e instanceof InputError && e.location.row === 2 && e.location.field === 'a',
  );
  assert.throws(() => parseMonthlyTable('date,a\n2025-13-01,1\n', 'm.csv', ['a']), InputError);
});
