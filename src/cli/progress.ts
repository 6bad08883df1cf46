// Progress bars on stderr (cli-progress): equilibrium solves, Nash rounds, cooperative iterations, deal grids.
// They draw only when stderr is a terminal, so JSON/CSV on stdout and logs stay clean; when stderr is not a
// terminal, long solves print a plain progress line at most every few seconds instead (never a silent hang).
import cliProgress from 'cli-progress';

export interface Bar {
  update(value: number, total: number, payload: Record<string, string | number>): void;
  stop(): void;
}

/** Plain progress lines on stderr when it is not a terminal: the first after `delayMs`, then every `everyMs`. */
export function progressLines(label: string, delayMs = 2000, everyMs = 5000): { line(text: string): void } {
  const start = Date.now();
  let last = 0;
  return {
    line(text) {
      const now = Date.now();
      if (now - start < delayMs || now - last < everyMs) return;
      last = now;
      process.stderr.write(`${label}: ${text} (${((now - start) / 1000).toFixed(0)} s)\n`);
    },
  };
}

export function progressBar(format: string, enabled = process.stderr.isTTY === true): Bar {
  let bar: cliProgress.SingleBar | null = null;
  let total = -1;
  const lines = enabled ? null : progressLines(format.split(' ')[0]);
  return {
    update(value, t, payload) {
      if (!enabled) {
        lines!.line(`${value}/${t} ${Object.entries(payload).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        return;
      }
      if (!bar) {
        bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(t, value, payload);
        total = t;
        return;
      }
      if (t !== total) {
        bar.setTotal(t);
        total = t;
      }
      bar.update(value, payload);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** Callbacks for computeNash/runWar that drive one bar: best responses of the current round. */
export function nashProgress(label: string): { onBestResponse: (round: number, done: number, total: number) => void; onRound: (info: { round: number; maxChange: number }) => void; stop: () => void } {
  const bar = progressBar(`${label} round {round} |{bar}| {value}/{total} best responses | last change {change}`);
  let change = '—';
  return {
    onBestResponse(round, done, total) {
      bar.update(done, total, { round, change });
    },
    onRound(info) {
      change = info.maxChange.toExponential(1);
    },
    stop: () => bar.stop(),
  };
}

export interface SolveProgress {
  onIteration: (iteration: number, residual: number) => void;
  stop(): void;
}

/**
 * Progress of an iterative equilibrium solve, shown only once it has run for more than `delayMs`: the bar tracks
 * −log10(residual) towards −log10(tolerance).
 */
export function solveProgress(label: string, tolerance = 1e-11, delayMs = 1000): SolveProgress {
  const start = Date.now();
  const target = Math.max(1, Math.round(-Math.log10(tolerance)));
  const bar = progressBar(`${label} |{bar}| iteration {iteration}, residual {residual}`);
  return {
    onIteration(iteration, residual) {
      if (Date.now() - start < delayMs) return;
      const digits = Number.isFinite(residual) && residual > 0 ? Math.min(target, Math.max(0, Math.round(-Math.log10(residual)))) : 0;
      bar.update(digits, target, { iteration, residual: residual.toExponential(2) });
    },
    stop: () => bar.stop(),
  };
}
