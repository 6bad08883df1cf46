// Registry of subcommands: one row per command file, loaded on demand so that a call imports only the command it
// runs (start-up time). Each file exports `register(program)`.
import type { Command } from 'commander';

export interface CommandRow {
  name: string;
  load: () => Promise<{ register: (program: Command) => void }>;
}

export const commands: CommandRow[] = [
  { name: 'run', load: () => import('./run.ts') },
  { name: 'data', load: () => import('./data.ts') },
  { name: 'standoff', load: () => import('./standoff.ts') },
  { name: 'deal', load: () => import('./deal.ts') },
  { name: 'war', load: () => import('./war.ts') },
  { name: 'talks', load: () => import('./talks.ts') },
  { name: 'tariffs', load: () => import('./tariffs.ts') },
  { name: 'etr', load: () => import('./etr.ts') },
  { name: 'estimate', load: () => import('./estimate.ts') },
  { name: 'gravity-ge', load: () => import('./gravity-ge.ts') },
  { name: 'timeline', load: () => import('./timeline.ts') },
  { name: 'serve', load: () => import('./serve.ts') },
  { name: 'sweep', load: () => import('./sweep.ts') },
  { name: 'worker', load: () => import('./worker.ts') },
];
