// The `tariffsim` command line. Each subcommand lives in ./commands/<name>.ts and exports `register`.
// Exit codes: 0 ok, 2 bad input, 3 no convergence, 1 anything else.
import { Command, CommanderError } from 'commander';
import { ConvergenceError, InputError } from '../errors.ts';
import { commands } from './commands/index.ts';

/**
 * The commander program. With `argv`, only the command named in it is loaded (a plain `--version` loads none);
 * without, or when that word is not a command (help, a typo), every command is registered.
 */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command();
  program
    .name('tariffsim')
    .description('Model tariff wars and trade talks on real data: multi-sector general equilibrium (Caliendo–Parro 2015), structural gravity with PPML, and optimal/Nash/cooperative tariffs (Ossa 2014).')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const word = argv?.slice(2).find((a) => !a.startsWith('-'));
  const only = argv && (word === undefined ? (argv.length > 2 && argv.slice(2).every((a) => a === '--version' || a === '-V') ? [] : undefined) : commands.filter((c) => c.name === word));
  const rows = only && (only.length > 0 || word === undefined) ? only : commands;
  for (const mod of await Promise.all(rows.map((c) => c.load()))) mod.register(program);
  program.addHelpText('after', `
Examples:
  $ tariffsim run scenarios/us-china-2025-04-standoff.yaml --closure both   # the April 2025 standoff
  $ tariffsim run scenarios/cp2015-nafta.yaml --json                        # CP2015 Table 2, as JSON
  $ tariffsim standoff --a USA --b CHN                                      # who loses more: standoff vs Geneva truce
  $ tariffsim deal --a USA --b CHN                                          # deal zone and Nash bargaining solution
  $ tariffsim tariffs --date 2025-04-15 --partner CHN --hts 9503            # what a Chinese toy paid that day, and why
  $ tariffsim etr --from 2025-01-01 --to 2026-04-30 --csv                   # daily effective tariff rate by program
  $ tariffsim war --data ossa2014                                           # Ossa (2014) trade war
  $ tariffsim estimate --data trade.csv --formula "trade ~ log(dist) | exporter^year + importer^year"`);
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit, so tests can call it). */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
    // Every exit 3 carries a hint; solvers that give none get the general one.
    const hint = err.hint || /\bhint: /.test(err.message) ? '' : '\n  hint: the shock or data may be too extreme for the model; check the ranges in docs/limits.md, or try smaller changes';
    process.stderr.write(`error: no convergence: ${err.message}${hint}\n`);
    return 3;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
