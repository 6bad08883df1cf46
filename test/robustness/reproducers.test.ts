// Every reproducer of issue 18 ("never a stack trace, never a silent hang, never a confident wrong number") as a
// regression test: exit 2 with a message naming the field or file, or exit 3 with a diagnosis and the right hint;
// never a stack trace, never a non-finite number in the output, never more than 30 s (test/helpers/robust.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli, expectExit, wellBehaved } from '../helpers/robust.ts';
import { needsShared } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'tariffsim-i18-'));
const write = (name: string, text: string | Buffer) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const scenario = (name: string, body: string, dataset = 'world2024') => write(`${name}.yaml`, `name: ${name}\ndataset: ${dataset}\n${body}\n`);
const tariff = (t: string) => `shocks:\n  - tariff: {${t}}`;
const cp = needsShared('cp2015');
const ossa = needsShared('ossa2014');
const policy = needsShared('us-tariffs');

test('1. near −100%: tariff cuts and NTB cuts outside the documented ranges are rejected up front', async () => {
  await expectExit(['run', scenario('add-9999', tariff('importer: USA, exporter: CHN, sector: goods, add: -99.99'))], 2, /field 'shocks\.0\.tariff\.add'.*must be from -1050|would be .*outside -50% … 1000%/s);
  await expectExit(['run', scenario('add-100', tariff('importer: all, exporter: all, sector: goods, add: -100'))], 2, /shocks\.0\.tariff\.add.*outside -50% … 1000%/s);
  await expectExit(['run', scenario('ntb-9999', 'shocks:\n  - ntb: {importer: USA, exporter: CHN, sector: goods, change: -99.99}')], 2, /field 'shocks\.0\.ntb\.change': must be from -90 to 1000/);
});

test('1. near −100% on cp2015: NTB change −99.99 rejected', { skip: cp }, async () => {
  await expectExit(['run', scenario('cp-ntb', 'shocks:\n  - ntb: {importer: USA, exporter: Mexico, sector: goods, change: -99.99}', 'cp2015')], 2, /field 'shocks\.0\.ntb\.change'/);
});

test('2. prohibitive tariffs on a surplus exporter under fixed deficits: exit 3 naming the unfinanced surplus, hint zero deficits; or, where the path of the shock reaches an equilibrium, finite numbers with the surplus held', async () => {
  // Solving along the path of the shock (continuation, src/model/cp/path.ts) reaches an equilibrium for Indonesia,
  // Korea and Australia (wages fall until the fixed surplus is financed); for China and Taiwan it stalls.
  for (const c of ['CHN', 'TWN']) {
    const f = scenario(`prohibitive-${c}`, tariff(`importer: all, exporter: ${c}, sector: goods, set: 1000`));
    const r = await expectExit(['run', f], 3, /surplus cannot be financed/);
    assert.match(r.stderr, /must keep its baseline surplus/);
    assert.match(r.stderr, /hint: use the zero-deficits closure/);
    assert.doesNotMatch(r.stderr, /smaller damping/);
    if (c === 'CHN') await expectExit(['run', f, '--closure', 'zero-deficits', '--json'], 0, /"closure": "zero-deficits"/);
  }
  for (const c of ['IDN', 'KOR', 'AUS']) {
    const f = scenario(`prohibitive-${c}`, tariff(`importer: all, exporter: ${c}, sector: goods, set: 1000`));
    const r = await expectExit(['run', f, '--json'], 0, /"closure": "fixed-deficits"/);
    const x = JSON.parse(r.stdout).regions.find((g: { code: string }) => g.code === c);
    assert.ok(x.exports.change < -80 && x.realIncome < -10, `${c}: exports ${x.exports.change}%, real income ${x.realIncome}%`);
    assert.ok(Math.abs(x.tradeBalance.after / x.tradeBalance.before - 1) < 1e-6, `${c} keeps its surplus`);
    await expectExit(['run', f, '--closure', 'zero-deficits', '--json'], 0, /"closure": "zero-deficits"/);
  }
});

