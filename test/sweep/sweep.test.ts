// Sweeps: spec validation (errors name the field, nothing is queued), deterministic draws, the local pool and
// BullMQ on a loopback redis-server give identical summaries, and a chunk whose worker is killed with kill -9
// mid-chunk is redone with the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { InputError } from '../../src/errors.ts';
import { parseSweep } from '../../src/sweep/load.ts';
import { chunkSizeFor, drawValues, pilotMsPerDraw, PILOT_DRAWS, variantKey } from '../../src/sweep/plan.ts';
import { planSweep, planSweepFile } from '../../src/node/sweep/plan.ts';
import { LocalExecutor } from '../../src/node/sweep/local.ts';
import { QueueExecutor, QUEUE_NAME, jobId } from '../../src/node/sweep/queue.ts';
import { chunkJobs, runSweep } from '../../src/node/sweep/run.ts';
import { InlineExecutor } from '../../src/node/sweep/inline.ts';
import { readDraws, type SweepSummary } from '../../src/node/sweep/summary.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'tariffsim-sweep-test-'));
// Small scenarios on the embedded world2024 baseline without the policy layer (fast to compile).
writeFileSync(join(dir, 'war.yaml'), 'name: test war\ndataset: world2024\nshocks:\n  - tariff: {importer: USA, exporter: CHN, add: 50}\n  - tariff: {importer: CHN, exporter: USA, add: 50}\n');
writeFileSync(join(dir, 'deal.yaml'), 'name: test deal\ndataset: world2024\nshocks:\n  - tariff: {importer: USA, exporter: CHN, add: 10}\n  - tariff: {importer: CHN, exporter: USA, add: 10}\n');
const spec = (extra = '') => `name: t1\nscenario: war.yaml\ndeal: deal.yaml\nsides: [USA, CHN]\ndraws: 8\nseed: 7\nchunk: 2\nvary:\n  - theta: {sector: goods, relativeSd: 0.3}\n  - closure: {choices: [fixed-deficits, zero-deficits]}\n${extra}`;
writeFileSync(join(dir, 'good.yaml'), spec());

function fieldOf(fn: () => unknown): Promise<string | undefined> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => assert.fail('expected an InputError'),
      (err: unknown) => {
        assert.ok(err instanceof InputError, String(err));
        return err.location.field;
      },
    );
}

test('bad sweep specs fail naming the field', async () => {
  const bad = async (text: string) => fieldOf(() => planSweep(parseSweep(text, join(dir, 'bad.yaml'))));
  assert.equal(await bad(spec().replace('draws: 8', 'draws: -3')), 'draws');
  assert.equal(await bad(spec().replace('relativeSd: 0.3', 'relativeSd: 0.3, grid: [1, 2]')), 'vary.0.theta');
  assert.equal(await bad(spec().replace('sector: goods', 'sector: Textilez')), 'vary.0.theta.sector');
  assert.equal(await bad(spec().replace('[USA, CHN]', '[USA, Atlantis]')), 'sides.1');
  assert.equal(await bad(spec().replace('scenario: war.yaml', 'scenario: missing.yaml')), 'scenario');
  assert.match(String(await bad(spec().replace('fixed-deficits, zero', 'fixed, zero'))), /^vary\.1/);
  assert.equal(await bad(spec() + 'colour: red\n'), 'colour');
  assert.throws(() => parseSweep(spec().replace('draws: 8', 'draws: 0'), 'x.yaml'), /x\.yaml, line 5:\d+, field 'draws'/);
});

test('θ from `estimate --json`: mean −β̂ − 1, SD = SE(β̂); a positive coefficient is refused naming the field', async () => {
  writeFileSync(join(dir, 'est.json'), JSON.stringify({ coefficients: [{ name: 'ltariff', estimate: -5, se: 0.5 }, { name: 'bad', estimate: 0.3, se: 0.1 }] }));
  const text = (coef: string) => spec().replace('relativeSd: 0.3', `fromEstimate: {file: est.json, coefficient: ${coef}}`);
  const plan = await planSweep(parseSweep(text('ltariff'), join(dir, 'est.yaml')));
  const p = plan.params[0];
  assert.ok(p.kind === 'theta' && p.mode === 'normal');
  if (p.kind === 'theta' && p.mode === 'normal') {
    assert.deepEqual([...new Set(p.mean)], [4]);
    assert.deepEqual([...new Set(p.sd)], [0.5]);
  }
  const field = await fieldOf(() => planSweep(parseSweep(text('bad'), join(dir, 'est.yaml'))));
  assert.equal(field, 'vary.0.theta.fromEstimate');
});

