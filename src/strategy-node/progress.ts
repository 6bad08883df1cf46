// Progress bars on stderr (cli-progress) for Nash rounds, cooperative iterations and deal grids. They draw
// only when stderr is a terminal, so JSON/CSV on stdout and logs stay clean.
import cliProgress from 'cli-progress';

export interface Bar {
  update(value: number, total: number, payload: Record<string, string | number>): void;
  stop(): void;
}

export function progressBar(format: string, enabled = process.stderr.isTTY === true): Bar {
  let bar: cliProgress.SingleBar | null = null;
  let total = -1;
  return {
    update(value, t, payload) {
      if (!enabled) return;
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