test('2. cp2015 Ireland at 200% under fixed deficits: the path reaches an equilibrium (finite numbers, surplus held); zero deficits solve too', { skip: cp }, async () => {
  const f = scenario('ireland', tariff('importer: all, exporter: Ireland, sector: goods, set: 200'), 'cp2015');
  const r = await expectExit(['run', f, '--json'], 0, /"closure": "fixed-deficits"/);
  const x = JSON.parse(r.stdout).regions.find((g: { region: string }) => g.region === 'Ireland');
  assert.ok(Number.isFinite(x.realIncome) && x.exports.change < -50, `Ireland: exports ${x.exports.change}%`);
  assert.ok(Math.abs(x.tradeBalance.after / x.tradeBalance.before - 1) < 1e-6);
  await expectExit(['run', f, '--closure', 'zero-deficits', '--csv'], 0, /^region,/);
});

test('3. inputs that produced NaN: set −99.99, θ 1e6 / 1e300 / 1e-300, compounded NTB cuts → exit 2 with the range', async () => {
  await expectExit(['run', scenario('set-9999', tariff('importer: USA, exporter: CHN, sector: goods, set: -99.99'))], 2, /field 'shocks\.0\.tariff\.set': must be from -50 to 1000 \(percent\)/);
  for (const th of ['1e6', '1e300', '1e-300']) {
    await expectExit(['run', scenario(`theta-${th}`, `${tariff('importer: USA, exporter: CHN, sector: goods, add: 10')}\nelasticities: [{sector: goods, theta: ${th}}]`)], 2, /field 'elasticities\.0\.theta': must be from 0\.1 to 100/);
  }
  const six = Array.from({ length: 6 }, () => '  - ntb: {importer: USA, exporter: CHN, sector: goods, change: -50}').join('\n');
  await expectExit(['run', scenario('six-ntb', `shocks:\n${six}`)], 2, /field 'shocks\.\d\.ntb\.change'.*in total, outside −90% … \+1000%/s);
});

test('3. gravity-ge: a shock of 1000 × a dummy and θ = 1e-9 are rejected with the range', async () => {
  const csv = write('ge.csv', ['exporter,importer,trade,fta', 'A,A,100,0', 'A,B,10,1', 'A,C,5,0', 'B,A,10,1', 'B,B,80,0', 'B,C,4,0', 'C,A,5,0', 'C,B,4,0', 'C,C,60,0'].join('\n'));
  await expectExit(['gravity-ge', '--data', csv, '--shock', '1000 * fta', '--theta', '4'], 2, /field '--shock': the shock is 1000\.000 for A → B, outside \[-30, 30\]/);
  await expectExit(['gravity-ge', '--data', csv, '--shock', 'fta', '--theta', '1e-9'], 2, /field '--theta': --theta must be a number from 0\.1 to 100/);
  const r = await expectExit(['gravity-ge', '--data', csv, '--shock', '25 * fta', '--theta', '4'], 3, /did not converge/);
  assert.doesNotMatch(r.stderr, /damping/);
});

test('4. set: 1e308 is rejected (no "inf%", no JSON null)', async () => {
  await expectExit(['run', scenario('set-1e308', tariff('importer: USA, exporter: CHN, sector: goods, set: 1e308')), '--json'], 2, /must be from -50 to 1000/);
});

test('4. an Ossa shock on every industry reports no non-number for "other industries"', { skip: ossa }, async () => {
  const f = scenario('ossa-all', tariff('importer: US, exporter: all, sector: all, add: 50'), 'ossa2014');
  const j = await expectExit(['run', f, '--json'], 0, /"focus"/);
  assert.doesNotMatch(j.stdout, /null/);
  assert.match(j.stdout, /"otherIndustries": "none: every industry is shocked"/);
  await expectExit(['run', f], 0, /none \(all shocked\)/);
});

