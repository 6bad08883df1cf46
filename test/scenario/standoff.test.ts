// `tariffsim standoff` on the CP2015 world: a US–Mexico tariff war against a low-tariff deal; the anxiety
// measures checked one by one against values computed by hand from the `run` reports (JSON and CSV tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarioFile } from '../../src/node/scenario.ts';
import { standoffReport } from '../../src/scenario/standoff.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('cp2015');
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-standoff-'));
const scenario = (name: string, rate: number, closure = 'fixed-deficits') => {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\ndataset: cp2015\nclosure: ${closure}\nshocks:\n  - tariff: {importer: USA, exporter: MEX, sector: goods, set: ${rate}}\n  - tariff: {importer: MEX, exporter: USA, sector: goods, set: ${rate}}\n`);
  return f;
};

test('standoff: both sides lose from a 50% war against a 5% deal; the smaller economy loses more of its income; dollars on GDP per year and ÷ 12', { skip }, async () => {
  const r = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', scenario('war', 50), '--deal', scenario('deal', 5), '--closure', 'fixed-deficits', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  for (const s of [rep.a, rep.b]) {
    assert.ok(s.lossPercent > 0, `${s.code} loses`);
    assert.ok(Math.abs(s.lossPerYear - (s.lossPercent / 100) * s.gdp) < 1e-9 * s.gdp);
    assert.ok(Math.abs(s.lossPerMonth - s.lossPerYear / 12) < 1e-9 * s.gdp);
    assert.ok(s.exportsToOther.standoff < 0.5 * s.exportsToOther.baseline, `${s.code} exports collapse in the war`);
    assert.ok(s.exportsToOther.deal > s.exportsToOther.standoff);
  }
  assert.equal(rep.moreAnxious, 'MEX');
  assert.ok(rep.b.lossPercent > rep.a.lossPercent);
  const text = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', scenario('war', 50), '--deal', scenario('deal', 5)]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /loss \(bn USD thousands\/year\)|loss \(bn [^)]*\/year\)/);
  assert.match(text.stdout, /per month is that ÷ 12/);
  assert.match(text.stdout, /closure fixed-deficits/);
  assert.match(text.stdout, /closure zero-deficits: relative to a rebalanced world, not to 1993/);
  assert.match(text.stdout, /Who is the more anxious party/);
});

test('standoff anxiety table: every measure equals the value computed by hand from the run reports, under both closures', { skip }, async () => {
  for (const closure of ['fixed-deficits', 'zero-deficits']) {
    const war = scenario('war', 50);
    const deal = scenario('deal', 5);
    const outW = join(dir, `w-${closure}`);
    const runW = await runCli(['run', war, '--closure', closure, '--json', '--out', outW]);
    const runD = await runCli(['run', deal, '--closure', closure, '--json']);
    assert.equal(runW.code, 0, runW.stderr);
    const W = JSON.parse(runW.stdout);
    const D = JSON.parse(runD.stdout);
    const st = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', war, '--deal', deal, '--closure', closure, '--json']);
    assert.equal(st.code, 0, st.stderr);
    const rep = JSON.parse(st.stdout);
    assert.equal(rep.closure, closure);
    const bilateral = readFileSync(join(outW, 'bilateral_trade.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const region = (j: any, code: string) => j.regions.find((x: any) => x.code === code);
    const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${closure} ${what}: ${got} vs ${want}`);
    const hand: Record<string, number[]> = {};
    for (const [code, other] of [['USA', 'MEX'], ['MEX', 'USA']]) {
      const w = region(W, code);
      const d = region(D, code);
      const o = region(W, other);
      const va = w.sectors.reduce((s: number, x: any) => s + x.valueAdded.before, 0);
      const loss = ((1 + d.realIncome / 100) / (1 + w.realIncome / 100) - 1) * 100;
      const exportsToOther = w.tradeBalance.byPartner[o.region].exports.before;
      // Few substitutes: sectors where the other's exports are ≥ 25% of world exports (sum of every region's exports).
      let counted = 0;
      for (let j = 0; j < w.sectors.length; j++) {
        const world = W.regions.reduce((s: number, x: any) => s + x.sectors[j].exports.before, 0);
        if (world === 0 || (100 * o.sectors[j].exports.before) / world < 25) continue;
        const row = bilateral.find((b) => b[0] === w.region && b[1] === o.region && b[2] === w.sectors[j].sector);
        counted += row ? Number(row[3]) : 0;
      }
      const mfg = ((1 + w.sectorGroups.manufacturing.realOutput / 100) / (1 + d.sectorGroups.manufacturing.realOutput / 100) - 1) * 100;
      hand[code] = [loss, (loss / 100) * w.gdp / 1e9, (100 * exportsToOther) / va, (100 * counted) / w.imports.before, (100 * w.tariffRevenue.after) / va, mfg];
    }
    assert.equal(rep.measures.length, 6);
    rep.measures.forEach((m: any, k: number) => {
      close(m.a, hand.USA[k], `${m.measure} USA`);
      close(m.b, hand.MEX[k], `${m.measure} MEX`);
      // Direction: larger is more anxious for loss, exports and few-substitute imports; smaller for revenue and manufacturing.
      const largerIsMore = k < 4;
      const ra = Number(hand.USA[k].toFixed(m.digits));
      const rb = Number(hand.MEX[k].toFixed(m.digits));
      assert.equal(m.pointsTo, ra === rb ? null : (ra > rb) === largerIsMore ? 'USA' : 'MEX', m.measure);
      assert.ok(rep.verdict.includes(`${m.measure}, ${m.unit}`), `verdict names ${m.measure}`);
    });
    close(rep.a.lossPerYear, (hand.USA[0] / 100) * region(W, 'USA').gdp, 'USA loss per year');
  }
});

test('standoff: bad inputs (unknown region, bad closure or threshold, scenarios with different closures) are input errors', { skip }, async () => {
  let r = await runCli(['standoff', '--a', 'USA', '--b', 'Atlantis', '--from', scenario('war', 50), '--deal', scenario('deal', 5), '--closure', 'fixed-deficits']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /field '--b': unknown region 'Atlantis'/);
  r = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--closure', 'gold-standard']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /field '--closure'/);
  r = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', scenario('war', 50), '--deal', scenario('deal', 5), '--closure', 'fixed-deficits', '--few-substitutes', '150']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /field '--few-substitutes'/);
  const a = await runScenarioFile(scenario('war', 50));
  const b = await runScenarioFile(scenario('deal0', 5, 'zero-deficits'));
  assert.throws(() => standoffReport(a, b, 'USA', 'MEX'), /closure 'fixed-deficits' but the deal uses 'zero-deficits'/);
  r = await runCli(['standoff', '--a', 'USA']);
  assert.equal(r.code, 2);
});
