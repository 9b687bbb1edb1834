import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { HAVE_CHROMIUM, launchChromium, PHONE, REQUIRE_BROWSER } from '../helpers/chromium.ts';
import { type Product, startProduct } from '../helpers/product.ts';

/**
 * A citizen on the web chat, on a phone, from a question to the guide: the answer offers "Hướng dẫn nộp hồ sơ",
 * the case questions come as buttons, then the checklist and the choice of online or in person. The screenshot is
 * the README's picture of a guide conversation.
 */
describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the guide on the web chat in Chromium', () => {
  let p: Product;
  let browser: Browser;
  beforeAll(async () => {
    p = await startProduct();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('a birth registration: offered, questions as buttons, the checklist, online or in person', async () => {
    const context = await browser.newContext(PHONE);
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/favicon/.test(m.location().url) && problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && !/favicon/.test(r.url()) && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(p.url('/'));
    const bot = page.locator('#log .msg.bot');
    const ask = async (text: string) => {
      const before = await bot.count();
      await page.getByRole('textbox', { name: 'Câu hỏi của bạn' }).fill(text);
      await page.getByRole('button', { name: 'Gửi', exact: true }).tap();
      await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
    };
    const press = async (name: string) => {
      const before = await bot.count();
      await bot.last().getByRole('button', { name, exact: true }).tap();
      await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
    };

    await ask('con tôi sinh ở nhà, làm giấy khai sinh cần gì');
    await press('Hướng dẫn nộp hồ sơ');
    await expect(bot.last().innerText()).resolves.toMatch(/(^|\n)1\/\d\. /);
    await page.screenshot({ path: new URL('../../docs/screenshots/web-chat-guide.png', import.meta.url).pathname });
    await press('Không');
    for (let i = 0; i < 5 && /(^|\n)\d\/\d\. /.test(await bot.last().innerText()); i++) await press('Không rõ');
    await expect(bot.last().innerText()).resolves.toContain('Bạn muốn nộp hồ sơ trực tuyến hay trực tiếp?');
    const checklist = (await bot.allInnerTexts()).join('\n');
    expect(checklist).toContain('Giấy tờ phải nộp');
    await page.screenshot({ path: new URL('../../docs/screenshots/web-chat-guide-checklist.png', import.meta.url).pathname });
    await press('Nộp trực tuyến');
    await expect(bot.last().innerText()).resolves.toContain('Miễn phí');
    expect((await bot.allInnerTexts()).join('\n')).toContain('VNeID');
    expect(problems, problems.join("\n")).toEqual([]);
    await context.close();
  });
});
