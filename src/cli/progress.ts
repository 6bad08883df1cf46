// A progress bar on stderr that appears only once a solve has run for more than a second.
import cliProgress from 'cli-progress';

export interface SolveProgress {
  onIteration: (iteration: number, residual: number) => void;
  stop(): void;
}

/** Progress of an iterative solve: the bar tracks −log10(residual) towards −log10(tolerance). */
export function solveProgress(label: string, tolerance = 1e-11, delayMs = 1000): SolveProgress {
  const start = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  const target = Math.max(1, Math.round(-Math.log10(tolerance)));
  return {
    onIteration(iteration, residual) {
      if (!bar) {
        if (Date.now() - start < delayMs || !process.stderr.isTTY) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} |{bar}| iteration {iteration}, residual {residual}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(target, 0, { iteration, residual: residual.toExponential(2) });
      }
      const digits = Number.isFinite(residual) && residual > 0 ? Math.min(target, Math.max(0, Math.round(-Math.log10(residual)))) : 0;
      bar.update(digits, { iteration, residual: residual.toExponential(2) });
    },
    stop() {
      bar?.stop();
    },
  };
}
