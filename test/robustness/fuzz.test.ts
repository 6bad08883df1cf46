// Fuzz suite (issue 18): a seeded generator of mutated scenario files, formulas, CSV files and command-line
// options, run in-process through the CLI's main(argv). For every generated input: no exit 1, no stack trace, no
// non-finite number in stdout, and every exit 2 names a field or file (test/helpers/robust.ts). At least 500
// inputs. The seed is fixed so a failure reproduces; set TARIFFSIM_FUZZ_SEED to explore other inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli, wellBehaved, type Outcome } from '../helpers/robust.ts';
import { mulberry32 } from '../helpers/random.ts';

const SEED = Number(process.env.TARIFFSIM_FUZZ_SEED ?? 18);
const COUNTS = { scenarios: 200, formulas: 150, csvs: 110, options: 60 };

const rand = mulberry32(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;

const dir = mkdtempSync(join(tmpdir(), 'tariffsim-fuzz-'));
let fileNo = 0;
const write = (ext: string, text: string | Buffer) => {
  const f = join(dir, `in${fileNo++}.${ext}`);
  writeFileSync(f, text);
  return f;
};

// ---- building blocks ------------------------------------------------------------------------------------
const REGIONS = ['USA', 'CHN', 'EU', 'JPN', 'MEX', 'all', 'United States', 'China'];
const WEIRD_NAMES = ['toString', '__proto__', 'constructor', 'hasOwnProperty', '', ' ', 'Atlantis', 'usa', '123', 'ALL', 'goods', 'x'.repeat(300), 'ü', '*a', '&a', 'null', '~'];
const SECTORS = ['goods', 'services', 'all', 'Agriculture', 'Textiles', 'Motor vehicles'];
const NUMBERS = ['0', '10', '25', '-5', '-50', '-51', '-99.99', '-100', '-1e308', '1000', '1000.01', '1e308', '1e-300', '.nan', '.inf', '-.inf', '"25"', '25%', 'null', '~', '[]', '{}', '0x10', '1_000', 'true', '1e6', '0.1', '100', '101', '0.09'];
const TOKENS = ['*a', '&a', '---', '{', '}', '[', ']', ': ', '- ', '"', "'", '\t', '#', '!!binary', '%YAML 1.2', '<<: *a', '? ', '|', '>', '\u0000', '\ufeff', '\r', '\\', '&b [1, *b]', 'toString', '__proto__'];

/** Valid seed scenarios: small shocks on one pair of world2024 (fast solves). */
function seedScenario(): string {
  const lines = ['name: fuzz', 'dataset: world2024'];
  if (chance(0.3)) lines.push(`closure: ${pick(['fixed-deficits', 'zero-deficits'])}`);
  if (chance(0.2)) lines.push('groups:', '  PARTNERS: [JPN, KOR]');
  lines.push('shocks:');
  const n = 1 + int(2);
  for (let k = 0; k < n; k++) {
    if (chance(0.7)) lines.push(`  - tariff: {importer: USA, exporter: CHN, sector: ${pick(['goods', 'Textiles'])}, ${pick(['set', 'add'])}: ${pick(['0', '10', '25', '-5'])}}`);
    else lines.push(`  - ntb: {importer: ${pick(['USA', 'PARTNERS'])}, exporter: CHN, sector: goods, change: ${pick(['-5', '10', '3'])}}`);
  }
  if (!lines.some((l) => l.includes('PARTNERS:'))) for (let k = 0; k < lines.length; k++) lines[k] = lines[k].replace('PARTNERS', 'JPN');
  if (chance(0.2)) lines.push(`elasticities: [{sector: goods, theta: ${pick(['4', '8.2', '0.5'])}}]`);
  if (chance(0.15)) lines.push(`solver: {tolerance: ${pick(['1e-9', '1e-11'])}}`);
  return lines.join('\n') + '\n';
}

/** One structural or textual mutation of a scenario text. */
function mutateScenario(text: string): string | Buffer {
  const lines = text.split('\n');
  const k = int(Math.max(1, lines.length - 1));
  switch (int(12)) {
    case 0: // replace a number
      return text.replace(/(set|add|change|theta|tolerance): [^,}\]\n]+/, (_m, key) => `${key}: ${pick(NUMBERS)}`);
    case 1: // replace a region or sector name
      return text.replace(pick([/importer: [^,}]+/, /exporter: [^,}]+/, /sector: [^,}]+/, /dataset: .+/]), (m) => `${m.split(':')[0]}: ${pick([...REGIONS, ...WEIRD_NAMES, ...SECTORS])}`);
    case 2: // delete a line
      lines.splice(k, 1);
      return lines.join('\n');
    case 3: // duplicate a line
      lines.splice(k, 0, lines[k]);
      return lines.join('\n');
    case 4: // insert a token
      lines[k] = lines[k].slice(0, int(lines[k].length + 1)) + pick(TOKENS) + lines[k].slice(int(lines[k].length + 1));
      return lines.join('\n');
    case 5: // unknown or misspelt key
      return text.replace(pick(['tariff:', 'ntb:', 'importer:', 'shocks:', 'name:']), (m) => pick([m.slice(0, -2) + ':', `${m.slice(0, -1)}s:`, 'speed:', '__proto__:', 'toString:']));
    case 6: // type confusion
      return text.replace(pick([/shocks:/, /name: fuzz/, /dataset: world2024/]), (m) => `${m.split(':')[0]}: ${pick(['123', '[1, 2]', '{a: 1}', 'null', '.nan', '"x"', 'true'])}` + (m === 'shocks:' ? '\nx:' : ''));
    case 7: // a group named like a region, or a group used as importer
      return text.replace('shocks:', `groups:\n  ${pick(['USA', 'goods', 'G', 'toString', 'all', 'CHN'])}: [${pick(['JPN', 'CHN', 'Atlantis', 'USA'])}]\nshocks:`);
    case 8: // importer == exporter
      return text.replace(/exporter: [^,}]+/, `exporter: ${pick(['USA', 'all'])}`).replace(/importer: [^,}]+/, 'importer: USA');
    case 9: // binary or encoding damage
      return pick([
        () => gzipSync(text),
        () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
        () => Buffer.from(text, 'utf16le'),
        () => `${text}\n---\n${text}`,
        () => `name: *x\n${text}`,
        () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
        () => '',
        () => '\ufeff' + text,
      ])();
    case 10: // extra blocks for the Ossa and policy paths
      return pick([
        () => text.replace('dataset: world2024', 'dataset: ossa2014').replace(/USA/g, 'US').replace(/CHN/g, 'China'),
        () => `${text}policy: {date: ${pick(['2025-04-15', '2025-13-01', '1999-01-01', 'tomorrow'])}}\n`,
        () => `${text}solver: {maxIterations: ${pick(['0', '1', '1e9', '-1', '2.5'])}}\n`,
        () => `${text}elasticities: [{sector: ${pick(SECTORS)}, fromEstimate: {file: ${pick(['none.json', '.', '/proc/self/status', '../', 'est.json'])}, coefficient: b}}]\n`,
      ])();
    default: // two mutations
      return mutateScenario(String(mutateScenario(text)));
  }
}

