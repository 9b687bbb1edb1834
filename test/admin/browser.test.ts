import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, createAdmin } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { failedWith, HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER, watchPage } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from '../staff/console/console-app.ts';

/**
 * The admin page in Debian's Chromium against the real routes and auth, beside the console: a staff member sees
 * no "Quản trị" link and is refused the page; an admin is sent to sign in and back, finds a procedure, is told
 * beside the field what is wrong, saves an override; edits the commune profile (hours, lunch break, Tết as a
 * range, the fee account) with a field error first, then reverts to the file's. No request may fail unasked and
 * the page may log no error (a CSP violation is one). Screenshots go to docs/screenshots/.
 */

const SHOTS = new URL('../../docs/screenshots/', import.meta.url);
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN' };

async function signInAt(page: Page, username: string): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the admin page in Chromium', () => {
  let t: TestDb;
  let c: ConsoleApp;
  let admin: Admin;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
    const vocabulary = loadVocabulary(SMALL_KB);
    await indexProcedures(t.db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
    admin = await createAdmin({ db: t.db, config: loadConfig({}), fileProfile: { ...EMPTY_PROFILE, communeName: 'Xã Hòa Phú' } });
    c = await buildConsoleApp(t.db, { register: (app) => admin.registerRoutes(app, requireRole) });
    await c.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await c?.close();
    await t?.cleanup();
  });

  it('a staff member sees no admin link and is refused the admin page', async () => {
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 403, 400));
    await page.goto(`${base}/console`);
    await signInAt(page, 'lan');
    await page.getByText('Nguyễn Thị Lan', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Báo cáo' }).waitFor();
    expect(await page.getByRole('link', { name: 'Quản trị' }).isVisible()).toBe(false);
    await page.goto(`${base}/console/admin`);
    await page.getByRole('heading', { name: 'Không có quyền' }).waitFor();
    expect(await page.getByRole('button', { name: 'Thủ tục' }).isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin edits a procedure’s override, with field errors shown (desktop)', async () => {
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 403, 400));
    // not signed in: to the console's login, and back
    await page.goto(`${base}/console/admin`);
    await page.waitForURL(/\/console\?next=%2Fconsole%2Fadmin$/);
    await signInAt(page, 'quantri');
    await page.waitForURL(`${base}/console/admin`);
    await expect(page.title()).resolves.toBe('Quản trị — Trợ lý thủ tục hành chính');
    await page.getByText('Quản trị viên', { exact: true }).waitFor();

    await page.getByLabel('Mã hoặc tên thủ tục').fill('căn cước');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByText('Có 2 thủ tục.').waitFor();
    await page.getByRole('button', { name: /1\.014064/ }).click();
    await page.getByRole('heading', { name: 'Cấp lại thẻ căn cước', exact: true }).waitFor();

    await page.getByLabel('Trang nộp hồ sơ trên cổng dịch vụ công của tỉnh').fill('http://dichvucong.daklak.gov.vn/cccd');
    await page.getByLabel(/Ghi chú của Trung tâm/).fill('Nộp tại quầy số 3; chụp ảnh tại chỗ, không cần mang ảnh.');
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await page.getByText('Đường dẫn phải là địa chỉ https://… trên cổng dịch vụ công của tỉnh (tối đa 500 ký tự).').waitFor();
    expect(await page.getByLabel('Trang nộp hồ sơ trên cổng dịch vụ công của tỉnh').evaluate((e) => e.classList.contains('invalid'))).toBe(true);

    await page.getByLabel('Trang nộp hồ sơ trên cổng dịch vụ công của tỉnh').fill('https://dichvucong.daklak.gov.vn/cccd');
    await page.getByLabel('Dịch vụ công trực tuyến toàn trình').selectOption('true');
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await page.getByText('Đã lưu.', { exact: true }).waitFor();
    await page.getByRole('button', { name: /1\.014064/ }).filter({ hasText: 'Có ghi chú' }).waitFor();
    expect(await admin.overrides.detail('1.014064')).toMatchObject({ override: { fullyOnline: true, portalUrl: 'https://dichvucong.daklak.gov.vn/cccd', localNote: 'Nộp tại quầy số 3; chụp ảnh tại chỗ, không cần mang ảnh.' } });
    expect(admin.localOverrides.localNote('1.014064')).toBe('Nộp tại quầy số 3; chụp ảnh tại chỗ, không cần mang ảnh.');
    await page.screenshot({ path: new URL('console-admin.png', SHOTS).pathname, fullPage: true });

    // the console's header links to the admin page for an admin
    await page.goto(`${base}/console`);
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.waitForURL(`${base}/console/admin`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin edits the commune profile on a phone (hours, Tết, fee account), fixes a field error, then reverts', async () => {
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(401, 403, 400));
    await page.goto(`${base}/console?next=%2Fconsole%2Fadmin%3Fview%3Dprofile`);
    await signInAt(page, 'quantri');
    await page.waitForURL(`${base}/console/admin?view=profile`);
    await page.getByRole('heading', { name: 'Thông tin của xã' }).waitFor();
    await expect.poll(() => page.getByLabel('Tên xã').inputValue()).toBe('Xã Hòa Phú');
    await page.getByText('Đang áp dụng thông tin trong tệp cấu hình knowledge/commune-profile.json. Lưu tại đây để thay thế.').waitFor();

    await page.getByLabel('Tên tỉnh, thành phố').fill('Tỉnh Đắk Lắk');
    await page.getByLabel('Đường dây nóng').fill('0262 3822 123');
    await page.getByLabel(/Trung tâm có giờ làm việc cố định/).check();
    for (const day of ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu']) {
      await page.getByLabel(`${day} từ`).fill('07:30');
      await page.getByLabel(`${day} đến`).fill('17:00');
    }
    await page.getByLabel('Nghỉ trưa từ').fill('11:30');
    await page.getByLabel('Nghỉ trưa đến').fill('13:30');
    await page.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
    await page.getByLabel('Tên ngày nghỉ').fill('Tết Nguyên đán');
    await page.getByLabel('Từ ngày', { exact: true }).and(page.locator(':not(#gaps-from)')).fill('2027-02-05');
    await page.getByLabel('Đến ngày (nếu nhiều ngày)').fill('2027-02-11');
    await page.getByLabel('Mã BIN ngân hàng (6 chữ số)').fill('9704');
    await page.getByLabel('Số tài khoản').fill('0123456789');
    await page.getByLabel('Tên chủ tài khoản').fill('UBND XA HOA PHU');
    await page.getByRole('button', { name: 'Lưu thông tin của xã' }).click();
    await page.getByText('Mã BIN của ngân hàng gồm 6 chữ số (ví dụ 970436 là Vietcombank).', { exact: true }).waitFor();
    expect(admin.profile.origin()).toBe('file');

    await page.getByLabel('Mã BIN ngân hàng (6 chữ số)').fill('970436');
    await page.getByRole('button', { name: 'Lưu thông tin của xã' }).click();
    await page.getByText('Đã lưu thông tin của xã. Trợ lý ảo dùng thông tin mới ngay.').waitFor();
    expect(admin.profile.current()).toMatchObject({
      provinceName: 'Tỉnh Đắk Lắk',
      centre: { hotline: '0262 3822 123' },
      hours: { weekly: { mon: '07:30-17:00', fri: '07:30-17:00', sat: null }, lunchBreak: '11:30-13:30', holidays: [{ from: '2027-02-05', to: '2027-02-11', name: 'Tết Nguyên đán' }] },
      feeAccount: { bankBin: '970436', accountNumber: '0123456789', accountName: 'UBND XA HOA PHU' },
    });
    await page.getByText('Đang áp dụng', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('group', { name: /Giờ làm việc/ }).scrollIntoViewIfNeeded();
    await page.getByRole('group', { name: /Giờ làm việc/ }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: new URL('console-admin-profile.png', SHOTS).pathname });

    // back to the file's values
    await page.getByRole('button', { name: 'Khôi phục' }).click();
    await page.getByText('Đã khôi phục phiên bản đã chọn.').waitFor();
    await expect.poll(() => page.getByLabel('Tên tỉnh, thành phố').inputValue()).toBe('');
    expect(admin.profile.origin()).toBe('file');
    const actions = (await new AuditLog(t.db).list({ limit: 20 })).filter((e) => e.target === 'setting:commune_profile').map((e) => e.action);
    expect(actions).toEqual(['profile.revert', 'profile.update']);
    expect(problems).toEqual([]);
    await context.close();
  });
});
