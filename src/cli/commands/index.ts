// Registry of subcommands: one import and one array entry per command file. Each file exports `register(program)`.
import type { Command } from 'commander';
import { register as data } from './data.ts';
import { register as run } from './run.ts';
import { register as standoff } from './standoff.ts';

export const commands: ((program: Command) => void)[] = [run, data, standoff];
