// The Ossa (2014) loader: orientation, shapes and bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseOssa2014, OSSA_FILES, type OssaFiles } from '../../src/data/ossa2014.ts';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { ossaIndustryIndex, ossaRegionIndex } from '../../src/model/ossa/lookup.ts';
import { InputError } from '../../src/errors.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');

function files(): OssaFiles {
  const f = {} as OssaFiles;
  for (const name of OSSA_FILES) f[name] = readFileSync(sharedPath('ossa2014', name), 'utf8');
  return f;
}

describe('ossa2014 loader', { skip }, () => {
  test('7 regions × 33 industries, exporter × importer transposed to bil(s, importer, exporter)', () => {
    const d = loadOssa2014();
    assert.deepEqual(d.regions, ['Brazil', 'China', 'EU', 'India', 'Japan', 'ROW', 'US']);
    assert.equal(d.industries.length, 33);
    assert.equal(d.industries[23].code, 'crp');
    assert.equal(d.flows, 'balanced');
    const N = 7;
    const [bra, jpn, ric] = [ossaRegionIndex(d, 'Brazil'), ossaRegionIndex(d, 'Japan'), ossaIndustryIndex(d, 'ric')];
    // file row "ric,Brazil,Japan": exporter Brazil, importer Japan, balanced 0.13067..., tariff 1.929883
    const k = (ric * N + jpn) * N + bra;
    assert.ok(Math.abs(d.trade[k] - 0.13067045667188834) < 1e-12);
    assert.equal(d.tariff[k], 1.929883);
    // and the reverse direction is a different number
    assert.ok(Math.abs(d.trade[(ric * N + bra) * N + jpn] - d.trade[k]) > 1e-6);
    // λ: Brazil, ric
    assert.ok(Math.abs(d.lambda[bra * d.industries.length + ric] - 1.2279393939393946) < 1e-12);
    // balanced flows: net exports ≈ 0 for every region
    for (let i = 0; i < N; i++) {
      let nx = 0;
      for (let s = 0; s < 33; s++) for (let j = 0; j < N; j++) nx += d.trade[(s * N + j) * N + i] - d.trade[(s * N + i) * N + j];
      assert.ok(Math.abs(nx) < 1e-3, `net exports of ${d.regions[i]} = ${nx}`);
    }
  });

  test('raw flows are available and are not balanced', () => {
    const d = loadOssa2014(undefined, 'raw');
    let nxUS = 0;
    const N = 7;
    const us = ossaRegionIndex(d, 'US');
    for (let s = 0; s < 33; s++) for (let j = 0; j < N; j++) nxUS += d.trade[(s * N + j) * N + us] - d.trade[(s * N + us) * N + j];
    assert.ok(nxUS < -500000, `US raw net exports ${nxUS}`);
  });

  test('a region or industry not in the data is an InputError listing what exists', () => {
    const d = loadOssa2014();
    assert.throws(() => ossaRegionIndex(d, 'Atlantis'), (e: unknown) => e instanceof InputError && /Atlantis/.test(e.message) && /Brazil, China, EU/.test(e.message));
    assert.throws(() => ossaIndustryIndex(d, 'steel'), (e: unknown) => e instanceof InputError && /steel/.test(e.message) && /crp/.test(e.message));
    assert.equal(ossaRegionIndex(d, 'us'), 6);
    assert.equal(ossaIndustryIndex(d, 'Wearing apparel'), 19);
  });

  test('bad files: unknown region names the file and row; negative flows; missing rows', () => {
    const f = files();
    const lines = f['trade_tariffs_long.csv'].split('\n');
    const bad1 = { ...f, 'trade_tariffs_long.csv': [lines[0], lines[1].replace('Brazil,Brazil', 'Brazil,Atlantis'), ...lines.slice(2)].join('\n') };
    assert.throws(() => parseOssa2014(bad1, 'x'), (e: unknown) => e instanceof InputError && /row 1/.test(e.message) && /Atlantis/.test(e.message) && /trade_tariffs_long\.csv/.test(e.message));
    const cells = lines[2].split(',');
    cells[4] = '-5';
    const bad2 = { ...f, 'trade_tariffs_long.csv': [lines[0], lines[1], cells.join(','), ...lines.slice(3)].join('\n') };
    assert.throws(() => parseOssa2014(bad2, 'x'), (e: unknown) => e instanceof InputError && /negative trade flow/.test(e.message) && /row 2/.test(e.message));
    const bad3 = { ...f, 'trade_tariffs_long.csv': lines.slice(0, 100).join('\n') };
    assert.throws(() => parseOssa2014(bad3, 'x'), (e: unknown) => e instanceof InputError && /no row for industry/.test(e.message));
    const bad4 = { ...f, 'industries.csv': f['industries.csv'].replace('sigma,', 'sgma,') };
    assert.throws(() => parseOssa2014(bad4, 'x'), (e: unknown) => e instanceof InputError && /missing column 'sigma'/.test(e.message));
  });

  test('a missing folder is an InputError with a hint', () => {
    assert.throws(() => loadOssa2014('/nonexistent/ossa2014'), (e: unknown) => e instanceof InputError && /TARIFFSIM_DATA/.test(e.message));
  });
});
