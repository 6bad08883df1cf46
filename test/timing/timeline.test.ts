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
import { appliedSources, buildTimelineInputs, runTimeline, timelineFromInputs, type TimelineInputs, type TimelineReport } from '../../src/node/timeline.ts';
import { nodeSources } from '../../src/node/sources.ts';
import { loadScenarioFile } from '../../src/node/scenario.ts';
import { compileCp } from '../../src/app/models/cp.ts';
import { scenarioDataset } from '../../src/app/scenario.ts';
import type { Threat } from '../../src/model/timing/types.ts';
import { tariffMatrixOn } from '../../src/policy/matrix.ts';
import { parseDay } from '../../src/policy/dates.ts';
import { dayToMonths, policyAsApplied, policyAsKnown, policyEpisode, stepsAsKnown } from '../../src/node/timeline-inputs.ts';
import { loadPolicyContext } from '../../src/node/policy/inputs.ts';
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
  // Issue 13 asks for ≤ 6% on the total and ≤ 15% per group. Met: Canada, Mexico, China, the EU. Not met
  // (docs/timing.md §Backtest explains why): the total, 10.67%, and the rest of the world, 22.19%.
  near(bt.total!, 10.67, 0.01, 'total');
  near(byGroup.CAN, 8.83, 0.01, 'CAN');
  near(byGroup.MEX, 4.31, 0.01, 'MEX');
  near(byGroup.CHN, 9.34, 0.01, 'CHN');
  near(byGroup.EU, 10.52, 0.01, 'EU');
  near(byGroup.ROW, 22.19, 0.01, 'ROW');
  // Exports (SA) and customs duties over the same months: exports on their trend (λ_X fitted at 0, below), duties
  // under-predicted (ρ1 from April–June, docs/timing.md §Effective tariff rate).
  near(bt.exports!, 4.51, 0.01, 'exports');
  near(bt.duties!, 35.38, 0.01, 'customs duties');
});

test('inputs: tariffs are day-weighted monthly averages; the steps add up to them; List 4B (called off 13 Dec 2019) never takes effect', { skip }, () => {
  // 2018–19, China: τ_2017 = 3% plus each list's rate × covered / 505.5 bn of 2017 imports, a list effective on
  // day d of a month of D days counting (D − d + 1)/D of that month (data/timing/china-301-2018-19.csv).
  const ch = inputs.china;
  const tau = (s: string) => ch.tariff[(M(s) - ch.start) * 5 + 2];
  const l = (rate: number, bn: number) => (rate / 100) * (bn / 505.5);
  near(tau('2018-06'), 0.03, 1e-12, 'June 2018');
  near(tau('2018-07'), 0.03 + l(25, 34) * (26 / 31), 1e-12, 'July 2018 (List 1 from 6 July)');
  near(tau('2018-08'), 0.03 + l(25, 34) + l(25, 16) * (9 / 31), 1e-12, 'August 2018 (List 2 from 23 August)');
  near(tau('2019-05'), 0.03 + l(25, 34) + l(25, 16) + l(10, 200) + l(15, 200) * (22 / 31), 1e-12, 'May 2019 (List 3 at 25% from 10 May)');
  near(tau('2019-11'), 0.18925, 1e-5, 'November 2019');
  near(tau('2019-12'), tau('2019-11'), 1e-15, 'December 2019: List 4B was suspended two days before its date');
  // A change day splits by what could be seen coming: 1 August 2025 holds Canada's 35% (announced 31 July) and
  // August's USMCA claim shares (unforeseen). The EU auto deal, announced on 21 August and retroactive to 1 August,
  // applies from 21 August (the data as applied: importers paid 27.5% until then), a step of its own dated that day.
  // The test below ('real time in the steps') checks that nothing announced later is in the earlier parts.
  const aug = inputs.policy.steps.filter((st) => st.month === M('2025-08') || st.month === M('2025-09'));
  const ahead = aug.filter((st) => st.id.startsWith('us-fent-can-35'));
  const deal = aug.filter((st) => st.id.startsWith('us-232-autos-eu'));
  const inputs8 = aug.filter((st) => st.id === 'month inputs 2025-08');
  assert.ok(ahead.length === 1 && deal.length === 2 && inputs8.length === 1, aug.map((st) => st.id).join(' | '));
  assert.ok(inputs8[0].unforeseen);
  near(ahead[0].announced, M('2025-07') + 30 / 31, 1e-12, 'announced 31 July 2025');
  for (const st of deal) near(st.announced, M('2025-08') + 20 / 31, 1e-12, 'announced 21 August 2025');
  assert.deepEqual(deal.map((st) => st.month), [M('2025-08'), M('2025-09')]);
  near(deal[0].dTau[3] / (deal[0].dTau[3] + deal[1].dTau[3]), 11 / 31, 1e-12, 'from 21 August: 11 of August\'s 31 days');
  assert.ok(deal[0].dTau[3] + deal[1].dTau[3] < -0.005, `EU autos 27.5% → 15%: ${deal[0].dTau[3] + deal[1].dTau[3]}`);
  // The steps the anticipation sees add up to the monthly averages (both episodes, every group); the steps called off
  // (List 3 at 25% for 1 Jan 2019, List 4B) were called off before their day, so they never enter.
  for (const ep of [inputs.china, inputs.policy]) {
    for (let k = 0; k < ep.n; k++) {
      for (let g = 0; g < 5; g++) {
        let sum = ep.tariff[g];
        for (const st of ep.steps) if (st.month <= ep.start + k && st.month > ep.start && Number.isNaN(st.cancelled)) sum += st.dTau[g]; // every call-off in the data came before its step's day
        near(sum, ep.tariff[k * 5 + g], 1e-12, `${ep.name} month ${k} group ${g}`);
      }
    }
  }
});

