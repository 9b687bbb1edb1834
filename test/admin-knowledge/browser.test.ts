import fs, { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKnowledgeAdmin } from '../../src/admin/knowledge/index.ts';
import { KNOWLEDGE_PAGE_PATH } from '../../src/admin/knowledge/page-routes.ts';
import type { KnowledgeVersions } from '../../src/services/knowledge-versions/service.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { failedWith, HAVE_CHROMIUM, launchChromium, type PageWatch, PHONE, REQUIRE_BROWSER, signInOnConsole, watchPage } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from '../staff/console/console-app.ts';
import { breakableEmbedder, HAVE_NATIONAL_FILE, NATIONAL_FILE, nationalLines, SMALL_CODES, smallKbVersions, withFee } from './knowledge-app.ts';

/**
 * /console/knowledge in Debian's Chromium against the real routes, auth and knowledge versions on the small knowledge
 * base: an admin uploads a national-listing file that changes a few procedures, reads the counts, the bad line and
 * the fee before and after side by side, applies it and follows it until the new version serves, then rolls back;
 * an apply that fails says the previous version still serves; a long list is paged; staff and visitors without a
 * session get no controls. No request may fail unasked and the page may log no error (a CSP violation is one).
 * Screenshots go to docs/screenshots/admin-knowledge-*.png.
 */
const SHOTS = new URL('../../docs/screenshots/', import.meta.url);
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN' };
const TAM_TRU = '1.004194';
const THUONG_TRU = '1.004222';
const GIAM_HO = '1.004837';
const DROPPED = '2.001194';

async function choose(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Tệp danh mục').setInputFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson', buffer: Buffer.from(text) });
}

const count = (page: Page, kind: string) => page.locator(`#n-${kind}`).innerText();
const versionRow = (page: Page, id: number) => page.locator(`#versions-table tr[data-version="${id}"]`);
/** The line under a version's row: what made it, and when it was last restored. */
const changeOf = (page: Page, id: number) => page.locator(`#versions-table tr[data-change="${id}"] td`);

