// Threats and pledges (docs/timing.md eq. T4c, data/timing/threats-2024-26.csv): the cited file, its coverage by
// group from 2024 imports by HS chapter, heading or subheading, the motive they add, and bad inputs (file, row and field named).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { monthIndex } from '../../src/data/timeseries.ts';
import { expectedThreats, motive } from '../../src/model/timing/anticipation.ts';
import { G, type Threat } from '../../src/model/timing/types.ts';
import { episodeTariffAt, groupImportsByChapter, HS2_IMPORTS_FILE, importsByCode, loadThreats, THREATS_FILE } from '../../src/node/timeline-inputs.ts';
import { loadPolicyContext } from '../../src/node/policy/inputs.ts';
import { needsShared, sharedPath } from '../helpers/shared.ts';

// Synthetic 2024 imports by chapter (US$): chapter 30 is 20% of the EU's imports, 1% of everyone else's.
// HTS10 detail (2024, US$) splits chapter 87 within the groups with detail: heading 8703 is 3/4 of the EU's
// chapter 87 and 1/3 of the rest of the world's; Canada, Mexico and China have no detail in it.
const chapterValues = new Map<string, Float64Array>([
  ['30', Float64Array.from([1, 1, 1, 20, 1])],
  ['87', Float64Array.from([99, 99, 99, 80, 99])],
]);
const detail = {
  hts: ['8703230190', '8708990000', '8703800000'],
  detailPartners: ['0003', '5880'],
  detail: { p: Int32Array.from([0, 0, 1, 1]), h: Int32Array.from([0, 1, 0, 1]), value: Float64Array.from([6, 2, 5, 10]) },
};
const chapters = importsByCode(chapterValues, detail);
const base = () => 0.02;
const header = 'id,kind,stated,expected,resolved,resolution,restates,partners,hs,rate,basis,source';
const good = [
  'a,campaign,2024-07-08,2025-01-20,2025-04-02,enacted,,CAN;MEX;EU;ROW,all,10,additional,"platform"',
  'b,statement,2025-02-18,2025-04-02,2025-04-02,exempted,,all,30,25,additional,"remarks"',
  'c,campaign,2024-02-04,2025-01-20,2025-04-02,superseded,,CHN,all,60,level,"interview"',
  'd,statement,2025-03-04,2025-04-02,2025-04-02,enacted,a,CAN;MEX;EU;ROW,all,10,additional,"address"',
];
const write = (rows: string[]) => {
  const file = join(mkdtempSync(join(tmpdir(), 'tariffsim-threats-')), 'threats.csv');
  writeFileSync(file, [header, ...rows].join('\n') + '\n');
  return file;
};

test('T4c: threatened changes by group: rate × covered share of 2024 imports; a level is added over the baseline tariff', () => {
  const th = loadThreats(write(good), chapters, base);
  assert.deepEqual([...th[0].dTau], [0.1, 0.1, 0, 0.1, 0.1]);
  assert.ok(Math.abs(th[1].dTau[3] - 0.25 * 0.2) < 1e-15 && Math.abs(th[1].dTau[0] - 0.25 * 0.01) < 1e-15);
  assert.ok(Math.abs(th[2].dTau[2] - 0.58) < 1e-15);
  assert.equal(th[3].chain, 'a');
  assert.equal(th[1].kind, 1);
  assert.ok(Number.isNaN(loadThreats(write([good[0].replace('2025-04-02,enacted', ',pending')]), chapters, base)[0].resolved));
});

