// The time view (monthly timing model, issue 15 item 5) and the timeline's "announced vs in force" toggle in
// Debian's chromium, against the CLI: `tariffsim timeline --json` and `tariffsim run` on a scenario with
// `policy: {date, announcedThrough}`. The built app is served from 127.0.0.1 on an ephemeral port.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { parseCsvText } from '../../src/web/csv.ts';
import { announcedDay, type AnnouncedAssets, type PolicyAssets } from '../../src/web/assets-format.ts';
import { GROUP_NAMES } from '../../src/model/timing/types.ts';
import { WEB_GENERATED } from '../../src/web-node/build.ts';
import { needsChromium, openBrowser, type BrowserSession } from '../helpers/browser.ts';
import { needsShared } from '../helpers/shared.ts';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [join(PROJECT_ROOT, 'bin', 'tariffsim.js'), ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 << 20, timeout: 300_000 }).then((r) => JSON.parse(r.stdout));

const skip = needsChromium() || needsShared('us-tariffs/timeseries');

interface CliTimeline {
  fitThrough: string;
  rows: { month: string; imports: { group: string; model: number; actual: number | null; noTariff: number }[] }[];
  backtest: { window: [string, string]; mape: { group: string; value: number }[]; total: number };
  surgeQ1: { model: number; measured: number; ratio: number };
  etrH2: { model: number; actual: number; statutory: number };
}

