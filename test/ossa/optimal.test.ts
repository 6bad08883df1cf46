// Ossa (2014) Table 3a: each government's optimal tariffs against the factual tariffs, no political economy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { OssaStrategicModel } from '../../src/strategy/adapters/ossa.ts';
import { bestResponse } from '../../src/strategy/best-response.ts';
import { median } from '../../src/strategy/summary.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');

/** Rows of published_tables/table3a.csv: region → { median_tariff, gov_welfare_own }. */
function table3a(): Map<string, { median: number; gain: number }> {
  const lines = readFileSync(sharedPath('ossa2014', 'published_tables', 'table3a.csv'), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const iMed = head.indexOf('median_tariff');
  const iGain = head.indexOf('gov_welfare_own');
  const out = new Map<string, { median: number; gain: number }>();
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    out.set(c[0], { median: Number(c[iMed]), gain: Number(c[iGain]) });
  }
  return out;
}

describe('Ossa (2014) Table 3a: optimal tariffs without political economy', { skip }, () => {
  const data = skip ? undefined : loadOssa2014();
  const model = skip ? undefined : new OssaStrategicModel(data!);
  const published = skip ? new Map() : table3a();
  const gains: number[] = [];
  const medians: number[] = [];

  for (const region of ['Brazil', 'China', 'EU', 'India', 'Japan', 'ROW', 'US']) {
    test(`${region}: median optimal tariff within 1 point, own welfare gain within 0.2 points`, () => {
      const g = model!.governments.indexOf(region);
      const r = bestResponse(model!, { government: g, policy: model!.baselinePolicy(), kind: 'discriminatory' });
      const med = 100 * median(r.instruments);
      const gain = 100 * (r.welfare[g] - 1);
      const p = published.get(region)!;
      assert.ok(Math.abs(med - p.median) <= 1, `median ${med.toFixed(2)} vs published ${p.median}`);
      assert.ok(Math.abs(gain - p.gain) <= 0.2, `gain ${gain.toFixed(3)} vs published ${p.gain}`);
      assert.equal(r.instruments.length, 6 * 33);
      medians.push(med);
      gains.push(gain);
    });
  }

  test('averages match the published Average row (58.9, 2.2)', () => {
    const p = published.get('Average')!;
    const avgMed = medians.reduce((a, b) => a + b, 0) / medians.length;
    const avgGain = gains.reduce((a, b) => a + b, 0) / gains.length;
    assert.equal(medians.length, 7);
    assert.ok(Math.abs(avgMed - p.median) <= 1, `average median ${avgMed}`);
    assert.ok(Math.abs(avgGain - p.gain) <= 0.2, `average gain ${avgGain}`);
  });

  test('the optimum is a local maximum: no single tariff move of ±1 point raises welfare', () => {
    const g = 6;
    const r = bestResponse(model!, { government: g, policy: model!.baselinePolicy(), kind: 'discriminatory' });
    const best = r.welfare[g];
    const pos = model!.positions(g);
    for (const q of [0, 50, 100, 150, 197]) {
      for (const d of [0.01, -0.01]) {
        const p = Float64Array.from(r.policy);
        p[pos[q].index] = Math.max(0, p[pos[q].index] + d);
        assert.ok(model!.evaluate(p).welfare[g] <= best + 1e-12, `moving tariff ${q} by ${d} raised welfare`);
      }
    }
  });

  test('MFN-restricted optimal tariffs: 33 instruments, and a smaller gain than discriminatory ones', () => {
    const g = 6;
    const d = bestResponse(model!, { government: g, policy: model!.baselinePolicy(), kind: 'discriminatory' });
    const m = bestResponse(model!, { government: g, policy: model!.baselinePolicy(), kind: 'mfn' });
    assert.equal(m.instruments.length, 33);
    assert.ok(m.welfare[g] > 1 && m.welfare[g] <= d.welfare[g] + 1e-12);
  });
});