test('T4c: a heading takes its share of the chapter from the HTS10 detail of the group; a level is added over the tariff in force when it was stated; replaces:N adds rate − N', () => {
  const th = loadThreats(write(['h,statement,2025-05-23,2025-06-01,,pending,,all,8703,100,additional,"post"']), chapters, base);
  // EU: 3/4 of chapter 87 (80) → 60 of 100 imports; rest of world: 1/3 of 99 → 33 of 100; no detail → 0.
  const tot = [100, 100, 100, 100, 100];
  const want = [0, 0, 0, 60 / tot[3], 33 / tot[4]];
  th[0].dTau.forEach((v, g) => assert.ok(Math.abs(v - want[g]) < 1e-15, `${g}: ${v}`));
  // A level threat is measured from the group's tariff in the month of its statement (episode from 2024-11).
  const ep = { start: monthIndex(2024, 11), n: 8, tariff: new Float64Array(8 * G) };
  for (let k = 0; k < 8; k++) ep.tariff[k * G + 3] = k < 5 ? 0.012 : 0.107; // EU: 10% added from April 2025
  const lvl = (stated: string) => loadThreats(write([`l,statement,${stated},${stated},,pending,,EU,all,50,level,"post"`]), chapters, episodeTariffAt(ep))[0].dTau[3];
  assert.ok(Math.abs(lvl('2025-05-23') - (0.5 - 0.107)) < 1e-15);
  assert.ok(Math.abs(lvl('2025-04-01') - (0.5 - 0.107)) < 1e-15, 'April: the month of the step');
  assert.ok(Math.abs(lvl('2025-03-31') - (0.5 - 0.012)) < 1e-15, 'March: the month before it');
  assert.ok(Math.abs(lvl('2024-02-04') - (0.5 - 0.012)) < 1e-15, 'before the episode: its first month');
  assert.ok(Math.abs(lvl('2026-03-01') - (0.5 - 0.107)) < 1e-15, 'after the episode: its last month');
  // replaces:N: the rate replaces N percent on the covered goods (30% in place of 25%: +5 points).
  const rep = loadThreats(write(['r,statement,2025-07-12,2025-08-01,,pending,,MEX,all,30,replaces:25,"letter"']), chapters, base)[0];
  assert.deepEqual([...rep.dTau].map((x) => Math.round(x * 1e12) / 1e12), [0, 0.05, 0, 0, 0]);
});

test('T4c: a threat counts π·Δτ from its statement until resolved; past its date it is expected next month; only the latest restatement counts', () => {
  const start = monthIndex(2024, 11);
  const n = 8;
  const tariff = new Float64Array(n * G);
  const dTau = Float64Array.from([0.1, 0, 0, 0, 0]);
  // Stated 2024-11-25, expected 2025-01-01, resolved 2025-03-01.
  const th: Threat = { id: 'x', kind: 1, stated: start + 24 / 30, expected: monthIndex(2025, 1), resolved: monthIndex(2025, 3), enacted: false, chain: 'x', dTau };
  const S = motive([], tariff, start, n, 3, 0, [th], [0, 0.5]);
  const at = (m: number) => S[(m - start) * G];
  assert.ok(Math.abs(at(start) - Math.log(1.05)) < 1e-15, 'stated within November: counted in November');
  assert.ok(Math.abs(at(start + 1) - Math.log(1.05)) < 1e-15);
  assert.ok(Math.abs(at(monthIndex(2025, 2)) - Math.log(1.05)) < 1e-15, 'past its date, unresolved: expected next month');
  assert.equal(at(monthIndex(2025, 3)), 0, 'resolved');
  // Resolved on 11 March: in March the motive for the 10 days before (averaged over the month).
  const mid = motive([], tariff, start, n, 3, 0, [{ ...th, resolved: monthIndex(2025, 3) + 10 / 31 }], [0, 0.5]);
  assert.ok(Math.abs(mid[(monthIndex(2025, 3) - start) * G] - (10 / 31) * Math.log(1.05)) < 1e-12, 'resolved within March');
  assert.equal(S[(start - start) * G + 1], 0, 'other groups untouched');
  // The lead does not apply to threats: stated in December, nothing in November.
  assert.equal(motive([], tariff, start, n, 3, 0, [{ ...th, stated: start + 1.2 }], [0, 1])[0], 0);
  // Zero belief: nothing.
  assert.ok(motive([], tariff, start, n, 0, 0, [th], [1, 0]).every((x) => x === 0));
  // A restatement replaces its chain from its statement on.
  const re: Threat = { ...th, id: 'y', stated: start + 1.5, expected: monthIndex(2025, 2), dTau: Float64Array.from([0.3, 0, 0, 0, 0]) };
  assert.deepEqual(expectedThreats([th, re], start).map((x) => x.id), ['x']);
  assert.deepEqual(expectedThreats([th, re], start + 1).map((x) => x.id), ['y']);
  assert.ok(Math.abs(motive([], tariff, start, n, 0, 0, [th, re], [0, 1])[1 * G] - Math.log(1.3)) < 1e-15);
});

