// 2024 region targets (../shared/data/wdi) and the RAS update: what is read, and every bad input named in issue 10
// (a target file missing a region, a negative or empty value, margins RAS cannot meet) → an InputError naming
// the file, row and region, and `data build` writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { readTargetRegions } from '../../src/node/data/builder/concordance.ts';
import { ras, RasFailure } from '../../src/data/builder/ras.ts';
import { readRegionTargets, WDI_FILE } from '../../src/node/data/builder/targets.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

const skip = needsShared('wdi') || needsShared('wiod2011') || needsShared('us-tariffs');
const regionsFile = join(PROJECT_ROOT, 'data', 'concordances', 'world2024-regions.csv');

/** A data folder with the shared wiod2011/ and us-tariffs/ linked and a wdi/ copy edited by `edit`. */
function dataDirWith(edit: (file: string, text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-wdi-'));
  for (const sub of ['wiod2011', 'us-tariffs']) symlinkSync(sharedPath(sub), join(dir, sub));
  mkdirSync(join(dir, 'wdi'));
  for (const f of readdirSync(sharedPath('wdi'))) writeFileSync(join(dir, 'wdi', f), edit(f, readFileSync(sharedPath('wdi', f), 'utf8')));
  return dir;
}
const wdiLine = (text: string, prefix: string) => {
  const lines = text.split('\n');
  const k = lines.findIndex((l) => l.startsWith(prefix));
  assert.ok(k > 0, prefix);
  return { lines, k, dataRow: k }; // data rows are 1-based with the header excluded: line k+1 is data row k
};

test('targets: every region gets GDP, exports, imports; EU extra-EU trade, Taiwan file, rest of world = WLD minus the others', { skip }, () => {
  const tr = readTargetRegions(regionsFile);
  const t = readRegionTargets(sharedPath('wdi'), tr);
  assert.equal(t.list.length, 3 * tr.regions.length);
  const at = (code: string) => tr.regions.findIndex((r) => r.code === code);
  // Read the same rows straight from the files (not through the reader).
  const wdi = readFileSync(sharedPath('wdi', WDI_FILE), 'utf8').split('\n');
  const value = (ind: string, code: string) => Number(wdi.find((l) => l.startsWith(`${ind},`) && l.includes(`,${code},2024,`))!.split(',').at(-1));
  assert.equal(t.gdp[at('CHN')], value('ny.gdp.mktp.cd', 'CHN'));
  assert.equal(t.exports[at('JPN')], value('tx.val.mrch.cd.wt', 'JPN'));
  assert.equal(t.gdp[at('EU')], value('ny.gdp.mktp.cd', 'EUU'));
  const eu = readFileSync(sharedPath('wdi', 'eu_extra_trade_2024.csv'), 'utf8');
  assert.equal(t.exports[at('EU')], Number(eu.split('\n').find((l) => l.startsWith('extra_eu_goods_exports_2024'))!.split(',')[2]) * 1e9);
  const tw = readFileSync(sharedPath('wdi', 'taiwan_2024.csv'), 'utf8');
  assert.equal(t.gdp[at('TWN')], Number(tw.split('\n').find((l) => l.startsWith('gdp_2024'))!.split(',')[1]) * 1e9);
  // Rest of world: the regions' GDPs add up to WLD; trade adds up to WLD once the EU counts its intra-EU trade.
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(sum(t.gdp) / value('ny.gdp.mktp.cd', 'WLD') - 1) < 1e-12);
  const euIntra = value('tx.val.mrch.cd.wt', 'EUU') - t.exports[at('EU')];
  assert.ok(Math.abs((sum(t.exports) + euIntra) / value('tx.val.mrch.cd.wt', 'WLD') - 1) < 1e-12);
  for (const x of t.list) assert.ok(x.value > 0 && x.source.file.length > 0, `${x.code} ${x.measure}`);
});

test('bad targets: a region missing from the WDI file → InputError naming the file, indicator and region; data build writes nothing', { skip }, async () => {
  const dir = dataDirWith((f, text) => {
    if (f !== WDI_FILE) return text;
    const { lines, k } = wdiLine(text, 'ny.gdp.mktp.cd,"Korea, Rep.",KOR,2024,');
    lines.splice(k, 1);
    return lines.join('\n');
  });
  assert.throws(() => readRegionTargets(join(dir, 'wdi'), readTargetRegions(regionsFile)), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, new RegExp(`${WDI_FILE}.*no 2024 row for indicator ny\\.gdp\\.mktp\\.cd, country_code KOR \\(region KOR\\)`));
    return true;
  });
  const out = mkdtempSync(join(tmpdir(), 'tariffsim-out-'));
  const r = await runCli(['data', 'build', '--data-dir', dir, '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /region KOR/);
  assert.deepEqual(readdirSync(out), []);
});