test('5. a directory as an input file: exit 2 naming it, for every command that reads files', async () => {
  const d = join(dir, 'a-folder');
  mkdirSync(d, { recursive: true });
  const cases: string[][] = [
    ['run', d],
    ['standoff', '--a', 'USA', '--b', 'CHN', '--from', d],
    ['deal', '--a', 'USA', '--b', 'CHN', '--from', d],
    ['estimate', '--data', d, '--formula', 'y ~ x'],
    ['gravity-ge', '--data', d, '--shock', 'x', '--theta', '4'],
    ['data', 'summary', '--file', d],
  ];
  for (const args of cases) await expectExit(args, 2, /a-folder: is a directory/, args.join(' '));
});

test('5. registry names that are Object.prototype properties are unknown datasets, regions, groups or schedules', async () => {
  for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    await expectExit(['run', scenario(`ds-${name}`, 'shocks: []', name)], 2, new RegExp(`field 'dataset': unknown dataset '${name}'`));
  }
  await expectExit(['run', scenario('region-proto', tariff('importer: toString, exporter: CHN, sector: goods, set: 10'))], 2, /unknown region 'toString'/);
  await expectExit(['run', scenario('schedule-proto', tariff('importer: USA, exporter: CHN, sector: goods, schedule: toString'))], 2, /has no tariff schedule 'toString'/);
  await expectExit(['war', '--data', 'toString'], 2, /field '--data'/);
});

test('5. fromEstimate / --coef-from files holding null, a string or {"coefficients": "b"}: exit 2 naming the file', async () => {
  const csv = write('ge2.csv', ['exporter,importer,trade,fta', 'A,A,100,0', 'A,B,10,1', 'B,A,10,1', 'B,B,80,0'].join('\n'));
  for (const [name, text, msg] of [['null', 'null', /holds null/], ['string', '"b"', /holds a string/], ['coefs', '{"coefficients": "b"}', /has no "coefficients" array \(found string\)/], ['estimate', '{"coefficients": [{"name": "x", "estimate": "b"}]}', /no finite numeric estimate/]] as const) {
    const json = write(`${name}.json`, text);
    await expectExit(['gravity-ge', '--data', csv, '--shock', 'fta', '--theta', '4', '--coef-from', json, '--coef', 'x'], 2, new RegExp(`${name}\\.json.*${msg.source}`, 's'));
    const f = scenario(`from-${name}`, `${tariff('importer: USA, exporter: CHN, sector: goods, add: 10')}\nelasticities: [{sector: goods, fromEstimate: {file: ${name}.json, coefficient: x}}]`);
    await expectExit(['run', f], 2, new RegExp(`field 'elasticities\\.0\\.fromEstimate'.*${name}\\.json.*${msg.source}`, 's'));
  }
});

test('5. YAML: unresolved alias and alias bomb → exit 2 with line:column', async () => {
  await expectExit(['run', write('alias.yaml', 'name: *nothing\ndataset: world2024\n')], 2, /alias\.yaml, line 1:7: unresolved YAML alias \*nothing/);
  let bomb = 'name: b\ndataset: world2024\na: &a [x, x, x, x, x, x, x, x, x]\n';
  for (let k = 1; k < 10; k++) bomb += `${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(9).fill(`*${String.fromCharCode(96 + k)}`).join(', ')}]\n`;
  await expectExit(['run', write('bomb.yaml', bomb)], 2, /bomb\.yaml.*alias/s);
});

