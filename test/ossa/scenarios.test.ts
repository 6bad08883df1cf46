// scenarios/ossa2014-table2-{crp,wap}.yaml: the shipped scenario files describe Ossa's Table 2 experiments.
// (`tariffsim run` support is wired by the scenario layer; this checks the files themselves through the Ossa
// API: parsed as YAML, shocks mapped with ossaChangesFromShocks, Table 2 reproduced.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { ossaChangesFromShocks, runOssaCounterfactual, type TariffShockLike } from '../../src/model/ossa/counterfactual.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');
const expected: Record<string, number[]> = {
  crp: [1.45, 5.73, -1.4, 0.17, 0.34, 0.12],
  wap: [0.67, 33.35, -0.97, -0.14, 0.16, -0.15],
};

describe('Ossa Table 2 scenario files', { skip }, () => {
  for (const ind of ['crp', 'wap']) {
    test(`scenarios/ossa2014-table2-${ind}.yaml reproduces Table 2`, () => {
      const spec = parse(readFileSync(join(PROJECT_ROOT, 'scenarios', `ossa2014-table2-${ind}.yaml`), 'utf8')) as { dataset: string; closure: string; shocks: { tariff: TariffShockLike }[] };
      assert.equal(spec.dataset, 'ossa2014');
      assert.equal(spec.closure, 'zero-deficits');
      const data = loadOssa2014();
      const r = runOssaCounterfactual(data, ossaChangesFromShocks(data, spec.shocks.map((s) => s.tariff)));
      const t = r.table2;
      const got = [t.wageRelMean, t.ownIndustrySales, t.otherIndustriesSales, t.welfare, t.termsOfTrade, t.profitShifting].map((x) => Number(x.toFixed(2)));
      assert.deepEqual(got, expected[ind]);
    });
  }
});
