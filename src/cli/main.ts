// The `tariffsim` command line. Each subcommand lives in ./commands/<name>.ts and exports `register`.
// Exit codes: 0 ok, 2 bad input, 3 no convergence, 1 anything else.
import { Command, CommanderError } from 'commander';
import { ConvergenceError, InputError } from '../errors.ts';
import { commands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tariffsim')
    .description('Model tariff wars and trade talks on real data: multi-sector general equilibrium (Caliendo–Parro 2015),\nstructural gravity with PPML, and optimal/Nash/cooperative tariffs (Ossa 2014).')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) register(program);
  program.addHelpText('after', `
Examples:
  $ tariffsim run scenarios/cp2015-nafta.yaml            # CP2015 NAFTA experiment, readable table
  $ tariffsim run scenarios/cp2015-nafta.yaml --json     # the same, as JSON
  $ tariffsim run scenarios/cp2015-nafta.yaml --out out/ # write every result table as CSV`);
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit, so tests can call it). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return exitCodeFor(err);
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return 2; // commander already printed the usage error
  }
  if (err instanceof InputError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ConvergenceError) {
    process.stderr.write(`error: no convergence: ${err.message}\n`);
    return 3;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