test('real time in the steps: the fit sees the steps announced by its cutoff, sized with the policy data as known then', { skip }, () => {
  // Through July 2025: the steps from a policy episode on the data without the actions announced later are the
  // steps the fit uses (another code path: the episode's own regimes).
  const cut = parseDay('2025-07-31');
  const data = policyAsKnown(inputs.ctx.data, cut);
  // (Actions announced later never in force, ends announced later not known: the IEEPA duties' end of February 2026.)
  assert.ok(data.actions.some((x, i) => Number.isFinite(inputs.ctx.data.actions[i].end) && x.end === Infinity));
  const ep = policyEpisode({ ctx: { ...inputs.ctx, data }, concordance: inputs.concordance, solver: inputs.solver, start: inputs.policy.start, end: inputs.policy.start + inputs.policy.n - 1 });
  const schedule = (steps: readonly { announced: number; id: string }[]) => steps.filter((st) => st.announced < M('2025-08') && !st.id.startsWith('scheduled'));
  const [a, b] = [schedule(ep.steps) as typeof ep.steps, schedule(inputs.stepsAt(M('2025-07'))) as typeof ep.steps];
  assert.deepEqual(a.map((st) => [st.id, st.month, st.announced]), b.map((st) => [st.id, st.month, st.announced]));
  a.forEach((st, k) => st.dTau.forEach((x, g) => near(x, b[k].dTau[g], 1e-12, `${st.id} group ${g}`)));
  // A step's size depends on the tariffs in force on its day: the auto-parts tariff of 3 May 2025 (announced 26
  // March) raised China's tariff as known at the end of March (20% then), and lowered it once April's 125%, which
  // Section 232 goods do not pay, was in force. The fit through March sees the first.
  const parts = (steps: readonly { id: string; dTau: Float64Array }[]) => steps.filter((st) => st.id.startsWith('us-232-auto-parts') && !st.id.includes('announced after')).reduce((x, st) => x + st.dTau[2], 0);
  assert.ok(parts(inputs.stepsAt(M('2025-03'))) > 0.03, `${parts(inputs.stepsAt(M('2025-03')))}`);
  assert.ok(parts(inputs.policy.steps) < -0.03, `${parts(inputs.policy.steps)}`);
  // The scheduled rows too: Geneva's end (12 August) as known in June and as sized on the full data.
  const geneva = (steps: readonly { id: string; dTau: Float64Array }[]) => steps.filter((st) => st.id.startsWith('scheduled geneva-end-aug12')).reduce((x, st) => x + st.dTau[2], 0);
  near(geneva(inputs.stepsAt(M('2025-06'))), 0.1494, 0.0001, 'Geneva, as known in June');
  near(geneva(inputs.policy.steps), 0.1487, 0.0001, 'Geneva, full data');
  // Canada's and Mexico's 25% of 4 March (announced 1 February) are in the steps a fit through February sees;
  // China's second 10% on the same day (announced 3 March) is a step of its own, dated 3 March, so every later
  // fit and the full schedule date Canada's and Mexico's part 1 February too.
  const mar4 = inputs.stepsAt(M('2025-02')).filter((st) => st.id.includes('us-fent-can-25'));
  assert.ok(mar4.length > 0 && mar4.every((st) => st.announced < M('2025-03')) && mar4.reduce((x, st) => x + st.dTau[0], 0) > 0.15, mar4.map((st) => st.id).join(' | '));
  for (const steps of [inputs.stepsAt(M('2025-06')), inputs.policy.steps]) {
    const day = steps.filter((st) => st.month >= M('2025-03') && st.month <= M('2025-04') && /^us-fent-(can-25|mex-25|chn-20)/.test(st.id));
    const canMex = day.filter((st) => st.id.startsWith('us-fent-can-25+us-fent-mex-25'));
    const chn = day.filter((st) => st.id.startsWith('us-fent-chn-20'));
    assert.ok(canMex.length === 2 && chn.length === 2, day.map((st) => st.id).join(' | '));
    for (const st of canMex) near(st.announced, M('2025-02'), 1e-12, `${st.id}: announced 1 February`);
    for (const st of chn) near(st.announced, M('2025-03') + 2 / 31, 1e-12, `${st.id}: announced 3 March`);
    near(canMex.reduce((x, st) => x + st.dTau[0], 0), 0.2025, 0.0001, 'Canada, 25% less the goods outside the fentanyl duty');
    assert.ok(canMex.every((st) => st.dTau[2] === 0) && chn.every((st) => st.dTau[0] === 0 && st.dTau[1] === 0));
  }
  // An end cut by a termination is news when the termination is (the IEEPA ruling of 20 February 2026), not when
  // the duties it ends were announced.
  const ieepa = inputs.policy.steps.filter((st) => st.month === M('2026-02') && st.id.includes('us-fent-chn-10'));
  assert.ok(ieepa.length === 1 && ieepa[0].dTau[2] < -0.05, ieepa.map((st) => st.id).join(' | '));
  near(ieepa[0].announced, M('2026-02') + 19 / 28, 1e-12, 'announced 20 February 2026');
});

