import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAnnouncementRoutes } from '../../src/admin/announcements-routes.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { type Announcements, createAnnouncements } from '../../src/services/announcements/index.ts';
import { AnnouncementStore } from '../../src/storage/announcement-store.ts';
import { failedWith, HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER, signInOnConsole, watchPage } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, startFakeZaloServer } from '../fakes/zalo-server.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from '../staff/console/console-app.ts';
import { silent, telegramSender, until, zaloSender } from './send-helpers.ts';

/**
 * /console/announcements in Debian's Chromium against the real routes, auth, pg-boss and the fake platforms: an
 * admin writes an announcement, is told beside the field what is wrong, previews it per channel, sends it and
 * watches it finish; schedules one in Vietnam time and cancels it; a staff member is refused. No request may fail
 * unasked and the page may log no error (a CSP violation is one). Screenshots go to docs/screenshots/.
 */
const SHOTS = new URL('../../docs/screenshots/', import.meta.url);
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN' };

const signIn = (page: Page, base: string, username: string) => signInOnConsole(page, base, username, PASSWORD);

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the announcements page in Chromium', () => {
  let t: TestDb;
  let c: ConsoleApp;
  let ann: Announcements;
  let tg: FakeTelegram;
  let zl: FakeZaloServer;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await openTestDb();
    tg = await startFakeTelegram();
    zl = await startFakeZaloServer();
    ann = createAnnouncements({ db: t.db, senders: { telegram: telegramSender(tg), zalo: zaloSender(zl) }, logger: silent, databaseUrl: t.url });
    await ann.start();
    const store = new AnnouncementStore(t.db);
    for (const c of ['11', '12', '13']) await store.setSubscribed({ conversationId: `telegram:${c}`, channel: 'telegram', chatId: c }, true);
    await store.setSubscribed({ conversationId: 'zalo:z1', channel: 'zalo', chatId: 'z1' }, true);
    c = await buildConsoleApp(t.db, { register: (app) => registerAnnouncementRoutes(app, { service: ann.service, guard: requireRole }) });
    await c.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ann?.stop();
    await c?.close();
    await tg?.close();
    await zl?.close();
    await t?.cleanup();
  });

  it('a staff member is refused the page', async () => {
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 400));
    await signIn(page, base, 'lan');
    await page.goto(`${base}/console/announcements`);
    await page.getByText('Chỉ quản trị viên được gửi thông báo.').waitFor();
    expect(await page.getByRole('button', { name: 'Gửi thông báo' }).isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin writes, is told what is wrong, previews per channel, sends and sees it finish (desktop)', async () => {
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 400));
    await signIn(page, base, 'quantri');
    await page.goto(`${base}/console/announcements`);
    await page.getByRole('heading', { name: 'Soạn thông báo' }).waitFor();
    await page.getByLabel(/Nội dung/).fill('Từ ngày 01/01/2027, Trung tâm Phục vụ hành chính công xã tiếp nhận hồ sơ đăng ký khai sinh trực tuyến toàn trình. Người dân không cần đến Trung tâm.');
    await page.getByLabel(/Đường link/).fill('http://dichvucong.gov.vn/');
    await page.getByRole('button', { name: 'Lưu và xem trước' }).click();
    await page.locator('#err-link').getByText('Đường link phải bắt đầu bằng https:// và là một địa chỉ hợp lệ.').waitFor();
    await page.getByLabel(/Đường link/).fill('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
    await page.getByRole('button', { name: 'Lưu và xem trước' }).click();
    await page.getByText('Đã lưu bản nháp. Sẽ gửi tới 4 người đã đăng ký.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'Telegram — 1 tin nhắn' }).waitFor();
    await page.getByRole('heading', { name: 'Zalo — 1 tin nhắn' }).waitFor();
    expect(await page.locator('.bubble.zalo').innerText()).toContain('Xem chi tiết: https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
    await page.screenshot({ path: new URL('console-announcements-preview.png', SHOTS).pathname, fullPage: true });
    await page.getByRole('button', { name: 'Gửi thông báo' }).click();
    await page.getByText('Đã gửi xong. Người nhận: 4, đã gửi: 4, lỗi: 0, đang chờ: 0.').waitFor();
    await until('the history to show it', async () => (await page.locator('#history-table tbody tr').count()) === 1);
    expect(tg.sent.filter((s) => s.method === 'sendMessage' && s.status === 200)).toHaveLength(3);
    expect(zl.sent).toHaveLength(1);
    await page.screenshot({ path: new URL('console-announcements.png', SHOTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin schedules one in Vietnam time (the computer elsewhere), sees its time in the list, and cancels it: nothing is sent', async () => {
    // the admin's computer keeps Berlin time: what is typed is still Vietnam time (UTC+7)
    const context = await browser.newContext({ ...DESKTOP, timezoneId: 'Europe/Berlin' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 400));
    const platformCalls = () => tg.sent.length + zl.sent.length;
    const before = platformCalls();
    await signIn(page, base, 'quantri');
    await page.goto(`${base}/console/announcements`);
    await page.getByLabel(/Nội dung/).fill('Sáng thứ Bảy tuần này, Trung tâm tiếp nhận hồ sơ trực tiếp như ngày thường.');
    await page.getByRole('button', { name: 'Lưu và xem trước' }).click();
    await page.getByText('Đã lưu bản nháp.', { exact: false }).waitFor();
    await page.getByLabel('Hẹn giờ gửi').check();
    const vn = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16); // a datetime-local value in Vietnam time
    await page.getByLabel(/Ngày và giờ gửi/).fill(vn(Date.now() - 3_600_000));
    await page.getByRole('button', { name: 'Đặt hẹn giờ gửi' }).click();
    await page.locator('#err-at').getByText('Thời điểm hẹn gửi đã qua. Vui lòng chọn một thời điểm sắp tới.').waitFor();

    const day = vn(Date.now() + 86_400_000).slice(0, 10); // tomorrow in Vietnam
    const [y, m, d] = day.split('-');
    await page.getByLabel(/Ngày và giờ gửi/).fill(`${day}T08:00`);
    const shown = `08:00 ngày ${d}/${m}/${y}`;
    await page.locator('#at-echo').getByText(`Sẽ gửi lúc ${shown} (giờ Việt Nam).`).waitFor();
    await page.getByRole('button', { name: 'Đặt hẹn giờ gửi' }).click();
    await page.locator('#compose-notice').getByText(`Đã hẹn giờ gửi lúc ${shown} (giờ Việt Nam).`).waitFor();
    await page.locator('#progress-text').getByText(`Đã hẹn giờ gửi lúc ${shown} (giờ Việt Nam). Hiện có 4 người đã đăng ký sẽ nhận.`).waitFor();
    const row = page.locator('#history-table tbody tr').first();
    await row.getByText(`gửi lúc ${shown}`).waitFor();
    expect(await row.locator('td.status').innerText()).toContain('Đã hẹn giờ');
    const [latest] = await ann.service.list();
    expect(latest).toMatchObject({ status: 'scheduled', scheduledAt: new Date(`${day}T08:00:00+07:00`).toISOString() });
    await page.screenshot({ path: new URL('console-announcements-scheduled.png', SHOTS).pathname, fullPage: true });

    // cancelled from the list (as an admin would the next day)
    await row.getByRole('button', { name: /Hủy hẹn giờ/ }).click();
    await page.locator('#history-notice').getByText('Đã hủy hẹn giờ. Thông báo không được gửi.').waitFor();
    await until('the row to show it cancelled', async () => (await row.locator('td.status').innerText()).includes('Đã hủy hẹn giờ'));
    expect(await row.getByRole('button').count()).toBe(0);
    await page.locator('#progress-text').getByText(`Đã hủy hẹn giờ gửi lúc ${shown}. Thông báo không được gửi.`).waitFor();
    expect(await page.locator('#btn-cancel').isVisible()).toBe(false);
    expect((await ann.service.get(latest!.id))!).toMatchObject({ status: 'cancelled', progress: { recipients: 0 } });
    expect(platformCalls()).toBe(before);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works on a phone', async () => {
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 400));
    await signIn(page, base, 'quantri');
    await page.goto(`${base}/console/announcements`);
    await page.getByRole('heading', { name: 'Thông báo gần đây' }).waitFor();
    await page.locator('#history-table tbody tr').first().waitFor();
    await page.getByLabel(/Nội dung/).fill('Lịch tiếp công dân tháng 1: sáng thứ Năm hằng tuần.');
    await page.getByLabel('Zalo').uncheck();
    await page.getByRole('button', { name: 'Lưu và xem trước' }).click();
    await page.getByRole('heading', { name: 'Telegram — 1 tin nhắn' }).waitFor();
    expect(await page.getByRole('heading', { name: /Zalo —/ }).count()).toBe(0);
    await page.getByLabel('Hẹn giờ gửi').check();
    await page.getByLabel(/Ngày và giờ gửi/).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: new URL('console-announcements-phone.png', SHOTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
