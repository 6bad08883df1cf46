// Scheduled increases called off before their day (data/timing/scheduled-2025.csv, docs/timing.md §Data): the
// rows of the file as steps of the schedule, read from the policy layer, and the bad inputs named in errors.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { monthIndex } from '../../src/data/timeseries.ts';
import { loadEmbeddedWorld } from '../../src/node/data/builder/embedded.ts';
import { loadConcordance, loadPolicyContext, type PolicyContext } from '../../src/node/policy/inputs.ts';
import { TargetSolver } from '../../src/node/timeline-inputs.ts';
import { loadScheduled, scheduledSteps, SCHEDULED_FILE, withScheduled, type ScheduledChange } from '../../src/node/timeline-scheduled.ts';
import type { Concordance } from '../../src/policy/concordance.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('us-tariffs');
let ctx: PolicyContext;
let solver: TargetSolver;
let concordance: Concordance;
let rows: ScheduledChange[];

before(async () => {
  if (skip) return;
  ctx = await loadPolicyContext({});
  solver = new TargetSolver(loadEmbeddedWorld());
  concordance = loadConcordance('world2024', ctx.data);
  rows = loadScheduled(SCHEDULED_FILE, ctx);
});

test('scheduled steps: the pauses of 2025 as steps seen coming and called off before their day; one copy per action equals each row alone', { skip }, () => {
  assert.deepEqual(rows.map((r) => r.id), ['pause-end-jul9', 'pause-end-aug1', 'geneva-end-aug12', 'geneva-end-nov10']);
  const steps = scheduledSteps(rows, ctx, concordance, solver);
  const total = (id: string) => steps.filter((s) => s.id.startsWith(`scheduled ${id}`)).reduce((a, s) => a.map((x, g) => x + s.dTau[g]), [0, 0, 0, 0, 0]);
  // The end of the pause: the Annex I rates (EU 20%, the rest of the world's by country) in place of 10% on the
  // goods the reciprocal tariff covers; none on Canada, Mexico (never paused) or China (not paused).
  const jul9 = total('pause-end-jul9');
  assert.deepEqual(jul9.slice(0, 3), [0, 0, 0]);
  assert.ok(jul9[3] > 0.04 && jul9[3] < 0.1 && jul9[4] > 0.05 && jul9[4] < 0.15, `${jul9}`);
  // Geneva's suspended 24 points on China (reciprocal 34% in place of 10%).
  const aug12 = total('geneva-end-aug12');
  assert.ok(aug12[2] > 0.1 && aug12[2] < 0.24 && aug12[3] === 0, `${aug12}`);
  // Each step is split by days (9 July: 23/31 in July) and called off before its day.
  const j = steps.filter((s) => s.id.startsWith('scheduled pause-end-jul9'));
  assert.deepEqual(j.map((s) => s.month), [monthIndex(2025, 7), monthIndex(2025, 8)]);
  assert.ok(Math.abs(j[0].dTau[3] / (j[0].dTau[3] + j[1].dTau[3]) - 23 / 31) < 1e-12);
  assert.ok(j.every((s) => s.cancelled < monthIndex(2025, 7) + 8 / 31 && s.announced < s.cancelled));
  // One copy of the policy data per action gives each row's change on its day, as the row alone does.
  for (const r of rows) {
    const alone = solver.groupsOn(r.scheduled, { ...ctx, data: { ...ctx.data, actions: withScheduled(ctx.data.actions, r) } }, concordance);
    const applied = solver.groupsOn(r.scheduled, ctx, concordance);
    const t = total(r.id);
    for (let g = 0; g < 5; g++) assert.ok(Math.abs(alone[g] - applied[g] - t[g]) < 1e-12, `${r.id} group ${g}`);
  }
});

test('bad input: scheduled file with an unknown action, a bad change, a bad date, a call-off after the day, a repeated id names file, row and field', { skip }, () => {
  const text = readFileSync(SCHEDULED_FILE, 'utf8').split('\n');
  const header = text[0];
  const row = text[1];
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-scheduled-'));
  const cases: [string[], number, string, RegExp][] = [
    [[row.replace('us-recip-pause', 'us-recip-nothing')], 1, 'action', /no policy action/],
    [[row.replace(',end,', ',raise,')], 1, 'change', /neither end nor rate/],
    [[row.replace('2025-07-09', '2025-07-32')], 1, 'scheduled', /./],
    [[row.replace('2025-07-07', '2025-07-10')], 1, 'called_off', /called off/],
    [[row, row], 2, 'id', /repeats/],
    [[row.replace('2025-07-09', '2027-01-01')], 1, 'scheduled', /outside the policy data/],
  ];
  cases.forEach(([lines, r, field, msg], k) => {
    const f = join(dir, `s${k}.csv`);
    writeFileSync(f, [header, ...lines].join('\n'));
    assert.throws(() => loadScheduled(f, ctx), (e: unknown) => e instanceof InputError && e.location.row === r && e.location.field === field && msg.test(e.message) && e.location.file === f, `case ${k}`);
  });
});
