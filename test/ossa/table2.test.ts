// Ossa (2014) Table 2: the US raises its tariffs on all partners by 50 points in one industry.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { ConvergenceError, InputError } from '../../src/errors.ts';
import { runOssaCounterfactual, ossaChangesFromShocks } from '../../src/model/ossa/counterfactual.ts';
import { OssaModel } from '../../src/model/ossa/model.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');
const r2 = (x: number): number => Number(x.toFixed(2));

describe('Ossa (2014) Table 2', { skip }, () => {
  const data = skip ? undefined : loadOssa2014();

  test('chemicals (crp) +50 points: 1.45, 5.73, −1.40, 0.17, 0.34, 0.12', () => {
    const r = runOssaCounterfactual(data!, { importer: 'US', exporters: 'all', industries: ['crp'], addPoints: 50 });
    const t = r.table2;
    assert.equal(r2(t.wageRelMean), 1.45);
    assert.equal(r2(t.ownIndustrySales), 5.73);
    assert.equal(r2(t.otherIndustriesSales), -1.4);
    assert.equal(r2(t.welfare), 0.17);
    assert.equal(r2(t.termsOfTrade), 0.34);
    assert.equal(r2(t.profitShifting), 0.12);
    assert.equal(r.focusRegion, 'US');
    assert.ok(r.outcome.residual < 1e-12);
  });

  test('wearing apparel (wap) +50 points: 0.67, 33.35, −0.97, −0.14, 0.16, −0.15', () => {
    const r = runOssaCounterfactual(data!, { importer: 'US', industries: ['wap'], addPoints: 50 });
    const t = r.table2;
    assert.equal(r2(t.wageRelMean), 0.67);
    assert.equal(r2(t.ownIndustrySales), 33.35);
    assert.equal(r2(t.otherIndustriesSales), -0.97);
    assert.equal(r2(t.welfare), -0.14);
    assert.equal(r2(t.termsOfTrade), 0.16);
    assert.equal(r2(t.profitShifting), -0.15);
  });

  test('scenario-style shocks give the same result', () => {
    const changes = ossaChangesFromShocks(data!, [{ importer: 'US', exporter: 'all', sector: 'crp', add: 50 }]);
    const r = runOssaCounterfactual(data!, changes);
    assert.equal(r2(r.table2.welfare), 0.17);
  });

  test('the factual tariffs reproduce the baseline (ŵ = Ê = Ŵ = 1)', () => {
    const m = new OssaModel(data!);
    const out = m.solve(m.factualTariffs());
    for (let j = 0; j < 7; j++) {
      assert.ok(Math.abs(out.wageHat[j] - 1) < 1e-9);
      assert.ok(Math.abs(out.welfareHat[j] - 1) < 1e-9);
      assert.ok(Math.abs(out.governmentWelfareHat[j] - 1) < 1e-9);
    }
  });

  test('a Newton solve that runs out of iterations is a ConvergenceError with iterations and residual', () => {
    const m = new OssaModel(data!);
    const t = m.factualTariffs().map((v, k) => (k % 7 === Math.floor(k / 7) % 7 ? 0 : v + 2));
    assert.throws(
      () => m.eq.solve(t, { guess: new Float64Array(14), maxIterations: 1 }),
      (e: unknown) => e instanceof ConvergenceError && e.iterations === 1 && /did not reach tolerance/.test(e.message) && /maxResidual=/.test(e.message),
    );
    // and with room it converges from the same start
    assert.ok(m.eq.solve(t, { guess: new Float64Array(14) }).residual <= 1e-12);
  });

  test('bad tariff changes are InputErrors naming the change', () => {
    assert.throws(() => runOssaCounterfactual(data!, { importer: 'Atlantis', industries: ['crp'], addPoints: 50 }), (e: unknown) => e instanceof InputError && /Atlantis/.test(e.message) && /change 1\.importer/.test(e.message));
    assert.throws(() => runOssaCounterfactual(data!, { importer: 'US', industries: ['steel'], addPoints: 50, id: 'a7' }), (e: unknown) => e instanceof InputError && /steel/.test(e.message) && /a7/.test(e.message));
    assert.throws(() => runOssaCounterfactual(data!, { importer: 'US', exporters: ['US'], industries: ['crp'], addPoints: 50 }), (e: unknown) => e instanceof InputError && /own domestic/.test(e.message));
    assert.throws(() => runOssaCounterfactual(data!, { importer: 'US', industries: ['crp'], addPoints: 50, setPercent: 3 }), (e: unknown) => e instanceof InputError && /exactly one/.test(e.message));
    assert.throws(() => runOssaCounterfactual(data!, { importer: 'US', industries: ['crp'], setPercent: -120 }), (e: unknown) => e instanceof InputError && /−100%/.test(e.message));
  });
});