test('tariffs as applied: a retroactive action applies from its announcement, so a month\'s tariffs and steps use nothing announced after it', { skip }, async () => {
  const { ctx, concordance, solver } = inputs;
  // The episode built on the data as known at the end of August 2025 has the same tariffs, targets and statutory
  // rates through August as the full episode: Japan's floor (EO 14345 of 4 September, retroactive to 7 August)
  // does not lower August's rest-of-world tariff (it did when retroactive actions counted from their effective day).
  const cut = parseDay('2025-08-31');
  const known = policyEpisode({ ctx: { ...ctx, data: policyAsKnown(ctx.data, cut) }, concordance, solver, start: inputs.policy.start, end: M('2025-09') });
  const full = inputs.policy;
  for (let k = 0; k <= M('2025-08') - full.start; k++) {
    for (let g = 0; g < 5; g++) {
      near(known.tariff[k * 5 + g], full.tariff[k * 5 + g], 1e-12, `τ month ${k} group ${g}`);
      near(known.target[k * 5 + g], full.target[k * 5 + g], 1e-9, `x* month ${k} group ${g}`);
    }
    near(known.statutory[k], full.statutory[k], 1e-12, `statutory month ${k}`);
  }
  // …and September's differs (the floor applies from 4 September), as does the legal tariff of August: the
  // policy layer's own reading of 15 August has the floor.
  const k9 = M('2025-09') - full.start;
  assert.ok(Math.abs(known.tariff[k9 * 5 + 4] - full.tariff[k9 * 5 + 4]) > 1e-4, `ROW, September: ${known.tariff[k9 * 5 + 4]} vs ${full.tariff[k9 * 5 + 4]}`);
  const law = await loadPolicyContext();
  const legal = solver.groupsOn(parseDay('2025-08-15'), law, concordance);
  const applied = solver.groupsOn(parseDay('2025-08-15'), ctx, concordance);
  assert.ok(legal[4] < applied[4] - 1e-4 && legal[3] < applied[3] - 1e-4, `15 August, ROW and EU: legal ${legal[4]}, ${legal[3]} vs as applied ${applied[4]}, ${applied[3]}`);
  // The command says so, naming each action and both days.
  const note = report.notes.find((n) => n.startsWith('tariffs as applied each day'));
  assert.ok(note && note.startsWith('tariffs as applied each day (what entries paid; docs/timing.md §Inputs): 8 US actions') && note.includes('us-232-autos-eu from 2025-08-21 (law: 2025-08-01)') && note.includes('us-recip-jpn-floor from 2025-09-04 (law: 2025-08-07)'), note);
  // A window that ends before them names none of them (the note is about the months shown).
  assert.ok(!timelineFromInputs(inputs, { from: M('2024-01'), to: M('2025-03'), cutoff: M('2025-03') }).notes.some((n) => n.startsWith('tariffs as applied')));
  // The transform's other branches, on edited law: an end announced after its day runs to the announcement; an
  // action announced after its end never applies (a termination then cuts nothing); applied to the data as known
  // at a cutoff, an action announced later stays out (India's Russian-oil duty, announced 6 August 2025, in the
  // data as known on 31 July, with its end announced on 7 February 2026).
  const a0 = law.data.actions.find((a) => a.id === 'us-recip-jpn-floor')!;
  const t0 = law.data.actions.find((a) => a.program === 'termination')!;
  const edited = { ...law.data, actions: law.data.actions.map((a) => (a === a0 ? { ...a, effective: parseDay('2025-08-07'), announced: parseDay('2025-08-01'), end: parseDay('2025-10-01'), endAnnounced: parseDay('2025-10-15') } : a === t0 ? { ...a, announced: a.effective + 400, end: a.effective + 10, endAnnounced: a.effective + 10 } : a)) };
  const ed = policyAsApplied(edited);
  const e0 = ed.actions[a0.index];
  assert.deepEqual([e0.effective, e0.end], [parseDay('2025-08-07'), parseDay('2025-10-15')]);
  const et = ed.actions[t0.index];
  assert.ok(et.end === et.effective && et.terminates.length === 0, JSON.stringify({ e: et.effective, end: et.end, t: et.terminates }));
  assert.equal(policyAsApplied(ed), ed, 'idempotent, the same object');
  const oil = law.data.actions.find((a) => a.id === 'us-ind-oil-25')!;
  const july = policyAsApplied(policyAsKnown(law.data, parseDay('2025-07-31'))).actions[oil.index];
  assert.ok(july.end <= july.effective, `us-ind-oil-25 as known on 31 July: ${july.effective} … ${july.end}`);
  assert.deepEqual(inputs.retroactive.map((r) => r.id).sort(), ['us-232-auto-parts-eu', 'us-232-autos-eu', 'us-bra-exempt-nov2025', 'us-ind-exempt-annex2-nov2025', 'us-recip-ag-exempt', 'us-recip-electronics-exempt', 'us-recip-jpn-floor', 'us-recip-jpn-floor-exempt']);
  // No step is dated before its announcement, and an announced end is news on its announcement day: with the
  // IEEPA ruling as if announced on 25 February 2026 (five days after its effective day), the duties end on
  // 25 February, the same total change, all of the cut dated 25 February.
  const all = parseDay('2026-04-30');
  const stepsOf = (edit: (a: (typeof ctx.data.actions)[number]) => (typeof ctx.data.actions)[number]) =>
    stepsAsKnown({ ...ctx, data: { ...ctx.data, actions: ctx.data.actions.map(edit) } }, concordance, solver, M('2026-03'), all);
  const sumOf = (steps: readonly { month: number; dTau: Float64Array }[], g: number) => steps.filter((st) => st.month >= M('2026-02') && st.month <= M('2026-03')).reduce((x, st) => x + st.dTau[g], 0);
  const asIs = stepsOf((a) => a);
  const ruling = parseDay('2026-02-25');
  const retroRuling = stepsOf((a) => (a.id === 'us-ieepa-ended' ? { ...a, announced: ruling } : a));
  for (let g = 0; g < 5; g++) near(sumOf(retroRuling, g), sumOf(asIs, g), 1e-12, `February–March 2026, group ${g}`);
  const cutSteps = retroRuling.filter((st) => st.month >= M('2026-02') && st.month <= M('2026-03') && st.dTau[2] < -0.01);
  assert.ok(cutSteps.length > 0 && cutSteps.every((st) => st.announced >= dayToMonths(ruling)), cutSteps.map((st) => `${st.id} ${st.announced}`).join(' | '));
  near(cutSteps.find((st) => st.month === M('2026-02'))!.dTau[2] / cutSteps.reduce((x, st) => x + st.dTau[2], 0), 4 / 28, 1e-9, 'from 25 February: 4 of 28 days');
  // Undoing a later-announced end keeps the action in force for the earlier cohort: the electronics exemption
  // given an end on 1 August announced 31 July adds nothing to the copper step of 1 August (announced 30 July).
  const copperOf = (steps: readonly { id: string; dTau: Float64Array }[]) => steps.filter((st) => st.id.startsWith('us-recip-annex2-copper+')).reduce((x, st) => x + st.dTau[2], 0);
  const ended = stepsOf((a) => (a.id === 'us-recip-electronics-exempt' ? { ...a, end: parseDay('2025-08-01'), endAnnounced: parseDay('2025-07-31') } : a));
  near(copperOf(ended), copperOf(asIs), 1e-12, 'copper step, China');
});