const FORMULA_ATOMS = ['trade', 'dist', 'log(dist)', 'log(trade)', 'contig', 'exp(dist)', 'sqrt(dist)', 'dist^2', 'lang', 'year', 'log(1 + tariff)', 'nonexistent', 'exporter', '1', '0'];
const FE_ATOMS = ['exporter', 'importer', 'year', 'exporter^year', 'importer^year', 'pair', 'dist', 'nonexistent'];
function formula(): string {
  const lhs = pick(['trade', 'trade', 'dist', 'log(trade)', 'exporter', '']);
  const rhs = Array.from({ length: 1 + int(3) }, () => pick(FORMULA_ATOMS)).join(pick([' + ', ' + ', ' * ', ' - ', ':']));
  const fe = chance(0.6) ? ` | ${Array.from({ length: 1 + int(2) }, () => pick(FE_ATOMS)).join(' + ')}` : '';
  let f = `${lhs} ~ ${rhs}${fe}`;
  const damage = int(6);
  if (damage === 0) f = f.slice(0, int(f.length + 1)) + pick(['(', ')', '|', '^', '~', '::', ',', '"', '`', '%', '!', '&&', '==', '1e999', 'ü', '\u0000']) + f.slice(int(f.length + 1));
  if (damage === 1) f = `${'('.repeat(int(200))}${f}${')'.repeat(int(200))}`;
  if (damage === 2) f = f.replace('~', pick(['', '~~', '=', '~ ~']));
  return f;
}

