// Reports a reader can trust (issue 11) on the present-day scenarios: the path-integrated decomposition adds up to
// the exact real-income change, consumer prices relative to the wage do not depend on the numéraire, and the
// incidence of each tariff-setter's tariffs lies in [0, 1] (or outside it only in the case docs/cp2015.md explains).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { CpModel } from '../../src/model/cp/model.ts';
import { prepareScenarioFile, runScenarioFile } from '../../src/node/scenario.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');
const scenario = (name: string) => join(PROJECT_ROOT, 'scenarios', `${name}.yaml`);

// ---- HEADLINE VALUES (world2024 re-targeted to 2024 for every region; recompute with `npm start` and update when the
// ---- baseline is rebuilt). Percent; US and China, April 2025 standoff, fixed deficits.
const HEADLINE = { usRealIncome: -0.23, chinaRealIncome: -0.55, usTermsOfTrade: 0.33, usVolumeOfTrade: -0.56, usCpiInWage: 0.66, usBuyersShare: 0.75 };

test('path-integrated decomposition with trade costs (deals-2025 NTB assumptions): the parts add up within 0.01 pt', { skip }, async () => {
  const run = await runScenarioFile(scenario('deals-2025'));
  assert.ok(run.results.regions.some((r) => Math.abs(r.welfare.tradeCosts) > 1e-3), 'some region has a trade-cost part');
  for (const r of run.results.regions) {
    const w = r.welfare;
    assert.ok(Math.abs(r.realIncome - (w.termsOfTrade + w.volumeOfTrade + w.tradeCosts + w.deficits)) < 0.01, `${r.code}: gap ${w.gap}`);
  }
});

test('path-integrated decomposition: terms of trade + volume of trade + trade costs = exact real income within 0.01 pt (standoff, Geneva, Busan; both closures)', { skip }, async () => {
  for (const name of ['us-china-2025-04-standoff', 'geneva-2025-05', 'busan-2025-11']) {
    for (const closure of ['fixed-deficits', 'zero-deficits'] as const) {
      const run = await runScenarioFile(scenario(name), { closure });
      for (const r of run.results.regions) {
        const w = r.welfare;
        assert.equal(w.method, 'path');
        const sum = w.termsOfTrade + w.volumeOfTrade + w.tradeCosts + w.deficits;
        assert.ok(Math.abs(r.realIncome - sum) < 0.01, `${name} ${closure} ${r.code}: exact ${r.realIncome} vs parts ${sum}`);
        assert.equal(w.deficits, 0, 'deficits are fixed in units of the numéraire under both closures');
        // The by-sector and by-partner details add up to the parts.
        const bySector = Object.values(w.bySector).reduce((s, p) => s + p.termsOfTrade + p.volumeOfTrade + p.tradeCosts, 0);
        assert.ok(Math.abs(bySector - (w.total - w.deficits)) < 1e-9, `${name} ${r.code} by sector`);
      }
      if (name === 'us-china-2025-04-standoff') {
        const us = run.results.regions.find((r) => r.code === 'USA')!;
        // The one-step evaluation is far from the exact change for a 145% shock; the path is not.
        assert.ok(Math.abs(us.welfareOneStep.total - us.realIncome) > 0.3, `one-step ${us.welfareOneStep.total} vs exact ${us.realIncome}`);
        if (closure === 'fixed-deficits') {
          const cn = run.results.regions.find((r) => r.code === 'CHN')!;
          assert.equal(us.realIncome.toFixed(2), HEADLINE.usRealIncome.toFixed(2));
          assert.equal(cn.realIncome.toFixed(2), HEADLINE.chinaRealIncome.toFixed(2));
          assert.equal(us.welfare.termsOfTrade.toFixed(2), HEADLINE.usTermsOfTrade.toFixed(2));
          assert.equal(us.welfare.volumeOfTrade.toFixed(2), HEADLINE.usVolumeOfTrade.toFixed(2));
          assert.equal(us.consumerPricesRelativeToWage.toFixed(2), HEADLINE.usCpiInWage.toFixed(2));
          assert.equal(us.importPrices.changedTariffsInImporterWage!.buyersShare.toFixed(2), HEADLINE.usBuyersShare.toFixed(2));
        }
      }
    }
  }
});