test('T4c: of two rows of a chain stated the same day, the one that restates the other counts', () => {
  const rows = [
    'p,statement,2025-05-23,2025-06-01,,pending,,all,8703,25,additional,"post"',
    'q,statement,2025-05-23,2025-06-30,,pending,p,all,8703,25,additional,"remarks, same day"',
  ];
  for (const order of [rows, [...rows].reverse()]) {
    const th = loadThreats(write(order), chapters, base);
    assert.equal(th.find((x) => x.id === 'q')!.depth, 1);
    assert.deepEqual(expectedThreats(th, monthIndex(2025, 5)).map((x) => x.id), ['q']);
  }
});

test('T4c: a threat an action enacted stops counting when that action is seen coming (L months before its announcement), so the step is not counted twice', () => {
  const start = monthIndex(2024, 11);
  const n = 6;
  const tariff = new Float64Array(n * G);
  const dTau = Float64Array.from([0.25, 0, 0, 0, 0]);
  const r = monthIndex(2025, 2); // enacted by an action announced on 1 Feb 2025, effective 4 Feb
  const th: Threat = { id: 'x', kind: 1, stated: start + 24 / 30, expected: monthIndex(2025, 1), resolved: r, enacted: true, chain: 'x', dTau };
  const step = { announced: r, month: r, dTau: Float64Array.from([0.25, 0, 0, 0, 0]), cancelled: Infinity } as unknown as Parameters<typeof motive>[0][number];
  for (const lead of [0, 1, 2]) {
    const S = motive([step], tariff, start, n, lead, 0, [th], [0, 1]);
    for (let t = start; t < start + n; t++) {
      // Never more than the enacted step itself (ln 1.25) while the step is still ahead.
      if (t < r) assert.ok(S[(t - start) * G] <= Math.log(1.25) + 1e-15, `lead ${lead}, month ${t - start}: ${S[(t - start) * G]}`);
    }
    assert.deepEqual(expectedThreats([th], r - lead - 1, lead).map((x) => x.id), ['x'], 'counts until L months before the announcement');
    assert.deepEqual(expectedThreats([th], r - lead, lead), []);
  }
  // Not enacted (superseded, lapsed…): it counts until its resolution whatever the lead.
  assert.deepEqual(expectedThreats([{ ...th, enacted: false }], r - 1, 3).map((x) => x.id), ['x']);
});

test('T4c: an action announced mid-month is known for that whole month (L months earlier), so its threat stops counting at the start of that month', () => {
  const start = monthIndex(2024, 10);
  const n = 6;
  const tariff = new Float64Array(n * G);
  const feb = monthIndex(2025, 2);
  const r = feb + 14 / 28; // action announced 15 Feb 2025, effective 1 Mar 2025
  const dTau = Float64Array.from([0.25, 0, 0, 0, 0]);
  const th: Threat = { id: 'x', kind: 1, stated: start, expected: feb + 1, resolved: r, enacted: true, chain: 'x', dTau };
  const step = { id: 'a', announced: r, month: feb + 1, dTau, cancelled: NaN };
  for (const lead of [0, 1, 2]) {
    const S = motive([step], tariff, start, n, lead, 0, [th], [0, 1]);
    for (let t = start; t <= feb; t++) {
      // Before the action is seen the threat alone, after it the action alone: the saving is ln 1.25 every month.
      assert.ok(Math.abs(S[(t - start) * G] - Math.log(1.25)) < 1e-15, `lead ${lead}, ${t - start}: ${S[(t - start) * G]}`);
    }
    assert.deepEqual(expectedThreats([th], feb - lead - 1, lead).map((x) => x.id), ['x']);
    assert.deepEqual(expectedThreats([th], feb - lead, lead), [], 'not in the month in which the action is seen');
  }
});

