// The web app in Debian's chromium (npm run bench -- web): first load to interactive on loopback (fresh profile
// each time), re-solve after a control change (page-side: control event → result rendered), and the bytes of
// JS + data transferred, gzipped. Medians; the machine may be shared, so read them with its load.
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { needsChromium, openBrowser } from '../test/helpers/browser.ts';

const skip = needsChromium();
if (skip) {
  console.log(skip);
  process.exit(0);
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loads: number[] = [];
const resolves: number[] = [];
const solves: number[] = [];
const inPage: number[] = [];
let bytes = 0;
for (let k = 0; k < 5; k++) {
  const s = await openBrowser();
  try {
    const page = await s.context.newPage();
    const sizes = new Map<string, number>();
    page.on('response', async (r) => {
      const b = await r.body().catch(() => null);
      if (b) sizes.set(new URL(r.url()).pathname, gzipSync(b).length);
    });
    const t0 = Date.now();
    await page.goto(s.web.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    loads.push(Date.now() - t0);
    await page.waitForTimeout(100);
    bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
    if (k < 2) {
      for (let v = 0; v < 11; v++) {
        const n = await page.evaluate(() => window.__tariffsim.runs);
        if (v === 0) await page.evaluate(() => (window.__tariffsim.changeToRendered = []));
        const t1 = await page.evaluate(() => performance.now());
        await page.fill('input[name="usChn-number"]', String(40 + 7 * v));
        await page.press('input[name="usChn-number"]', 'Enter');
        await page.waitForFunction((m) => window.__tariffsim.runs > m, n);
        const t2 = await page.evaluate(() => performance.now());
        resolves.push(t2 - t1);
        solves.push(await page.evaluate(() => window.__tariffsim.lastRun!.ms));
      }
      inPage.push(...(await page.evaluate(() => window.__tariffsim.changeToRendered)));
    }
  } finally {
    await s.close();
  }
}
console.log(`web app (load average ${loadavg()[0].toFixed(1)} on ${2} cores while measuring)`);
console.log(`  first load to interactive (loopback, fresh profile)  median ${median(loads)} ms of ${loads.length} [${loads.join(', ')}]`);
console.log(`  re-solve after a control change, in the page (input event → results rendered)  median ${median(inPage).toFixed(0)} ms of ${inPage.length}`);
console.log(`  the same seen from the test driver (fill + Enter → result, CDP round trips)  median ${median(resolves).toFixed(0)} ms`);
console.log(`  of which the solve in the worker (scenario → report)  median ${median(solves).toFixed(0)} ms`);
console.log(`  transferred JS + data, gzipped                       ${(bytes / 1024).toFixed(0)} KiB`);
