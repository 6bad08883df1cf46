// The policy routes' calls, answered by one worker thread (./policy-worker.ts) started on first use; errors come
// back as the InputError the policy layer raised (field, hint), so the API reports them like the CLI.
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.ts';
import type { EtrBy, TariffLinesInput, TariffOnInput } from '../app/policy.ts';
import { workerSource } from '../node/worker-source.ts';
import type { RunError } from './job.ts';

export type PolicyCall =
  | { name: 'actions'; from: string; to: string }
  | { name: 'tariff'; query: TariffOnInput }
  | { name: 'tariffs'; query: TariffLinesInput }
  | { name: 'etr'; from?: string; to?: string; by: EtrBy };

type Reply = { ready: true } | { fatal: string } | { seq: number; result: unknown } | { seq: number; failed: RunError };

export class PolicyClient {
  private worker: Promise<Worker> | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private start(): Promise<Worker> {
    if (!this.worker) {
      this.worker = new Promise<Worker>((resolve, reject) => {
        const w = new Worker(workerSource('server/policy-worker'), { eval: true });
        w.unref();
        w.on('message', (m: Reply) => {
          if ('ready' in m) resolve(w);
          else if ('fatal' in m) reject(new Error(`policy worker failed to start: ${m.fatal}`));
          else this.settle(m);
        });
        w.on('error', (e) => this.fail(e));
        w.on('exit', (code) => this.fail(new Error(`policy worker exited with code ${code}`)));
      });
      this.worker.catch(() => (this.worker = null));
    }
    return this.worker;
  }

  private settle(m: Extract<Reply, { seq: number }>): void {
    const p = this.waiting.get(m.seq);
    if (!p) return;
    this.waiting.delete(m.seq);
    if ('result' in m) return p.resolve(m.result);
    const e = m.failed;
    if (e.errorClass === 'InputError') p.reject(new InputError(e.detail, { file: e.file, field: e.field, line: e.line, column: e.column, row: e.row, id: e.actionId }, e.hint));
    else p.reject(new Error(e.detail));
  }

  private fail(e: Error): void {
    this.worker = null;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  async call<T>(call: PolicyCall): Promise<T> {
    const w = await this.start();
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ seq, call });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      const worker = await w.catch(() => null);
      worker?.removeAllListeners('exit');
      await worker?.terminate();
    }
  }
}