test('T4a: a step called off within a month counts for the share of the month before the call-off (the motive averaged over the month)', () => {
  const start = monthIndex(2019, 11);
  const tariff = new Float64Array(2 * G);
  const dec = monthIndex(2019, 12);
  // Scheduled for 15 Jan (a step in January's average), called off on 13 Dec: in December the motive is the whole
  // step's for 12 of 31 days and nothing after (not the motive of 12/31 of the step, ln(1 + 0.1·12/31)).
  const step = { id: 'b', announced: monthIndex(2019, 8), month: dec + 1, dTau: Float64Array.from([0.1, 0, 0, 0, 0]), cancelled: dec + 12 / 31 };
  const S = motive([step], tariff, start, 2, 0, 0);
  assert.ok(Math.abs(S[0] - Math.log(1.1)) < 1e-15, `November: the whole step (${S[0]})`);
  assert.ok(Math.abs(S[G] - (12 / 31) * Math.log(1.1)) < 1e-12, `December: ${S[G]}`);
  // With a carrying cost the two differ a lot: at 3% a month the step scaled by 12/31 gives about a third of the
  // averaged motive (0.0080 against 0.0253).
  const Sc = motive([step], tariff, start, 2, 0, 0.03);
  assert.ok(Math.abs(Sc[G] - (12 / 31) * (Math.log(1.1) - 0.03)) < 1e-12 && Math.log(1 + 0.1 * (12 / 31)) - 0.03 > 0, `December, carry: ${Sc[G]}`);
});

test('bad input: threats file with a missing field, a bad date, an unknown partner, HS code (unknown, malformed, overlapping), kind or restated row names file, row and field', () => {
  const cases: [string[], number, string, RegExp][] = [
    [[good[0], good[1].replace('"remarks"', '')], 2, 'source', /empty/],
    [[good[0].replace(',10,additional', ',,additional')], 1, 'rate', /empty/],
    [[good[0], good[1].replace('2025-02-18', '2025-02-30')], 2, 'stated', /./],
    [[good[0].replace('2025-01-20', '20-01-2025')], 1, 'expected', /./],
    [[good[0].replace('CAN;MEX;EU;ROW', 'CAN;JPN')], 1, 'partners', /unknown partner 'JPN'/],
    [[good[1].replace(',30,', ',99,')], 1, 'hs', /HS code '99' is not in the 2024 import data/],
    [[good[1].replace(',30,', ',8799,')], 1, 'hs', /HS code '8799' is not in the 2024 import data/],
    [[good[1].replace(',30,', ',870,')], 1, 'hs', /HS code '870' is not 2, 4 or 6 digits/],
    [[good[1].replace(',30,', ',87;8703,')], 1, 'hs', /HS code '8703' overlaps '87'/],
    [[good[1].replace('statement', 'rumour')], 1, 'kind', /rumour/],
    [[good[3]], 1, 'restates', /restates 'a'/],
    [[good[1].replace('exempted', 'forgotten')], 1, 'resolution', /forgotten/],
    [[good[1].replace('additional', 'replaces:x')], 1, 'basis', /replaces:<percent>/],
    [[good[1].replace('additional', 'replaces:30')], 1, 'basis', /not below the rate threatened/],
    [[good[1].replace('additional', 'replaces:25')], 1, 'basis', /not below the rate threatened/],
    [[good[1].replace('additional', 'level')], 1, 'basis', /needs hs all/],
    [[good[1].replace('2025-04-02,2025-04-02,exempted', '2025-04-02,2025-04-02,pending')], 1, 'resolved', /pending threat has a resolved date/],
    [[good[1].replace('2025-02-18,2025-04-02', '2025-02-18,2025-02-01')], 1, 'expected', /expected before it was stated/],
    [[good[1].replace(',30,', ',8703;87,')], 1, 'hs', /HS code '87' overlaps '8703'/],
    [[good[1].replace('2025-04-02,exempted', '2024-04-02,exempted')], 1, 'resolved', /before it was stated/],
  ];
  // A missing column names the file and the column.
  const noRate = join(mkdtempSync(join(tmpdir(), 'tariffsim-threats-')), 'threats.csv');
  writeFileSync(noRate, [header.replace(',rate', ''), good[0].replace(',10,', ',')].join('\n') + '\n');
  assert.throws(() => loadThreats(noRate, chapters, base), (e: unknown) => e instanceof InputError && e.location.file === noRate && e.location.field === 'rate');
  for (const [rows, row, field, msg] of cases) {
    const file = write(rows);
    assert.throws(
      () => loadThreats(file, chapters, base),
      (e: unknown) => e instanceof InputError && e.location.file === file && e.location.row === row && e.location.field === field && msg.test(e.message),
      `${field} row ${row}`,
    );
  }
});

