// `tariffsim tariffs` and `tariffsim etr`, run in-process: outputs, formats and exit codes for bad input.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicyContext } from '../../src/node/policy/inputs.ts';
import { runCli } from '../helpers/cli.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');

// Load the data once before any CLI call: runCli captures process.stdout, and the test runner's own messages
// must not be written while a command is still awaiting the (first, slow) load.
before(async () => {
  if (!skip) await loadPolicyContext();
});

test('etr --from 2025-01-01 --to 2026-04-30 --csv: a daily series, date and etr first, then one column per program', { skip }, async () => {
  const r = await runCli(['etr', '--from', '2025-01-01', '--to', '2026-04-30', '--csv']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'date,etr,mfn,s232,s301,ieepa_fentanyl,ieepa_reciprocal,ieepa_country,s122,s201,retaliation');
  assert.equal(lines.length, 1 + 485);
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    assert.match(cells[0], /^\d{4}-\d{2}-\d{2}$/);
    const nums = cells.slice(1).map(Number);
    assert.ok(nums.every(Number.isFinite));
    const sum = nums.slice(1).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - nums[0]) < 1e-3, `${cells[0]}: programs sum to ${sum}, etr ${nums[0]}`);
  }
  assert.ok(lines[1].startsWith('2025-01-01,'));
  assert.ok(lines.at(-1)!.startsWith('2026-04-30,'));
});

test('etr --announced-through 2025-04-02 and --date … --by partner', { skip }, async () => {
  const a = await runCli(['etr', '--announced-through', '2025-04-02', '--json']);
  assert.equal(a.code, 0, a.stderr);
  const j = JSON.parse(a.stdout);
  assert.equal(j.announcedThrough, '2025-04-02');
  assert.ok(Math.abs(j.etr - 22.5) <= 1.5);
  const b = await runCli(['etr', '--date', '2025-11-15', '--by', 'partner', '--limit', '5']);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /Effective US tariff rate on 2025-11-15/);
  assert.match(b.stdout, /CHN China/);
});

test('tariffs --date 2025-04-15 --partner CHN --hts 9503 --json: every toy line 145 points over MFN, with the deciding actions', { skip }, async () => {
  const r = await runCli(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9503', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.ok(rows.length >= 3);
  for (const x of rows) {
    assert.ok(x.hts.startsWith('9503'));
    assert.equal(x.additional, 145 + x.byProgram.s301);
    assert.equal(x.total, x.mfn + x.additional);
    assert.deepEqual(x.actions.ieepa_fentanyl, ['us-fent-chn-20']);
    assert.ok(x.imports2024 > 0);
    assert.equal(typeof x.rule, 'string');
  }
  const text = await runCli(['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9503']);
  assert.match(text.stdout, /145\.00/);
  assert.match(text.stdout, /us-recip-chn-125: 125%/);
});

test('tariffs --by hs2 / sector / partner (trade-weighted) and China as importer', { skip }, async () => {
  const hs2 = await runCli(['tariffs', '--date', '2025-09-15', '--partner', 'JPN', '--by', 'hs2', '--json', '--limit', '0']);
  assert.equal(hs2.code, 0, hs2.stderr);
  const groups = JSON.parse(hs2.stdout);
  const ch87 = groups.find((g: { hs2: string }) => g.hs2 === '87');
  assert.ok(ch87.byProgram.s232 > 10, 'Japanese cars still under 232 on Sep 15');
  const sector = await runCli(['tariffs', '--date', '2025-04-15', '--by', 'sector', '--sectors', 'world2024']);
  assert.equal(sector.code, 0, sector.stderr);
  assert.match(sector.stdout, /Electrical & optical/);
  const partners = await runCli(['tariffs', '--date', '2025-04-15', '--by', 'partner', '--csv', '--limit', '3']);
  assert.equal(partners.code, 0, partners.stderr);
  assert.equal(partners.stdout.trim().split('\n').length, 4);
  const cn = await runCli(['tariffs', '--date', '2025-04-15', '--importer', 'CHN', '--partner', 'USA', '--hts', '120190', '--json']);
  assert.equal(cn.code, 0, cn.stderr);
  assert.equal(JSON.parse(cn.stdout)[0].additional, 135);
});

test('bad input → exit 2 with a message naming the input', { skip }, async () => {
  const cases: [string[], RegExp][] = [
    [['tariffs', '--date', '2024-12-31', '--partner', 'CHN', '--hts', '9503'], /outside the data's range/],
    [['tariffs', '--date', '2025-04-15', '--partner', 'ATLANTIS', '--hts', '9503'], /unknown country 'ATLANTIS'/],
    [['tariffs', '--date', '2025-04-31', '--partner', 'CHN'], /not a valid YYYY-MM-DD date/],
    [['tariffs', '--date', '2025-04-15', '--by', 'color'], /unknown --by 'color'/],
    [['tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '95x3'], /not an HTS code/],
    [['etr', '--from', '2025-01-01', '--to', '2027-01-01', '--csv'], /outside the data's range/],
    [['etr', '--by', 'partner'], /--by needs --date/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
  }
});
