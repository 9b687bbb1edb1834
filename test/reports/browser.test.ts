import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIPAS_NOTICE } from '../../src/reports/page.ts';
import { HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { reportsApp, type ReportsApp, signedInPage, seedProcedures, seedRatings, seedTickets } from './fixtures.ts';

/**
 * The console's report page in Debian's Chromium on a phone, behind a real staff session (signed in through
 * /api/auth/login, the cookie handed to the browser): both charts drawn with bars of real size, the tables and
 * the CSV links there, no console errors (a CSP violation is one), and a screenshot kept for the README.
 * Skipped like the web chat's browser test when Chromium is missing and CI_REQUIRE_BROWSER is not set.
 */

const SCREENSHOT = new URL('../../docs/screenshots/console-reports.png', import.meta.url).pathname;

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the report page in Chromium on a phone', () => {
  let t: TestDb;
  let r: ReportsApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await openTestDb();
    await seedProcedures(t.db);
    await seedRatings(t.db);
    await seedTickets(t.db);
    r = await reportsApp(t.db);
    await r.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(r.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await r?.app.close();
    await t?.cleanup();
  });

  it('draws both charts and tables for the month picked, and the screenshot is kept', async () => {
    const { context, page, problems } = await signedInPage(browser, base, r.cookie, PHONE);

    // The month picker is a plain GET form: pick November, group by staff member, submit.
    await page.goto(`${base}/console/reports`);
    await page.getByText(SIPAS_NOTICE).waitFor();
    await page.getByLabel('Tháng', { exact: true }).fill('2026-11');
    await page.getByLabel('Nhóm đánh giá', { exact: true }).selectOption('staff');
    await page.getByRole('button', { name: 'Xem báo cáo' }).tap();
    await page.waitForURL(/month=2026-11/);
    expect(new URL(page.url()).searchParams.get('by')).toBe('staff');

    // Satisfaction and handover first; the six reports of issue 11 follow (test/reports/monthly-browser.test.ts).
    const charts = page.locator('.chart svg');
    await expect(charts.count()).resolves.toBe(8);
    for (const chart of [charts.nth(0), charts.nth(1)]) {
      const box = (await chart.boundingBox())!;
      // Fits the phone's width, drawn at a readable size.
      expect(box.width).toBeGreaterThan(300);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      const bars = chart.locator('rect.bar');
      expect(await bars.count()).toBeGreaterThan(0);
      for (const bar of await bars.all()) {
        const b = (await bar.boundingBox())!;
        expect(b.width).toBeGreaterThan(0);
        expect(b.height).toBeGreaterThan(0);
      }
    }
    // November by staff: Minh's two levels, Lan's one and one without a handover: four segments; handover: eight non-empty bars.
    await expect(charts.nth(0).locator('rect.bar').count()).resolves.toBe(4);
    await expect(charts.nth(1).locator('rect.bar').count()).resolves.toBe(8);
    await expect(page.getByRole('img', { name: 'Mức độ hài lòng — theo cán bộ' }).count()).resolves.toBe(1);

    const satisfactionTable = page.locator('section').nth(0).locator('table');
    await expect(satisfactionTable.locator('tbody tr').count()).resolves.toBe(3);
    expect(await satisfactionTable.locator('tfoot').innerText()).toContain('25%');
    const csv = page.getByRole('link', { name: 'Tải CSV từng đánh giá' });
    expect(await csv.getAttribute('href')).toBe('/api/reports/satisfaction.csv?from=2026-11-01&to=2026-11-30');
    const download = await context.request.get(`${base}${await csv.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toBe('attachment; filename="satisfaction.csv"');

    // Nothing wider than the phone: the wide table scrolls inside its own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);

    mkdirSync(new URL('../../docs/screenshots/', import.meta.url).pathname, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });

  it('a visitor without a session lands on the login page address', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const res = await page.goto(`${base}/console/reports`);
    // The console's login page is another route; here it is not registered, so only the address is checked.
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/console?next=%2Fconsole%2Freports');
    expect(res?.request().redirectedFrom()?.url()).toBe(`${base}/console/reports`);
    await context.close();
  });
});
