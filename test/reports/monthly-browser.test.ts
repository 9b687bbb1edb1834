import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, launchChromium, REQUIRE_BROWSER } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { reportsApp, type ReportsApp, signedInPage } from './fixtures.ts';
import { seedAll } from './usage-fixtures.ts';

/**
 * The printable monthly report in Debian's Chromium, behind a real staff session, laid out as it prints (print
 * media, an A4 sheet's width): every chart drawn with bars of real size, the indicators with their formulas and
 * the estimate label, no console errors (a CSP violation is one), a PDF that Chromium lays out on A4 pages, and
 * the screenshot kept for the README.
 */

const SCREENSHOT = new URL('../../docs/screenshots/console-report-monthly.png', import.meta.url).pathname;
// A4 at 96 dpi: 210 mm.
const A4_WIDTH = 794;

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the monthly report in Chromium', () => {
  let t: TestDb;
  let r: ReportsApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await openTestDb();
    await seedAll(t.db);
    r = await reportsApp(t.db);
    await r.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(r.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await r?.app.close();
    await t?.cleanup();
  });

  it('draws every chart with real bars, shows the formulas, prints on A4, and the screenshot is kept', async () => {
    const { context, page, problems } = await signedInPage(browser, base, r.cookie, { viewport: { width: A4_WIDTH, height: 1123 }, locale: 'vi-VN' });

    await page.emulateMedia({ media: 'print' });
    await page.goto(`${base}/console/reports/monthly?month=2026-11`);
    await page.getByRole('heading', { name: 'Báo cáo tháng 11/2026', level: 1 }).waitFor();

    const charts = page.locator('.chart svg');
    await expect(charts.count()).resolves.toBe(8);
    for (const chart of await charts.all()) {
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      const bars = chart.locator('rect.bar');
      expect(await bars.count(), (await chart.getAttribute('aria-labelledby')) ?? '').toBeGreaterThan(0);
      for (const bar of await bars.all()) {
        const b = (await bar.boundingBox())!;
        expect(b.width).toBeGreaterThan(0);
        expect(b.height).toBeGreaterThan(0);
      }
    }

    const kpi = page.locator('#kpi');
    await expect(kpi.getByText('Tỷ lệ thanh toán trực tuyến', { exact: true }).count()).resolves.toBe(1);
    expect(await kpi.innerText()).toContain('Số hồ sơ đã thanh toán trên Cổng Dịch vụ công ÷ số hồ sơ của thủ tục có thu phí, lệ phí (không tính hồ sơ miễn phí)');
    expect(await kpi.innerText()).toContain('25%');
    expect(await page.getByRole('link', { name: /Cổng Dịch vụ công quốc gia/ }).first().getAttribute('href')).toBe('https://dichvucong.gov.vn');
    // Print: no download links, no navigation.
    await expect(page.locator('.downloads').first().isVisible()).resolves.toBe(false);
    await expect(page.getByRole('link', { name: '← Về trang báo cáo' }).isVisible()).resolves.toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // Chromium lays it out on A4 sheets (the page's own @page size).
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString('latin1');
    const sheets = [...text.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(sheets.length).toBeGreaterThan(0);
    // A4 is 595.28 × 841.89 points; Chromium rounds to its own pixel grid.
    for (const [w, h] of sheets) {
      expect(Math.abs(w! - 595.28)).toBeLessThan(1);
      expect(Math.abs(h! - 841.89)).toBeLessThan(1);
    }
    expect(problems).toEqual([]);

    mkdirSync(new URL('../../docs/screenshots/', import.meta.url).pathname, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });
});