test('5. a formula nested 5000 parentheses deep, or 1000 deep in --where: exit 2, no stack overflow', async () => {
  const csv = write('est.csv', 'exporter,importer,trade,dist\nA,B,1,2\nB,A,2,3\nA,C,3,4\nC,A,1,5\nB,C,2,2\nC,B,4,3\n');
  await expectExit(['estimate', '--data', csv, '--formula', `trade ~ ${'('.repeat(5000)}dist${')'.repeat(5000)}`], 2, /field 'formula'/);
  await expectExit(['estimate', '--data', csv, '--formula', `trade ~ ${'('.repeat(1000)}dist${')'.repeat(1000)}`], 2, /parentheses nested more than 64 deep/);
  await expectExit(['estimate', '--data', csv, '--formula', 'trade ~ dist', '--where', `${'-'.repeat(3000)}dist > 0`], 2, /prefix operators nested/);
  await expectExit(['estimate', '--data', csv, '--formula', 'trade ~ toString(dist)'], 2, /unknown function 'toString'/);
});

test('5. --out at an existing file or below a file: exit 2 before the solve', async () => {
  const f = write('a-file', 'x');
  const s = scenario('out-ok', tariff('importer: USA, exporter: CHN, sector: goods, add: 10'));
  await expectExit(['run', s, '--out', f], 2, /a-file, field '--out': exists and is a file/);
  await expectExit(['run', s, '--out', join(f, 'sub')], 2, /cannot be created: .*a-file is a file/);
  const other = join(dir, 'user-folder');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'notes.txt'), 'mine');
  await expectExit(['run', s, '--out', other], 2, /not a tariffsim output folder/);
});

test('6. --out /proc/x fails at once in run and data build', async () => {
  const s = scenario('out-proc', tariff('importer: USA, exporter: CHN, sector: goods, add: 10'));
  await expectExit(['run', s, '--out', '/proc/x'], 2, /\/proc\/x.*pseudo filesystem/);
  await expectExit(['data', 'build', '--out', '/proc/x'], 2, /\/proc\/x.*pseudo filesystem/);
});

test('7. PPML: a regressor that separates the zero flows is dropped with its separated observations (as ppmlhdfe)', async () => {
  const cs = ['USA', 'CHN', 'GBR', 'DEU', 'JPN', 'FRA', 'ITA', 'CAN'];
  const rows = ['exporter,importer,dist,trade,gbr'];
  let k = 0;
  for (const e of cs) {
    for (const i of cs) {
      if (e === i) continue;
      k++;
      const dist = 1 + ((k * 37) % 90) / 10;
      const trade = e === 'GBR' ? 0 : Math.exp(3 - 0.8 * Math.log(dist) + 0.3 * Math.sin(k));
      rows.push(`${e},${i},${dist},${trade.toFixed(4)},${e === 'GBR' ? 1 : 0}`);
    }
  }
  const csv = write('separated.csv', rows.join('\n'));
  for (const formula of ['trade ~ log(dist) + gbr', 'trade ~ log(dist) + gbr | importer']) {
    const r = await expectExit(['estimate', '--data', csv, '--formula', formula, '--json'], 0, /"coefficients"/);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.coefficients.map((c: { name: string }) => c.name).filter((n: string) => n !== '(Intercept)'), ['log(dist)'], formula);
    assert.equal(j.n ?? j.N ?? j.nobs, 49, formula);
    assert.match(JSON.stringify(j), /separated by regressor 'gbr'/);
  }
  const text = await expectExit(['estimate', '--data', csv, '--formula', 'trade ~ log(dist) + gbr'], 0, /dropped 7 obs\.: separated by regressor 'gbr'/);
  assert.doesNotMatch(text.stdout, /^gbr\s/m);
});