test('fitted parameters (data through 2025-06)', { skip }, () => {
  const p = report.fit.params;
  assert.deepEqual(p.lambda, [0.091, 0.091, 0.091, 0.091, 0.091]);
  // κ_g, one per group (CAN, MEX, CHN, EU, ROW): the rest of the world and the EU front-ran most.
  [0.588, 0, 0.139, 3.709, 3.415].forEach((k, g) => near(p.kappa[g], k, 0.001, `κ_${g}`));
  assert.equal(p.sigma, Infinity);
  assert.equal(p.drawdown, 0.1);
  assert.equal(p.lead, 3);
  assert.equal(p.carry, 0.01);
  // Beliefs in threats (eq. T4c): with the lead free, a quarter for the campaign pledges, none for the later
  // statements (docs/timing.md §What the threats add).
  assert.deepEqual(p.belief, [0.25, 0]);
  assert.equal(report.fit.observations, 64); // 24 China months of 2018–19 + 5 groups × 8 months (2024-11 … 2025-06)
  assert.equal(report.fit.parameters, 12);
  near(report.fit.ssr, 0.3014, 0.0001, 'SSR');
  near(report.fit.bic, -293.01, 0.01, 'BIC');
  assert.equal(report.fit.duties.lag, 1);
  near(report.fit.duties.rhoBase, 1.033, 0.001, 'ρ0');
  near(report.fit.duties.rhoNew, 0.445, 0.001, 'ρ1');
  near(report.fit.eta2018, -6.12, 0.005, 'η (2018–19 long-run elasticity, CP)');
  // Exports (eq. T7b): fitted on 2024-11 … 2025-06, they rose while their CP target fell, so λ_X = 0, a bound.
  const x = report.fit.exports;
  assert.equal(x.lambda, 0);
  assert.ok(x.lambdaFit && x.lambdaFit.months === 8 && x.lambdaFit.bound, JSON.stringify(x.lambdaFit));
  near(x.lambdaFit.ssr, 0.01165, 0.00001, 'export SSR');
});