const signIn = (page: Page, base: string, username: string) => signInOnConsole(page, base, username, PASSWORD);

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the knowledge page in Chromium', () => {
  let t: TestDb;
  let c: ConsoleApp;
  let versions: KnowledgeVersions;
  const embedder = breakableEmbedder();
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await openTestDb();
    versions = await smallKbVersions(t.db, embedder);
    c = await buildConsoleApp(t.db, { register: (app) => registerKnowledgeAdmin(app, { versions, guard: requireRole }) });
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

  /** A fresh browser on the page, signed in as `username` (or not); `done()` checks nothing failed and closes it. */
  async function open(options: BrowserContextOptions, username: string | null): Promise<{ page: Page; dialogs: PageWatch['dialogs']; done(): Promise<void> }> {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const { problems, dialogs } = watchPage(page, (text, url) => failedWith(401)(text) && /\/api\/auth\/me/.test(url));
    if (username) await signIn(page, base, username);
    await page.goto(`${base}${KNOWLEDGE_PAGE_PATH}`);
    return {
      page,
      dialogs,
      async done() {
        expect(problems).toEqual([]);
        await context.close();
      },
    };
  }

  it('without a session: a link to sign in and no controls', async () => {
    const { page, done } = await open(DESKTOP, null);
    const link = page.getByRole('link', { name: 'Đăng nhập' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/console?next=%2Fconsole%2Fknowledge');
    expect(await page.getByLabel('Tệp danh mục').isVisible()).toBe(false);
    await done();
  });

  it('a staff member is refused: the message, no controls', async () => {
    const { page, done } = await open(DESKTOP, 'lan');
    await page.getByText('Chỉ quản trị viên được cập nhật cơ sở tri thức.', { exact: false }).waitFor();
    expect(await page.getByLabel('Tệp danh mục').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /Tải lên/ }).isVisible()).toBe(false);
    expect(await page.locator('#versions-table').isVisible()).toBe(false);
    await done();
  });

  it('an admin uploads a change, reads it side by side, applies it, follows it to the new version and rolls back (desktop)', async () => {
    const { page, done } = await open(DESKTOP, 'quantri');
    await page.getByRole('heading', { name: 'Tải lên danh mục thủ tục' }).waitFor();
    await versionRow(page, 1).getByText('Đang dùng').waitFor();

    // The listing as the national file has it, one procedure left out, one added, two changed, and a broken line 3.
    const lines = nationalLines([...SMALL_CODES.filter((code) => code !== DROPPED), GIAM_HO]).map((l) => {
      if (l.includes(`"${TAM_TRU}"`)) return withFee(l, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng');
      if (l.includes(`"${THUONG_TRU}"`)) return withFee(l, 'Trực tuyến7 Ngày làm việc10,000', 'Trực tuyến5 Ngày làm việc10,000');
      return l;
    });
    lines.splice(2, 0, '{"ma_thu_tuc": "1.000001", "ten_thu_tuc": ');
    await choose(page, 'danh-muc.jsonl', lines.join('\n') + '\n');
    expect(await page.getByLabel(/Thay thế/).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('heading', { name: /Xem trước lần tải lên số \d+/ }).waitFor();
    expect([await count(page, 'added'), await count(page, 'removed'), await count(page, 'changed'), await count(page, 'unchanged')]).toEqual(['1', '1', '2', String(SMALL_CODES.length - 3)]);
    expect(await page.locator('#line-errors li').allInnerTexts()).toEqual([expect.stringMatching(/^Dòng 3: Dòng không phải JSON hợp lệ: mỗi dòng phải là trọn một bản ghi/)]);
    // one procedure of twelve removed: an ordinary replace, no warning
    expect(await page.locator('#apply-warnings').isVisible()).toBe(false);

    // the changed ones open, the fee before and after side by side, the changed line marked on each side
    await page.getByRole('button', { name: 'Sửa (2)' }).waitFor();
    const tamTru = page.locator('#items > li').filter({ hasText: TAM_TRU });
    const fee = tamTru.locator('.change').filter({ has: page.getByRole('heading', { name: 'Phí, lệ phí' }) });
    expect(await fee.locator('.before .ln.diff').allInnerTexts()).toEqual([expect.stringContaining('Trực tuyến: 7,000 Việt Nam Đồng')]);
    expect(await fee.locator('.after .ln.diff').allInnerTexts()).toEqual([expect.stringContaining('Trực tuyến: 9,000 Việt Nam Đồng')]);
    const [before, after] = [await fee.locator('.before').boundingBox(), await fee.locator('.after').boundingBox()];
    expect(after!.x).toBeGreaterThan(before!.x + before!.width - 1);
    expect(after!.y).toBe(before!.y);
    await page.locator('#items > li').filter({ hasText: THUONG_TRU }).getByRole('heading', { name: 'Thời hạn giải quyết' }).waitFor();
    await page.screenshot({ path: new URL('admin-knowledge-preview.png', SHOTS).pathname, fullPage: true });
    await page.getByRole('button', { name: 'Thêm (1)' }).click();
    await page.locator('#items').getByText(GIAM_HO).waitFor();
    await page.getByRole('button', { name: 'Bỏ (1)' }).click();
    await page.locator('#items').getByText(DROPPED).waitFor();

    // apply (the confirm is accepted), then the page follows it until version 2 serves
    await page.getByRole('button', { name: 'Áp dụng thay đổi' }).click();
    await page.getByText('Đã áp dụng: phiên bản 2 đang được dùng', { exact: false }).waitFor();
    await versionRow(page, 2).getByText('Đang dùng').waitFor();
    expect(await versionRow(page, 2).innerText()).toContain('quantri');
    expect(await versionRow(page, 2).locator('td[data-label="Số thủ tục"]').innerText()).toBe(String(SMALL_CODES.length));
    // what each version changed, and the upload that made it
    const uploadNo = /số (\d+)/.exec(await page.locator('#preview-title').innerText())![1];
    expect(await changeOf(page, 2).innerText()).toBe(`Thêm 1, bỏ 1, sửa 2 so với phiên bản 1 · lần tải lên số ${uploadNo} (danh mục thủ tục quốc gia, thay thế)`);
    expect(await changeOf(page, 1).innerText()).toBe('Bản đầu tiên');
    expect((await versions.versions()).find((v) => v.active)?.id).toBe(2);

    // roll back to version 1: the marker moves
    await versionRow(page, 1).getByRole('button', { name: 'Dùng lại phiên bản 1' }).click();
    await page.getByText('Phiên bản 1 đang được dùng.').waitFor();
    await versionRow(page, 1).getByText('Đang dùng').waitFor();
    expect(await versionRow(page, 2).getByRole('button', { name: 'Dùng lại phiên bản 2' }).isVisible()).toBe(true);
    expect(await page.locator('#versions-table .badge').count()).toBe(1);
    expect((await versions.versions()).find((v) => v.active)?.id).toBe(1);
    expect(await changeOf(page, 1).locator('.restored').innerText()).toMatch(/^Quay lại phiên bản 1 lúc .+ bởi quantri \(trước đó dùng phiên bản 2\)$/);
    await page.screenshot({ path: new URL('admin-knowledge.png', SHOTS).pathname, fullPage: true });
    await done();
  }, 60_000);

  it('a replace that would empty most of a source is warned in words before the button and in the confirm; line numbers carry no thousands dot', async () => {
    const { page, dialogs, done } = await open(DESKTOP, 'quantri');
    await page.getByRole('heading', { name: 'Tải lên danh mục thủ tục' }).waitFor();
    const active = (await versions.versions()).find((v) => v.active)!.id;
    // three procedures of the listing uploaded as if they were all of it, and a broken line 1723
    const lines = [...nationalLines([TAM_TRU, THUONG_TRU, GIAM_HO]), ...Array.from({ length: 1719 }, () => ''), '{"ma_thu_tuc": '];
    await choose(page, 'ba-thu-tuc.jsonl', lines.join('\n') + '\n');
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('heading', { name: /Xem trước lần tải lên số \d+/ }).waitFor();
    const removed = SMALL_CODES.filter((code) => ![TAM_TRU, THUONG_TRU, GIAM_HO].includes(code)).length;
    expect(await count(page, 'removed')).toBe(String(removed));
    const said = new RegExp(`^Cách cập nhật “thay thế” sẽ bỏ ${removed} trong \\d+ thủ tục \\(\\d+%\\) của nguồn danh mục thủ tục quốc gia, .*hãy chọn “Gộp”`);
    for (const box of ['#summary-warnings', '#apply-warnings']) {
      await page.locator(box).waitFor();
      expect(await page.locator(`${box} h3`).innerText()).toBe('Cảnh báo: kiểm tra trước khi áp dụng');
      expect(await page.locator(`${box} p`).innerText()).toMatch(said);
    }
    // the warning stands right above the apply button
    const [warning, button] = [await page.locator('#apply-warnings').boundingBox(), await page.getByRole('button', { name: 'Áp dụng thay đổi' }).boundingBox()];
    expect(button!.y).toBeGreaterThan(warning!.y + warning!.height - 1);
    expect(button!.y - (warning!.y + warning!.height)).toBeLessThan(40);
    expect(await page.locator('#line-errors li strong').allInnerTexts()).toEqual(['Dòng 1723:']);
    await page.screenshot({ path: new URL('admin-knowledge-warning.png', SHOTS).pathname, fullPage: false });

    // the confirm repeats it; dismissed, nothing is applied
    dialogs.accept = false;
    await page.getByRole('button', { name: 'Áp dụng thay đổi' }).click();
    await expect.poll(() => dialogs.said.length).toBe(1);
    expect(dialogs.said[0]).toMatch(/^CẢNH BÁO: Cách cập nhật “thay thế” sẽ bỏ /);
    expect(dialogs.said[0]).toContain('Áp dụng lần tải lên số');
    expect(await page.locator('#apply-progress').isVisible()).toBe(false);
    expect((await versions.versions()).find((v) => v.active)!.id).toBe(active);

    // merge instead: no warning
    await page.getByLabel(/Gộp/).check();
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await expect.poll(async () => count(page, 'removed')).toBe('0');
    expect(await page.locator('#apply-warnings').isVisible()).toBe(false);
    expect(await page.locator('#summary-warnings').isVisible()).toBe(false);
    await done();
  }, 60_000);

  it('an apply that fails says so plainly: the previous version keeps serving', async () => {
    const { page, done } = await open(DESKTOP, 'quantri');
    await versionRow(page, 1).getByText('Đang dùng').waitFor();
    const line = withFee(nationalLines([TAM_TRU])[0]!, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc8,000 Việt Nam Đồng');
    await choose(page, 'tam-tru.ndjson', line);
    await page.getByLabel(/Gộp/).check();
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('button', { name: 'Sửa (1)' }).waitFor();
    expect(await count(page, 'removed')).toBe('0');
    embedder.failing = true;
    try {
      await page.getByRole('button', { name: 'Áp dụng thay đổi' }).click();
      await page.getByText('Áp dụng không thành công. Phiên bản trước vẫn đang được dùng', { exact: false }).waitFor();
    } finally {
      embedder.failing = false;
    }
    expect(await page.locator('#apply-error').innerText()).toContain('embedding service down');
    await versionRow(page, 1).getByText('Đang dùng').waitFor();
    expect(await page.locator('#versions-table tbody tr[data-version]').count()).toBe(2);
    await done();
  }, 60_000);

  it('on a phone: a change read before then after, the preview found again on reload, a long list paged and filtered', async () => {
    const { page, done } = await open(PHONE, 'quantri');
    const fitsWidth = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await versionRow(page, 1).getByText('Đang dùng').waitFor();
    const line = withFee(nationalLines([TAM_TRU])[0]!, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng');
    await choose(page, 'tam-tru.jsonl', line);
    await page.getByLabel(/Gộp/).check();
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('button', { name: 'Sửa (1)' }).waitFor();
    const fee = page.locator('#items .change').filter({ has: page.getByRole('heading', { name: 'Phí, lệ phí' }) });
    const [before, after] = [await fee.locator('.before').boundingBox(), await fee.locator('.after').boundingBox()];
    // too narrow to stand side by side: before above after, each the full width
    expect(after!.y).toBeGreaterThan(before!.y + before!.height - 1);
    expect(after!.width).toBe(before!.width);
    await fitsWidth();
    await page.screenshot({ path: new URL('admin-knowledge-phone.png', SHOTS).pathname, fullPage: true });
    const heading = await page.locator('#preview-title').innerText();
    await page.reload();
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.getByRole('button', { name: 'Sửa (1)' }).waitFor();

    // the commune's own list: 120 procedures, more than a page
    const rows = Array.from({ length: 120 }, (_, i) => {
      const n = String(i + 1).padStart(6, '0');
      return `99.${n},Thủ tục riêng của địa phương số ${i + 1},https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?ma=99.${n}`;
    });
    await choose(page, 'danh-sach-rieng.csv', ['ma_thu_tuc,ten_thu_tuc,duong_dan', ...rows].join('\n') + '\n');
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('button', { name: 'Thêm (120)' }).waitFor();
    expect(await count(page, 'added')).toBe('120');
    expect(await page.getByRole('button', { name: 'Thêm (120)' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#items > li').count()).toBe(50);
    expect(await page.locator('#page-info').innerText()).toBe('Trang 1/3 · 120 thủ tục');
    await page.getByRole('button', { name: 'Trang sau →' }).click();
    await page.locator('#items').getByText('99.000051').waitFor();
    await page.getByLabel('Lọc theo mã hoặc tên thủ tục').fill('so 11');
    // "số 11" and "số 110"…"số 119", found without the diacritics
    expect(await page.locator('#items > li').count()).toBe(11);
    expect(await page.locator('#pager').isVisible()).toBe(false);
    await fitsWidth();
    await page.screenshot({ path: new URL('admin-knowledge-phone-list.png', SHOTS).pathname, fullPage: true });
    await done();
  }, 60_000);

  // The whole national listing (only where ../shared/data is): thousands of rows, one page of them in the page.
  it.skipIf(!HAVE_NATIONAL_FILE)('the whole national listing previews one page at a time', async () => {
    const { page, done } = await open(DESKTOP, 'quantri');
    await versionRow(page, 1).getByText('Đang dùng').waitFor();
    await choose(page, 'tthc_dvcqg_2642.jsonl', fs.readFileSync(NATIONAL_FILE, 'utf8'));
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('heading', { name: /Xem trước lần tải lên số \d+/ }).waitFor({ timeout: 240_000 });
    const added = Number((await count(page, 'added')).replace(/\./g, ''));
    expect(added).toBeGreaterThan(2000);
    await page.getByRole('button', { name: /^Thêm \(/ }).click();
    expect(await page.locator('#items > li').count()).toBe(50);
    expect(await page.locator('#page-info').innerText()).toContain(`/${Math.ceil(added / 50)} ·`);
    await done();
  }, 300_000);
});