test('7. PPML: no standard errors without residual degrees of freedom; huge outcome; text in a numeric column; header only', async () => {
  await expectExit(['estimate', '--data', write('two.csv', 'exporter,importer,dist,trade\nA,B,2,3\nB,A,3,1\n'), '--formula', 'trade ~ log(dist)'], 2, /no residual degrees of freedom/);
  const base = ['exporter,importer,dist,trade', 'A,B,2,3', 'B,A,3,1', 'A,C,4,2', 'C,A,5,1', 'B,C,2,2', 'C,B,3,4'];
  const big = base.map((l, k) => (k === 3 ? 'A,C,4,1e308' : l)).join('\n');
  await expectExit(['estimate', '--data', write('big.csv', big), '--formula', 'trade ~ log(dist)'], 2, /row 3, field 'trade'.*above 1e\+100/s);
  const txt = base.map((l, k) => (k === 5 ? 'B,C,2.5x,2' : l)).join('\n');
  await expectExit(['estimate', '--data', write('text.csv', txt), '--formula', 'trade ~ log(dist)'], 2, /text\.csv, row 5, field 'dist'.*holds '2\.5x'/s);
  await expectExit(['estimate', '--data', write('header.csv', 'exporter,importer,dist,trade\n'), '--formula', 'trade ~ log(dist)'], 2, /header\.csv: has a header line but no data rows/);
});

