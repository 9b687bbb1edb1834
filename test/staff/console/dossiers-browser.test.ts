import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommuneProfile } from '../../../src/knowledge/commune-profile.ts';
import { requireRole } from '../../../src/server/auth/guard.ts';
import { DossierService } from '../../../src/services/dossiers/service.ts';
import { registerDossierRoutes } from '../../../src/staff/console/dossier-routes.ts';
import { HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER } from '../../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { makeProcedure } from '../../helpers/procedures.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from './console-app.ts';

/**
 * The console's "Hồ sơ" view in Chromium against the real routes, auth and DossierService: the list with status,
 * due date and payment, overdue and close-to-due dossiers marked, a claimed transfer confirmed, a status change with
 * a note (a supplement without one refused first) that reaches the citizen's outbox. No request may fail and the
 * page may log no error. Screenshot: docs/screenshots/console-dossiers.png.
 */

/** Staff read the console in Vietnam time. */
const VN = 'Asia/Ho_Chi_Minh';
const SHOTS = new URL('../../../docs/screenshots/', import.meta.url);
const profile = loadCommuneProfile(new URL('../../dossiers/fixture/', import.meta.url).pathname);
const khaiSinh = makeProcedure({ code: '1.001193', title: 'Thủ tục đăng ký khai sinh', result: 'Giấy khai sinh' });
const ketHon = makeProcedure({
  code: '1.000894',
  title: 'Thủ tục đăng ký kết hôn',
  channels: [{ channel: 'truc_tiep', timeValue: 5, timeUnit: 'Ngày làm việc', feeText: 'Miễn phí', feeAmounts: [], description: '' }],
});

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the console’s dossier view in Chromium', () => {
  let t: TestDb;
  let c: ConsoleApp;
  let dossiers: DossierService;
  let base: string;
  let browser: Browser;
  let clock = new Date('2026-12-01T09:00:00+07:00');

  beforeAll(async () => {
    t = await openTestDb();
    for (const p of [khaiSinh, ketHon]) {
      await t.db.query(`INSERT INTO procedures (code, title, title_folded, levels, is_commune, url, record, content_hash) VALUES ($1, $2, $2, $3, true, $4, $5::jsonb, 'x')`, [
        p.code, p.title, p.levels, p.url, JSON.stringify(p),
      ]);
    }
    dossiers = new DossierService({ db: t.db, profile, logger: pino({ level: 'silent' }), now: () => clock });
    c = await buildConsoleApp(t.db, { register: (app) => registerDossierRoutes(app, { dossiers, guard: requireRole, logger: pino({ level: 'silent' }) }) });
    const reg = (code: string, chat: string, procedure = khaiSinh) =>
      dossiers.register({ code, conversationId: `telegram:${chat}`, channel: 'telegram', chatId: chat, procedure, submittedVia: 'in_person', feeCharged: true });
    await reg('H56.14-261201-0001', '11'); // Tue 1/12 + 3 working days → Fri 4/12: overdue on Mon 7/12
    clock = new Date('2026-12-03T09:00:00+07:00');
    await reg('H56.14-261203-0002', '12'); // → Tue 8/12: close to due on Mon 7/12
    clock = new Date('2026-12-07T09:00:00+07:00');
    await reg('000.00.06.H56-261207-0003', '13', ketHon); // → Mon 14/12
    await dossiers.setPayment('000.00.06.H56-261207-0003', { method: 'transfer', status: 'claimed' }, null);
    clock = new Date('2026-12-07T10:00:00+07:00');
    await c.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await c?.close();
    await t?.cleanup();
  });

  const outbox = (conversationId: string) => t.db.query<{ text: string }>(`SELECT message->>'text' AS text FROM outbound_messages WHERE conversation_id = $1 ORDER BY id`, [conversationId]);

  async function signIn(page: Page) {
    await page.goto(`${base}/console`);
    await page.getByLabel('Tên đăng nhập').fill('lan');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Nguyễn Thị Lan', { exact: true }).waitFor();
  }

  function watch(page: Page) {
    const problems: string[] = [];
    const statuses: string[] = [];
    page.on('console', (m) => {
      if (m.type() !== 'error' || /favicon/.test(m.location().url)) return;
      // not signed in yet: the one 401 asked for, logged by Chromium as a failed load
      if (/Failed to load resource.*401/.test(m.text()) && /\/api\/auth\/me$/.test(m.location().url)) return;
      problems.push(`${m.text()} @ ${m.location().url}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (r) => {
      if (!/\/api\/staff\/events/.test(r.url())) problems.push(`failed ${r.method()} ${r.url()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !/favicon/.test(r.url())) statuses.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    return { problems, statuses };
  }

  it('lists dossiers with due dates, confirms a claimed transfer and changes a status with a note (desktop)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', timezoneId: VN });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const seen = watch(page);
    await signIn(page);
    await page.getByRole('button', { name: 'Hồ sơ', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Hồ sơ', exact: true }).getAttribute('aria-pressed')).toBe('true');

    const overdue = page.getByRole('button', { name: /H56\.14-261201-0001/ });
    await overdue.waitFor();
    expect(await overdue.innerText()).toMatch(/Quá hạn/);
    expect(await overdue.innerText()).toContain('Hạn giải quyết 04/12/2026');
    expect(await overdue.innerText()).toContain('Thủ tục đăng ký khai sinh');
    expect(await overdue.getAttribute('class')).toContain('overdue');
    const soon = page.getByRole('button', { name: /H56\.14-261203-0002/ });
    expect(await soon.innerText()).toMatch(/Sắp đến hạn/);
    expect(await soon.getAttribute('class')).toContain('soon');
    const claimed = page.getByRole('button', { name: /000\.00\.06\.H56-261207-0003/ });
    expect(await claimed.innerText()).toContain('Chuyển khoản (VietQR) · Người dân báo đã chuyển khoản, chờ xác nhận');
    expect(await page.locator('#dcount-overdue').innerText()).toBe('1');
    expect(await page.locator('#dcount-soon').innerText()).toBe('1');
    // the soonest due first
    expect(await page.locator('#dossier-list .dossier .code').allInnerTexts()).toEqual(['H56.14-261201-0001', 'H56.14-261203-0002', '000.00.06.H56-261207-0003']);
    await page.getByRole('tab', { name: /Quá hạn/ }).click();
    expect(await page.locator('#dossier-list .dossier .code').allInnerTexts()).toEqual(['H56.14-261201-0001']);
    await page.getByRole('tab', { name: /Đang mở/ }).click();

    // a claimed transfer: confirmed, and the citizen told
    await claimed.click();
    await page.getByRole('heading', { name: 'Hồ sơ 000.00.06.H56-261207-0003' }).waitFor();
    expect(await page.locator('#dossier-facts').innerText()).toMatch(/Thủ tục\s+Thủ tục đăng ký kết hôn \(1\.000894\)/);
    await page.getByRole('button', { name: 'Xác nhận đã nhận tiền' }).click();
    await page.getByText('Đã xác nhận khoản chuyển khoản và báo cho người dân.').waitFor();
    await page.locator('#payment-form').waitFor({ state: 'hidden' });
    expect(await page.locator('#dossier-facts').innerText()).toMatch(/Thanh toán\s+Chuyển khoản \(VietQR\) · Đã xác nhận/);
    expect((await outbox('telegram:13')).map((m) => m.text)).toEqual([expect.stringContaining('Trung tâm đã xác nhận khoản chuyển khoản')]);

    // a status change: a supplement needs a note; with one, it is stored and reaches the citizen's outbox
    await overdue.click();
    await page.getByRole('heading', { name: 'Hồ sơ H56.14-261201-0001' }).waitFor();
    await page.getByLabel('Trạng thái mới').selectOption('supplement');
    await page.getByRole('button', { name: 'Cập nhật trạng thái' }).click();
    await page.getByRole('alert').filter({ hasText: 'cần bổ sung' }).waitFor();
    await page.getByLabel('Ghi chú gửi người dân').fill('Bản sao giấy chứng nhận kết hôn của cha mẹ');
    await page.getByRole('button', { name: 'Cập nhật trạng thái' }).click();
    await page.getByText('Đã cập nhật trạng thái và báo cho người dân.').waitFor();
    await page.locator('#dossier-status').filter({ hasText: 'Cần bổ sung' }).waitFor();
    await page.locator('#dossier-events').getByText('Trạng thái: Cần bổ sung — Bản sao giấy chứng nhận kết hôn của cha mẹ').waitFor();
    expect(await page.locator('#dossier-events').innerText()).toContain('Nguyễn Thị Lan');
    const sent = await outbox('telegram:11');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('Cần bổ sung: Bản sao giấy chứng nhận kết hôn của cha mẹ');
    await page.screenshot({ path: new URL('console-dossiers.png', SHOTS).pathname });
    await page.screenshot({ path: '/tmp/console-dossiers-desktop.png' });

    // back to the requests
    await page.getByRole('button', { name: 'Yêu cầu', exact: true }).click();
    await page.getByRole('tab', { name: /Đang chờ/ }).waitFor();
    await context.close();
    expect(seen.problems).toEqual([]);
    expect(seen.statuses).toEqual(['401 GET /api/auth/me']);
  });

  it('fits a phone: the list, then one dossier', async () => {
    const context = await browser.newContext({ ...PHONE, timezoneId: VN });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const seen = watch(page);
    await signIn(page);
    await page.getByRole('button', { name: 'Hồ sơ', exact: true }).click();
    await page.getByRole('button', { name: /H56\.14-261203-0002/ }).click();
    await page.getByRole('heading', { name: 'Hồ sơ H56.14-261203-0002' }).waitFor();
    expect(await page.locator('#dossier-facts').innerText()).toMatch(/Hạn giải quyết\s+08\/12\/2026 · Sắp đến hạn/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/console-dossiers-phone.png', fullPage: true });
    await page.getByRole('button', { name: '← Danh sách' }).click();
    await page.getByRole('button', { name: /H56\.14-261201-0001/ }).waitFor();
    await context.close();
    expect(seen.problems).toEqual([]);
    expect(seen.statuses).toEqual(['401 GET /api/auth/me']);
  });
});
