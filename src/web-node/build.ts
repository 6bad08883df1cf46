// Builds the web app when missing or older than its inputs (or when forced): the build-time assets
// (src/web-build/assets.ts) into web/generated/, then vite's production build into web/dist/.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../node/paths.ts';
import { buildWebAssets } from '../web-build/assets.ts';

export const WEB_DIR = join(PROJECT_ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
export const WEB_GENERATED = join(WEB_DIR, 'generated');

/** Newest modification time (ms) of the files under the given paths (recursively). */
function newest(paths: string[]): number {
  let t = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else t = Math.max(t, st.mtimeMs);
  };
  paths.forEach(walk);
  return t;
}

const mtime = (f: string) => (existsSync(f) ? statSync(f).mtimeMs : 0);
const ASSET_INPUTS = ['data/policy', 'data/baseline/world2024.json', 'scenarios', 'src/policy', 'src/web-build', 'src/data', 'src/node/timeline.ts', 'src/node/timeline-inputs.ts', 'src/model/timing', 'data/timing', 'src/node/data', 'src/node/policy'].map((p) => join(PROJECT_ROOT, p));
const APP_INPUTS = ['web/main.ts', 'web/worker.ts', 'web/style.css', 'web/index.html', 'web/vite.config.ts', 'src/web', 'src/app', 'src/scenario', 'src/model', 'src/data'].map((p) => join(PROJECT_ROOT, p));

/** Runs `f` holding a lock folder (test files running in parallel processes build once, one after another). */
async function withLock<T>(f: () => Promise<T>): Promise<T> {
  const lock = join(WEB_DIR, '.build-lock');
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes was left by a killed build.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - t0 > 900_000) throw new Error(`${lock} held for 15 minutes: remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await f();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureWebBuild(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<string> {
  return withLock(() => buildIfStale(opts));
}

async function buildIfStale(opts: { force?: boolean; log?: (s: string) => void }): Promise<string> {
  const log = opts.log ?? (() => {});
  const assetsTime = Math.min(...['policy.json', 'presets.json', 'world2024.json', 'time.json', 'announced.json'].map((f) => mtime(join(WEB_GENERATED, f))));
  const assetsStale = opts.force || assetsTime === 0 || newest(ASSET_INPUTS) > assetsTime;
  if (assetsStale) await buildWebAssets(WEB_GENERATED, log);
  const distTime = mtime(join(WEB_DIST, 'index.html'));
  if (assetsStale || distTime === 0 || newest(APP_INPUTS) > distTime || newest([WEB_GENERATED]) > distTime) {
    const t0 = Date.now();
    const { build } = await import('vite');
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
    log(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${WEB_DIST}`);
  }
  return WEB_DIST;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuild({ force: process.argv.includes('--force'), log: (s) => process.stdout.write(s + '\n') });
}
