// Runs: a bounded queue in front of a pool of solve worker threads, the state of every run this process knows
// (queued, running, succeeded, failed, cancelled), its event log for server-sent events, and the hand-off of
// finished runs to the results store. Solves never run on the event loop; a run over the time cap is stopped
// (its worker terminated) and fails with the last iteration and residual it reported.
import { Worker } from 'node:worker_threads';
import { workerSource } from '../node/worker-source.ts';
import type { JobSpec, Progress, RunError, RunKind, WorkerReply } from './job.ts';
import type { ResultStore, StoredRun } from './store.ts';
import type { TableRow } from './tables.ts';
import type { Versions } from './versions.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunEvent {
  id: number;
  event: 'progress' | 'done' | 'error';
  data: unknown;
}

export interface RunState {
  id: string;
  kind: RunKind;
  status: RunStatus;
  inputs: JobSpec;
  versions: Versions;
  progress: Progress | null;
  convergence: unknown;
  error: RunError | null;
  created: string;
  started: string | null;
  finished: string | null;
  seconds: number | null;
  /** Rows of the run's table in the store. */
  rows: number;
  /** In the results store (survives a restart). */
  stored: boolean;
  events: RunEvent[];
  listeners: Set<(e: RunEvent) => void>;
  settled: Promise<void>;
  settle: () => void;
}

export interface RunLimits {
  /** Solve worker threads (runs solved at once). */
  concurrency: number;
  /** Runs waiting for a worker at most; beyond that POST /runs answers 429. */
  maxQueued: number;
  /** Per-run wall-clock cap, ms. */
  timeCapMs: number;
}

export class QueueFullError extends Error {
  constructor(readonly retryAfter: number) {
    super('the run queue is full');
  }
}

interface Slot {
  worker: Worker;
  run: RunState | null;
  timer: NodeJS.Timeout | null;
}

const MAX_EVENTS = 500;
const MAX_CACHED_RESULTS = 64;
const MAX_TRANSIENT = 1000;

export class RunManager {
  private readonly runs = new Map<string, RunState>();
  private readonly pending: RunState[] = [];
  private readonly slots: Slot[] = [];
  private readonly results = new Map<string, string>();
  private readonly recentSeconds: number[] = [];
  private readonly transient: string[] = [];
  private closed = false;

  constructor(
    readonly store: ResultStore,
    readonly limits: RunLimits,
  ) {}

  /** Loads the stored runs (a restart serves them). */
  async init(): Promise<void> {
    for (const s of await this.store.list()) this.runs.set(s.id, this.fromStored(s));
  }

  private fromStored(s: StoredRun): RunState {
    const run = this.newState(s.id, s.inputs as JobSpec, s.versions as unknown as Versions);
    run.status = s.status;
    run.created = s.created;
    run.finished = s.finished;
    run.seconds = s.seconds;
    run.convergence = s.convergence;
    run.error = s.error as RunError | null;
    run.rows = s.rows;
    run.stored = true;
    this.emit(run, s.status === 'succeeded' ? 'done' : 'error', s.status === 'succeeded' ? { id: s.id, status: s.status } : s.error);
    run.settle();
    return run;
  }

  private newState(id: string, inputs: JobSpec, versions: Versions): RunState {
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    return {
      id, kind: inputs.kind, status: 'queued', inputs, versions, progress: null, convergence: null, error: null,
      created: new Date().toISOString(), started: null, finished: null, seconds: null, rows: 0, stored: false,
      events: [], listeners: new Set(), settled, settle,
    };
  }

  get(id: string): RunState | undefined {
    return this.runs.get(id);
  }

  /** Runs waiting and running. */
  load(): { queued: number; running: number } {
    return { queued: this.pending.length, running: this.slots.filter((s) => s.run).length };
  }

  /**
   * The run of `id`: an existing one (stored, queued, running, or failed on its input) is returned as is; a new
   * one (or one that was cancelled or stopped by the time cap) is queued. A full queue throws QueueFullError.
   */
  submit(id: string, job: JobSpec, versions: Versions): { run: RunState; existing: boolean } {
    const old = this.runs.get(id);
    if (old && this.reusable(old)) return { run: old, existing: true };
    if (this.isFull()) throw new QueueFullError(this.retryAfter());
    const run = this.newState(id, job, versions);
    this.runs.set(id, run);
    this.pending.push(run);
    this.dispatch();
    return { run, existing: false };
  }

  /** A known run answers a repeat post as is (not one that was cancelled or stopped by the time cap or a crash). */
  reusable(run: RunState): boolean {
    return !(run.status === 'cancelled' || (run.status === 'failed' && !run.stored && run.error?.errorClass !== 'InputError'));
  }

  /** Every worker busy (or about to be) and every waiting place taken. */
  isFull(): boolean {
    return this.pending.length >= this.limits.maxQueued && !this.idleSlotPossible();
  }