test('policy options: refused for scenarios without a policy block; drawn per draw with their own variant key', async () => {
  const text = spec() + '  - policy: {option: china, choices: [true, false]}\n';
  assert.equal(await fieldOf(() => planSweep(parseSweep(text, join(dir, 'pol.yaml')))), 'vary.2.policy');
  assert.equal(await fieldOf(() => planSweep(parseSweep(spec() + '  - policy: {option: china, grid: [yes-please]}\n', join(dir, 'pol.yaml')))), 'vary.2.policy.grid.0');
  const plan = await planSweepFile(join(dir, 'good.yaml'));
  const withPolicy = { ...plan, params: [...plan.params, { kind: 'policy' as const, field: 'vary.2.policy', option: 'china' as const, mode: 'grid' as const, values: [true, false] }] };
  assert.deepEqual(drawValues(withPolicy, 0).policy, { china: true });
  assert.deepEqual(drawValues(withPolicy, 1).policy, { china: false });
  assert.notEqual(variantKey(drawValues(withPolicy, 0).policy), variantKey(drawValues(withPolicy, 1).policy));
  assert.equal(variantKey(drawValues(plan, 0).policy), '');
});

test('draws are a pure function of (sweep, draw)', async () => {
  const plan = await planSweepFile(join(dir, 'good.yaml'));
  const a = drawValues(plan, 5);
  const b = drawValues(plan, 5);
  assert.deepEqual([...a.theta], [...b.theta]);
  assert.notDeepEqual([...drawValues(plan, 4).theta], [...a.theta]);
  const other = await planSweep(parseSweep(spec().replace('seed: 7', 'seed: 8'), join(dir, 'good.yaml')));
  assert.notDeepEqual([...drawValues(other, 5).theta], [...a.theta]);
});

test('chunk size from a pilot: ~2.5 s of work per chunk, clamped to [1, remaining], an even share per worker at most', () => {
  assert.equal(pilotMsPerDraw([900, 40, 60]), 50, 'the first draw (baseline solve, cold start) is left out; median of the rest');
  assert.equal(pilotMsPerDraw([120]), 120);
  assert.equal(pilotMsPerDraw([500, 10, 30, 20]), 20);
  assert.equal(chunkSizeFor(50, 1000), 50);
  assert.equal(chunkSizeFor(100, 1000), 25);
  assert.equal(chunkSizeFor(5000, 1000), 1, 'a draw slower than the target: one draw per chunk');
  assert.equal(chunkSizeFor(1, 197), 197, 'fast draws: everything left in one chunk');
  assert.equal(chunkSizeFor(1, 197, 2), 99, 'two workers: at most half each');
  assert.equal(chunkSizeFor(0, 10), 10);
  assert.equal(chunkSizeFor(50, 1000, 1, 1000), 20, 'another target');
});

test('chunking never changes the numbers: chunks of 1, of 3 and sized by a pilot give identical draws and summaries', async () => {
  const plan = await planSweepFile(join(dir, 'good.yaml'));
  const ex = new InlineExecutor();
  const runs = [];
  for (const [k, chunk] of [1, 3, undefined].entries()) {
    const p = chunk === undefined ? (({ chunk: _c, ...rest }) => rest)(plan) : { ...plan, chunk };
    const run = await runSweep(p, ex, join(dir, `chunks-${k}`));
    runs.push({ run, draws: await readDraws(run.shards) });
  }
  assert.deepEqual(runs.map((r) => r.run.chunks.length).slice(0, 2), [8, 3]);
  const auto = runs[2].run;
  assert.ok(auto.pilotMsPerDraw! > 0, 'the pilot measured a time per draw');
  assert.deepEqual([auto.chunks[0].start, auto.chunks[0].end], [0, PILOT_DRAWS], 'the pilot chunk holds the first draws');
  assert.equal(auto.chunkSize, chunkSizeFor(auto.pilotMsPerDraw!, 8 - PILOT_DRAWS));
  assert.equal(auto.chunks.reduce((s, c) => s + c.end - c.start, 0), 8);
  assert.equal(runs[0].draws.length, 8);
  assert.deepEqual(runs[0].draws.map((r) => r.draw), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const r of runs.slice(1)) {
    assert.deepEqual(r.draws, runs[0].draws, 'per-draw results bit for bit');
    assert.deepEqual(r.run.summary, runs[0].run.summary, 'the summary');
  }
});

// --- local pool vs BullMQ on a loopback redis-server ------------------------------------------------------
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis && process.env.CI) throw new Error('CI is set but redis-server is missing: .ci/run installs it with apt-get');
const skip = hasRedis ? false : 'skipped: redis-server not installed (apt-get install -y redis-server)';
let redis: ChildProcess | undefined;
let port = 0;
const workers: ChildProcess[] = [];
let local: SweepSummary | undefined;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

function startWorker(pauseMs = 0): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/sweep-worker.ts'), String(port), '10000', String(pauseMs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  workers.push(child);
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && res(child));
    child.once('exit', (code) => rej(new Error(`worker exited with ${code}`)));
  });
}

