// Acceptance tests of the web app (issue 15) in Debian's chromium: the built app served from 127.0.0.1 on an
// ephemeral port. Screenshots at 390 px and 1440 px go to web/test-output/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { parseCsvText } from '../../src/web/csv.ts';
import { needsChromium, openBrowser, type BrowserSession } from '../helpers/browser.ts';
import { needsShared } from '../helpers/shared.ts';

const run = promisify(execFile);
const OUT = join(PROJECT_ROOT, 'web', 'test-output');
const cli = (...args: string[]) => run(process.execPath, [join(PROJECT_ROOT, 'bin', 'tariffsim.js'), ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 << 20 }).then((r) => JSON.parse(r.stdout));

const skip = needsChromium() || needsShared('us-tariffs');

describe('web app in chromium', { skip }, () => {
  let s: BrowserSession;
  let cliGeneva: Promise<{ regions: { code: string; realIncome: number; consumerPrices: number }[] }>;
  let cliLookup: Promise<{ hts: string; total: number; additional: number; rule: string; imports2024: number | null }[]>;
  const consoleErrors: string[] = [];

  before(async () => {
    // The CLI runs in parallel with the browser work.
    cliGeneva = cli('run', 'scenarios/geneva-2025-05.yaml', '--json');
    cliLookup = cli('tariffs', '--date', '2025-04-15', '--partner', 'CHN', '--hts', '9503', '--json');
    cliGeneva.catch(() => {});
    cliLookup.catch(() => {});
    s = await openBrowser();
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await s?.close();
  });

  async function open(hash = '', width = 1440): Promise<Page> {
    const page = await s.context.newPage();
    await page.setViewportSize({ width, height: 1000 });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${hash}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${hash}: ${e.message}`));
    await page.goto(`${s.web.url}${hash}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    return page;
  }
  const runs = (page: Page) => page.evaluate(() => window.__tariffsim.runs);
  const waitRun = (page: Page, n: number) => page.waitForFunction((k) => window.__tariffsim.runs > k, n, { timeout: 30_000 });
  const card = (page: Page, key: string) => page.$eval(`[data-card="${key}"] .v`, (e) => Number((e as HTMLElement).dataset.value));
  const fills = (page: Page) => page.$$eval('#fig-map path.region', (ps) => Object.fromEntries(ps.map((p) => [p.getAttribute('data-region'), p.getAttribute('fill')])));

  test('loads with no console errors, transfers under 1.5 MB gzipped, screenshots at 1440 and 390 px', async () => {
    const sizes: Record<string, number> = {};
    const page = await s.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', async (r) => {
      const b = await r.body().catch(() => null);
      if (b) sizes[new URL(r.url()).pathname] = gzipSync(b).length;
    });
    await page.goto(s.web.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForTimeout(200);
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(`  transferred (gzip -6 of each response): ${(total / 1024).toFixed(0)} KiB in ${Object.keys(sizes).length} files; interactive at ${(await page.evaluate(() => window.__tariffsim.interactiveAt))?.toFixed(0)} ms`);
    assert.ok(total < 1.5 * 1024 * 1024, `transferred ${total} bytes gzipped`);
    assert.ok(sizes['/policy.json'] && sizes['/world2024.json'], 'the data assets were fetched');
    assert.ok((await page.textContent('#app'))!.includes('US–China standoff, April 2025'));
    await page.screenshot({ path: join(OUT, 'scenario-1440.png'), fullPage: true });
    await page.screenshot({ path: join(OUT, 'scenario-1440-top.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, 'scenario-390.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a 390-px phone`);
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  test('a preset and a moved tariff control change the map and the numbers', async () => {
    const page = await open();
    const f0 = await fills(page);
    const us0 = await card(page, 'us-real-income');
    let n = await runs(page);
    await page.selectOption('select[name="preset"]', 'geneva-2025-05');
    await waitRun(page, n);
    const f1 = await fills(page);
    const us1 = await card(page, 'us-real-income');
    assert.notEqual(us1, us0);
    assert.notDeepEqual(f1, f0);
    n = await runs(page);
    await page.fill('input[name="chnUs-number"]', '200');
    await page.press('input[name="chnUs-number"]', 'Enter');
    await waitRun(page, n);
    assert.notEqual(await card(page, 'us-real-income'), us1);
    assert.notDeepEqual(await fills(page), f1);
    assert.equal(await card(page, 'china-on-us'), 200);
    assert.match(page.url(), /chnUs=200/);
    await page.close();
  });

  test('scrubbing the timeline from 2025-04-15 to 2025-05-20 changes the US tariff on China and the result', async () => {
    const page = await open('#view=timeline&date=2025-04-15');
    const t0 = await card(page, 'us-on-china');
    const r0 = await card(page, 'us-real-income');
    // Hovering the chart near an action shows it with its legal source.
    const b = (await (await page.$('#fig-etr svg[viewBox]:not([width="15"])'))!.boundingBox())!;
    await page.mouse.move(b.x + 10, b.y + 10);
    await page.mouse.move(b.x + b.width * 0.25, b.y + b.height * 0.5, { steps: 8 });
    await page.waitForFunction(() => /legal: .+/.test(document.querySelector('#fig-etr g[aria-label="tip"]')?.textContent ?? ''), null, { timeout: 10_000 });
    const n = await runs(page);
    await page.fill('#scrub-date', '2025-05-20');
    await page.dispatchEvent('#scrub-date', 'change');
    await waitRun(page, n);
    const t1 = await card(page, 'us-on-china');
    const r1 = await card(page, 'us-real-income');
    assert.ok(t0 > 100 && t1 < 60, `US tariff on China ${t0}% → ${t1}%`);
    assert.notEqual(r1, r0);
    assert.match(page.url(), /date=2025-05-20/);
    await page.screenshot({ path: join(OUT, 'timeline-1440.png'), fullPage: true });
    await page.close();
  });

  test('a shared link restores the same state', async () => {
    const page = await open('#view=scenario&preset=busan-2025-11&usChn=40&partner=KOR&deal=5&closure=zero-deficits&focus=CHN');
    const link = page.url();
    const values = await page.$$eval('td[data-key="realIncome"]', (tds) => tds.map((t) => (t as HTMLElement).dataset.value));
    const controls = await page.$$eval('select, input', (xs) => xs.map((x) => `${(x as HTMLInputElement).name}=${(x as HTMLInputElement).value}`));
    const page2 = await open(link.slice(link.indexOf('#')));
    assert.deepEqual(await page2.$$eval('td[data-key="realIncome"]', (tds) => tds.map((t) => (t as HTMLElement).dataset.value)), values);
    assert.deepEqual(await page2.$$eval('select, input', (xs) => xs.map((x) => `${(x as HTMLInputElement).name}=${(x as HTMLInputElement).value}`)), controls);
    assert.ok(controls.includes('closure=zero-deficits') && controls.includes('usChn=40') && controls.includes('partner=KOR'), controls.join(' '));
    assert.match(await page2.textContent('#fig-partners figcaption') ?? '', /China/);
    await page.close();
    await page2.close();
  });

  test('the tariff lookup answers HTS 9503, China, 2025-04-15 as the CLI does', async () => {
    const page = await open('#view=lookup&hts=9503&lpartner=CHN&ldate=2025-04-15');
    await page.waitForSelector('table[data-table="lookup"]', { timeout: 30_000 });
    const rows = await page.$$eval('table[data-table="lookup"] tbody tr', (trs) =>
      trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key, td.dataset.value ?? td.textContent]))),
    );
    const want = await cliLookup;
    assert.equal(rows.length, want.length);
    want.forEach((w, k) => {
      assert.equal(rows[k].hts, w.hts);
      assert.equal(Number(rows[k].total), w.total);
      assert.equal(Number(rows[k].additional), w.additional);
      assert.equal(rows[k].rule, w.rule);
    });
    assert.ok(want.every((w) => w.additional === 145), 'the toy example: 145 points over MFN');
    assert.match((await page.textContent('#lookup-out')) ?? '', /IEEPA/);
    await page.screenshot({ path: join(OUT, 'lookup-1440.png'), fullPage: true });
    await page.close();
  });

  test('the numbers on the page equal the CLI’s, and the CSV download matches the JSON report', async () => {
    const page = await open('#view=scenario&preset=geneva-2025-05');
    const want = await cliGeneva;
    const got = await page.$$eval('table[data-table="regions"] tbody tr', (trs) => trs.map((tr) => ({ code: tr.querySelector('[data-key="code"]')!.textContent, realIncome: Number((tr.querySelector('[data-key="realIncome"]') as HTMLElement).dataset.value), consumerPrices: Number((tr.querySelector('[data-key="consumerPrices"]') as HTMLElement).dataset.value) })));
    // The same computation in the page's V8 and in Node's: equal up to the last bits of the Math library (≤ 1e-10
    // percentage points), and equal as displayed.
    assert.deepEqual(got.map((r) => r.code), want.regions.map((r) => r.code));
    got.forEach((g, k) => {
      const w = want.regions[k];
      assert.ok(Math.abs(g.realIncome - w.realIncome) <= 1e-10, `${g.code} real income ${g.realIncome} vs CLI ${w.realIncome}`);
      assert.ok(Math.abs(g.consumerPrices - w.consumerPrices) <= 1e-10, `${g.code} consumer prices ${g.consumerPrices} vs CLI ${w.consumerPrices}`);
      assert.equal(g.realIncome.toFixed(2), w.realIncome.toFixed(2));
    });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-csv="regions"]')]);
    const csv = parseCsvText(readFileSync((await dl.path())!, 'utf8'));
    const [jdl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-json="report"]')]);
    const report = JSON.parse(readFileSync((await jdl.path())!, 'utf8')) as { regions: { code: string; realIncome: number; tariffRevenue: { after: number }; sectorGroups: { manufacturing: { grossOutput: { change: number } } } }[] };
    const h = csv[0];
    const col = (prefix: string) => h.findIndex((x) => x.startsWith(prefix));
    assert.ok(h[col('Real income')].includes('%'), 'units in the header');
    assert.equal(csv.length - 1, report.regions.length);
    report.regions.forEach((r, k) => {
      const row = csv[k + 1];
      assert.equal(row[col('Code')], r.code);
      assert.equal(Number(row[col('Real income')]), r.realIncome);
      assert.equal(Number(row[col('Tariff revenue after')]), r.tariffRevenue.after / 1e9);
      assert.equal(Number(row[col('Manufacturing output')]), r.sectorGroups.manufacturing.grossOutput.change);
    });
    await page.close();
  });

  test('bad state in the URL or a control gives a clear message, never a blank page', async () => {
    const page = await open('#view=nowhere&preset=no-such-preset&usChn=999&date=2031-13-40&closure=sideways');
    const msg = (await page.textContent('#messages')) ?? '';
    for (const w of ["unknown view 'nowhere'", "unknown preset 'no-such-preset'", 'US tariff on China 999% is out of range', "date '2031-13-40' is not a day", "unknown closure 'sideways'"]) assert.ok(msg.includes(w), `message lists: ${w}\n${msg}`);
    assert.ok(await page.isVisible('#messages'));
    assert.ok(await page.isVisible('table[data-table="regions"]'), 'the default view still renders');
    await page.fill('input[name="usChn-number"]', '-5');
    await page.press('input[name="usChn-number"]', 'Enter');
    assert.match((await page.textContent('#messages')) ?? '', /is not a tariff between 0% and 300%/);
    // The lookup with no server answering says so.
    const lk = await s.context.newPage();
    await lk.route('**/v1/policy/tariff*', (r) => r.abort());
    await lk.goto(`${s.web.url}#view=lookup`);
    await lk.waitForSelector('#lookup-out .error', { timeout: 30_000 });
    assert.match((await lk.textContent('#lookup-out')) ?? '', /needs the tariffsim server .*no server answered/);
    await lk.close();
    const junk = await open('#%E0%A4%A');
    assert.ok(((await junk.textContent('#app')) ?? '').length > 100, 'malformed state still renders');
    await page.close();
    await junk.close();
  });

  test('every control has a visible label and works from the keyboard; the map has a diverging legend', async () => {
    const page = await open();
    const unlabelled = await page.$$eval('input, select, button', (xs) => xs.filter((x) => !((x as HTMLInputElement).labels?.length || x.getAttribute('aria-label') || x.textContent?.trim())).map((x) => x.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, []);
    // Tab to the US-on-China slider and move it with the arrow keys.
    await page.focus('select[name="preset"]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'usChn');
    const before = await card(page, 'us-real-income');
    const n = await runs(page);
    await page.keyboard.press('PageDown');
    await waitRun(page, n);
    assert.notEqual(await card(page, 'us-real-income'), before);
    const legend = await page.$eval('#fig-map', (f) => f.textContent ?? '');
    assert.match(legend, /Real income change \(%\)/);
    const fill = await fills(page);
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    const [r, , b] = rgb(fill.CHN!);
    assert.ok(r > b, `a loss is red (${fill.CHN})`);
    await page.close();
  });
  test('the deal view draws both sides’ gains as heat maps with the Nash bargaining point; the about page cites the models', async () => {
    const page = await open('#view=deal&preset=us-china-2025-04-standoff');
    await page.click('#deal-run');
    await page.waitForSelector('#fig-deal', { timeout: 60_000 });
    const status = (await page.textContent('#deal-status')) ?? '';
    assert.match(status, /Nash bargaining point on this grid: US tariff on China \d+%, China’s on the US \d+%/);
    assert.equal(await page.$$eval('#fig-deal svg g[aria-label="cell"] rect', (r) => r.length), 2 * 49);
    await page.click('#war-run');
    await page.waitForSelector('#war-out .error', { timeout: 30_000 });
    assert.match((await page.textContent('#war-out')) ?? '', /runs on the tariffsim server \(`tariffsim serve`, routes \/v1\/runs\): this host has no \/v1\/runs/);
    await page.screenshot({ path: join(OUT, 'deal-1440.png'), fullPage: true });
    const about = await open('#view=about');
    const text = (await about.textContent('#app')) ?? '';
    for (const w of ['Caliendo', 'Ossa', 'WIOD', 'Census', 'Fixed deficits']) assert.ok(text.includes(w), w);
    await page.close();
    await about.close();
  });
});