test('bad targets: an empty or a negative value → InputError naming the file, data row and region', { skip }, () => {
  const tr = readTargetRegions(regionsFile);
  let row = 0;
  const empty = dataDirWith((f, text) => {
    if (f !== WDI_FILE) return text;
    const w = wdiLine(text, 'tx.val.mrch.cd.wt,Mexico,MEX,2024,');
    w.lines[w.k] = 'tx.val.mrch.cd.wt,Mexico,MEX,2024,';
    row = w.dataRow;
    return w.lines.join('\n');
  });
  assert.throws(() => readRegionTargets(join(empty, 'wdi'), tr), new RegExp(`${WDI_FILE}, row ${row}, field 'value': empty value for region MEX`));
  const negative = dataDirWith((f, text) => (f === 'taiwan_2024.csv' ? text.replace('goods_imports_2024,394.0', 'goods_imports_2024,-394.0') : text));
  assert.throws(() => readRegionTargets(join(negative, 'wdi'), tr), /taiwan_2024\.csv, row 2, field 'value_usd_bn': value_usd_bn of region TWN must be positive, got -394\.0/);
});

test('bad targets: margins RAS cannot meet (Mexico exports below its Census exports to the US) → InputError naming file, row, region; nothing written', { skip }, async () => {
  let row = 0;
  const dir = dataDirWith((f, text) => {
    if (f !== WDI_FILE) return text;
    const w = wdiLine(text, 'tx.val.mrch.cd.wt,Mexico,MEX,2024,');
    w.lines[w.k] = 'tx.val.mrch.cd.wt,Mexico,MEX,2024,100000000000';
    row = w.dataRow;
    return w.lines.join('\n');
  });
  const out = mkdtempSync(join(tmpdir(), 'tariffsim-out-'));
  const r = await runCli(['data', 'build', '--data-dir', dir, '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${WDI_FILE}, row ${row}, field 'tx\\.val\\.mrch\\.cd\\.wt': the 2024 goods exports target of region MEX \\(100\\.0 bn\\) does not exceed its Census 2024 goods exports to the US \\(505\\.9 bn\\)`));
  assert.deepEqual(readdirSync(out), []);
});

test('RAS: meets both margins, keeps each pair\'s sector mix, leaves cells outside the block alone; an impossible zero pattern fails', () => {
  // 3 regions × 2 sectors; region 0 is outside the block.
  const N = 3;
  const J = 2;
  const x0 = new Float64Array(J * N * N);
  const set = (j: number, n: number, i: number, v: number) => (x0[(j * N + n) * N + i] = v);
  set(0, 1, 2, 4); set(1, 1, 2, 1); set(0, 2, 1, 2); set(1, 2, 1, 3); set(0, 0, 1, 7); set(1, 1, 0, 5);
  const R = Float64Array.from([0, 10, 20]);
  const C = Float64Array.from([0, 20, 10]);
  const r = ras(x0, N, J, [false, true, true], R, C);
  const at = (j: number, n: number, i: number) => r.trade[(j * N + n) * N + i];
  assert.ok(Math.abs(at(0, 1, 2) + at(1, 1, 2) - 10) < 1e-9 && Math.abs(at(0, 2, 1) + at(1, 2, 1) - 20) < 1e-9);
  assert.ok(Math.abs(at(0, 1, 2) / at(1, 1, 2) - 4) < 1e-12, 'sector mix of the pair kept');
  assert.equal(at(0, 0, 1), 7);
  assert.equal(at(1, 1, 0), 5);
  // No flow from 1 to 2 in the structure: region 1 cannot export its positive margin.
  const z = x0.slice();
  z[(0 * N + 2) * N + 1] = 0;
  z[(1 * N + 2) * N + 1] = 0;
  assert.throws(() => ras(z, N, J, [false, true, true], R, C), (e: unknown) => e instanceof RasFailure && e.region === 1 && e.side === 'exports');
  // Margins with different totals.
  assert.throws(() => ras(x0, N, J, [false, true, true], R, Float64Array.from([0, 20, 11])), RasFailure);
});