before(async () => {
  if (!hasRedis) return;
  port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let k = 0; k < 50; k++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  redis?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('local pool: 2 threads', { skip }, async () => {
  const plan = await planSweepFile(join(dir, 'good.yaml'));
  const ex = await LocalExecutor.create(2);
  try {
    const run = await runSweep(plan, ex, join(dir, 'local'));
    local = run.summary;
    assert.equal(local.draws, 8);
    assert.equal(run.shards.length, 4);
    assert.deepEqual(run.chunks.map((c) => [c.start, c.end]), [[0, 2], [2, 4], [4, 6], [6, 8]]);
    const usa = local.answers.find((a) => a.statement.startsWith('USA loses more from'))!;
    const chn = local.answers.find((a) => a.statement.startsWith('CHN loses more from'))!;
    assert.ok(Math.abs(usa.share + chn.share - 1) < 1e-12);
  } finally {
    await ex.close();
  }
});

test('a bad spec fails before any job is queued', { skip }, async () => {
  const q = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port } });
  try {
    await assert.rejects(() => planSweep(parseSweep(spec().replace('sector: goods', 'sector: Nothing'), join(dir, 'bad.yaml'))), /unknown sector 'Nothing'/);
    assert.equal(await q.count(), 0);
  } finally {
    await q.close();
  }
});

test('BullMQ with 2 worker processes gives the local pool\'s summary exactly', { skip }, async () => {
  assert.ok(local, 'the local run ran first');
  await Promise.all([startWorker(), startWorker()]);
  const plan = await planSweepFile(join(dir, 'good.yaml'));
  const ex = await QueueExecutor.create({ host: '127.0.0.1', port });
  let progressEvents = 0;
  try {
    const run = await runSweep(plan, ex, join(dir, 'queue'), () => progressEvents++);
    assert.deepEqual(run.summary, local);
    assert.ok(progressEvents >= 4, `progress events: ${progressEvents}`);
    for (const j of chunkJobs(plan, '')) assert.ok(!jobId(j).includes(':'));
    // The CLI on the same queue: the finished jobs of the same plan are collected, not redone; then removed.
    const cli = await runCli(['sweep', join(dir, 'good.yaml'), '--queue', `redis://127.0.0.1:${port}`, '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), JSON.parse(JSON.stringify(local)));
    const q = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port } });
    assert.equal(await q.getJob(jobId(chunkJobs(plan, '')[0])), undefined);
    // No chunk size given: the pilot chunk runs here (inline), the rest are sized from it and queued.
    const { chunk: _fixed, ...auto } = plan;
    const piloted = await runSweep(auto, ex, join(dir, 'queue-auto'), undefined, { pilot: new InlineExecutor() });
    assert.deepEqual(piloted.summary, local);
    assert.deepEqual([piloted.chunks[0].start, piloted.chunks[0].end], [0, PILOT_DRAWS]);
    const queued = piloted.chunks.slice(1).map((chunk) => ({ plan: auto, chunk, outDir: '' }));
    assert.ok(queued.length >= 1);
    for (const j of queued) assert.ok((await q.getJob(jobId(j)))?.finishedOn, `chunk ${j.chunk.start}-${j.chunk.end} went through the queue`);
    assert.equal(await q.getJob(jobId({ plan: auto, chunk: piloted.chunks[0], outDir: '' })), undefined, 'the pilot was not queued');
    await ex.remove(queued);
    for (const j of queued) assert.equal(await q.getJob(jobId(j)), undefined);
    await q.close();
  } finally {
    await ex.close();
    for (const w of workers.splice(0)) w.kill('SIGTERM');
  }
});

test('a chunk whose worker is killed with kill -9 mid-chunk is redone; the summary equals the uninterrupted run', { skip }, async () => {
  assert.ok(local);
  const plan = await planSweep(parseSweep(spec(), join(dir, 'good.yaml')));
  const renamed = { ...plan, name: 't1-killed' }; // new job ids; same key, so the same draws
  const victim = await startWorker(5000); // pauses 5 s after each draw: killed after its first draw, mid-chunk
  const ex = await QueueExecutor.create({ host: '127.0.0.1', port });
  let killed = false;
  try {
    const run = await runSweep(renamed, ex, join(dir, 'killed'), (p) => {
      if (!killed && p.drawsDone >= 1 && p.chunksDone === 0) {
        killed = true;
        victim.kill('SIGKILL'); // mid-chunk: one draw of its first chunk done, the shard not yet written
        void startWorker();
      }
    });
    assert.ok(killed, 'the worker was killed mid-chunk');
    assert.deepEqual({ ...run.summary, sweep: 't1' }, local);
    // The killed worker's chunk was found stalled and redone (BullMQ counts the stall on the job).
    const q = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port } });
    const stalls = await Promise.all(chunkJobs(renamed, '').map(async (j) => (await q.getJob(jobId(j)))?.stalledCounter ?? 0));
    await q.close();
    assert.ok(stalls.some((n) => n >= 1), `stalled counters: ${stalls.join(', ')}`);
  } finally {
    await ex.close();
  }
});
