import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGE_PAGE_PATH, registerLanguagePage } from '../../src/admin/language/page-routes.ts';
import { signIn, withSession } from '../accounts/auth-app.ts';
import { failedWith, HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER, watchPage } from '../helpers/chromium.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildLanguageApp, type LanguageApp, PASSWORD } from './language-app.ts';

/**
 * /console/language in Debian's Chromium against the real language routes, auth and knowledge base: an admin
 * adds a life event (told beside the field about an unknown procedure code), adds a phrase to it, sees in the try
 * box that the unsaved draft recognises a message the version in force does not, saves, sees the revision and
 * restores the one before; a router phrase typed with diacritics is refused beside its list, folded in one click,
 * tried and saved, then the shipped file put back; on a phone, a save on a stale copy is told to reload; a staff
 * member is refused. No request may fail unasked and the page may log no error (a CSP violation is one).
 * Screenshots go to docs/screenshots/.
 */
const SHOTS = new URL('../../docs/screenshots/', import.meta.url);
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN' };
const KHAI_SINH = '1.001193';
const GRANDCHILD = 'nhà tôi vừa có thêm cháu nội';
const DUTY_OFFICER = 'gọi giúp tôi người trực ban';

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the language page in Chromium', () => {
  let t: TestDb;
  let g: LanguageApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await openTestDb();
    g = await buildLanguageApp(t.db, { deferReady: true });
    registerLanguagePage(g.app);
    await g.ready();
    await g.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(g.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await g?.close();
    await t?.cleanup();
  });

  /** A signed-in browser context (the sign-in page is the console's, not served here: the API signs in). */
  async function open(username: string, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(15_000);
    const login = await context.request.post(`${base}/api/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    const { problems } = watchPage(page, failedWith(400, 409));
    await page.goto(`${base}${LANGUAGE_PAGE_PATH}`);
    return { context, page, problems };
  }

  const tryMessage = async (page: Page, text: string) => {
    await page.getByLabel('Câu của người dân').fill(text);
    // the page hides the last readings when asked, and shows both new ones together
    await page.getByRole('button', { name: 'Thử', exact: true }).click();
    await page.locator('#readings').waitFor({ state: 'visible' });
  };
  const field = (scope: Locator, label: RegExp | string) => scope.getByLabel(label);
  /** The whole page, in a viewport as tall as it is (a full-page capture would leave the sticky bars mid-page). */
  const shoot = async (page: Page, file: string) => {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: size.width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await page.screenshot({ path: new URL(file, SHOTS).pathname });
    await page.setViewportSize(size);
  };

  it('a staff member is refused the page and shown no controls', async () => {
    const { context, page, problems } = await open('lan', DESKTOP);
    await page.getByText('Chỉ quản trị viên được sửa sự kiện cuộc sống và cụm từ của bộ định tuyến.').waitFor();
    expect(await page.getByRole('button', { name: 'Lưu thay đổi' }).isVisible()).toBe(false);
    expect(await page.getByRole('tab').first().isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin adds a life event and a phrase, tries the draft, saves, sees the revision and restores the one before (desktop)', async () => {
    const { context, page, problems } = await open('quantri', DESKTOP);
    await page.getByRole('heading', { name: 'Sự kiện cuộc sống' }).waitFor();
    await page.getByText('Đang áp dụng tệp gốc đi kèm sản phẩm (chưa sửa lần nào).').waitFor();
    await page.getByText('Chưa có thay đổi nào: đang dùng tệp gốc đi kèm sản phẩm.').waitFor();

    // a new event, with a procedure code the knowledge base does not have
    await page.getByRole('button', { name: 'Thêm sự kiện' }).click();
    const card = page.locator('details.event').last();
    await field(card, 'Tên sự kiện').fill('Sinh con');
    expect(await field(card, 'Mã sự kiện').inputValue()).toBe('sinh-con');
    await field(card, /^Cách người dân nói/).fill('sinh con\nmới sinh em bé');
    await field(card, /^Mã thủ tục/).fill(`${KHAI_SINH}\n9.999999`);
    await card.getByLabel(/Nói riêng cũng là hỏi thủ tục/).check();
    await page.getByText('Có thay đổi chưa lưu').waitFor();
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await card.locator('.field-error').getByText('9.999999: Không có thủ tục này trong cơ sở dữ liệu thủ tục.').waitFor();
    await page.locator('#save-errors').getByText('Sự kiện “Sinh con” › Mã thủ tục: 9.999999: Không có thủ tục này', { exact: false }).waitFor();
    expect(await field(card, /^Mã thủ tục/).getAttribute('class')).toContain('invalid');
    await field(card, /^Mã thủ tục/).fill(KHAI_SINH);
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByText('Đã lưu phiên bản mới.', { exact: false }).waitFor();
    const first = (await g.language.admin.history('life-events'))[0]!;
    await page.locator('#history-list li', { hasText: `Bản #${first.id} · Lưu thay đổi` }).getByText('đang áp dụng').waitFor();
    expect(await page.getByRole('button', { name: 'Lưu thay đổi' }).isDisabled()).toBe(true);

    // a phrase added to it: the draft recognises the message, what is in force does not
    const saved = page.locator('details.event', { hasText: 'Sinh con' });
    expect(await saved.getAttribute('open')).not.toBeNull(); // the card stays open after the save
    expect(await field(saved, 'Mã sự kiện').getAttribute('readonly')).not.toBeNull();
    const phrases = field(saved, /^Cách người dân nói/);
    await phrases.fill((await phrases.inputValue()) + '\ncó thêm cháu nội');
    await tryMessage(page, GRANDCHILD);
    expect(await page.locator('#reading-draft').innerText()).toContain('Sự kiện cuộc sống: Sinh con.');
    // no title matches, but the event is told alone: its first procedure is the answer
    expect(await page.locator('#reading-draft').innerText()).toContain(`trợ lý ảo trả lời thủ tục ${KHAI_SINH}.`);
    expect(await page.locator('#reading-live').innerText()).toContain('Không nhận ra sự kiện cuộc sống nào.');
    expect(await page.locator('#verdict').innerText()).toContain('nhận ra thêm sự kiện Sinh con');
    // trying stored nothing
    expect(await g.language.admin.history('life-events')).toHaveLength(1);

    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByText('Đã lưu phiên bản mới.', { exact: false }).waitFor();
    const second = (await g.language.admin.history('life-events'))[0]!;
    expect(second.id).not.toBe(first.id);
    await page.locator('#history-list li', { hasText: `Bản #${second.id} · Lưu thay đổi` }).getByText('đang áp dụng').waitFor();
    await page.getByText(`Đang áp dụng bản #${second.id} (lưu thay đổi, quantri,`, { exact: false }).waitFor();
    await tryMessage(page, GRANDCHILD);
    expect(await page.locator('#reading-live').innerText()).toContain('Sự kiện cuộc sống: Sinh con.');
    expect(await page.locator('#verdict').innerText()).toBe('Chưa có thay đổi chưa lưu: hai bản như nhau.');
    await shoot(page, 'admin-language.png');

    // the revision before, restored (confirmed): the phrase is gone, from the page and from the bot
    await page.getByRole('button', { name: `Khôi phục bản #${first.id}` }).click();
    await page.getByText('Đã khôi phục phiên bản đã chọn', { exact: false }).waitFor();
    await page.locator('#history-list li', { hasText: `Khôi phục bản #${first.id}` }).getByText('đang áp dụng').waitFor();
    expect(await field(page.locator('details.event', { hasText: 'Sinh con' }), /^Cách người dân nói/).inputValue()).toBe('sinh con\nmới sinh em bé');
    await tryMessage(page, GRANDCHILD);
    expect(await page.locator('#reading-live').innerText()).toContain('Không nhận ra sự kiện cuộc sống nào.');
    expect(g.language.live.current().lifeEvents.map((e) => e.phrases)).toEqual([['sinh con', 'mới sinh em bé']]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a router phrase with diacritics is refused beside its list, folded in one click, tried, saved, then the shipped file put back', async () => {
    const { context, page, problems } = await open('quantri', DESKTOP);
    await page.getByRole('tab', { name: 'Cụm từ của bộ định tuyến' }).click();
    await page.getByRole('heading', { name: 'Cụm từ của bộ định tuyến' }).waitFor();
    const human = page.locator('details.group', { hasText: 'Muốn gặp cán bộ' }).first();
    await human.locator('summary').click();
    const list = human.getByLabel('Xin gặp người thật');
    await list.fill((await list.inputValue()) + '\nngười trực ban');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await human.locator('.field-error').getByText('"người trực ban" phải viết không dấu, chữ thường: "nguoi truc ban".').waitFor();
    await page.locator('#save-errors').getByText('Muốn gặp cán bộ › Xin gặp người thật: "người trực ban" phải viết không dấu', { exact: false }).waitFor();
    await shoot(page, 'admin-language-router.png');

    await page.getByRole('button', { name: 'Bỏ dấu mọi cụm từ' }).click();
    expect((await list.inputValue()).split('\n').at(-1)).toBe('nguoi truc ban');
    await tryMessage(page, DUTY_OFFICER);
    expect(await page.locator('#reading-draft').innerText()).toContain('Loại câu: muốn gặp cán bộ.');
    expect(await page.locator('#reading-live').innerText()).not.toContain('muốn gặp cán bộ');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByText('Đã lưu phiên bản mới.', { exact: false }).waitFor();
    expect(g.language.live.current().routerTables?.rules.human.phrases).toContain('nguoi truc ban');

    await page.getByRole('button', { name: 'Về bản gốc' }).click();
    await page.getByText('Đã về bản gốc đi kèm sản phẩm.').waitFor();
    await page.getByText('Đang áp dụng tệp gốc đi kèm sản phẩm (bản #', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Về bản gốc' }).isVisible()).toBe(false);
    expect(await list.inputValue()).not.toContain('nguoi truc ban');
    expect(g.language.live.current().routerTables).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a phone: usable at 390 px, and a save on a stale copy is told to reload', async () => {
    const { context, page, problems } = await open('quantri', PHONE);
    const card = page.locator('details.event', { hasText: 'Sinh con' });
    await card.locator('summary').click();
    // another admin saves meanwhile
    const other = await signIn(g.app, 'quantri', PASSWORD);
    const file = (await g.language.admin.file('life-events')).data;
    const theirs = { lifeEvents: file.lifeEvents.map((e) => ({ ...e, name: 'Sinh em bé' })) };
    const r = await g.app.inject({ method: 'PUT', url: '/api/admin/language/life-events', cookies: withSession(other), headers: { 'x-csrf-token': other.csrfToken }, payload: { data: theirs, expected_revision: (await g.language.admin.history('life-events'))[0]!.id } });
    expect(r.statusCode).toBe(200);

    await field(card, 'Tên sự kiện').fill('Sinh con, nhận con nuôi');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByText('Đã có người lưu thay đổi khác sau khi bạn mở trang.', { exact: false }).waitFor();
    // the history shows what was saved meanwhile, in force
    const theirsId = (r.json() as { revision: { id: number } }).revision.id;
    await page.locator('#history-list li', { hasText: `Bản #${theirsId} · Lưu thay đổi` }).getByText('đang áp dụng').waitFor();
    expect(g.language.live.current().lifeEvents[0]!.name).toBe('Sinh em bé');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shoot(page, 'admin-language-phone.png');
    await page.getByRole('button', { name: 'Tải bản mới nhất' }).click();
    await page.locator('details.event', { hasText: 'Sinh em bé' }).waitFor();
    expect(await page.getByText('Có thay đổi chưa lưu').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });
});
