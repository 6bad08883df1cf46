// `npm run web [-- --port N] [--rebuild]`: builds the web app if missing, serves it on 127.0.0.1 and prints the
// URL and the headline numbers of the landing scenario (the same engine the page runs in its worker).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { viewModel, headline } from '../web/adapter.ts';
import { WebEngine } from '../web/engine.ts';
import { DEFAULT_STATE } from '../web/state.ts';
import { scenarioObject } from '../web/scenario.ts';
import { ensureWebBuild, WEB_DIST } from './build.ts';
import { startWebServer } from './serve.ts';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`error: --port must be a port number, got '${args[portArg + 1]}'\n`);
  process.exit(2);
}
await ensureWebBuild({ force: args.includes('--rebuild'), log: (s) => process.stdout.write(s + '\n') });
const web = await startWebServer(WEB_DIST, { host: '127.0.0.1', port });
const read = (f: string) => readFileSync(join(WEB_DIST, f), 'utf8');
const engine = new WebEngine(read('world2024.json'), JSON.parse(read('policy.json')), JSON.parse(read('presets.json')));
const preset = engine.presets.find((p) => p.id === DEFAULT_STATE.preset)!;
const run = engine.run(scenarioObject(preset.spec, DEFAULT_STATE, engine.regions));
process.stdout.write(`\ntariffsim web app: ${web.url}\n${headline(viewModel(run, 'USA')).join('\n')}\n(Ctrl-C stops the server)\n`);
const stop = () => void web.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
