// Registry of subcommands: one import and one array entry per command file. Each file exports `register(program)`.
import type { Command } from 'commander';
import { register as data } from './data.ts';
import { register as deal } from './deal.ts';
import { register as run } from './run.ts';
import { register as standoff } from './standoff.ts';
import { register as war } from './war.ts';
import { register as talks } from './talks.ts';
import { register as tariffs } from './tariffs.ts';
import { register as etr } from './etr.ts';
import { register as estimate } from './estimate.ts';
import { register as gravityGe } from './gravity-ge.ts';
import { register as timeline } from './timeline.ts';

export const commands: ((program: Command) => void)[] = [run, data, standoff, deal, war, talks, tariffs, etr, estimate, gravityGe, timeline];