function csvText(): string {
  const countries = ['A', 'B', 'C', 'D', 'E', 'F'];
  const rows = ['exporter,importer,year,trade,dist,contig,lang,tariff,pair'];
  for (const e of countries) {
    for (const i of countries) {
      for (const y of [2000, 2004]) {
        const d = 1 + ((e.charCodeAt(0) * 7 + i.charCodeAt(0) * 3) % 9);
        const tr = e === i ? 100 : Math.max(0, Math.round(50 / d + ((y + d) % 5) - (e === 'F' ? 60 : 0)));
        rows.push(`${e},${i},${y},${tr},${d},${Math.abs(e.charCodeAt(0) - i.charCodeAt(0)) === 1 ? 1 : 0},${(d % 2)},${(d % 4) / 20},${e}${i}`);
      }
    }
  }
  return rows.join('\n') + '\n';
}

function mutateCsv(text: string): string | Buffer {
  const lines = text.split('\n');
  const k = 1 + int(lines.length - 2);
  const cells = lines[k].split(',');
  switch (int(12)) {
    case 0:
      cells[int(cells.length)] = pick(['x', '1e308', '-5', 'NaN', '', '"', '""', 'Infinity', '-0', '1,5', '１', '9.7126 ', '.', 'NA', '1e-320']);
      lines[k] = cells.join(',');
      return lines.join('\n');
    case 1:
      lines[0] = pick(['', 'exporter,exporter,year,trade,dist,contig,lang,tariff,pair', 'a', '\ufeffexporter,importer,year,trade,dist,contig,lang,tariff,pair', lines[0].replace('trade', 'tra de'), lines[0] + ',']);
      return lines.join('\n');
    case 2:
      return lines.slice(0, 1 + int(3)).join('\n');
    case 3:
      lines[k] = cells.slice(0, int(cells.length)).join(',');
      return lines.join('\n');
    case 4:
      return text.replace(/\n/g, pick(['\r\n', '\r', '\n\n']));
    case 5:
      lines[k] = `"${lines[k]}`;
      return lines.join('\n');
    case 6:
      return gzipSync(text);
    case 7:
      return Buffer.from(text, 'utf16le');
    case 8: // every trade of one exporter zero (separation), or all zero
      return pick([() => text.replace(/^(A,[A-F],\d+),\d+/gm, '$1,0'), () => text.replace(/^([A-F],[A-F],\d+),\d+/gm, '$1,0')])();
    case 9:
      return lines.slice(0, 1).join('\n');
    case 10:
      lines[k] = lines[k] + ',extra,cells';
      return lines.join('\n');
    default:
      return String(mutateCsv(String(mutateCsv(text))));
  }
}

function optionsCase(scenarioFile: string, csvFile: string): string[] {
  const fileInTheWay = write('txt', 'x');
  return pick([
    () => ['run', scenarioFile, '--closure', pick(['both', 'foo', '', 'zero-deficits', 'toString'])],
    () => ['run', scenarioFile, '--out', pick(['/proc/x', '/dev/null', '/sys/x', fileInTheWay, join(fileInTheWay, 'sub'), '', join(dir, `o${int(1e6)}`)])],
    () => ['deal', '--a', pick(['USA', 'toString', 'XX']), '--b', 'CHN', '--grid-steps', pick(['0', '1', '1000', '-3', 'abc', '1e9', '2.5']), '--from', scenarioFile],
    () => ['deal', '--a', 'USA', '--b', 'CHN', '--grid-max', pick(['0', '-1', '1e9', 'x', '11']), '--from', scenarioFile],
    () => ['gravity-ge', '--data', csvFile, '--shock', pick(['1000 * contig', 'contig', 'contig / 0', 'log(0)', 'dist * 1e308', '(((', 'nonexistent']), '--theta', pick(['4', '0', '-1', '1e-9', '1e9', 'NaN', 'abc']), '--where', 'year == 2000', '--exporter', 'exporter', '--importer', 'importer'],
    () => ['estimate', '--data', pick([csvFile, dir, '/dev/null', '/proc/self/status', join(dir, 'nope.csv')]), '--formula', 'trade ~ dist', '--threads', pick(['1', '0', '65', 'x'])],
    () => ['war', '--data', pick(['ossa2014x', 'toString', '__proto__', '']), '--closure', pick(['foo', 'zero-deficits'])],
    () => ['tariffs', '--date', pick(['2025-04-15', '2025-02-30', 'x', '1900-01-01']), '--partner', pick(['CHN', 'USA', 'toString', 'XX']), '--hts', pick(['9503', '0000', '9999', 'abc', '77', '95030000901'])],
    () => ['standoff', '--a', pick(['USA', 'XX', '']), '--b', pick(['CHN', 'USA']), '--from', pick([scenarioFile, dir, join(dir, 'none.yaml')])],
    () => ['etr', '--from', pick(['x', '2027-01-01', '2025-02-30', '']), '--to', pick(['2025-02-01', '2024-01-01'])],
  ])();
}

