// Debian's chromium driven by playwright-core for the web app's tests and bench: launched headless with a fresh
// profile folder, no network besides loopback; the built app served from an ephemeral port on 127.0.0.1.
// Skips with a message when chromium is absent locally, but never under CI (where .ci/run installs it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureWebBuild } from '../../src/web-node/build.ts';
import { startWebServer, type WebServer } from '../../src/web-node/serve.ts';

export const CHROMIUM = '/usr/bin/chromium';

export function needsChromium(): false | string {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
  return `skipped: ${CHROMIUM} not found (apt-get install -y chromium)`;
}

export interface BrowserSession {
  context: BrowserContext;
  web: WebServer;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const dist = await ensureWebBuild();
  const web = await startWebServer(dist, { port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'tariffsim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 1000 },
  });
  return {
    context,
    web,
    async close() {
      await context.close().catch(() => {});
      await web.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