test('8. wrong types inside a shock report the inner reason at the value, not "Invalid input"', async () => {
  const cases: [string, RegExp][] = [
    ['set: .nan', /field 'shocks\.0\.tariff\.set': expected number, got not-a-number/],
    ['set: "25"', /field 'shocks\.0\.tariff\.set': expected number, got the text '25'/],
    ['set: 25%', /field 'shocks\.0\.tariff\.set': expected number, got the text '25%'/],
    ['set: null', /field 'shocks\.0\.tariff\.set': expected number, got null/],
  ];
  for (const [v, re] of cases) {
    const r = await expectExit(['run', scenario(`type-${cases.findIndex((c) => c[0] === v)}`, tariff(`importer: USA, exporter: CHN, sector: goods, ${v}`))], 2, re, v);
    assert.doesNotMatch(r.stderr, /Invalid input/);
  }
  await expectExit(['run', scenario('type-importer', tariff('importer: 123, exporter: CHN, sector: goods, set: 10'))], 2, /field 'shocks\.0\.tariff\.importer': expected string, got the number 123/);
  await expectExit(['run', write('typo.yaml', 'name: t\ndataset: world2024\nshocks:\n  - tarif: {importer: USA, exporter: CHN, set: 10}\n')], 2, /line 4:12, field 'shocks\.0\.tarif': unknown field 'tarif'\n  hint: a shock is \{tariff: \{…\}\} or \{ntb/);
});

test('8. missing name or dataset, multi-document YAML, UTF-16 and gzip files: precise messages', async () => {
  await expectExit(['run', write('noname.yaml', 'dataset: world2024\nshocks: []\n')], 2, /field 'name': missing required field 'name'/);
  await expectExit(['run', write('nodataset.yaml', 'name: x\nshocks: []\n')], 2, /field 'dataset': missing required field 'dataset'/);
  await expectExit(['run', write('multi.yaml', 'name: a\ndataset: world2024\n---\nname: b\n')], 2, /multi\.yaml, line 3:1: the file holds more than one YAML document/);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: a\ndataset: world2024\n', 'utf16le')]);
  await expectExit(['run', write('utf16.yaml', utf16)], 2, /utf16\.yaml: is UTF-16 \(little-endian\) text/);
  await expectExit(['run', write('gz.yaml', gzipSync('name: a\ndataset: world2024\n'))], 2, /gz\.yaml: is a gzip-compressed file/);
  await expectExit(['estimate', '--data', write('gz.csv', gzipSync('a,b\n1,2\n')), '--formula', 'a ~ b'], 2, /gz\.csv: is a gzip-compressed file/);
});

test('9. tariffs: pairs the data do not cover and HTS headings that do not exist are rejected', { skip: policy }, async () => {
  await expectExit(['tariffs', '--date', '2025-04-15', '--importer', 'CHN', '--partner', 'JPN', '--hts', '120190'], 2, /field '--partner': China's tariffs .* US goods only/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'USA'], 2, /field '--partner': the US levies no tariffs on its own goods/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'USA', '--hts', '9503'], 2, /field '--partner'/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '0000'], 2, /field '--hts': HTS code '0000' is in chapter 00/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9599'], 2, /field '--hts': HTS 9599: no heading 9599/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9599000000'], 2, /field '--hts': HTS 9599000000: no heading 9599/);
  await expectExit(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9503000090'], 0, /145\.00/);
});

test('9. war --closure foo; Ossa policy:/solver: blocks; importer == exporter; a group named like a region', async () => {
  await expectExit(['war', '--data', 'ossa2014', '--closure', 'foo'], 2, /field '--closure': unknown closure 'foo'/);
  await expectExit(['run', scenario('self', tariff('importer: USA, exporter: USA, sector: goods, set: 25'))], 2, /field 'shocks\.0\.tariff\.exporter': importer and exporter are the same region/);
  await expectExit(['run', scenario('self-ntb', 'shocks:\n  - ntb: {importer: [CHN], exporter: CHN, change: -5}')], 2, /field 'shocks\.0\.ntb\.exporter': importer and exporter are the same region/);
  await expectExit(['run', scenario('group-usa', `groups:\n  USA: [CHN, JPN]\n${tariff('importer: USA, exporter: CHN, sector: goods, add: 10')}`)], 2, /field 'groups\.USA': group 'USA' has the name of a region of world2024/);
});

test('9. Ossa scenarios: policy and solver blocks, importer == exporter, a group named like a region', { skip: ossa }, async () => {
  const t = tariff('importer: US, exporter: China, sector: crp, add: 50');
  await expectExit(['war', '--data', 'ossa2014', '--closure', 'zero-deficits'], 2, /--closure does not apply to ossa2014/);
  await expectExit(['run', scenario('ossa-policy', `policy: {date: 2025-04-15}\n${t}`, 'ossa2014')], 2, /field 'policy'/);
  await expectExit(['run', scenario('ossa-solver', `solver: {tolerance: 1e-9}\n${t}`, 'ossa2014')], 2, /field 'solver\.tolerance'/);
  await expectExit(['run', scenario('ossa-self', tariff('importer: US, exporter: US, sector: crp, add: 50'), 'ossa2014')], 2, /importer and exporter are the same region/);
  await expectExit(['run', scenario('ossa-group', `groups:\n  China: [EU]\n${t}`, 'ossa2014')], 2, /field 'groups\.China'/);
});

test('10. resources: a scenario file over 1 MB, a 20,000-character description, deal --grid-steps 1000', async () => {
  const huge = scenario('huge', `description: "${'x'.repeat(2 * 1024 * 1024)}"\nshocks: []`);
  await expectExit(['run', huge], 2, /huge\.yaml: the input file is 2\.0 MB \(at most 1\.0 MB\)/);
  await expectExit(['run', scenario('long-desc', `description: "${'x'.repeat(20_000)}"\nshocks: []`)], 2, /field 'description': at most 10000 characters/);
  await expectExit(['deal', '--a', 'USA', '--b', 'CHN', '--grid-steps', '1000'], 2, /field '--grid-steps'.*from 2 to 101/);
  await expectExit(['talks', '--data', 'ossa2014', '--a', 'US', '--b', 'China', '--grid-steps', '1e9'], 2, /field '--grid-steps'/);
});

test('progress: a long solve reports on stderr when it is not a terminal', async () => {
  // A stalled solve under fixed deficits runs for a few seconds: plain progress lines, no bar escape codes.
  const r = wellBehaved(await cli(['run', scenario('progress', tariff('importer: all, exporter: CHN, sector: goods, set: 1000'))]), 'progress');
  assert.equal(r.code, 3);
  if (r.ms > 2500) assert.match(r.stderr, /solving: .*iteration \d+/);
  assert.doesNotMatch(r.stderr, /\u001b\[/);
});