const skip = needsShared('us-tariffs/trade');
const near = (x: number, y: number, tol: number, what: string) => assert.ok(Math.abs(x - y) <= tol, `${what}: ${x} vs ${y}`);
test('the cited file: 47 statements, each cited; coverage from 2024 imports (pharmaceuticals are 22% of imports from the EU, chips 4% of the rest of the world\'s)', { skip }, async () => {
  const ctx = await loadPolicyContext({});
  const imports = importsByCode(groupImportsByChapter(sharedPath(...HS2_IMPORTS_FILE.split('/'))), ctx.weights);
  const tariff = Float64Array.from([0.001, 0.002, 0.109, 0.012, 0.016]);
  const th = loadThreats(THREATS_FILE, imports, (g) => tariff[g]);
  assert.equal(th.length, 47);
  // Chips (8541, 8542) at about 100%: 3.98 points on the rest of the world, 0.34 on China (2024 weights).
  const chips = th.find((x) => x.id === 'remarks-chips-100')!;
  near(chips.dTau[4], 0.0398, 0.0001, 'chips, rest of world');
  near(chips.dTau[2], 0.0034, 0.0001, 'chips, China');
  assert.equal(chips.dTau[3], 0, 'the EU is its own row');
  // replaces:N — Mexico's 30% in place of the 25% fentanyl tariff is +5 points.
  near(th.find((x) => x.id === 'letter-mex-30')!.dTau[1], 0.05, 1e-12, 'Mexico letter');
  // Rows after the first file (stated from 18 Feb 2025 on) cite a page where they were checked.
  const text = readFileSync(THREATS_FILE, 'utf8').split('\n').slice(10).filter(Boolean);
  assert.equal(text.length, 38);
  for (const line of text) assert.ok(/https?:\/\//.test(line), line.slice(0, 40));
  const pharma = th.find((x) => x.id === 'remarks-pharma-25')!;
  assert.ok(Math.abs(pharma.dTau[3] - 0.055) < 0.001, `${pharma.dTau[3]}`);
  // Group totals: Canada 411.7, Mexico 503.4, China 429.4, EU 597.5 US$ bn (Census imports for consumption 2024).
  const tot = imports.total;
  [411.7, 503.4, 429.4, 597.5].forEach((v, g) => assert.ok(Math.abs(tot[g] / 1e9 - v) < 0.1, `${g}: ${tot[g]}`));
  assert.ok(tot[4] > 1200e9 && tot[4] < 1400e9);
  // Headings split their chapter: the parts of chapter 85 add up to it for the groups with full detail.
  const ch85 = imports.covered('85')!;
  const parts = ['8541', '8542'].map((c) => imports.covered(c)!);
  for (let g = 0; g < G; g++) assert.ok(parts[0][g] + parts[1][g] < ch85[g] && parts[1][g] > 0, `${g}`);
  for (const x of th) assert.ok(readFileSync(THREATS_FILE, 'utf8').includes(x.id));
});

test('T4a: an unforeseen step (a scenario switch) announced within a month counts for the share of the month after it (the motive averaged over the month)', () => {
  const start = monthIndex(2025, 3);
  const tariff = new Float64Array(2 * G);
  // Announced (and first in force) on 21 March: its April part is expected in March for the last 11 of 31 days.
  const step = { id: 'switch', announced: start + 20 / 31, month: start + 1, dTau: Float64Array.from([0, 0, -0.2, 0, 0]), cancelled: NaN, unforeseen: true };
  const rise = { id: 'scheduled', announced: start - 2, month: start + 1, dTau: Float64Array.from([0, 0, 0.3, 0, 0]), cancelled: start + 20 / 31 };
  const S = motive([step, rise], tariff, start, 2, 0, 0);
  // 20 days with the rise ahead, 11 with the cut ahead (no motive).
  const expected = (20 / 31) * Math.log(1.3);
  assert.ok(Math.abs(S[2] - expected) < 1e-12, `March: ${S[2]} vs ${expected}`);
});