test('specification: one κ per group and one λ has the lowest BIC of the four (fit through 2025-06, threats in)', { skip }, () => {
  const cutoff = M('2025-06');
  const bic = (spec: { kappaByGroup: boolean; lambdaByGroup: boolean }) => timelineFromInputs(inputs, { from: M('2024-01'), to: M('2025-06'), cutoff, spec }).fit.bic;
  const chosen = report.fit.bic;
  const others = [bic({ kappaByGroup: false, lambdaByGroup: false }), bic({ kappaByGroup: false, lambdaByGroup: true }), bic({ kappaByGroup: true, lambdaByGroup: true })];
  near(others[0], -267.26, 0.01, 'one κ, one λ');
  near(others[1], -271.51, 0.01, 'one κ, λ by group');
  near(others[2], -292.04, 0.01, 'κ and λ by group');
  // Without the statements (two parameters fewer) the BIC is lower still; the rule compares with threats in.
  const noThreats = timelineFromInputs(inputs, { from: M('2024-01'), to: M('2025-06'), cutoff, spec: { threats: false } });
  near(noThreats.fit.bic, -300.99, 0.01, 'no threats');
  for (const b of others) assert.ok(chosen < b, `${chosen} vs ${b}`);
});

test('Q1 2025 surge: model excess over the no-tariff path vs the excess measured against trend (computed values)', { skip }, () => {
  const s = report.surgeQ1!;
  // Measured: Σ Jan–Mar 2025 of actual − no-tariff path (T1), US$ millions. The "about $150bn".
  near(s.measured / 1000, 157.8, 0.1, 'measured, $bn');
  near(s.model / 1000, 148.2, 0.1, 'model, $bn');
  near(s.ratio, 0.939, 0.001, 'ratio');
  // Issue 13: the model within 30% of the measured excess.
  assert.ok(s.model >= 0.7 * s.measured && s.model <= 1.3 * s.measured, `${s.model} vs ${s.measured}`);
  // By group (measured / model, US$ bn): the rest of the world and the EU carry the surge.
  const ex = (g: number, f: (i: { model: number; actual: number | null; noTariff: number }) => number) =>
    ['2025-01', '2025-02', '2025-03'].reduce((a, m) => a + f(report.rows.find((r) => r.month === m)!.imports[g]), 0) / 1000;
  const expect = [[6.98, 0.45], [4.17, -1.48], [0.62, 1.12], [44.1, 40.0], [101.93, 108.15]];
  expect.forEach(([meas, mod], g) => {
    near(ex(g, (i) => i.actual! - i.noTariff), meas, 0.05, `measured ${g}`);
    near(ex(g, (i) => i.model - i.noTariff), mod, 0.05, `model ${g}`);
  });
});

