// Ossa (2014) trade war (Nash, Table 4) and trade talks (cooperative tariffs, Table 5) headline numbers.
// The full computations take a few seconds, so they run in the normal suite.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { runTalks, runWar } from '../../src/node/strategy/ossa.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');

describe('Ossa (2014) trade wars and trade talks', { skip }, () => {
  const data = skip ? undefined : loadOssa2014();

  test('Nash without political economy (2 worker threads): median tariff 58.1%, welfare loss 2.4%', async () => {
    const r = await runWar({ data: data!, workers: 2 });
    assert.ok(Math.abs(r.nashAverage.medianTariff - 58.1) <= 1, `average median Nash tariff ${r.nashAverage.medianTariff}`);
    assert.ok(Math.abs(-r.nashAverage.welfare - 2.4) <= 1, `average welfare change ${r.nashAverage.welfare}`);
    // without political economy, government welfare is welfare
    assert.ok(Math.abs(r.nashAverage.governmentWelfare - r.nashAverage.welfare) < 1e-9);
    // every government loses from the war and the first round reproduces the optimal tariffs
    for (const row of r.nash) assert.ok(row.welfare < 0, `${row.region} ${row.welfare}`);
    assert.ok(Math.abs(r.optimal.reduce((a, o) => a + o.medianTariff, 0) / 7 - 58.9) <= 1);
    assert.equal(r.workers, 2);
    assert.ok(r.history[r.history.length - 1].maxChange <= 1e-4);
  });

  test('Nash with political-economy weights (in this thread): median tariff 63.4%, welfare loss 3.2%', async () => {
    const r = await runWar({ data: data!, politicalEconomy: true, workers: 0 });
    assert.ok(Math.abs(r.nashAverage.medianTariff - 63.4) <= 1, `average median Nash tariff ${r.nashAverage.medianTariff}`);
    assert.ok(Math.abs(-r.nashAverage.welfare - 3.2) <= 1, `average welfare change ${r.nashAverage.welfare}`);
    assert.ok(r.nashAverage.governmentWelfare < 0);
  });

  test('talks relative to the factual tariffs: every government gains about 0.5%, equally', async () => {
    const r = await runTalks({ data: data!, workers: 0 });
    assert.ok(Math.abs(r.commonGain - 0.5) <= 0.1, `common gain ${r.commonGain}`);
    for (const x of r.gainVsReference) assert.ok(Math.abs(x.gain - r.commonGain) < 1e-4, `${x.region} gains ${x.gain}`);
    // restricted: no import subsidies
    for (const t of r.cooperativeTariffs) assert.ok(t >= 0);
    assert.ok(r.cooperativeAverage.medianTariff < 10);
  });
});
