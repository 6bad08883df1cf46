// The TypeScript CLI as a child process (tests that need a separate process: a server to kill -9, load tests):
// `node --import tsx test/helpers/cli-child.ts <command> …`.
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(['node', 'tariffsim', ...process.argv.slice(2)]);