test('H2 2025 effective tariff rate: model beside the actual 10.75% and the statutory rate; collection lag and ratio recomputed from the rows', { skip }, () => {
  const e = report.etrH2!;
  near(e.actual, 10.75, 0.005, 'actual (mean of monthly duties / imports)');
  near(e.statutory, 15.88, 0.01, 'statutory');
  near(e.model, 7.74, 0.01, 'model');
  // The collection lag and the collection ratio, recomputed from the rows: at ρ0 = ρ1 = 1 the model's duties
  // would be Σ_g τ_g,t−ℓ M̂_g,t−ℓ (last month's entries at their rates and volumes); the ratio is the rest.
  const lag = report.fit.duties.lag;
  const ep = inputs.policy;
  const rowOf = (m: number) => report.rows[m - M('2024-01')];
  let ratio = 0;
  let lagPts = 0;
  let weights = 0;
  for (let t = M('2025-07'); t <= M('2025-12'); t++) {
    const r = rowOf(t);
    const u = rowOf(t - lag);
    let atOne = 0;
    let nowW = 0;
    for (let g = 0; g < 5; g++) {
      atOne += ep.tariff[(t - lag - ep.start) * 5 + g] * u.imports[g].model;
      nowW += ep.tariff[(t - ep.start) * 5 + g] * r.imports[g].model;
    }
    ratio += (100 * (r.duties.model - atOne)) / r.total.model / 6;
    lagPts += (100 * (atOne - nowW)) / r.total.model / 6;
    weights += (100 * nowW) / r.total.model / 6;
  }
  const comp = (name: string) => e.components.find((c) => c.name.startsWith(name))!.points;
  near(comp('collection ratio'), ratio, 1e-9, 'collection ratio');
  near(comp('collection lag'), lagPts, 1e-9, 'collection lag');
  near(comp('collection lag'), 0.73, 0.01, 'collection lag, points');
  near(comp('collection ratio'), -7.08, 0.01, 'collection ratio, points');
  near(e.statutory + comp('aggregation') + comp('composition'), weights, 1e-9, 'model-weighted group tariffs');
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
  // The fit and the printed months through the cutoff read the steps as known then (inputs.stepsAt; the test
  // 'real time in the steps' checks those): given the full schedule instead, with the steps announced later, both
  // the fitted parameters and the in-sample months change.
  const full = timelineFromInputs({ ...inputs, stepsAt: () => inputs.policy.steps }, { from: M('2024-01'), to: M('2026-06'), cutoff });
  const inSample = (r: TimelineReport) => r.rows.filter((x) => x.month <= '2025-06').map((x) => x.imports.map((i) => i.model));
  assert.notDeepEqual(full.fit.params, report.fit.params);
  assert.notDeepEqual(inSample(full), inSample(report));
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
  assert.equal(r0.fit.parameters, 11, 'the lead is fixed, not a parameter');
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

test('data after an early cutoff (2024-10, 2024-11, inside the duty base year) cannot change the duty fit or the path', { skip }, () => {
  for (const c of ['2024-10', '2024-11']) {
    const cutoff = M(c);
    const perturb = (tb: MonthlyTable): MonthlyTable => ({ ...tb, columns: Object.fromEntries(Object.entries(tb.columns).map(([k, v]) => [k, Float64Array.from(v, (x, i) => (tb.start + i > cutoff ? x * (1.4 + 0.1 * Math.cos(i)) : x))])) });
    const o = { from: M('2024-01'), to: M('2025-12'), cutoff };
    const r1 = timelineFromInputs(inputs, o);
    const r2 = timelineFromInputs({ ...inputs, ts: { partners: perturb(inputs.ts.partners), customs: perturb(inputs.ts.customs), goods: perturb(inputs.ts.goods) } }, o);
    assert.deepEqual(r2.fit.duties, r1.fit.duties, c);
    assert.deepEqual(r2.fit.exports, r1.fit.exports, c);
    // No export target moves through 2024 (the first 2025 action takes effect in February): λ_X is not fitted but
    // the 2024-import-weighted mean of the groups' speeds.
    assert.equal(r1.fit.exports.lambdaFit, null, c);
    assert.ok(r1.fit.exports.lambda > 0 && r1.fit.exports.lambda >= Math.min(...r1.fit.params.lambda) - 1e-12 && r1.fit.exports.lambda <= Math.max(...r1.fit.params.lambda) + 1e-12, `${c}: ${r1.fit.exports.lambda} vs ${r1.fit.params.lambda}`);
    assert.deepEqual(r2.rows.map((r) => [r.total.model, r.duties.model, r.exports.model]), r1.rows.map((r) => [r.total.model, r.duties.model, r.exports.model]), c);
  }
});

test('the path: actuals beside the model, China far below its no-tariff path, net-export contributions by quarter', { skip }, () => {
  for (const row of report.rows) assert.ok(Number.isFinite(row.total.model) && Number.isFinite(row.etr.model) && Number.isFinite(row.exports.model), row.month);
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
  near(q1.model, -8.19, 0.01, 'model 2025Q1');
  near(q1.withoutFrontRunning, -0.10, 0.01, 'without front-running 2025Q1');
  const q2 = report.quarters.find((q) => q.quarter === '2025Q2')!;
  near(q2.model, 10.09, 0.01, 'model 2025Q2');
  near(q2.actual!, 10.87, 0.01, 'actual 2025Q2');
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

test('a scenario\'s policy date reads the tariffs as applied, like the schedule it replaces (Busan, 15 November 2025)', { skip }, async () => {
  // On 15 November 2025 the law already has Brazil's exemption of 13 November, announced on 20 November; as
  // applied it is not there yet. The scenario's tariffs equal the schedule's group tariffs on its day.
  const sc = loadScenarioFile(join(PROJECT_ROOT, 'scenarios', 'busan-2025-11.yaml'));
  const row = scenarioDataset(sc);
  const day = parseDay('2025-11-15');
  const want = inputs.solver.groupsOn(day, inputs.ctx, inputs.concordance);
  const groupsOf = async (src: ReturnType<typeof nodeSources>) => inputs.solver.groupTariffs((await compileCp(sc, row, src)).prepared.compiled.counterfactual.tariff!);
  const applied = await groupsOf(appliedSources(nodeSources()));
  for (let g = 0; g < 5; g++) near(applied[g], want[g], 1e-12, `group ${g}`);
  const legal = await groupsOf(nodeSources());
  assert.ok(applied[4] - legal[4] > 1e-4, `rest of the world: as applied ${applied[4]}, law ${legal[4]}`);
});

test('a scenario holds its tariffs from its policy date: the April 2025 standoff keeps China far lower', { skip }, async () => {
  const file = join(PROJECT_ROOT, 'scenarios', 'us-china-2025-04-standoff.yaml');
  const r = await runTimeline({ scenario: file, inputs, from: '2025-01', to: '2025-12', fitThrough: '2025-06' });
  assert.equal(r.scenario, file);
  // The switch is on its date, 15 April: April's statutory rate averages the schedule's 14 days and the scenario's 16.
  const stat = (rep: TimelineReport, m: string) => rep.rows.find((x) => x.month === m)!.etr.statutory;
  let before = 0;
  for (let d = 1; d <= 14; d++) before += tariffMatrixOn(`2025-04-${String(d).padStart(2, '0')}`, inputs.ctx, inputs.world, { concordance: inputs.concordance }).usAverage.date;
  near(stat(r, '2025-04'), (before + 16 * stat(r, '2025-05')) / 30, 1e-9, 'April 2025 statutory, scenario');
  assert.equal(stat(r, '2025-03'), stat(report, '2025-03'));
  assert.notEqual(stat(r, '2025-04'), stat(r, '2025-05'));
  const chn = (rep: TimelineReport, m: string) => rep.rows.find((x) => x.month === m)!.imports.find((i) => i.group === 'CHN')!.model;
  // Before the switch the paths agree up to anticipation (the switch itself is not anticipated).
  near(chn(r, '2025-01'), chn(report, '2025-01'), 1e-3 * chn(report, '2025-01'), 'January 2025');
  near(chn(r, '2025-03'), chn(report, '2025-03'), 1e-3 * chn(report, '2025-03'), 'March 2025');
  assert.ok(chn(r, '2025-12') < 0.8 * chn(report, '2025-12'), `${chn(r, '2025-12')} vs ${chn(report, '2025-12')}`);
});
