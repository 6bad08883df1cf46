// Runs the CLI in-process and captures stdout, stderr and the exit code.
import { main } from '../../src/cli/main.ts';
import { commands } from '../../src/cli/commands/index.ts';

// Command modules load on demand; load them before stdout is captured, so that no file I/O (and with it the
// test runner's own reporting on stdout) happens inside the capture.
const loaded = Promise.all(commands.map((c) => c.load()));

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await loaded;
  // Let the test runner flush what it has queued for stdout (its event stream) before stdout is captured.
  await new Promise((resolve) => setImmediate(resolve));
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((s: string | Uint8Array) => { stdout += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { stderr += String(s); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'tariffsim', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