  /** A QueueFullError with the current Retry-After estimate. */
  full(): QueueFullError {
    return new QueueFullError(this.retryAfter());
  }

  private idleSlotPossible(): boolean {
    const busy = this.slots.filter((s) => s.run).length;
    return busy + this.pending.length < this.limits.concurrency;
  }

  private retryAfter(): number {
    const recent = this.recentSeconds.length ? this.recentSeconds.reduce((a, b) => a + b, 0) / this.recentSeconds.length : 5;
    return Math.max(1, Math.ceil((recent * (this.pending.length + 1)) / this.limits.concurrency));
  }

  /** Waits until the run settles or `ms` pass; true when settled. */
  async wait(run: RunState, ms: number): Promise<boolean> {
    if (ms <= 0) return run.status !== 'queued' && run.status !== 'running';
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([run.settled.then(() => true as const), t]);
    clearTimeout(timer);
    return done;
  }

  subscribe(run: RunState, fn: (e: RunEvent) => void): () => void {
    run.listeners.add(fn);
    return () => run.listeners.delete(fn);
  }

  private emit(run: RunState, event: RunEvent['event'], data: unknown): void {
    const last = run.events[run.events.length - 1];
    const e: RunEvent = { id: (last?.id ?? 0) + 1, event, data };
    run.events.push(e);
    if (run.events.length > MAX_EVENTS) run.events.splice(0, run.events.length - MAX_EVENTS);
    for (const fn of run.listeners) fn(e);
  }

  /** The JSON text of a finished run's report (memory, else the store). */
  async resultJson(run: RunState): Promise<string | null> {
    const hit = this.results.get(run.id);
    if (hit !== undefined) return hit;
    const json = await this.store.resultJson(run.id);
    if (json !== null) this.remember(run.id, json);
    return json;
  }

  private remember(id: string, json: string): void {
    this.results.delete(id);
    this.results.set(id, json);
    while (this.results.size > MAX_CACHED_RESULTS) this.results.delete(this.results.keys().next().value as string);
  }

  rowsOf(run: RunState): Promise<TableRow[]> {
    return this.store.rows(run.id);
  }

  /** Cancels a queued or running run, or deletes a finished one from the store. */
  async cancel(run: RunState): Promise<void> {
    if (run.status === 'queued') {
      this.pending.splice(this.pending.indexOf(run), 1);
      this.finish(run, 'cancelled', { errorClass: 'Error', title: 'Cancelled', detail: 'the run was cancelled (DELETE)' });
      return;
    }
    if (run.status === 'running') {
      const slot = this.slots.find((s) => s.run === run);
      if (slot) await this.stopSlot(slot);
      this.finish(run, 'cancelled', { errorClass: 'Error', title: 'Cancelled', detail: 'the run was cancelled (DELETE)' });
      return;
    }
    if (run.stored) await this.store.delete(run.id);
    this.results.delete(run.id);
    this.runs.delete(run.id);
  }

  private finish(run: RunState, status: RunStatus, error: RunError | null): void {
    run.status = status;
    run.error = error;
    run.finished = new Date().toISOString();
    run.seconds = run.started ? (Date.parse(run.finished) - Date.parse(run.started)) / 1000 : 0;
    if (status === 'succeeded') this.emit(run, 'done', { id: run.id, status, seconds: run.seconds, convergence: run.convergence });
    else this.emit(run, 'error', { id: run.id, status, ...error });
    run.settle();
    if (!run.stored) {
      // Failed (on its input, the time cap) or cancelled runs live in memory only: keep the latest MAX_TRANSIENT.
      this.transient.push(run.id);
      while (this.transient.length > MAX_TRANSIENT) {
        const old = this.runs.get(this.transient.shift()!);
        if (old && !old.stored && old.status !== 'queued' && old.status !== 'running') this.runs.delete(old.id);
      }
    }
  }

