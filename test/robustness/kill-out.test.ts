// kill -9 during `tariffsim run --out`: the output folder is always absent, the previous complete set, or the new
// complete set (checked against its manifest). 50 trials in a bounded loop, each with its own scenario file so the
// folder's content says which run wrote it: even trials are killed at a random moment of the whole run, odd ones at
// a random moment after this run's temporary folder appears (the write phase, widened by TARIFFSIM_OUT_PAUSE_MS so
// that kills land between file writes and between the two renames).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { verifyOutputSet } from '../../src/cli/output.ts';

const TRIALS = 50;
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-kill-'));
const scenario = (name: string, add: number) => {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\ndataset: world2024\nclosure: zero-deficits\nshocks:\n  - tariff: {importer: USA, exporter: CHN, sector: goods, add: ${add}}\n`);
  return f;
};
const out = join(dir, 'out');
const BIN = join(PROJECT_ROOT, 'bin', 'tariffsim.js');

function start(file: string) {
  return spawn(process.execPath, [BIN, 'run', file, '--out', out], { env: { ...process.env, TARIFFSIM_OUT_PAUSE_MS: '15' }, stdio: 'ignore' });
}

function finished(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((res) => child.on('exit', (code) => res(code)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 'absent' or the name of the scenario whose complete set is in the folder; fails on an incomplete set. */
function state(): string {
  if (!existsSync(out)) return 'absent';
  const problem = verifyOutputSet(out);
  assert.equal(problem, null, `incomplete output folder: ${problem}; holds ${readdirSync(out).join(', ')}`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return /([\w-]+)\.yaml/.exec(manifest.command)![1];
}

test(`kill -9 during run --out (${TRIALS} trials): the folder is absent, the previous set or the new set`, { timeout: 600_000 }, async (t) => {
  // One complete run gives the duration to draw kill moments from.
  const t0 = Date.now();
  assert.equal(await finished(start(scenario('first', 5))), 0);
  const duration = Date.now() - t0;
  assert.equal(state(), 'first');
  const seen: Record<string, number> = { absent: 0, previous: 0, new: 0 };
  let killedInWrite = 0;
  let midWrite = 0; // kills that provably landed inside the write phase (this run's temporary or old folder remains)
  let prev = 'first';
  for (let k = 0; k < TRIALS; k++) {
    const name = `trial${k}`;
    const child = start(scenario(name, 1 + (k % 20)));
    const exit = finished(child);
    const mine = (e: string) => e.startsWith(`.out.tmp-${child.pid}-`) || e.startsWith(`.out.old-${child.pid}-`);
    if (k % 2 === 0) {
      await sleep(Math.random() * duration * 1.2);
    } else {
      // Wait for this run's temporary folder, then kill somewhere inside the write phase.
      const deadline = Date.now() + 4 * duration + 5000;
      while (Date.now() < deadline && child.exitCode === null && !readdirSync(dir).some(mine)) await sleep(2);
      if (child.exitCode === null) killedInWrite++;
      await sleep(Math.random() * 160);
    }
    child.kill('SIGKILL');
    await exit;
    if (readdirSync(dir).some(mine)) midWrite++;
    const s = state();
    if (s === 'absent') seen.absent++;
    else if (s === name) seen.new++;
    else {
      assert.equal(s, prev, 'the folder holds neither the previous nor the new set');
      seen.previous++;
    }
    if (s !== 'absent') prev = s;
  }
  t.diagnostic(`outcomes over ${TRIALS} kills: ${JSON.stringify(seen)}; ${killedInWrite} kills aimed at the write phase, ${midWrite} landed inside it`);
  assert.equal(seen.absent + seen.previous + seen.new, TRIALS);
  assert.ok(killedInWrite >= 10, `only ${killedInWrite} kills reached the write phase`);
});
