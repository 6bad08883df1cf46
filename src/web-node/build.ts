// Builds the web app when missing (or when forced): the build-time assets (src/web-build/assets.ts) into
// web/generated/, then vite's production build into web/dist/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../data/paths.ts';
import { buildWebAssets } from '../web-build/assets.ts';

export const WEB_DIR = join(PROJECT_ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
export const WEB_GENERATED = join(WEB_DIR, 'generated');

export async function ensureWebBuild(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<string> {
  const log = opts.log ?? (() => {});
  const assetsThere = ['policy.json', 'presets.json', 'world2024.json'].every((f) => existsSync(join(WEB_GENERATED, f)));
  if (opts.force || !assetsThere) await buildWebAssets(WEB_GENERATED, log);
  if (opts.force || !assetsThere || !existsSync(join(WEB_DIST, 'index.html'))) {
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