  private async spawn(): Promise<Slot> {
    const worker = new Worker(workerSource('server/solve-worker'), { eval: true });
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: WorkerReply) => {
        if ('ready' in m) {
          worker.off('message', onMsg);
          resolve();
        } else if ('fatal' in m) reject(new Error(`solve worker failed to start: ${m.fatal}`));
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
    });
    worker.unref();
    const slot: Slot = { worker, run: null, timer: null };
    worker.on('message', (m: WorkerReply) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onCrash(slot, e));
    worker.on('exit', (code) => this.onCrash(slot, new Error(`solve worker exited with code ${code}`)));
    return slot;
  }

  private starting = 0;

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!slot.run && this.pending.length) this.start(slot, this.pending.shift()!);
    }
    while (this.pending.length > this.starting && this.slots.length + this.starting < this.limits.concurrency) {
      this.starting++;
      this.spawn()
        .then((slot) => {
          this.starting--;
          if (this.closed) return void slot.worker.terminate();
          this.slots.push(slot);
          this.dispatch();
        })
        .catch((e) => {
          this.starting--;
          const run = this.pending.shift();
          if (run) this.finish(run, 'failed', { errorClass: 'Error', title: 'Internal error', detail: String((e as Error).message) });
        });
    }
  }

  private start(slot: Slot, run: RunState): void {
    slot.run = run;
    run.status = 'running';
    run.started = new Date().toISOString();
    slot.timer = setTimeout(() => void this.timeCap(slot, run), this.limits.timeCapMs);
    slot.worker.postMessage(run.inputs);
  }

  private async timeCap(slot: Slot, run: RunState): Promise<void> {
    if (slot.run !== run) return;
    await this.stopSlot(slot);
    const p = run.progress;
    this.finish(run, 'failed', {
      errorClass: 'TimeCap',
      title: 'No convergence within the time cap',
      detail: `the run was stopped after ${this.limits.timeCapMs / 1000} s (the per-run time cap) before it converged`,
      ...(p?.iteration !== undefined ? { iterations: p.iteration } : {}),
      ...(p?.residual !== undefined ? { residuals: { [p.phase.startsWith('equilibrium') ? 'wageUpdate' : p.phase]: p.residual } } : {}),
      ...(p ? { lastProgress: p } : {}),
      hint: 'post a smaller problem (fewer grid steps, a looser solver tolerance) or ask the operator to raise --run-timeout',
    });
    this.dispatch();
  }

  /** Terminates a slot's worker (its run is abandoned) and removes the slot; a new worker is spawned on demand. */
  private async stopSlot(slot: Slot): Promise<void> {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.run = null;
    const k = this.slots.indexOf(slot);
    if (k >= 0) this.slots.splice(k, 1);
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
    this.dispatch();
  }

  private onMessage(slot: Slot, m: WorkerReply): void {
    const run = slot.run;
    if (!run) return;
    if ('progress' in m) {
      run.progress = m.progress;
      this.emit(run, 'progress', m.progress);
      return;
    }
    if ('done' in m || 'failed' in m) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.run = null;
      this.dispatch();
      void this.complete(run, m);
    }
  }

  private async complete(run: RunState, m: Extract<WorkerReply, { done: unknown } | { failed: unknown }>): Promise<void> {
    const finished = new Date().toISOString();
    const seconds = (Date.parse(finished) - Date.parse(run.started ?? finished)) / 1000;
    if ('failed' in m) {
      if (m.failed.errorClass === 'ConvergenceError') {
        run.convergence = { iterations: m.failed.iterations, residuals: m.failed.residuals };
        await this.persist(run, finished, seconds, 'failed', m.failed, null, []);
      }
      this.finish(run, 'failed', m.failed);
      return;
    }
    run.convergence = m.done.convergence;
    const json = JSON.stringify(m.done.report);
    try {
      await this.persist(run, finished, seconds, 'succeeded', null, json, m.done.rows);
    } catch (e) {
      this.finish(run, 'failed', { errorClass: 'Error', title: 'Store write failed', detail: (e as Error).message });
      return;
    }
    this.remember(run.id, json);
    run.progress = { phase: 'done', fraction: 1 };
    this.recentSeconds.push(seconds);
    if (this.recentSeconds.length > 20) this.recentSeconds.shift();
    this.finish(run, 'succeeded', null);
  }

  private async persist(run: RunState, finished: string, seconds: number, status: 'succeeded' | 'failed', error: RunError | null, json: string | null, rows: TableRow[]): Promise<void> {
    await this.store.put(
      { id: run.id, kind: run.kind, status, created: run.created, finished, seconds, inputs: run.inputs, versions: run.versions as unknown as Record<string, string>, convergence: run.convergence, error, rows: rows.length },
      json,
      rows,
    );
    run.stored = true;
    run.rows = rows.length;
  }

  private onCrash(slot: Slot, e: Error): void {
    const k = this.slots.indexOf(slot);
    if (k >= 0) this.slots.splice(k, 1);
    if (slot.timer) clearTimeout(slot.timer);
    const run = slot.run;
    slot.run = null;
    if (run) this.finish(run, 'failed', { errorClass: 'Error', title: 'Solve worker crashed', detail: e.message });
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.pending.splice(0)) this.finish(run, 'cancelled', { errorClass: 'Error', title: 'Cancelled', detail: 'the server is shutting down' });
    await Promise.all(
      this.slots.splice(0).map(async (s) => {
        if (s.timer) clearTimeout(s.timer);
        s.worker.removeAllListeners('exit');
        if (s.run) this.finish(s.run, 'cancelled', { errorClass: 'Error', title: 'Cancelled', detail: 'the server is shutting down' });
        await s.worker.terminate();
      }),
    );
  }
}