describe('time view and the announced-vs-in-force toggle in chromium', { skip }, () => {
  let s: BrowserSession;
  let cliTimeline: Promise<CliTimeline>;
  const errors: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'tariffsim-time-'));

  before(async () => {
    cliTimeline = cli('timeline', '--json');
    cliTimeline.catch(() => {});
    s = await openBrowser();
  });
  after(async () => {
    await s?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function open(hash: string): Promise<Page> {
    const page = await s.context.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${hash}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`${hash}: ${e.message}`));
    await page.goto(`${s.web.url}${hash}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    return page;
  }
  const cells = (page: Page, table: string) =>
    page.$$eval(`table[data-table="${table}"] tbody tr`, (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key, td.dataset.value ?? td.textContent]))));

  test('the time view draws a chart per partner group; its numbers and CSV equal `tariffsim timeline`', async () => {
    const page = await open('#view=time');
    await page.waitForSelector('#fig-time svg', { timeout: 30_000 });
    assert.equal(await page.$$eval('#fig-time [data-group]', (xs) => xs.length), 5);
    assert.ok((await page.$$eval('#fig-time [data-group] svg path', (ps) => ps.length)) >= 15, 'model, actual and no-tariff lines');
    const want = await cliTimeline;
    const mape = await cells(page, 'mape');
    assert.deepEqual(mape.map((r) => r.code), [...want.backtest.mape.map((m) => m.group), 'TOTAL']);
    want.backtest.mape.forEach((m, k) => assert.equal(Number(mape[k].mape), m.value, m.group));
    assert.equal(Number(mape[5].mape), want.backtest.total);
    const title = (await page.textContent('#fig-mape figcaption')) ?? '';
    assert.match(title, new RegExp(`fitted through ${want.fitThrough}, predicting ${want.backtest.window[0]} … ${want.backtest.window[1]}`));
    assert.equal(want.fitThrough, '2025-06');
    const facts = (await cells(page, 'time-facts')).map((r) => Number(r.value));
    assert.deepEqual(facts, [want.surgeQ1.model / 1000, want.surgeQ1.measured / 1000, want.surgeQ1.ratio, want.etrH2.model, want.etrH2.actual, want.etrH2.statutory]);
    assert.match((await page.textContent('#fig-time-facts')) ?? '', /US\$ bn/);
    // CSV of the chart = the report's monthly imports.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-csv="time"]')]);
    const csv = parseCsvText(readFileSync((await dl.path())!, 'utf8'));
    const h = csv[0];
    assert.equal(csv.length - 1, want.rows.length);
    want.rows.forEach((row, k) => {
      assert.equal(csv[k + 1][0], row.month);
      for (const x of row.imports) {
        const name = GROUP_NAMES[x.group as keyof typeof GROUP_NAMES];
        const col = (what: string) => csv[k + 1][h.findIndex((c) => c.startsWith(`${name} ${what}`))];
        assert.equal(Number(col('model')), x.model, `${row.month} ${x.group} model`);
        assert.equal(col('actual') === '' ? null : Number(col('actual')), x.actual, `${row.month} ${x.group} actual`);
        assert.equal(Number(col('no-tariff')), x.noTariff, `${row.month} ${x.group} no-tariff`);
      }
    });
    // One group, in the link.
    await page.selectOption('select[name="group"]', 'CHN');
    assert.equal(await page.$$eval('#fig-time [data-group]', (xs) => xs.map((x) => (x as HTMLElement).dataset.group).join()), 'CHN');
    assert.match(page.url(), /view=time.*group=CHN|group=CHN.*view=time/);
    const again = await open(page.url().slice(page.url().indexOf('#')));
    await again.waitForSelector('#fig-time svg', { timeout: 30_000 });
    assert.equal(await again.$$eval('#fig-time [data-group]', (xs) => xs.map((x) => (x as HTMLElement).dataset.group).join()), 'CHN');
    await page.screenshot({ path: join(PROJECT_ROOT, 'web', 'test-output', 'time-1440.png'), fullPage: true }).catch(() => {});
    await page.close();
    await again.close();
    assert.deepEqual(errors, []);
  });

  test('"announced vs in force" on 2025-04-03 raises the US tariff on China; the result equals `tariffsim run` with policy {date, announcedThrough}', async () => {
    const day = '2025-04-03';
    const page = await open(`#view=timeline&date=${day}`);
    const card = (key: string) => page.$eval(`[data-card="${key}"] .v`, (e) => Number((e as HTMLElement).dataset.value));
    const t0 = await card('us-on-china');
    const n = await page.evaluate(() => window.__tariffsim.runs);
    await page.check('#announced');
    await page.waitForFunction((k) => window.__tariffsim.runs > k, n, { timeout: 30_000 });
    const t1 = await card('us-on-china');
    assert.ok(t1 > t0 + 10, `US tariff on China in force ${t0}% → announced ${t1}%`);
    assert.match(page.url(), /ann=1/);
    const policy = { ...(JSON.parse(readFileSync(join(WEB_GENERATED, 'announced.json'), 'utf8')) as AnnouncedAssets), ...(JSON.parse(readFileSync(join(WEB_GENERATED, 'policy.json'), 'utf8')) as PolicyAssets) };
    const ann = announcedDay(policy, day)!;
    assert.match((await page.textContent('#annh')) ?? '', new RegExp(`announcedThrough: ${day}`));
    const got = (await page.evaluate(() => window.__tariffsim.lastRun!.report.regions.map((r) => ({ code: r.code, realIncome: r.realIncome })))) as { code: string; realIncome: number }[];
    const file = join(tmp, 'announced.yaml');
    writeFileSync(file, `name: announced through ${day}\ndataset: world2024\nclosure: fixed-deficits\npolicy:\n  date: ${ann.date}\n  announcedThrough: ${day}\n`);
    const want = (await cli('run', file, '--json')) as { regions: { code: string; realIncome: number }[] };
    assert.deepEqual(got.map((r) => r.code), want.regions.map((r) => r.code));
    got.forEach((g, k) => assert.ok(Math.abs(g.realIncome - want.regions[k].realIncome) <= 1e-10, `${g.code} ${g.realIncome} vs CLI ${want.regions[k].realIncome}`));
    // Off again: the tariffs in force.
    const n2 = await page.evaluate(() => window.__tariffsim.runs);
    await page.uncheck('#announced');
    await page.waitForFunction((k) => window.__tariffsim.runs > k, n2, { timeout: 30_000 });
    assert.equal(await card('us-on-china'), t0);
    await page.close();
    assert.deepEqual(errors, []);
  });
});