test('prices relative to the wage are invariant to the numéraire: the standoff solved with world value added and with the US wage as numéraire (1e-8)', { skip }, async () => {
  const { world, compiled } = await prepareScenarioFile((scenario('us-china-2025-04-standoff')));
  const us = world.regions.findIndex((r) => r.code === 'USA');
  const usWage = new Float64Array(world.regions.length);
  usWage[us] = 1;
  // Zero deficits: with deficits held fixed in units of the numéraire, a different numéraire is a different closure.
  const a = new CpModel(world, { closure: 'zero-deficits', solver: compiled.solver }).solve(compiled.counterfactual);
  const b = new CpModel(world, { closure: 'zero-deficits', solver: { ...compiled.solver, numeraire: usWage } }).solve(compiled.counterfactual);
  assert.ok(Math.abs(b.regions[us].wage) < 1e-9, 'the US wage is the numéraire in the second solve');
  let numeraireMoved = 0;
  a.regions.forEach((x, n) => {
    const y = b.regions[n];
    for (const k of ['consumerPricesRelativeToWage', 'realIncome', 'realWage'] as const) assert.ok(Math.abs(x[k] - y[k]) < 1e-8, `${x.code} ${k}: ${x[k]} vs ${y[k]}`);
    // Quantities are numéraire-free too.
    for (const [k, u, v] of [['exports volume', x.exports.volume, y.exports.volume], ['imports volume', x.imports.volume, y.imports.volume], ['mfg real output', x.sectorGroups.manufacturing.realOutput, y.sectorGroups.manufacturing.realOutput], ['mfg employment', x.sectorGroups.manufacturing.employment, y.sectorGroups.manufacturing.employment]] as const) {
      assert.ok(Math.abs(u - v) < 1e-8, `${x.code} ${k}: ${u} vs ${v}`);
    }
    const ia = x.importPrices.changedTariffsInImporterWage;
    const ib = y.importPrices.changedTariffsInImporterWage;
    if (ia && ib) for (const k of ['beforeTariff', 'afterTariff', 'buyersShare'] as const) assert.ok(Math.abs(ia[k] - ib[k]) < 1e-8, `${x.code} incidence ${k}`);
    numeraireMoved = Math.max(numeraireMoved, Math.abs(x.consumerPrices - y.consumerPrices));
  });
  assert.ok(numeraireMoved > 0.5, `prices in the numéraire do move with it (${numeraireMoved})`);
});

test('incidence per tariff-setter in the standoff: own tariffs alone in [0, 1]; the full-scenario share outside [0, 1] only where the exporter\'s wage rose relative to the importer\'s (docs/cp2015.md)', { skip }, async () => {
  for (const closure of ['fixed-deficits', 'zero-deficits'] as const) {
    const run = await runScenarioFile(scenario('us-china-2025-04-standoff'), { closure });
    const setters = run.results.regions.filter((r) => r.importPrices.changedTariffsInImporterWage !== null);
    assert.deepEqual(setters.map((r) => r.code).sort(), ['CHN', 'USA']);
    for (const r of setters) {
      const own = r.importPrices.ownTariffsOnly!;
      assert.ok(own.buyersShare >= 0 && own.buyersShare <= 1, `${closure} ${r.code} own tariffs: ${own.buyersShare}`);
      const full = r.importPrices.changedTariffsInImporterWage!;
      if (full.buyersShare >= 0 && full.buyersShare <= 1) continue;
      // The documented case: the main exporter's wage rose relative to the importer's (the other side's tariffs).
      const main = Object.keys(full.byExporter)[0];
      const ex = run.results.regions.find((x) => x.code === main)!;
      assert.ok((1 + ex.wage / 100) / (1 + r.wage / 100) > 1, `${closure} ${r.code}: share ${full.buyersShare} outside [0, 1] without the documented cause`);
    }
  }
});

test('closure dollar-deficits: the US wage is the numéraire and every deficit stays fixed in it, so the US deficit keeps its share of US GDP; parts still add up', { skip }, async () => {
  const run = await runScenarioFile(scenario('us-china-2025-04-standoff'), { closure: 'dollar-deficits' });
  assert.match(run.results.closureMeaning, /in dollars, the dollar being the US wage/);
  const us = run.results.regions.find((r) => r.code === 'USA')!;
  assert.ok(Math.abs(us.wage) < 1e-9, `US wage change ${us.wage}`);
  const va = (r: typeof us, k: 'before' | 'after') => r.sectors.reduce((s, x) => s + x.valueAdded[k], 0);
  const shareBefore = us.tradeBalance.before / va(us, 'before');
  const shareAfter = us.tradeBalance.after / va(us, 'after');
  assert.ok(Math.abs(shareAfter / shareBefore - 1) < 1e-9, `US balance / GDP ${shareBefore} → ${shareAfter}`);
  for (const r of run.results.regions) assert.ok(Math.abs(r.welfare.gap) < 0.01, `${r.code} gap ${r.welfare.gap}`);
  const fixed = await runScenarioFile(scenario('us-china-2025-04-standoff'), { closure: 'fixed-deficits' });
  const usFixed = fixed.results.regions.find((r) => r.code === 'USA')!;
  assert.ok(Math.abs(usFixed.realIncome - us.realIncome) > 1e-3, 'a different closure, a different answer');
});