// ---- the suite --------------------------------------------------------------------------------------------
test(`fuzz: ${Object.values(COUNTS).reduce((a, b) => a + b, 0)} generated inputs (seed ${SEED}) end in exit 0, 2 or 3 with a located message`, { timeout: 300_000 }, async (t) => {
  const t0 = Date.now();
  const codes: Record<string, number> = {};
  let total = 0;
  const slowest: { ms: number; what: string }[] = [];
  const check = (r: Outcome, what: string) => {
    wellBehaved(r, what);
    slowest.push({ ms: r.ms, what: what.split('\n')[0] });
    codes[`${r.code}`] = (codes[`${r.code}`] ?? 0) + 1;
    total++;
  };
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'est.json'), JSON.stringify({ coefficients: [{ name: 'b', estimate: pick([-5, 3, 1e308, -1e9]) }] }));

  for (let k = 0; k < COUNTS.scenarios; k++) {
    const text = chance(0.08) ? seedScenario() : mutateScenario(seedScenario());
    const f = write('yaml', text);
    check(await cli(['run', f, ...(chance(0.3) ? ['--json'] : chance(0.2) ? ['--csv'] : [])]), `scenario ${f}:\n${String(text).slice(0, 600)}`);
  }
  const csv = write('csv', csvText());
  for (let k = 0; k < COUNTS.formulas; k++) {
    const f = formula();
    const extra = chance(0.3) ? ['--where', pick(['year == 2000', 'exporter != importer', 'trade > 0 &&', 'year %% 0', `${'!'.repeat(int(100))}contig`, 'toString(1)'])] : [];
    check(await cli(['estimate', '--data', csv, '--formula', f, ...extra, ...(chance(0.3) ? ['--json'] : [])]), `formula ${JSON.stringify(f)} ${extra.join(' ')}`);
  }
  for (let k = 0; k < COUNTS.csvs; k++) {
    const text = mutateCsv(csvText());
    const f = write('csv', text);
    const args = chance(0.7)
      ? ['estimate', '--data', f, '--formula', pick(['trade ~ log(dist) + contig | exporter + importer', 'trade ~ dist + lang', 'trade ~ log(1 + tariff) | exporter^year + importer^year']), ...(chance(0.3) ? ['--cluster', 'pair'] : [])]
      : ['gravity-ge', '--data', f, '--shock', 'contig', '--theta', '4', '--where', 'year == 2000'];
    check(await cli(args), `csv ${f} (${args.join(' ')}):\n${String(text).slice(0, 400)}`);
  }
  const goodScenario = write('yaml', seedScenario());
  for (let k = 0; k < COUNTS.options; k++) {
    const args = optionsCase(goodScenario, csv);
    check(await cli(args), `options: ${args.join(' ')}`);
  }
  const seconds = (Date.now() - t0) / 1000;
  t.diagnostic(`${total} inputs in ${seconds.toFixed(1)} s; exit codes ${JSON.stringify(codes)}`);
  slowest.sort((a, b) => b.ms - a.ms);
  t.diagnostic(`slowest: ${slowest.slice(0, 8).map((x) => `${x.ms} ms ${x.what.slice(0, 120)}`).join(' | ')}`);
  assert.ok(total >= 500, `${total} inputs`);
  assert.equal(codes['1'] ?? 0, 0);
});
