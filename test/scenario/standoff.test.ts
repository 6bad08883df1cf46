// `tariffsim standoff` on the CP2015 world: a US–Mexico tariff war against a low-tariff deal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('cp2015');
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-standoff-'));
const scenario = (name: string, rate: number, closure = 'fixed-deficits') => {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\ndataset: cp2015\nclosure: ${closure}\nshocks:\n  - tariff: {importer: USA, exporter: MEX, sector: goods, set: ${rate}}\n  - tariff: {importer: MEX, exporter: USA, sector: goods, set: ${rate}}\n`);
  return f;
};

test('standoff: both sides lose from a 50% war against a 5% deal; the smaller economy loses more of its income', { skip }, async () => {
  const r = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', scenario('war', 50), '--deal', scenario('deal', 5), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  for (const s of [rep.a, rep.b]) {
    assert.ok(s.lossPercent > 0, `${s.code} loses`);
    assert.ok(Math.abs(s.lossPerMonth - (s.lossPercent / 100) * (s.income / 12)) < 1e-6 * s.income);
    assert.ok(s.exportsToOther.standoff < 0.5 * s.exportsToOther.baseline, `${s.code} exports collapse in the war`);
    assert.ok(s.exportsToOther.deal > s.exportsToOther.standoff);
  }
  assert.equal(rep.moreAnxious, 'MEX');
  assert.ok(rep.b.lossPercent > rep.a.lossPercent);
});

test('standoff: bad inputs (unknown region, different closures) exit 2', { skip }, async () => {
  let r = await runCli(['standoff', '--a', 'USA', '--b', 'Atlantis', '--from', scenario('war', 50), '--deal', scenario('deal', 5)]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /field '--b': unknown region 'Atlantis'/);
  r = await runCli(['standoff', '--a', 'USA', '--b', 'MEX', '--from', scenario('war', 50), '--deal', scenario('deal0', 5, 'zero-deficits')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /closure 'fixed-deficits' but the deal uses 'zero-deficits'/);
  r = await runCli(['standoff', '--a', 'USA']);
  assert.equal(r.code, 2);
});
